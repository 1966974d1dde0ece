using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace EcrEmulator.Tests;

/// <summary>The AWS CLI, an independent SigV4 and JSON 1.1 implementation, against the emulator.</summary>
public class AwsCliTests
{
    private readonly ITestOutputHelper _output;

    public AwsCliTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_AWS_CLI_v1_of_the_machine_image_is_present()
    {
        _output.WriteLine("AWS CLIs found: " + string.Join(", ", AwsCli.Found.Select(c => $"{c.Version} at {c.Path}")));
        Assert.NotNull(AwsCli.Find(1));
    }

    [AwsCliV2Fact]
    public void The_AWS_CLI_v2_from_Debian_is_present()
    {
        Assert.Equal(2, AwsCli.Find(2)!.Major);
    }

    [Theory]
    [AwsCliVersions]
    public async Task The_CLI_gets_puts_gets_deletes_the_registry_policy_and_describes_rules(int major)
    {
        var cli = AwsCli.Find(major)!;
        using var emulator = EcrCall.Start(o => o.SeedJson = JsonSerializer.Serialize(new
        {
            pullThroughCacheRules = new object[]
            {
                new { ecrRepositoryPrefix = "ecr-public", upstreamRegistryUrl = "ecr-public.upstream.example" },
                new { ecrRepositoryPrefix = "k8s", upstreamRegistryUrl = "k8s.upstream.example" },
            },
        }));
        // Pretty-printed with a trailing newline: the CLI sends the file as is and must get it back as is.
        var policy = JsonSerializer.Serialize(JsonDocument.Parse(RegistryPolicyTests.PtcPolicy).RootElement, new JsonSerializerOptions { WriteIndented = true }) + "\n";
        var file = Path.Combine(Path.GetTempPath(), $"ptc-policy-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, policy);
        try
        {
            var none = await AwsCli.RunAsync(cli, emulator, new[] { "get-registry-policy" });
            var put = await AwsCli.RunAsync(cli, emulator, new[] { "put-registry-policy", "--policy-text", "file://" + file });
            var get = await AwsCli.RunAsync(cli, emulator, new[] { "get-registry-policy" });
            var rules = await AwsCli.RunAsync(cli, emulator, new[] { "describe-pull-through-cache-rules" });
            var delete = await AwsCli.RunAsync(cli, emulator, new[] { "delete-registry-policy" });
            _output.WriteLine($"{cli.Version}: {put}");

            Assert.True(none.ExitCode != 0, none.ToString());
            Assert.Contains("RegistryPolicyNotFoundException", none.StandardError, StringComparison.Ordinal);
            Assert.True(put.ExitCode == 0, put.ToString());
            Assert.Equal(policy, Json(put).GetProperty("policyText").GetString());
            Assert.Equal("111122223333", Json(put).GetProperty("registryId").GetString());
            Assert.True(get.ExitCode == 0, get.ToString());
            Assert.Equal(policy, Json(get).GetProperty("policyText").GetString());
            Assert.True(rules.ExitCode == 0, rules.ToString());
            var listed = Json(rules).GetProperty("pullThroughCacheRules").EnumerateArray().ToList();
            Assert.Equal(new[] { "ecr-public", "k8s" }, listed.Select(r => r.GetProperty("ecrRepositoryPrefix").GetString()));
            Assert.Equal("k8s.upstream.example", listed[1].GetProperty("upstreamRegistryUrl").GetString());
            Assert.True(delete.ExitCode == 0, delete.ToString());
            Assert.Equal(policy, Json(delete).GetProperty("policyText").GetString());
            Assert.Null(emulator.State.PolicyText);
            Assert.All(emulator.Requests.Entries, e => Assert.Equal("AKIDPTCTOOLSEXAMPLE", e.AccessKeyId));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [AwsCliVersions]
    public async Task The_CLI_with_a_wrong_secret_fails_with_the_signature_error(int major)
    {
        var cli = AwsCli.Find(major)!;
        using var emulator = EcrCall.Start();

        var result = await AwsCli.RunAsync(cli, emulator, new[] { "get-registry-policy" }, secret: "not/the/secret");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("InvalidSignatureException", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("signature we calculated does not match", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [AwsCliVersions]
    public async Task The_CLI_signs_with_session_credentials(int major)
    {
        var cli = AwsCli.Find(major)!;
        using var emulator = EcrCall.Start();
        var session = EcrEmulator.TestCredential.Session;

        var result = await AwsCli.RunAsync(cli, emulator, new[] { "describe-registry" }, accessKey: session.AccessKeyId, sessionToken: session.SessionToken);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("111122223333", Json(result).GetProperty("registryId").GetString());
        Assert.Equal(session.AccessKeyId, emulator.Requests.Entries.Single().AccessKeyId);
    }

    [Theory]
    [AwsCliVersions]
    public async Task The_CLI_follows_next_tokens_through_every_page(int major)
    {
        var cli = AwsCli.Find(major)!;
        var prefixes = new[] { "cache-a", "cache-b", "cache-c", "cache-d", "cache-e" };
        using var emulator = EcrCall.Start(o => o.SeedJson = JsonSerializer.Serialize(new
        {
            pullThroughCacheRules = prefixes.Select(p => new { ecrRepositoryPrefix = p, upstreamRegistryUrl = "quay.upstream.example" }),
        }));

        var result = await AwsCli.RunAsync(cli, emulator, new[] { "describe-pull-through-cache-rules", "--page-size", "2" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(prefixes, Json(result).GetProperty("pullThroughCacheRules").EnumerateArray().Select(r => r.GetProperty("ecrRepositoryPrefix").GetString()));
        Assert.Equal(3, emulator.Requests.CountOf("DescribePullThroughCacheRules"));
        Assert.Contains("nextToken", emulator.Requests.Entries[2].RequestBody, StringComparison.Ordinal);
    }

    [Theory]
    [AwsCliVersions]
    public async Task The_CLI_retries_an_injected_throttle_and_an_injected_500_and_the_log_counts_each_try(int major)
    {
        var cli = AwsCli.Find(major)!;
        using var emulator = EcrCall.Start(o => o.SeedJson = JsonSerializer.Serialize(new { policyText = RegistryPolicyTests.PtcPolicy }));
        emulator.Faults.Throttle(1, "GetRegistryPolicy");
        emulator.Faults.ServerError(1, "GetRegistryPolicy");

        var result = await AwsCli.RunAsync(cli, emulator, new[] { "get-registry-policy" });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(RegistryPolicyTests.PtcPolicy, Json(result).GetProperty("policyText").GetString());
        Assert.Equal(new[] { "ThrottlingException", "ServerException", null }, emulator.Requests.Entries.Select(e => e.ErrorCode));
    }

    [Theory]
    [AwsCliVersions]
    public async Task The_CLI_reports_a_refused_policy_with_ECRs_opaque_message(int major)
    {
        var cli = AwsCli.Find(major)!;
        using var emulator = EcrCall.Start();

        var result = await AwsCli.RunAsync(cli, emulator, new[] { "put-registry-policy", "--policy-text", "{\"Statement\":[]}" });

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("InvalidParameterException", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Invalid registry policy provided", result.StandardError, StringComparison.Ordinal);
    }

    private static JsonElement Json(ProcessResult result)
    {
        using var document = JsonDocument.Parse(result.StandardOutput);
        return document.RootElement.Clone();
    }
}
