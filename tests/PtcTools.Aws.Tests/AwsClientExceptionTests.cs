using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Stores;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>
/// The AWS client's own failures are not policy errors (docs/decisions.md, "Issue 16 item 4 (the rest): the AWS
/// client's failures are AwsClientException"): each class of failure of reaching or authenticating to AWS is an
/// <see cref="AwsClientException"/> with its catalog id, never a <see cref="PolicyException"/>; a service's answer stays
/// the service's type; the stores, the journal and policy text stay the domain's.
/// </summary>
public sealed class AwsClientExceptionTests
{
    [Fact]
    public async Task Region_no_Region_found_and_a_Region_that_is_no_name()
    {
        using var home = new FakeHome();
        var none = await Assert.ThrowsAsync<AwsClientException>(() => RegionChain.ResolveAsync(home.Context(null), null, null, null, null, CancellationToken.None));
        IsClientFailure(none, ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument);
        Assert.Equal(Remedy.GiveRegion, none.Remedy);

        home.Variables["AWS_REGION"] = "not a region";
        var invalid = await Assert.ThrowsAsync<AwsClientException>(() => RegionChain.ResolveAsync(home.Context(null), null, null, null, null, CancellationToken.None));
        IsClientFailure(invalid, ErrorIds.RegionInvalid, PolicyErrorKind.InvalidArgument);
        IsClientFailure(Assert.Throws<AwsClientException>(() => new AwsClientOptions("us-east", EcrClientTests.TestCredentials)), ErrorIds.RegionInvalid, PolicyErrorKind.InvalidArgument);

        // The same name in a policy's ARN is the domain's error: the domain's own check is unchanged.
        Assert.Equal(ErrorIds.RegionInvalid, Assert.Throws<PolicyException>(() => Partitions.FromRegion("not a region")).ErrorId);
    }

    [Fact]
    public async Task Credentials_none_found_half_given_and_a_named_profile_that_is_not_there()
    {
        using var home = new FakeHome();
        var none = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve());
        IsClientFailure(none, ErrorIds.NoCredentials, PolicyErrorKind.PermissionDenied);
        Assert.Equal(Remedy.GiveCredentials, none.Remedy);

