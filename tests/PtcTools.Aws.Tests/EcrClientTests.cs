using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;
using Xunit;

namespace PtcTools.Aws.Tests;

public sealed class EcrClientTests
{
    internal static readonly AwsCredentials TestCredentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    internal static EcrClient Client(LoopbackServer server, int maxAttempts = 4, TimeSpan? attemptTimeout = null, List<string>? log = null) =>
        new(new EcrClientOptions("us-east-1", TestCredentials)
        {
            EndpointUrl = server.Url,
            Retry = new RetryPolicy(maxAttempts, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), seed: 1),
            AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(10),
            Log = log is null ? null : m => { lock (log) { log.Add(m); } },
        });

    [Fact]
    public async Task GetRegistryPolicy_sends_a_signed_JSON_1_1_request_and_returns_the_text_as_is()
    {
        const string policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
        using var server = new LoopbackServer(_ => FakeResponse.Json(JsonSerializer.Serialize(new { registryId = "123456789012", policyText = policy })));

        var result = await Client(server).GetRegistryPolicyAsync(CancellationToken.None);

        Assert.Equal("123456789012", result!.RegistryId);
        Assert.Equal(policy, result.PolicyText);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/", request.Path);
        Assert.Equal("{}", request.Body);
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921.GetRegistryPolicy", request.Headers["X-Amz-Target"]);
        Assert.StartsWith("application/x-amz-json-1.1", request.Headers["Content-Type"]);
        Assert.Matches("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/[0-9]{8}/us-east-1/ecr/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$", request.Headers["Authorization"]);
    }

    [Fact]
    public async Task A_registry_without_a_policy_reads_as_null_not_as_an_error()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Error(400, "RegistryPolicyNotFoundException", "The registry doesn't have an associated registry policy."));
        Assert.Null(await Client(server).GetRegistryPolicyAsync(CancellationToken.None));
        Assert.Null(await Client(server).DeleteRegistryPolicyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task DescribeRegistry_sends_an_empty_request_and_returns_the_account()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{\"registryId\":\"123456789012\",\"replicationConfiguration\":{\"rules\":[]}}"));

        Assert.Equal("123456789012", (await Client(server).DescribeRegistryAsync(CancellationToken.None)).RegistryId);
        var request = Assert.Single(server.Requests);
        Assert.Equal("{}", request.Body);
        Assert.Equal("AmazonEC2ContainerRegistry_V20150921.DescribeRegistry", request.Headers["X-Amz-Target"]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"registryId\":null}")]
    [InlineData("{\"registryId\":\"\"}")]
    [InlineData("{\"registryId\":123456789012}")]
    public async Task DescribeRegistry_without_a_registry_id_is_an_error_not_an_empty_account(string body)
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json(body));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).DescribeRegistryAsync(CancellationToken.None));

        Assert.Equal("EcrResponseInvalid", ex.ErrorId);
        Assert.Contains("has no registryId", ex.Message);
    }

    [Fact]
    public async Task PutRegistryPolicy_sends_the_text_unchanged_inside_policyText()
    {
        const string policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Date\",\"Condition\":{\"DateGreaterThan\":{\"aws:CurrentTime\":\"2027-01-31T23:59:59Z\"}}}]}";
        using var server = new LoopbackServer(r => FakeResponse.Json(JsonSerializer.Serialize(new { registryId = "123456789012", policyText = JsonDocument.Parse(r.Body).RootElement.GetProperty("policyText").GetString() })));

        var result = await Client(server).PutRegistryPolicyAsync(policy, CancellationToken.None);

        Assert.Equal(policy, JsonDocument.Parse(Assert.Single(server.Requests).Body).RootElement.GetProperty("policyText").GetString());
        Assert.Equal(policy, result.PolicyText);
    }

    [Fact]
    public async Task DescribePullThroughCacheRules_follows_every_page()
    {
        using var server = new LoopbackServer(r =>
        {
            var token = JsonDocument.Parse(r.Body).RootElement.TryGetProperty("nextToken", out var t) ? t.GetString() : null;
            return token switch
            {
                null => FakeResponse.Json("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"ecr-public\",\"upstreamRegistryUrl\":\"ecr-public.upstream.example\",\"registryId\":\"123456789012\",\"createdAt\":1.7e9}],\"nextToken\":\"p2\"}"),
                "p2" => FakeResponse.Json("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"docker-hub\",\"upstreamRegistry\":\"docker-hub\",\"upstreamRegistryUrl\":\"docker-hub.upstream.example\"}],\"nextToken\":\"p3\"}"),
                _ => FakeResponse.Json("{\"pullThroughCacheRules\":[{\"ecrRepositoryPrefix\":\"quay\",\"upstreamRegistryUrl\":\"quay.upstream.example\"}]}"),
            };
        });

        var rules = await Client(server).DescribePullThroughCacheRulesAsync(null, null, CancellationToken.None);

        Assert.Equal(new[] { "ecr-public", "docker-hub", "quay" }, rules.Select(r => r.EcrRepositoryPrefix));
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), rules[0].CreatedAt);
        Assert.Equal("docker-hub", rules[1].UpstreamRegistry);
    }

    [Fact]
    public async Task A_page_token_handed_out_twice_stops_the_paging_with_an_error()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{\"pullThroughCacheRules\":[],\"nextToken\":\"same\"}"));
        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).DescribePullThroughCacheRulesAsync(null, null, CancellationToken.None));
        Assert.Equal("EcrPageLimitExceeded", ex.ErrorId);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task GetAccountSetting_asks_for_the_named_setting()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":\"V2\"}"));
        Assert.Equal("V2", await Client(server).GetAccountSettingAsync("REGISTRY_POLICY_SCOPE", CancellationToken.None));
        Assert.Equal("{\"name\":\"REGISTRY_POLICY_SCOPE\"}", Assert.Single(server.Requests).Body);
    }

    [Theory]
    [InlineData("InvalidParameterException", 400, "EcrInvalidParameter", PolicyErrorKind.InvalidArgument)]
    [InlineData("ValidationException", 400, "EcrValidationFailed", PolicyErrorKind.InvalidArgument)]
    [InlineData("com.amazonaws.ecr#PullThroughCacheRuleNotFoundException", 400, "PullThroughCacheRuleNotFound", PolicyErrorKind.ObjectNotFound)]
    [InlineData("PullThroughCacheRuleAlreadyExistsException:http://internal.amazon.com/coral", 400, "PullThroughCacheRuleExists", PolicyErrorKind.ResourceExists)]
    [InlineData("LimitExceededException", 400, "EcrLimitExceeded", PolicyErrorKind.LimitsExceeded)]
    [InlineData("UnsupportedUpstreamRegistryException", 400, "UnsupportedUpstreamRegistry", PolicyErrorKind.InvalidArgument)]
    [InlineData("AccessDeniedException", 400, "EcrAccessDenied", PolicyErrorKind.PermissionDenied)]
    [InlineData("UnrecognizedClientException", 400, "AwsCredentialsRejected", PolicyErrorKind.PermissionDenied)]
    [InlineData("InvalidSignatureException", 400, "AwsCredentialsRejected", PolicyErrorKind.PermissionDenied)]
    [InlineData("ExpiredTokenException", 400, "AwsCredentialsExpired", PolicyErrorKind.PermissionDenied)]
    [InlineData("SomethingNewException", 400, "EcrRequestFailed", PolicyErrorKind.InvalidOperation)]
    public async Task A_modelled_error_becomes_its_stable_error_id_without_retrying(string type, int status, string errorId, PolicyErrorKind kind)
    {
        using var server = new LoopbackServer(_ => FakeResponse.Error(status, type, "it went wrong"));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server).PutRegistryPolicyAsync("{}", CancellationToken.None));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.Contains("it went wrong", ex.Message);
        Assert.Contains("req-", ex.Message);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(400, "ThrottlingException")]
    [InlineData(429, "TooManyRequestsException")]
    [InlineData(500, "ServerException")]
    [InlineData(503, "ServiceUnavailable")]
    public async Task A_transient_failure_is_retried_and_recovers_within_the_budget(int status, string type)
    {
        var calls = 0;
        using var server = new LoopbackServer(_ => Interlocked.Increment(ref calls) <= 2
            ? FakeResponse.Error(status, type, "slow down")
            : FakeResponse.Json("{\"registryId\":\"123456789012\",\"policyText\":\"{}\"}"));
        var log = new List<string>();

        var result = await Client(server, maxAttempts: 4, log: log).GetRegistryPolicyAsync(CancellationToken.None);

        Assert.Equal("{}", result!.PolicyText);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, log.Count(l => l.Contains("retrying", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_error_says_how_many_attempts_were_made()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Error(400, "ThrottlingException", "Rate exceeded"));

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server, maxAttempts: 3).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("EcrThrottled", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.LimitsExceeded, ex.Kind);
        Assert.Contains("after 3 attempts", ex.Message);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_and_then_reported_as_a_connection_failure()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Dropped());

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server, maxAttempts: 2).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("EcrConnectionFailed", ex.ErrorId);
        Assert.True(ex.Indeterminate);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_slow_answer_times_out_per_attempt()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{}") with { Delay = TimeSpan.FromSeconds(5) });
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(server, maxAttempts: 2, attemptTimeout: TimeSpan.FromMilliseconds(300)).GetRegistryPolicyAsync(CancellationToken.None));

        Assert.Equal("EcrTimeout", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.OperationTimeout, ex.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(4), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Cancelling_stops_a_call_that_is_waiting_between_retries()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Error(500, "ServerException", "down"));
        var client = new EcrClient(new EcrClientOptions("us-east-1", TestCredentials)
        {
            EndpointUrl = server.Url,
            Retry = new RetryPolicy(50, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), seed: 3),
        });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetRegistryPolicyAsync(cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Session_tokens_are_sent_and_signed()
    {
        using var server = new LoopbackServer(_ => FakeResponse.Json("{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":\"V2\"}"));
        var client = new EcrClient(new EcrClientOptions("us-east-1", new AwsCredentials("ASIAEXAMPLE", "secret", "the-token")) { EndpointUrl = server.Url });

        await client.GetAccountSettingAsync("REGISTRY_POLICY_SCOPE", CancellationToken.None);

        var request = Assert.Single(server.Requests);
        Assert.Equal("the-token", request.Headers["X-Amz-Security-Token"]);
        Assert.Contains("x-amz-security-token", request.Headers["Authorization"]);
    }

    [Theory]
    [InlineData("us-east-1", "https://api.ecr.us-east-1.amazonaws.com/", "aws")]
    [InlineData("eu-central-2", "https://api.ecr.eu-central-2.amazonaws.com/", "aws")]
    [InlineData("cn-north-1", "https://api.ecr.cn-north-1.amazonaws.com.cn/", "aws-cn")]
    [InlineData("cn-northwest-1", "https://api.ecr.cn-northwest-1.amazonaws.com.cn/", "aws-cn")]
    [InlineData("us-gov-west-1", "https://api.ecr.us-gov-west-1.amazonaws.com/", "aws-us-gov")]
    public void Each_partition_has_its_endpoint(string region, string endpoint, string partition)
    {
        Assert.Equal(endpoint, AwsEndpoints.Ecr(region).ToString());
        Assert.Equal(partition, PtcTools.Policy.Model.Partitions.FromRegion(region));
    }

    [Fact]
    public void An_endpoint_url_overrides_the_partition_endpoint()
    {
        Assert.Equal("http://127.0.0.1:4566/", AwsEndpoints.Ecr("eu-west-1", "http://127.0.0.1:4566").ToString());
    }

    [Theory]
    [InlineData("us-east")]
    [InlineData("US-EAST-1")]
    [InlineData("useast1")]
    [InlineData("")]
    public void A_malformed_region_is_refused_with_RegionInvalid(string region)
    {
        var ex = Assert.Throws<AwsClientException>(() => AwsEndpoints.Ecr(region));
        Assert.Equal("RegionInvalid", ex.ErrorId);
    }

    [Theory]
    [InlineData("ftp://host")]
    [InlineData("not a url")]
    public void A_malformed_endpoint_url_is_refused_with_InvalidEndpointUrl(string url)
    {
        Assert.Equal("InvalidEndpointUrl", Assert.Throws<AwsClientException>(() => AwsEndpoints.Ecr("us-east-1", url)).ErrorId);
    }

    [Fact]
    public void Backoff_grows_exponentially_to_its_cap_with_full_jitter()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), seed: 7);
        Assert.Equal(new[] { 100.0, 200, 400, 800, 1000, 1000 }, Enumerable.Range(1, 6).Select(a => policy.Ceiling(a).TotalMilliseconds));
        var delays = Enumerable.Range(0, 200).Select(_ => policy.Delay(4).TotalMilliseconds).ToList();
        Assert.All(delays, d => Assert.InRange(d, 0, 800));
        Assert.True(delays.Min() < 200 && delays.Max() > 600, "full jitter spreads over the whole range");
    }

    [Theory]
    [InlineData(".NET Framework 4.8.9032.0", true)]
    [InlineData(".NET 10.0.0", false)]
    public void TLS_1_2_or_newer_is_required_explicitly_on_NET_Framework(string runtime, bool pinned)
    {
        var protocols = AwsTransport.ProtocolsFor(runtime);
        Assert.Equal(pinned, protocols.HasFlag(System.Security.Authentication.SslProtocols.Tls12));
#pragma warning disable SYSLIB0039
        Assert.False(protocols.HasFlag(System.Security.Authentication.SslProtocols.Tls11));
#pragma warning restore SYSLIB0039
    }

    [Theory]
    [InlineData("accepts-both")]
    [InlineData("accepts-tls12")]
    public void A_handler_that_takes_the_pin_leaves_the_process_setting_alone(string handler)
    {
        var process = System.Net.SecurityProtocolType.SystemDefault;
        var pinned = System.Security.Authentication.SslProtocols.None;

        var note = AwsTransport.RequireTls12(
            p =>
            {
                if (handler == "accepts-tls12" && p != System.Security.Authentication.SslProtocols.Tls12)
                {
                    throw new ArgumentException("unknown protocol"); // a build that does not know TLS 1.3
                }

                pinned = p;
            },
            () => process,
            p => process = p);

        Assert.True(pinned.HasFlag(System.Security.Authentication.SslProtocols.Tls12));
        Assert.Equal(System.Net.SecurityProtocolType.SystemDefault, process);
        Assert.Equal(handler == "accepts-tls12", note is not null && note.Contains("unchanged", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(System.Net.SecurityProtocolType.SystemDefault, System.Net.SecurityProtocolType.SystemDefault)]
    [InlineData(System.Net.SecurityProtocolType.Tls12, System.Net.SecurityProtocolType.Tls12)]
    [InlineData((System.Net.SecurityProtocolType)12288, (System.Net.SecurityProtocolType)12288)]
#pragma warning disable CS0618, SYSLIB0014 // Ssl3 and Tls are what Windows PowerShell 5.1 may still have
    [InlineData(System.Net.SecurityProtocolType.Ssl3 | System.Net.SecurityProtocolType.Tls, System.Net.SecurityProtocolType.Ssl3 | System.Net.SecurityProtocolType.Tls | System.Net.SecurityProtocolType.Tls12)]
#pragma warning restore CS0618, SYSLIB0014
    public void Without_a_handler_pin_the_process_setting_changes_only_when_it_cannot_reach_TLS_1_2(System.Net.SecurityProtocolType before, System.Net.SecurityProtocolType after)
    {
        var process = before;
        var writes = 0;

        var note = AwsTransport.RequireTls12(
            _ => throw new PlatformNotSupportedException("no per-handler protocols"),
            () => process,
            p => { process = p; writes++; });

        Assert.Equal(after, process);
        Assert.Equal(before == after ? 0 : 1, writes);
        Assert.NotNull(note);
        Assert.Contains(before == after ? "unchanged" : "changed it to", note, StringComparison.Ordinal);
        Assert.Contains(before.ToString(), note, StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_the_shared_transport_leaves_the_process_TLS_setting_as_it_was()
    {
#pragma warning disable SYSLIB0014 // the process-wide setting is what the .NET Framework reads
        var before = System.Net.ServicePointManager.SecurityProtocol;
        Assert.NotNull(AwsTransport.Shared);
        Assert.Equal(before, System.Net.ServicePointManager.SecurityProtocol);
#pragma warning restore SYSLIB0014
    }
}
