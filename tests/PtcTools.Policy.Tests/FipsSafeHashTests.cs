using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>
/// Issue 15 item 1: under the Windows FIPS policy the .NET Framework's managed hashes throw, so
/// PtcTools chooses its implementations in one place (FipsSafeHash); see docs/decisions.md.
/// </summary>
public class FipsSafeHashTests
{
    [Fact]
    public void The_implementation_is_the_CryptoAPI_one_on_the_NET_Framework_and_the_platform_one_on_NET()
    {
        using var sha256 = FipsSafeHash.CreateSha256();
        using var sha1 = FipsSafeHash.CreateSha1();
        if (TargetPlatform.IsNetFramework)
        {
            // The net472 leg: the classes the SHA256Managed constructor page names as FIPS-validated.
            Assert.True(FipsSafeHash.UsesCryptoServiceProviders);
            Assert.Equal("SHA256CryptoServiceProvider", sha256.GetType().Name);
            Assert.Equal("SHA1CryptoServiceProvider", sha1.GetType().Name);
        }
        else
        {
            Assert.False(FipsSafeHash.UsesCryptoServiceProviders);
            using var platform = System.Security.Cryptography.SHA256.Create();
            Assert.Equal(platform.GetType(), sha256.GetType());
        }

        Assert.DoesNotContain("Managed", sha256.GetType().Name, StringComparison.Ordinal);
        Assert.DoesNotContain("Managed", sha1.GetType().Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")] // FIPS 180-2, appendix B.1
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    public void Sha256_gives_the_published_digest(string text, string hex)
    {
        Assert.Equal(hex, Hex(FipsSafeHash.Sha256(Encoding.ASCII.GetBytes(text))));
    }

    [Fact]
    public void Sha1_gives_the_published_digest()
    {
        Assert.Equal("a9993e364706816aba3e25717850c26c9cd0d89d", Hex(FipsSafeHash.Sha1(Encoding.ASCII.GetBytes("abc")))); // FIPS 180-2, appendix A.1
    }

    [Fact]
    public void HmacSha256_gives_the_RFC_4231_digest()
    {
        // RFC 4231, test case 2.
        var digest = FipsSafeHash.HmacSha256(Encoding.ASCII.GetBytes("Jefe"), Encoding.ASCII.GetBytes("what do ya want for nothing?"));
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", Hex(digest));
    }

    [Fact]
    public void A_default_Sid_is_the_same_on_every_runtime()
    {
        // The Sid's hash part comes from FipsSafeHash; a runtime that hashed differently would change Sids.
        var statement = PolicyStatement.FromJObject(Newtonsoft.Json.Linq.JObject.Parse(
            "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci-puller\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}"));
        var sid = StatementBuilder.DefaultSid(PolicyType.PullThroughCache, "ecr-public", statement);
        Assert.Matches("^PullThroughCacheEcrPublic[0-9A-F]{8}$", sid);
        Assert.Equal(sid, StatementBuilder.DefaultSid(PolicyType.PullThroughCache, "ecr-public", statement));
    }

    [Fact]
    public void No_shipped_code_creates_a_hash_anywhere_else()
    {
        var src = Path.Combine(RepositoryRoot.Path, "src");
        var forbidden = new Regex(@"\b(SHA(1|256|384|512)|MD5)\s*\.\s*Create\s*\(|new\s+(HMACSHA(1|256|384|512)|SHA(1|256|384|512)(Managed|Cng|CryptoServiceProvider))\s*\(|IncrementalHash\.", RegexOptions.CultureInvariant);
        var offenders = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("FipsSafeHash.cs", StringComparison.Ordinal) && !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
            .Where(f => forbidden.IsMatch(File.ReadAllText(f)))
            .Select(f => f.Substring(src.Length + 1))
            .ToList();
        Assert.True(offenders.Count == 0, "Create hashes through FipsSafeHash only: " + string.Join(", ", offenders));
    }

    private static string Hex(byte[] bytes) => string.Concat(bytes.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