        var profile = await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve(new ProfileCredentialSource("missing")));
        IsClientFailure(profile, ErrorIds.AwsProfileNotFound, PolicyErrorKind.ObjectNotFound);
        Assert.Equal(Remedy.CheckCredentials, profile.Remedy);

        home.Variables["AWS_ACCESS_KEY_ID"] = "AKIAHALF";
        IsClientFailure(await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve()), ErrorIds.AwsEnvironmentCredentialsIncomplete, PolicyErrorKind.InvalidArgument);
    }

    [Fact]
    public async Task The_shared_config_file_that_cannot_be_read()
    {
        using var home = new FakeHome();
        home.Config("region = us-east-1\n");

        IsClientFailure(await Assert.ThrowsAsync<AwsClientException>(() => home.Resolve()), ErrorIds.AwsConfigFileInvalid, PolicyErrorKind.InvalidData);
    }

    [Fact]
    public async Task Endpoint_a_malformed_override_and_plain_http_to_a_remote_host()
    {
        IsClientFailure(Assert.Throws<AwsClientException>(() => AwsEndpoints.Override("ftp://host")), ErrorIds.InvalidEndpointUrl, PolicyErrorKind.InvalidArgument);

        var handler = new CountingHandler();
        using var transport = new AwsTransport(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://ecr.internal.example:8080/");
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => transport.SendAsync(request, TimeSpan.FromSeconds(5), CancellationToken.None));

        IsClientFailure(ex, ErrorIds.AwsEndpointNotEncrypted, PolicyErrorKind.InvalidArgument);
        Assert.Equal(Remedy.AllowUnencryptedHttp, ex.Remedy);
        Assert.Equal(0, handler.Sent);
    }

    [Fact]
    public async Task Transport_an_answer_over_the_bound_is_the_clients_and_through_a_service_client_the_services()
    {
        var body = "{\"registryId\":\"123456789012\",\"policyText\":\"" + new string('a', 5000) + "\"}";
        using var server = new LoopbackServer(_ => FakeResponse.Json(body));
        using var transport = new AwsTransport(new HttpClientHandler()) { MaxResponseBytes = 4096 };
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Url + "/");

        IsClientFailure(await Assert.ThrowsAsync<AwsClientException>(() => transport.SendAsync(request, TimeSpan.FromSeconds(5), CancellationToken.None)), ErrorIds.AwsResponseTooLarge, PolicyErrorKind.LimitsExceeded);

        // The service client's catch of it takes the client's type: the call may have been served, which only its exception says.
        var client = new EcrClient(new EcrClientOptions("us-east-1", EcrClientTests.TestCredentials) { EndpointUrl = server.Url, Transport = transport });
        var service = await Assert.ThrowsAsync<EcrException>(() => client.PutRegistryPolicyAsync("{}", CancellationToken.None));
        Assert.Equal(ErrorIds.AwsResponseTooLarge, service.ErrorId);
        Assert.True(service.Indeterminate);
        Assert.IsType<AwsClientException>(service.InnerException);
    }

    [Fact]
    public void Reading_a_credential_sources_answer()
    {
        IsClientFailure(Assert.Throws<AwsClientException>(() => JsonResponse.Parse("[1]", ErrorIds.ContainerCredentialsFailed, "http://127.0.0.1/creds")), ErrorIds.ContainerCredentialsFailed, PolicyErrorKind.InvalidData);
        IsClientFailure(Assert.Throws<AwsClientException>(() => JsonResponse.Parse("{\"AccessKeyId\":1}", ErrorIds.InstanceMetadataCredentialsFailed, "role").String("AccessKeyId")), ErrorIds.InstanceMetadataCredentialsFailed, PolicyErrorKind.InvalidData);
    }

    [Fact]
    public async Task STS_a_refused_AssumeRole_and_role_settings_STS_would_refuse()
    {
        using var home = new FakeHome();
        using var sts = new LoopbackServer(_ => new FakeResponse(403, "<ErrorResponse><Error><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>"));
        var refused = await Assert.ThrowsAsync<AwsClientException>(() => StsClient.AssumeRoleAsync(
            home.Context(), EcrClientTests.TestCredentials, "us-east-1", new Uri(sts.Url + "/"), "arn:aws:iam::123456789012:role/deployer", "session", null, null, "profile 'deploy'", CancellationToken.None));

        IsClientFailure(refused, ErrorIds.AssumeRoleFailed, PolicyErrorKind.PermissionDenied);
        IsClientFailure(Assert.Throws<AwsClientException>(() => new AssumeRoleSettings("bad name", null, null)), ErrorIds.RoleNameInvalid, PolicyErrorKind.InvalidArgument);
    }

    [Fact]
    public void The_stores_the_journal_and_policy_text_stay_the_domains()
    {
        using var home = new FakeHome();
        var journal = Path.Combine(home.Root, "journal.json");
        File.WriteAllText(journal, "{\"format\":\"something else\"}");

        Assert.Equal(ErrorIds.JournalInvalid, Assert.Throws<PolicyException>(() => TargetJournal.Open(journal, "Set", "p", "s")).ErrorId);
        Assert.Equal(ErrorIds.PolicyTextInvalidUnicode, Assert.Throws<PolicyException>(() => PolicyFileSystem.Utf8Bytes("{\"Sid\":\"\uD800\"}", "the policy")).ErrorId);
        Assert.Equal(ErrorIds.AccountIdInvalid, Assert.Throws<PolicyException>(() => RegistryTarget.Product(new[] { "12345" }, new[] { "us-east-1" })).ErrorId);
    }

    private static void IsClientFailure(AwsClientException ex, string errorId, PolicyErrorKind kind)
    {
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
        Assert.IsNotAssignableFrom<PolicyException>(ex);
        Assert.IsNotAssignableFrom<AwsServiceException>(ex);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        public int Sent { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Sent++;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
