using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

public class ControlApiTests
{
    [Fact]
    public async Task Faults_armed_over_HTTP_fire_on_the_next_calls()
    {
        using var emulator = EcrCall.Start();
        var armed = await ControlAsync(emulator, HttpMethod.Post, "faults", "{\"throttle\":1,\"serverError\":1,\"operation\":\"GetRegistryPolicy\"}");

        var first = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        var second = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        var third = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(HttpStatusCode.OK, armed.Status);
        Assert.Equal(2, armed.Body.GetProperty("pending").GetArrayLength());
        Assert.Equal(new[] { "ThrottlingException", "ServerException", "RegistryPolicyNotFoundException" }, new[] { first.ErrorCode, second.ErrorCode, third.ErrorCode });
    }

    [Fact]
    public async Task Every_fault_kind_can_be_armed_over_HTTP()
    {
        using var emulator = EcrCall.Start();
        var armed = await ControlAsync(emulator, HttpMethod.Post, "faults",
            "{\"throttle\":1,\"serverError\":2,\"dropConnection\":3,\"dropResponse\":4,\"delayMs\":5,\"delayCount\":6,\"changePolicyAfterNextGet\":null}");

        var pending = armed.Body.GetProperty("pending").EnumerateArray()
            .ToDictionary(p => p.GetProperty("kind").GetString()!, p => p.GetProperty("remaining").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["Delay"] = 6, ["Throttle"] = 1, ["ServerError"] = 2, ["DropConnection"] = 3, ["DropResponse"] = 4 }, pending);
        Assert.True(armed.Body.GetProperty("changePolicyAfterNextGet").GetBoolean());
    }

    [Fact]
    public async Task A_canned_answer_and_a_change_after_writes_can_be_armed_over_HTTP()
    {
        using var emulator = EcrCall.Start();
        var armed = await ControlAsync(emulator, HttpMethod.Post, "faults",
            "{\"respond\":{\"status\":503,\"body\":\"not json\",\"count\":2},\"operation\":\"DescribeRegistry\",\"changePolicyAfterPut\":null,\"changePolicyAfterPutCount\":3,\"staleReadsAfterPut\":4}");

        Assert.Equal(HttpStatusCode.OK, armed.Status);
        var respond = armed.Body.GetProperty("pending").EnumerateArray().Single(p => p.GetProperty("kind").GetString() == "Respond");
        Assert.Equal(2, respond.GetProperty("remaining").GetInt32());
        Assert.Equal(503, respond.GetProperty("status").GetInt32());
        Assert.Equal(3, armed.Body.GetProperty("changePolicyAfterPut").GetInt32());
        Assert.Equal(4, armed.Body.GetProperty("staleReadsAfterPut").GetInt32());
    }

    [Fact]
    public async Task The_policy_change_can_be_armed_over_HTTP()
    {
        using var emulator = EcrCall.Start();
        await ControlAsync(emulator, HttpMethod.Post, "faults", $"{{\"changePolicyBeforeNextPut\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}");

        await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(RegistryPolicyTests.PtcPolicy, emulator.State.PolicyText);
    }

    [Theory]
    [InlineData("{\"throttel\":1}", "'throttel'")]
    [InlineData("{\"throttle\":-1}", "'throttle'")]
    [InlineData("{\"throttle\":\"two\"}", "'throttle'")]
    [InlineData("{\"serverError\":1,\"operation\":\"PutRegistryPolicyy\"}", "'operation'")]
    [InlineData("{\"changePolicyBeforeNextPut\":{\"Version\":\"2012-10-17\"}}", "'changePolicyBeforeNextPut'")]
    [InlineData("{\"throttle\":1,\"changePolicyBeforeNextPut\":5}", "'changePolicyBeforeNextPut'")]
    [InlineData("{\"delayCount\":2}", "'delayMs'")]
    [InlineData("{\"respond\":{\"status\":200}}", "'respond.body'")]
    [InlineData("{\"respond\":{\"status\":700,\"body\":\"x\"}}", "'respond.status'")]
    [InlineData("{\"respond\":{\"body\":\"x\",\"cuont\":1}}", "'cuont'")]
    [InlineData("{\"changePolicyAfterPut\":{}}", "'changePolicyAfterPut'")]
    [InlineData("{\"changePolicyAfterPutCount\":2}", "'changePolicyAfterPut'")]
    [InlineData("{\"staleReadsAfterPut\":-1}", "'staleReadsAfterPut'")]
    [InlineData("[1]", "JSON object")]
    [InlineData("{", "not valid JSON")]
    public async Task A_bad_fault_request_is_refused_with_400_naming_the_problem_and_arms_nothing(string body, string problem)
    {
        using var emulator = EcrCall.Start();
        var answer = await ControlAsync(emulator, HttpMethod.Post, "faults", body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(problem, answer.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Null(emulator.Faults.Next("GetRegistryPolicy").Kind);
        Assert.False(emulator.Faults.TryTakePolicyChange(out _));
    }

    [Fact]
    public async Task The_state_shows_policy_scope_rules_and_the_call_count()
    {
        using var emulator = EcrCall.Start();
        await EcrCall.OkAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}");
        await EcrCall.OkAsync(emulator, "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"ecr-public\",\"upstreamRegistryUrl\":\"ecr-public.upstream.example\"}");

        var state = await ControlAsync(emulator, HttpMethod.Get, "state");

        Assert.Equal(RegistryPolicyTests.PtcPolicy, state.Body.GetProperty("policyText").GetString());
        Assert.Equal("V2", state.Body.GetProperty("registryPolicyScope").GetString());
        Assert.Equal("ecr-public", state.Body.GetProperty("pullThroughCacheRules")[0].GetProperty("ecrRepositoryPrefix").GetString());
        Assert.Equal(2, state.Body.GetProperty("callCount").GetInt32());
        Assert.Equal(1, state.Body.GetProperty("callCounts").GetProperty("PutRegistryPolicy").GetInt32());
        Assert.Equal(1, state.Body.GetProperty("callCounts").GetProperty("CreatePullThroughCacheRule").GetInt32());
        Assert.False(state.Body.GetProperty("callCounts").TryGetProperty("GetRegistryPolicy", out _));
        Assert.Equal("111122223333", state.Body.GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task The_request_log_lists_every_call_with_its_outcome()
    {
        using var emulator = EcrCall.Start();
        await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        await EcrCall.SendAsync(emulator, "DescribeRegistry", "{}", new EcrCallOptions { SecretOverride = "wrong" });

        var log = await ControlAsync(emulator, HttpMethod.Get, "requests");

        var entries = log.Body.EnumerateArray().ToList();
        Assert.Equal(2, entries.Count);
        Assert.Equal("GetRegistryPolicy", entries[0].GetProperty("operation").GetString());
        Assert.Equal("RegistryPolicyNotFoundException", entries[0].GetProperty("errorCode").GetString());
        Assert.Equal(1, entries[0].GetProperty("sequence").GetInt32());
        Assert.Equal("InvalidSignatureException", entries[1].GetProperty("errorCode").GetString());
        Assert.Equal(400, entries[1].GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Seeding_over_HTTP_replaces_the_state_and_reset_goes_back_to_the_start()
    {
        using var emulator = EcrCall.Start();
        var seed = JsonSerializer.Serialize(new
        {
            policyText = RegistryPolicyTests.PtcPolicy,
            registryPolicyScope = "V1",
            pullThroughCacheRules = new[] { new { ecrRepositoryPrefix = "k8s", upstreamRegistryUrl = "k8s.upstream.example" } },
        });
        var seeded = await ControlAsync(emulator, HttpMethod.Put, "state", seed);
        await EcrCall.SendAsync(emulator, "DescribeRegistry");
        emulator.Faults.Throttle(5);

        var reset = await ControlAsync(emulator, HttpMethod.Post, "reset");

        Assert.Equal(HttpStatusCode.OK, seeded.Status);
        Assert.Equal("V1", seeded.Body.GetProperty("registryPolicyScope").GetString());
        Assert.Equal("k8s", seeded.Body.GetProperty("pullThroughCacheRules")[0].GetProperty("upstreamRegistry").GetString());
        Assert.Equal(JsonValueKind.Null, reset.Body.GetProperty("policyText").ValueKind);
        Assert.Equal(0, reset.Body.GetProperty("callCount").GetInt32());
        Assert.Null(emulator.Faults.Next("DescribeRegistry").Kind);
    }

    [Fact]
    public async Task A_state_dump_can_be_used_as_a_seed()
    {
        using var source = EcrCall.Start();
        await EcrCall.OkAsync(source, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}");
        await EcrCall.OkAsync(source, "CreatePullThroughCacheRule", "{\"ecrRepositoryPrefix\":\"quay\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}");
        var dump = source.State.ToJson().ToJsonString();

        using var copy = EcrCall.Start(o => o.SeedJson = dump);

        Assert.Equal(RegistryPolicyTests.PtcPolicy, copy.State.PolicyText);
        Assert.Equal("quay", copy.State.Rules.Single().EcrRepositoryPrefix);
    }

    [Theory]
    [InlineData("{\"policyText\":\"not a policy\"}", "InvalidParameterException")]
    [InlineData("{\"registryPolicyScope\":\"V9\"}", "InvalidParameterException")]
    [InlineData("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"X\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}]}", "pullThroughCacheRules[0]")]
    [InlineData("{\"accountId\":\"999999999999\"}", "'999999999999'")]
    [InlineData("{\"policy\":\"x\"}", "'policy'")]
    public async Task A_seed_ECR_would_not_hold_is_refused_naming_the_problem(string seed, string problem)
    {
        using var emulator = EcrCall.Start();
        var answer = await ControlAsync(emulator, HttpMethod.Put, "state", seed);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(problem, answer.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_seed_stops_the_emulator_from_starting()
    {
        var error = Assert.Throws<ArgumentException>(() => EcrCall.Start(o => o.SeedJson = "{\"policyText\":\"[]\"}"));
        Assert.Contains("Invalid registry policy provided", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_control_path_is_404_listing_the_endpoints()
    {
        using var emulator = EcrCall.Start();
        var answer = await ControlAsync(emulator, HttpMethod.Get, "nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Contains("/__emulator/faults", answer.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_calls_are_not_counted_as_ECR_calls()
    {
        using var emulator = EcrCall.Start();
        await ControlAsync(emulator, HttpMethod.Get, "state");
        await ControlAsync(emulator, HttpMethod.Get, "requests");

        Assert.Equal(0, emulator.Requests.Count);
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> ControlAsync(EcrEmulatorServer emulator, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(emulator.Endpoint, "__emulator/" + path));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await EcrCall.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }
}
