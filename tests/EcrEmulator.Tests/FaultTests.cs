using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EcrEmulator.Control;
using Xunit;

namespace EcrEmulator.Tests;

public class FaultTests
{
    [Fact]
    public async Task Throttling_answers_the_next_N_calls_with_ThrottlingException_then_serves_again()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.Throttle(2);

        var first = await EcrCall.SendAsync(emulator, "DescribeRegistry");
        var second = await EcrCall.SendAsync(emulator, "DescribeRegistry");
        var third = await EcrCall.SendAsync(emulator, "DescribeRegistry");

        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal("ThrottlingException", first.ErrorCode);
        Assert.Equal("com.amazon.coral.availability#ThrottlingException", first.Body.GetProperty("__type").GetString());
        Assert.Equal("ThrottlingException", second.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal(3, emulator.Requests.Count);
        Assert.Equal(new[] { "Throttle", "Throttle", null }, emulator.Requests.Entries.Select(e => e.Fault));
    }

    [Fact]
    public async Task A_server_error_is_ServerException_with_HTTP_500_and_changes_nothing()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.ServerError(1);

        var failed = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("ServerException", failed.ErrorCode);
        Assert.Null(emulator.State.PolicyText);
        Assert.Equal(500, emulator.Requests.Entries.Single().Status);
    }

    [Fact]
    public async Task A_dropped_connection_gives_the_client_no_answer_and_changes_nothing()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.DropConnection(1);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
            EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}"));
        var next = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Null(emulator.State.PolicyText);
        Assert.Equal("RegistryPolicyNotFoundException", next.ErrorCode);
        Assert.Equal(0, emulator.Requests.Entries[0].Status);
        Assert.Equal("DropConnection", emulator.Requests.Entries[0].Fault);
    }

    [Fact]
    public async Task Another_writer_lands_right_after_each_of_the_next_N_writes()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.ChangePolicyAfterPut("{\"Version\":\"2012-10-17\",\"Statement\":[]}", count: 2);
        var put = $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}";

        var answer = await EcrCall.OkAsync(emulator, "PutRegistryPolicy", put);
        Assert.Equal(RegistryPolicyTests.PtcPolicy, answer.String("policyText"));
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", emulator.State.PolicyText);
        await EcrCall.OkAsync(emulator, "PutRegistryPolicy", put);
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", emulator.State.PolicyText);
        await EcrCall.OkAsync(emulator, "PutRegistryPolicy", put);
        Assert.Equal(RegistryPolicyTests.PtcPolicy, emulator.State.PolicyText);
    }

    [Fact]
    public async Task Reads_right_after_a_put_can_lag_behind_it_for_N_calls_then_see_it()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.StaleReadsAfterPut(2);
        var put = $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}";

        await EcrCall.OkAsync(emulator, "PutRegistryPolicy", put);
        var first = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        var second = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        var third = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");

        // The registry had no policy before the put: the lagging reads say so, as ECR does.
        Assert.Equal("RegistryPolicyNotFoundException", first.ErrorCode);
        Assert.Equal("RegistryPolicyNotFoundException", second.ErrorCode);
        Assert.Equal(RegistryPolicyTests.PtcPolicy, third.String("policyText"));
        Assert.Equal(RegistryPolicyTests.PtcPolicy, emulator.State.PolicyText);

        // Armed once: the next put is read back at once, and a lag armed again shows the text before that put.
        var next = RegistryPolicyTests.PtcPolicy.Replace("ecr:CreateRepository", "ecr:ReplicateImage", StringComparison.Ordinal);
        emulator.Faults.StaleReadsAfterPut(1);
        await EcrCall.OkAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(next)}}}");
        Assert.Equal(RegistryPolicyTests.PtcPolicy, (await EcrCall.OkAsync(emulator, "GetRegistryPolicy")).String("policyText"));
        Assert.Equal(next, (await EcrCall.OkAsync(emulator, "GetRegistryPolicy")).String("policyText"));
        Assert.Equal(0, emulator.Faults.TakeStaleReadsAfterPut());
    }

    [Fact]
    public async Task A_canned_answer_replaces_the_next_N_calls_of_an_operation_whatever_it_says()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.Respond(new Control.CannedResponse(200, "{\"policyText\":{\"not\":\"text\"}}"), 1, "GetRegistryPolicy");

        var canned = await EcrCall.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, emulator.Endpoint) { Content = new StringContent("{}") { Headers = { ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1") } }, Headers = { { "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.GetRegistryPolicy" } } });
        var served = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(HttpStatusCode.OK, canned.StatusCode);
        Assert.Equal("{\"policyText\":{\"not\":\"text\"}}", await canned.Content.ReadAsStringAsync());
        Assert.Equal("RegistryPolicyNotFoundException", served.ErrorCode);
        Assert.Equal("Respond", emulator.Requests.Entries[0].Fault);
    }

    [Fact]
    public async Task A_dropped_response_loses_the_answer_but_the_write_took_effect()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.DropResponse(1, "PutRegistryPolicy");

        await Assert.ThrowsAnyAsync<HttpRequestException>(() =>
            EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}"));
        var read = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(RegistryPolicyTests.PtcPolicy, read.String("policyText"));
        Assert.Equal("DropResponse", emulator.Requests.Entries[0].Fault);
        Assert.Equal(0, emulator.Requests.Entries[0].Status);
    }

    [Fact]
    public async Task A_delay_holds_the_answer_for_the_given_time_and_only_for_the_given_count()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.Delay(400, count: 1);

        var watch = Stopwatch.StartNew();
        await EcrCall.OkAsync(emulator, "DescribeRegistry");
        var delayed = watch.Elapsed;
        watch.Restart();
        await EcrCall.OkAsync(emulator, "DescribeRegistry");
        var undelayed = watch.Elapsed;

        Assert.True(delayed >= TimeSpan.FromMilliseconds(380), $"delayed call took {delayed}");
        Assert.True(undelayed < TimeSpan.FromMilliseconds(380), $"second call took {undelayed}");
        Assert.Equal("Delay", emulator.Requests.Entries[0].Fault);
    }

    [Fact]
    public async Task A_fault_limited_to_one_operation_lets_the_others_through()
    {
        using var emulator = EcrCall.Start(o => o.SeedJson = JsonSerializer.Serialize(new { policyText = RegistryPolicyTests.PtcPolicy }));
        emulator.Faults.ServerError(1, "PutRegistryPolicy");

        var get = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        var put = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}");
        var putAgain = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(RegistryPolicyTests.PtcPolicy)}}}");

        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal("ServerException", put.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, putAgain.Status);
        Assert.Equal(1, emulator.Requests.CountOf("GetRegistryPolicy"));
        Assert.Equal(2, emulator.Requests.CountOf("PutRegistryPolicy"));
    }

    [Fact]
    public async Task Another_writer_changes_the_policy_right_after_the_next_read()
    {
        const string theirs = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Theirs\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}]}";
        using var emulator = EcrCall.Start(o => o.SeedJson = JsonSerializer.Serialize(new { policyText = RegistryPolicyTests.PtcPolicy }));
        emulator.Faults.ChangePolicyAfterNextGet(theirs);

        var read = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");
        var reread = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");
        var third = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(RegistryPolicyTests.PtcPolicy, read.String("policyText"));
        Assert.Equal(theirs, reread.String("policyText"));
        Assert.Equal(theirs, third.String("policyText"));
    }

    [Fact]
    public async Task Another_writer_can_create_a_policy_after_a_read_found_none()
    {
        using var emulator = EcrCall.Start();
        emulator.Faults.ChangePolicyAfterNextGet(RegistryPolicyTests.PtcPolicy);

        var read = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Equal("RegistryPolicyNotFoundException", read.ErrorCode);
        Assert.Equal(RegistryPolicyTests.PtcPolicy, emulator.State.PolicyText);
    }

    [Fact]
    public async Task A_throttled_read_does_not_consume_the_policy_change()
    {
        using var emulator = EcrCall.Start(o => o.SeedJson = JsonSerializer.Serialize(new { policyText = RegistryPolicyTests.PtcPolicy }));
        emulator.Faults.ChangePolicyAfterNextGet(null);
        emulator.Faults.Throttle(1);

        await EcrCall.SendAsync(emulator, "GetRegistryPolicy");
        Assert.Equal(RegistryPolicyTests.PtcPolicy, emulator.State.PolicyText);
        await EcrCall.OkAsync(emulator, "GetRegistryPolicy");

        Assert.Null(emulator.State.PolicyText);
    }

    [Fact]
    public void Faults_of_several_kinds_fire_in_a_fixed_order_one_per_call()
    {
        var faults = new FaultInjector();
        faults.ServerError(1);
        faults.Throttle(1);
        faults.DropResponse(1);
        faults.DropConnection(1);

        Assert.Equal(FaultKind.DropConnection, faults.Next("GetRegistryPolicy").Kind);
        Assert.Equal(FaultKind.Throttle, faults.Next("GetRegistryPolicy").Kind);
        Assert.Equal(FaultKind.ServerError, faults.Next("GetRegistryPolicy").Kind);
        Assert.Equal(FaultKind.DropResponse, faults.Next("GetRegistryPolicy").Kind);
        Assert.Null(faults.Next("GetRegistryPolicy").Kind);
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(1, 0)]
    public void Nonsense_fault_counts_are_refused(int count, int delayMs)
    {
        var faults = new FaultInjector();
        Assert.Throws<ArgumentOutOfRangeException>(() => faults.Arm(count < 0 ? FaultKind.Throttle : FaultKind.Delay, count, delayMs: delayMs));
    }
}
