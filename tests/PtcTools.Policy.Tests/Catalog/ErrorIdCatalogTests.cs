using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace PtcTools.Policy.Tests.Catalog;

/// <summary>
/// Every error id the sources can raise is documented in about_PtcTools_Errors, the one catalog users read
/// (issue 16 item 2). The ids are read from the sources where they are made: an id beside its PolicyErrorKind
/// (a PolicyException, an EcrException, a service's error table), an ErrorRecord's id beside its ErrorCategory,
/// and the ids a service client composes from its prefix (EcrThrottled, IamTimeout, ...).
/// </summary>
public class ErrorIdCatalogTests
{
    private static readonly Regex s_beforeKind = new(@"(?<!\+\s*)""(?<id>[A-Z][A-Za-z0-9]+)""\s*,\s*PolicyErrorKind\.", RegexOptions.CultureInvariant);
    private static readonly Regex s_choiceBeforeKind = new(@"""(?<id>[A-Z][A-Za-z0-9]+)""\s*:\s*""(?<other>[A-Z][A-Za-z0-9]+)""\s*,\s*PolicyErrorKind\.", RegexOptions.CultureInvariant);
    private static readonly Regex s_errorRecord = new(@"new ErrorRecord\([^;]*?,\s*""(?<id>[A-Z][A-Za-z0-9]+)""\s*,\s*ErrorCategory\.", RegexOptions.CultureInvariant | RegexOptions.Singleline);
    private static readonly Regex s_prefixed = new(@"IdPrefix\s*\+\s*(?:\((?<cond>[^)]*)\)|""(?<id>[A-Za-z0-9]+)"")", RegexOptions.CultureInvariant);
    private static readonly Regex s_literal = new(@"""(?<id>[A-Z][A-Za-z0-9]+)""", RegexOptions.CultureInvariant);

    // new AwsServiceDescription("ECR", "ecr", "Ecr", ...): the third text is the prefix of the composed ids.
    private static readonly Regex s_servicePrefix = new(@"AwsServiceDescription\s+s_service\s*=\s*new\(\s*""[^""]*""\s*,\s*""[^""]*""\s*,\s*""(?<prefix>[A-Za-z]+)""", RegexOptions.CultureInvariant);

    [Fact]
    public void Every_error_id_the_sources_raise_is_in_about_PtcTools_Errors()
    {
        var ids = ErrorIds();
        Assert.True(ids.Count >= 100, $"the scan found only {ids.Count} ids; it no longer reads the sources as they are written");
        var about = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "en-US", "about_PtcTools_Errors.md"));
        var missing = ids.Keys.Where(id => !Regex.IsMatch(about, @"\b" + id + @"\b", RegexOptions.CultureInvariant)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Not in docs/en-US/about_PtcTools_Errors.md: " + string.Join(", ", missing.Select(id => $"{id} ({ids[id]})")));
    }

    [Fact]
    public void One_failure_has_one_id()
    {
        // Region: none given or found; a policy file that exists but cannot be read (issue 16 item 2).
        var ids = ErrorIds();
        Assert.Contains("NoRegion", ids.Keys);
        Assert.Contains("PolicyFileUnreadable", ids.Keys);
        foreach (var retired in new[] { "RegionMissing", "RegionRequired", "PolicyFileReadFailed" })
        {
            Assert.False(ids.ContainsKey(retired), $"{retired} is raised by {(ids.TryGetValue(retired, out var where) ? where : null)}; the failure has one id");
        }
    }

    [Fact]
    public void The_scan_reads_each_way_an_id_is_written()
    {
        var ids = ErrorIds();
        Assert.Contains("RegistryPolicyLockTimeout", ids.Keys);   // "Id", PolicyErrorKind. over two lines
        Assert.Contains("IamInvalidInput", ids.Keys);             // a service's error table
        Assert.Contains("EcrThrottled", ids.Keys);                // composed from the service prefix
        Assert.Contains("SecretsManagerConnectionFailed", ids.Keys); // composed from a choice
        Assert.Contains("RegistryIdRequired", ids.Keys);          // one side of a choice before the kind
    }

    /// <summary>Each id with the first source file that raises it.</summary>
    internal static Dictionary<string, string> ErrorIds()
    {
        var src = Path.Combine(RepositoryRoot.Path, "src");
        var files = Directory.GetFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar) && !f.Contains(Path.DirectorySeparatorChar + "bin" + Path.DirectorySeparatorChar))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var texts = files.ToDictionary(f => f, File.ReadAllText);
        var prefixes = texts.Values.SelectMany(t => s_servicePrefix.Matches(t).Cast<Match>().Select(m => m.Groups["prefix"].Value)).Distinct().ToList();
        Assert.True(prefixes.Count >= 3, "the service prefixes (Ecr, Iam, SecretsManager) were not found: " + string.Join(", ", prefixes));
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string id, string file)
        {
            if (!ids.ContainsKey(id))
            {
                ids[id] = file.Substring(src.Length + 1).Replace('\\', '/');
            }
        }

        foreach (var pair in texts)
        {
            foreach (Match m in s_beforeKind.Matches(pair.Value))
            {
                Add(m.Groups["id"].Value, pair.Key);
            }

            foreach (Match m in s_choiceBeforeKind.Matches(pair.Value))
            {
                Add(m.Groups["id"].Value, pair.Key);
                Add(m.Groups["other"].Value, pair.Key);
            }

            foreach (Match m in s_errorRecord.Matches(pair.Value))
            {
                Add(m.Groups["id"].Value, pair.Key);
            }

            foreach (Match m in s_prefixed.Matches(pair.Value))
            {
                var tails = m.Groups["id"].Success
                    ? new[] { m.Groups["id"].Value }
                    : s_literal.Matches(m.Groups["cond"].Value).Cast<Match>().Select(l => l.Groups["id"].Value).ToArray();
                foreach (var prefix in prefixes)
                {
                    foreach (var tail in tails)
                    {
                        Add(prefix + tail, pair.Key);
                    }
                }
            }
        }

        return ids;
    }
}
