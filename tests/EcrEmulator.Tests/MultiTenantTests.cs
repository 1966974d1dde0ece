using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

/// <summary>One emulator, many registries: every account it serves has one registry per Region, as AWS has.</summary>
public class MultiTenantTests
{
    private const string Other = "444455556666";

    private static string Policy(string account, string region) =>
        $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Sid\":\"Ptc\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::{account}:role/ci\"}},\"Action\":\"ecr:CreateRepository\",\"Resource\":\"arn:aws:ecr:{region}:{account}:repository/*\"}}]}}";

    [Fact]
    public async Task A_call_signed_for_a_Region_reaches_that_Region_s_registry_and_no_other()
    {
        using var emulator = EcrCall.Start(o => o.Regions = new[] { "eu-west-1", "ap-southeast-2" });
        var put = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(Policy("111122223333", "eu-west-1"))}}}", new EcrCallOptions { Region = "eu-west-1" });

        Assert.Equal(HttpStatusCode.OK, put.Status);
        Assert.Equal(Policy("111122223333", "eu-west-1"), emulator.StateOf("111122223333", "eu-west-1").PolicyText);
        Assert.Null(emulator.State.PolicyText);
        Assert.Equal("RegistryPolicyNotFoundException", (await EcrCall.SendAsync(emulator, "GetRegistryPolicy", options: new EcrCallOptions { Region = "ap-southeast-2" })).ErrorCode);
        Assert.Equal(new[] { "eu-west-1", "ap-southeast-2" }, emulator.Requests.Entries.Select(e => e.Region).ToArray());
    }

    [Fact]
    public async Task Another_account_s_keys_reach_its_own_registry()
    {
        using var emulator = EcrCall.Start(o => o.Accounts = new[] { Other });
        var theirs = new EcrCallOptions { Credential = TestCredential.ForAccount(Other) };
        var session = new EcrCallOptions { Credential = TestCredential.SessionForAccount(Other) };

        var described = await EcrCall.SendAsync(emulator, "DescribeRegistry", options: theirs);
        await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(Policy(Other, "us-east-1"))}}}", session);

        Assert.Equal(Other, described.String("registryId"));
        Assert.Equal(Policy(Other, "us-east-1"), emulator.StateOf(Other, "us-east-1").PolicyText);
        Assert.Null(emulator.State.PolicyText);
        Assert.Equal("111122223333", (await EcrCall.OkAsync(emulator, "DescribeRegistry")).String("registryId"));
        // A registryId of another account is refused as before: the caller reaches only its own registry.
        Assert.Equal("InvalidParameterException", (await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", $"{{\"registryId\":\"{Other}\"}}")).ErrorCode);
    }

    [Theory]
    [InlineData("eu-central-1", "InvalidSignatureException")]
    public async Task A_Region_it_does_not_serve_is_refused_as_AWS_refuses_a_wrong_scope(string region, string code)
    {
        using var emulator = EcrCall.Start(o => o.Regions = new[] { "eu-west-1" });
        var answer = await EcrCall.SendAsync(emulator, "GetRegistryPolicy", options: new EcrCallOptions { Region = region });
        Assert.Equal(code, answer.ErrorCode);
    }

    [Fact]
    public async Task The_keys_of_an_account_it_does_not_serve_are_unknown()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribeRegistry", options: new EcrCallOptions { Credential = TestCredential.ForAccount(Other) });
        Assert.Equal("UnrecognizedClientException", answer.ErrorCode);
    }

    [Fact]
    public async Task Fifty_accounts_in_four_Regions_cost_nothing_until_they_are_called()
    {
        var accounts = Enumerable.Range(0, 50).Select(i => (100000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        using var emulator = EcrCall.Start(o =>
        {
            o.Accounts = accounts;
            o.Regions = new[] { "us-west-2", "eu-west-1", "ap-southeast-2" };
        });

        Assert.Equal(51, emulator.Registries.Accounts.Count);
        Assert.Equal(4, emulator.Registries.Regions.Count);
        Assert.Single(emulator.Registries.Used);

        foreach (var (account, region) in new[] { (accounts[0], "eu-west-1"), (accounts[49], "ap-southeast-2"), (accounts[49], "us-east-1") })
        {
            var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(Policy(account, region))}}}",
                new EcrCallOptions { Credential = TestCredential.ForAccount(account), Region = region });
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        }

        Assert.Equal(4, emulator.Registries.Used.Count);
        Assert.Equal(Policy(accounts[49], "ap-southeast-2"), emulator.StateOf(accounts[49], "ap-southeast-2").PolicyText);
        Assert.Equal(Policy(accounts[49], "us-east-1"), emulator.StateOf(accounts[49], "us-east-1").PolicyText);
        Assert.Null(emulator.StateOf(accounts[0], "ap-southeast-2").PolicyText);
    }

    [Fact]
    public async Task A_seed_fills_other_registries_and_a_reset_brings_them_back()
    {
        var seed = $"{{\"policyText\":{EcrCall.Json(Policy("111122223333", "us-east-1"))},\"registries\":[" +
            $"{{\"region\":\"eu-west-1\",\"policyText\":{EcrCall.Json(Policy("111122223333", "eu-west-1"))},\"pullThroughCacheRules\":[{{\"ecrRepositoryPrefix\":\"quay\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}}]}}," +
            $"{{\"accountId\":\"{Other}\",\"region\":\"eu-west-1\",\"registryPolicyScope\":\"V1\"}}]}}";
        using var emulator = EcrCall.Start(o => o.SeedJson = seed);

        Assert.Equal(new[] { "111122223333", Other }, emulator.Registries.Accounts);
        Assert.Equal("quay", emulator.StateOf("111122223333", "eu-west-1").Rules.Single().EcrRepositoryPrefix);
        Assert.Equal("V1", emulator.StateOf(Other, "eu-west-1").RegistryPolicyScope);

        await EcrCall.SendAsync(emulator, "DeleteRegistryPolicy", options: new EcrCallOptions { Region = "eu-west-1" });
        Assert.Null(emulator.StateOf("111122223333", "eu-west-1").PolicyText);
        emulator.Reset();
        Assert.Equal(Policy("111122223333", "eu-west-1"), emulator.StateOf("111122223333", "eu-west-1").PolicyText);
        Assert.Equal(Policy("111122223333", "us-east-1"), emulator.State.PolicyText);
    }

    [Fact]
    public void A_seed_that_ECR_would_refuse_in_one_registry_is_refused_whole()
    {
        var seed = "{\"registries\":[{\"region\":\"eu-west-1\",\"policyText\":\"not json\"}]}";
        var error = Assert.Throws<ArgumentException>(() => EcrCall.Start(o => o.SeedJson = seed));
        Assert.Contains("InvalidParameterException", error.Message);
    }

    [Fact]
    public async Task The_control_API_shows_any_registry_and_accepts_keys_a_fake_STS_hands_out()
    {
        using var emulator = EcrCall.Start(o => o.Regions = new[] { "eu-west-1" });
        var registered = await ControlApiTests.ControlAsync(emulator, HttpMethod.Post, "credentials",
            $"{{\"accessKeyId\":\"ASIAFAKESTS0001\",\"secretAccessKey\":\"assumed/secret\",\"sessionToken\":\"token-1\",\"accountId\":\"{Other}\"}}");
        var assumed = new EcrCallOptions { Credential = new TestCredential("ASIAFAKESTS0001", "assumed/secret", "token-1"), Region = "eu-west-1" };
        await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(Policy(Other, "eu-west-1"))}}}", assumed);

        var state = await ControlApiTests.ControlAsync(emulator, HttpMethod.Get, $"state?accountId={Other}&region=eu-west-1");
        var main = await ControlApiTests.ControlAsync(emulator, HttpMethod.Get, "state");

        Assert.Equal(HttpStatusCode.OK, registered.Status);
        Assert.Equal(Policy(Other, "eu-west-1"), state.Body.GetProperty("policyText").GetString());
        Assert.Equal(Other, state.Body.GetProperty("accountId").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, main.Body.GetProperty("policyText").ValueKind);
        Assert.Equal(new[] { "111122223333", Other }, main.Body.GetProperty("accounts").EnumerateArray().Select(a => a.GetString()).ToArray());
        Assert.Equal(new[] { "us-east-1", "eu-west-1" }, main.Body.GetProperty("regions").EnumerateArray().Select(a => a.GetString()).ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await ControlApiTests.ControlAsync(emulator, HttpMethod.Get, "state?region=mars-north-9")).Status);
    }
}
