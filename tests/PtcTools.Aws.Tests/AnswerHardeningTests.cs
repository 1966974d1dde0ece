using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>Issue 18, items 3, 5, 6 and 9: what a server answers is bounded, typed and cleaned; writes are never resent blindly.</summary>
public sealed class AnswerHardeningTests
{
    private static EcrClient Client(LoopbackServer server, AwsTransport? transport = null, int maxAttempts = 4) =>
        new(new EcrClientOptions("us-east-1", EcrClientTests.TestCredentials)
        {
            EndpointUrl = server.Url,
            Retry = new RetryPolicy(maxAttempts, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), seed: 1),
            AttemptTimeout = TimeSpan.FromSeconds(10),
            Transport = transport ?? AwsTransport.Shared,
        });

    [Theory]
    [InlineData("{\"registryId\":\"123456789012\",\"policyText\":{\"Version\":\"2012-10-17\"}}", "'policyText' is an object, not a string")]
    [InlineData("{\"registryId\":\"123456789012\",\"policyText\":42}", "'policyText' is a number, not a string")]
    [InlineData("{\"registryId\":[\"123456789012\"],\"policyText\":\"{}\"}", "'registryId' is an array, not a string")]
    [InlineData("{\"registryId\":\"123456789012\"}", "it has no policyText")]
    [InlineData("{\"registryId\":\"123456789012\",\"policyText\":null}", "it has no policyText")]
    [InlineData("[1,2]", "not a JSON object")]
    public async Task A_malformed_GetRegistryPolicy_answer_is_EcrResponseInvalid_not_a_cast_exception_or_an_empty_policy(string body, string reason)
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json(body));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("EcrResponseInvalid", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidData, ex.Kind);
        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain("changed since", ex.Message);
        Assert.DoesNotContain("text is empty", ex.Message);
    }

    [Theory]
    [InlineData("{\"pullThroughCacheRules\":[1,2]}", "'pullThroughCacheRules[0]' is a number, not an object")]
    [InlineData("{\"pullThroughCacheRules\":{\"a\":1}}", "'pullThroughCacheRules' is an object, not a list")]
    [InlineData("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"a\",\"createdAt\":1e300}]}", "'createdAt' is 1E+300, not a time")]
    [InlineData("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"a\",\"createdAt\":-1e300}]}", "not a time")]
    [InlineData("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"a\",\"updatedAt\":true}]}", "'updatedAt' is a boolean, not a time")]
    [InlineData("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":7}]}", "'ecrRepositoryPrefix' is a number, not a string")]
    [InlineData("{\"pullThroughCacheRules\":[],\"nextToken\":{\"t\":1}}", "'nextToken' is an object, not a string")]
    public async Task A_malformed_rule_listing_is_EcrResponseInvalid(string body, string reason)
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json(body));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).DescribePullThroughCacheRulesAsync(null, null, CancellationToken.None));

        Assert.Equal("EcrResponseInvalid", ex.ErrorId);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public async Task A_server_that_hands_out_a_new_page_token_forever_is_stopped_at_the_page_limit()
    {
        var page = 0;
        using var server = new LoopbackServer(_ => FakeResponse.Json($"{{\"pullThroughCacheRules\":[],\"nextToken\":\"t{Interlocked.Increment(ref page)}\"}}"));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).DescribePullThroughCacheRulesAsync(null, null, CancellationToken.None));

        Assert.Equal("EcrPageLimitExceeded", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.LimitsExceeded, ex.Kind);
        Assert.Equal(EcrClient.MaxPages, server.Requests.Count);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_answer_over_the_size_bound_is_AwsResponseTooLarge_whether_or_not_it_declares_its_length(bool unsized)
    {
        var body = "{\"registryId\":\"123456789012\",\"policyText\":\"" + new string('a', 5000) + "\"}";
        using var server = new LoopbackServer(_ => FakeResponse.Json(body) with { Unsized = unsized });
        using var transport = new AwsTransport(new HttpClientHandler()) { MaxResponseBytes = 4096 };

        var ex = await Assert.ThrowsAnyAsync<PtcToolsException>(() => Client(server, transport).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("AwsResponseTooLarge", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.LimitsExceeded, ex.Kind);
        Assert.Contains("4,096 bytes", ex.Message);
    }

    [Fact]
    public async Task An_answer_within_the_bound_is_read_whole_without_a_declared_length()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{\"registryId\":\"123456789012\",\"policyText\":\"{}\"}") with { Unsized = true });
        using var transport = new AwsTransport(new HttpClientHandler()) { MaxResponseBytes = 4096 };

        Assert.Equal("{}", (await Client(server, transport).GetRegistryPolicyAsync(CancellationToken.None))!.PolicyText);
    }

    [Fact]
    public void The_default_bound_is_far_above_any_answer_and_far_below_what_exhausts_memory()
    {
        Assert.Equal(16 * 1024 * 1024, AwsTransport.Shared.MaxResponseBytes);
    }

    [Fact]
    public async Task An_error_message_is_cut_to_a_readable_length_and_stripped_of_control_characters()
    {
        var message = "\u001b[2J\u001b[31mAccess denied\u0007\r\u202eevil" + new string('x', 200_000);
        using var server = new LoopbackServer(_ => FakeResponse.Error(400, "AccessDeniedException", message));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("EcrAccessDenied", ex.ErrorId);
        Assert.True(ex.Message.Length < 1400, $"{ex.Message.Length} characters");
        Assert.DoesNotContain(ex.Message, c => c < ' ' || c is '\u007f' or '\u202e');
        Assert.Contains("Access denied", ex.Message);
        Assert.Contains("more characters)", ex.Message);
    }

    [Fact]
    public async Task An_answer_that_is_not_UTF_8_is_EcrResponseInvalid_not_replacement_characters()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"registryId\":\"123456789012\",\"policyText\":\"{\\\"Sid\\\":\\\"X\"}").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\\\"}\"}")).ToArray();
        using var server = new LoopbackServer(_ => FakeResponse.Json(string.Empty) with { RawBody = bytes });

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("EcrResponseInvalid", ex.ErrorId);
        Assert.Contains("not valid UTF-8", ex.Message);
    }

    [Fact]
    public async Task A_lone_surrogate_is_refused_before_anything_is_sent()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{}"));

        var ex = await Assert.ThrowsAnyAsync<PtcToolsException>(() => Client(server).PutRegistryPolicyAsync("{\"Sid\":\"\ud800\"}", CancellationToken.None));

        Assert.Equal("PolicyTextInvalidUnicode", ex.ErrorId);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_put_whose_answer_is_lost_is_not_sent_again()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Dropped());

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).PutRegistryPolicyAsync("{}", CancellationToken.None));

        Assert.True(ex.Indeterminate);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(500, "ServerException")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task A_put_answered_with_a_server_error_is_not_sent_again_either(int status, string type)
    {
        using var server = new LoopbackServer(_ => FakeResponse.Error(status, type, "down"));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).PutRegistryPolicyAsync("{}", CancellationToken.None));

        Assert.True(ex.Indeterminate);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_throttled_put_was_not_applied_and_is_retried()
    {
        var calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) <= 2
            ? FakeResponse.Error(400, "ThrottlingException", "slow down")
            : FakeResponse.Json("{\"registryId\":\"123456789012\",\"policyText\":\"{}\"}"));

        await Client(server).PutRegistryPolicyAsync("{}", CancellationToken.None);

        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_put_whose_answer_is_too_large_may_have_landed()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{\"policyText\":\"" + new string('a', 5000) + "\"}"));
        using var transport = new AwsTransport(new HttpClientHandler()) { MaxResponseBytes = 4096 };

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server, transport).PutRegistryPolicyAsync("{}", CancellationToken.None));

        Assert.Equal("AwsResponseTooLarge", ex.ErrorId);
        Assert.True(ex.Indeterminate);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData("http://ecr.internal.example:8080")]
    [InlineData("http://10.0.0.5")]
    public async Task Plain_http_to_a_host_that_is_not_loopback_is_refused_before_anything_is_sent(string endpoint)
    {
        var handler = new RecordingHandler();
        using var transport = new AwsTransport(handler);
        var client = new EcrClient(new EcrClientOptions("us-east-1", EcrClientTests.TestCredentials) { EndpointUrl = endpoint, Transport = transport });

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => client.GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("AwsEndpointNotEncrypted", ex.ErrorId);
        Assert.Equal(Remedy.AllowUnencryptedHttp, ex.Remedy);
        Assert.Empty(handler.Seen);
    }

    [Fact]
    public async Task Plain_http_to_another_host_is_sent_when_the_caller_allows_it()
    {
        var handler = new RecordingHandler();
        using var transport = new AwsTransport(handler);
        var client = new EcrClient(new EcrClientOptions("us-east-1", EcrClientTests.TestCredentials) { EndpointUrl = "http://ecr.internal.example:8080", Transport = transport, AllowUnencryptedHttp = true });

        await client.GetAccountSettingAsync("REGISTRY_POLICY_SCOPE", CancellationToken.None);

        Assert.Equal("http://ecr.internal.example:8080/", Assert.Single(handler.Seen).ToString());
    }

    [Theory]
    [InlineData("http://127.0.0.1:1/", false)]
    [InlineData("http://localhost:1/", false)]
    [InlineData("http://[::1]:1/", false)]
    [InlineData("https://api.ecr.us-east-1.amazonaws.com/", false)]
    [InlineData("http://api.ecr.us-east-1.amazonaws.com/", true)]
    [InlineData("http://169.254.170.2/", true)]
    public void Only_plain_http_off_loopback_counts_as_unencrypted(string url, bool unencrypted)
    {
        Assert.Equal(unencrypted, AwsTransport.IsUnencryptedRemote(new Uri(url)));
    }

    [Theory]
    [InlineData("plain message", "plain message")]
    [InlineData("a\u001b[31mred\u001b[0m b", "a [31mred [0m b")]
    [InlineData("line one\r\nline two\ttab", "line one line two tab")]
    [InlineData("\u202eoverride\u2066isolate\u200bzero", "override isolate zero")]
    public void Server_text_loses_its_control_characters(string text, string shown)
    {
        Assert.Equal(shown, ServerText.Clean(text));
    }

    [Fact]
    public void A_lone_surrogate_in_server_text_is_dropped()
    {
        // Built at run time: an attribute argument cannot carry a lone surrogate.
        Assert.Equal("lone", ServerText.Clean(new string('\ud800', 1) + "lone"));
    }

    [Fact]
    public void Server_text_is_cut_at_the_bound_saying_how_much_was_left_out()
    {
        Assert.Equal("abcde… (5 more characters)", ServerText.Clean("abcdefghij", 5));
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (Seen)
            {
                Seen.Add(request.RequestUri!);
            }

            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"value\":\"V2\"}") });
        }
    }
}
