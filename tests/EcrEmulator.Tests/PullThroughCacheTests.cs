using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

public class PullThroughCacheTests
{
    private const string DockerHubSecret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf";

    [Fact]
    public async Task A_created_rule_is_described_with_epoch_second_timestamps()
    {
        var now = new DateTimeOffset(2026, 11, 30, 10, 0, 0, 250, TimeSpan.Zero);
        using var emulator = EcrCall.Start(o => o.Clock = () => now);

        var created = await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ecr-public\",\"upstreamRegistryUrl\":\"ecr-public.upstream.example\"}");
        var described = await EcrCall.OkAsync(emulator, "DescribePullThroughCacheRules");

        Assert.Equal("ecr-public", created.String("upstreamRegistry"));
        Assert.Equal("111122223333", created.String("registryId"));
        Assert.Equal(1796032800.25, created.Body.GetProperty("createdAt").GetDouble());
        var rule = Assert.Single(described.Body.GetProperty("pullThroughCacheRules").EnumerateArray());
        Assert.Equal("ecr-public", rule.GetProperty("ecrRepositoryPrefix").GetString());
        Assert.Equal("ecr-public.upstream.example", rule.GetProperty("upstreamRegistryUrl").GetString());
        Assert.Equal("ROOT", rule.GetProperty("upstreamRepositoryPrefix").GetString());
        Assert.Equal(JsonValueKind.Number, rule.GetProperty("updatedAt").ValueKind);
        Assert.False(described.Body.TryGetProperty("nextToken", out _));
    }

    [Theory]
    [InlineData("ecr-public.upstream.example", "ecr-public")]
    [InlineData("k8s.upstream.example", "k8s")]
    [InlineData("quay.upstream.example", "quay")]
    [InlineData("https://quay.upstream.example/", "quay")]
    public async Task The_upstream_registry_is_inferred_from_a_known_url(string url, string registry)
    {
        using var emulator = EcrCall.Start();
        var created = await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", $"{{\"ecrRepositoryPrefix\":\"cache\",\"upstreamRegistryUrl\":\"{url}\"}}");

        Assert.Equal(registry, created.String("upstreamRegistry"));
    }

    [Fact]
    public async Task An_authenticated_upstream_keeps_its_credential_arn()
    {
        using var emulator = EcrCall.Start();
        var created = await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule",
            $"{{\"ecrRepositoryPrefix\":\"docker-hub\",\"upstreamRegistryUrl\":\"docker-hub.upstream.example\",\"upstreamRegistry\":\"docker-hub\",\"credentialArn\":\"{DockerHubSecret}\"}}");

        Assert.Equal(DockerHubSecret, created.String("credentialArn"));
        Assert.Equal(DockerHubSecret, emulator.State.Rules.Single().CredentialArn);
    }

    [Theory]
    [InlineData("ecr-public")]
    [InlineData("ecr-public/")]
    public async Task A_second_rule_for_the_same_prefix_is_PullThroughCacheRuleAlreadyExistsException(string prefix)
    {
        using var emulator = EcrCall.Start();
        await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ecr-public\",\"upstreamRegistryUrl\":\"ecr-public.upstream.example\"}");
        var again = await EcrCall.SendAsync(emulator, "CreatePullThroughCacheRule", $"{{\"ecrRepositoryPrefix\":\"{prefix}\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}}");

        Assert.Equal("PullThroughCacheRuleAlreadyExistsException", again.ErrorCode);
        Assert.Single(emulator.State.Rules);
    }

    [Theory]
    [InlineData("a", "Member must have length greater than or equal to 2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz01234", "Member must have length less than or equal to 30")]
    [InlineData("Upper", "Member must satisfy regular expression pattern")]
    [InlineData("a._b", "Member must satisfy regular expression pattern")]
    [InlineData("-leading", "Member must satisfy regular expression pattern")]
    [InlineData("root", null)]
    [InlineData("ROOT", null)]
    [InlineData("team-a/sub", null)]
    [InlineData("a__b", null)]
    [InlineData("docker-hub/", null)]
    public async Task The_prefix_length_and_pattern_come_from_the_model(string prefix, string? problem)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "CreatePullThroughCacheRule", $"{{\"ecrRepositoryPrefix\":\"{prefix}\",\"upstreamRegistryUrl\":\"ecr-public.upstream.example\"}}");

        if (problem is null)
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        }
        else
        {
            Assert.Equal("ValidationException", answer.ErrorCode);
            Assert.Contains($"Value '{prefix}' at 'ecrRepositoryPrefix' failed to satisfy constraint: {problem}", answer.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Several_constraint_failures_are_reported_together()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"X\",\"upstreamRegistry\":\"dockerhub\",\"registryId\":\"12345\"}");

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.StartsWith("5 validation errors detected: ", answer.Message, StringComparison.Ordinal);
        Assert.Contains("Value null at 'upstreamRegistryUrl' failed to satisfy constraint: Member must not be null", answer.Message, StringComparison.Ordinal);
        Assert.Contains("Value 'dockerhub' at 'upstreamRegistry' failed to satisfy constraint: Member must satisfy enum value set: [ecr, ecr-public, quay, k8s, docker-hub, github-container-registry, azure-container-registry, gitlab-container-registry, chainguard]", answer.Message, StringComparison.Ordinal);
        Assert.Contains("Value '12345' at 'registryId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"ecrRepositoryPrefix\":\"mine\",\"upstreamRegistryUrl\":\"registry.example.test\"}", "UnsupportedUpstreamRegistryException", "isn't supported")]
    [InlineData("{\"ecrRepositoryPrefix\":\"hub\",\"upstreamRegistryUrl\":\"docker-hub.upstream.example\"}", "InvalidParameterException", "'credentialArn'")]
    [InlineData("{\"ecrRepositoryPrefix\":\"up\",\"upstreamRegistryUrl\":\"444455556666.dkr.ecr.us-west-2.amazonaws.com\"}", "InvalidParameterException", "'customRoleArn'")]
    [InlineData("{\"ecrRepositoryPrefix\":\"ROOT\",\"upstreamRegistryUrl\":\"quay.upstream.example\",\"upstreamRepositoryPrefix\":\"team\"}", "InvalidParameterException", "'upstreamRepositoryPrefix'")]
    [InlineData("{\"ecrRepositoryPrefix\":\"q\\/x\",\"upstreamRegistryUrl\":\"quay.upstream.example\",\"registryId\":\"444455556666\"}", "InvalidParameterException", "'registryId'")]
    [InlineData("{\"ecrRepositoryPrefix\":\"hub\",\"upstreamRegistryUrl\":\"docker-hub.upstream.example\",\"credentialArn\":\"arn:aws:secretsmanager:us-east-1:111122223333:secret:dockerhub-credentials-xyz\"}", "ValidationException", "at 'credentialArn'")]
    public async Task A_rule_ECR_would_refuse_is_refused_with_its_place(string body, string code, string place)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "CreatePullThroughCacheRule", body);

        Assert.Equal(code, answer.ErrorCode);
        Assert.Contains(place, answer.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.State.Rules);
    }

    [Theory]
    [InlineData(7, null, 1, 7)]
    [InlineData(7, 3, 3, 3)]
    [InlineData(6, 3, 2, 3)]
    [InlineData(150, null, 2, 100)]
    [InlineData(3, 1000, 1, 3)]
    public async Task Describe_pages_through_every_rule_once_in_prefix_order(int rules, int? maxResults, int expectedPages, int firstPageSize)
    {
        using var emulator = EcrCall.Start();
        var prefixes = Enumerable.Range(0, rules).Select(i => $"cache-{i:D3}").Reverse().ToList();
        foreach (var prefix in prefixes)
        {
            await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", $"{{\"ecrRepositoryPrefix\":\"{prefix}\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}}");
        }

        var seen = new List<string>();
        var pages = new List<int>();
        string? token = null;
        do
        {
            var input = new Dictionary<string, object?>();
            if (maxResults is not null)
            {
                input["maxResults"] = maxResults;
            }
            if (token is not null)
            {
                input["nextToken"] = token;
            }
            var page = await EcrCall.OkAsync(emulator, "DescribePullThroughCacheRules", JsonSerializer.Serialize(input));
            var items = page.Body.GetProperty("pullThroughCacheRules").EnumerateArray().Select(r => r.GetProperty("ecrRepositoryPrefix").GetString()!).ToList();
            pages.Add(items.Count);
            seen.AddRange(items);
            token = page.String("nextToken");
        }
        while (token is not null && pages.Count < 1000);

        Assert.Equal(prefixes.OrderBy(p => p, StringComparer.Ordinal), seen);
        Assert.Equal(expectedPages, pages.Count);
        Assert.Equal(firstPageSize, pages[0]);
    }

    [Theory]
    [InlineData(0, "greater than or equal to 1")]
    [InlineData(1001, "less than or equal to 1000")]
    public async Task MaxResults_outside_1_to_1000_is_ValidationException(int maxResults, string problem)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", $"{{\"maxResults\":{maxResults}}}");

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.Contains($"Value '{maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value {problem}", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_next_token_is_InvalidParameterException()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", "{\"nextToken\":\"not-a-token\"}");

        Assert.Equal("InvalidParameterException", answer.ErrorCode);
        Assert.Contains("'nextToken'", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_prefix_filter_returns_only_the_rules_named()
    {
        using var emulator = EcrCall.Start();
        foreach (var prefix in new[] { "ecr-public", "k8s", "quay" })
        {
            await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", $"{{\"ecrRepositoryPrefix\":\"{prefix}\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}}");
        }

        var answer = await EcrCall.OkAsync(emulator, "DescribePullThroughCacheRules", "{\"ecrRepositoryPrefixes\":[\"quay\",\"ecr-public/\"]}");

        Assert.Equal(new[] { "ecr-public", "quay" }, answer.Body.GetProperty("pullThroughCacheRules").EnumerateArray().Select(r => r.GetProperty("ecrRepositoryPrefix").GetString()));
    }

    [Fact]
    public async Task Filtering_on_a_prefix_without_a_rule_is_PullThroughCacheRuleNotFoundException()
    {
        using var emulator = EcrCall.Start();
        await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"quay\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}");

        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", "{\"ecrRepositoryPrefixes\":[\"quay\",\"nope\"]}");

        Assert.Equal("PullThroughCacheRuleNotFoundException", answer.ErrorCode);
        Assert.Contains("'nope'", answer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "Member must have length greater than or equal to 1")]
    [InlineData("[\"x\"]", "at 'ecrRepositoryPrefixes.1.member' failed to satisfy constraint: Member must have length greater than or equal to 2")]
    public async Task The_prefix_filter_list_is_checked_against_the_model(string list, string problem)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", $"{{\"ecrRepositoryPrefixes\":{list}}}");

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.Contains(problem, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_of_101_prefixes_exceeds_the_model_list_limit()
    {
        using var emulator = EcrCall.Start();
        var list = JsonSerializer.Serialize(Enumerable.Range(0, 101).Select(i => $"p{i:D3}"));
        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", $"{{\"ecrRepositoryPrefixes\":{list}}}");

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.Contains("at 'ecrRepositoryPrefixes' failed to satisfy constraint: Member must have length less than or equal to 100", answer.Message, StringComparison.Ordinal);
    }
}
