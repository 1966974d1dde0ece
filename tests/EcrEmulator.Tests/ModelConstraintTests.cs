using System;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

/// <summary>Each constraint of the model, one request that breaks it, and the place the error names.</summary>
public class ModelConstraintTests
{
    private const string Url = "\"upstreamRegistryUrl\":\"quay.upstream.example\"";

    public static TheoryData<string, string, string> Violations() => new()
    {
        { "PutRegistryPolicy", "{}", "Value null at 'policyText' failed to satisfy constraint: Member must not be null" },
        { "CreatePullThroughCacheRule", "{" + Url + "}", "Value null at 'ecrRepositoryPrefix' failed to satisfy constraint: Member must not be null" },
        { "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ab\"}", "Value null at 'upstreamRegistryUrl' failed to satisfy constraint: Member must not be null" },
        { "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ab\"," + Url + ",\"upstreamRepositoryPrefix\":\"UP\"}", "at 'upstreamRepositoryPrefix' failed to satisfy constraint: Member must satisfy regular expression pattern" },
        { "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ab\"," + Url + ",\"customRoleArn\":\"" + new string('r', 2049) + "\"}", "at 'customRoleArn' failed to satisfy constraint: Member must have length less than or equal to 2048" },
        { "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ab\"," + Url + ",\"credentialArn\":\"arn:short\"}", "at 'credentialArn' failed to satisfy constraint: Member must have length greater than or equal to 50" },
        { "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ab\"," + Url + ",\"registryId\":\"1111222233334\"}", "Value '1111222233334' at 'registryId' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{12}" },
        { "DescribePullThroughCacheRules", "{\"registryId\":\"abc\"}", "at 'registryId' failed to satisfy constraint: Member must satisfy regular expression pattern" },
        { "DescribePullThroughCacheRules", "{\"maxResults\":0}", "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1" },
        { "GetAccountSetting", "{}", "Value null at 'name' failed to satisfy constraint: Member must not be null" },
        { "GetAccountSetting", "{\"name\":\"" + new string('N', 65) + "\"}", "at 'name' failed to satisfy constraint: Member must have length less than or equal to 64" },
        { "PutAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\"}", "Value null at 'value' failed to satisfy constraint: Member must not be null" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public async Task A_request_breaking_a_model_constraint_is_ValidationException_naming_the_member(string operation, string body, string message)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, operation, body);

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
        Assert.Empty(emulator.State.Rules);
        Assert.Null(emulator.State.PolicyText);
    }

    [Fact]
    public async Task An_explicit_null_counts_as_a_missing_member()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", "{\"policyText\":null}");

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.Contains("Value null at 'policyText'", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fractional_maxResults_is_SerializationException()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", "{\"maxResults\":2.5}");

        Assert.Equal("SerializationException", answer.ErrorCode);
    }
}
