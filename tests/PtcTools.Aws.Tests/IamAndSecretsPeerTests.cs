using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Iam;
using PtcTools.Aws.SecretsManager;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>
/// The IAM (Query, XML) and Secrets Manager (JSON 1.1) clients against moto_server 5.2.1, an independent
/// implementation of both, on the one transport: roles and users with inline, attached, group and boundary
/// policies; metadata-only DescribeSecret; and faults: moto's own AccessDenied once it checks signatures and
/// policies (/moto-api/reset-auth), and throttling injected in front of it.
/// </summary>
public sealed class IamAndSecretsPeerTests : IClassFixture<MotoServer>
{
    private const string Account = "123456789012";
    private const string EcrAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";
    private const string Trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"pullthroughcache.ecr.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private readonly MotoServer _moto;

    public IamAndSecretsPeerTests(MotoServer moto)
    {
        _moto = moto;
    }

    private AwsClientOptions Options(string accessKey = "AKIAMOTOTEST", string secret = "moto-secret", AwsTransport? transport = null, int attempts = 3) =>
        new("us-east-1", new AwsCredentials(accessKey, secret))
        {
            EndpointUrl = _moto.Url,
            Retry = new RetryPolicy(attempts, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), seed: 3),
            AttemptTimeout = TimeSpan.FromSeconds(10),
            Transport = transport ?? AwsTransport.Shared,
        };

    private string CreateManagedPolicy(string name, string document) =>
        Regex.Match(_moto.Query("iam", "CreatePolicy", ("PolicyName", name), ("PolicyDocument", document)), "<Arn>([^<]+)</Arn>").Groups[1].Value;

    private void SeedRole()
    {
        _moto.Reset();
        _moto.Query("iam", "CreateRole", ("RoleName", "ci-puller"), ("Path", "/ci/"), ("AssumeRolePolicyDocument", Trust));
        _moto.Query("iam", "PutRolePolicy", ("RoleName", "ci-puller"), ("PolicyName", "pull"), ("PolicyDocument", EcrAll));
        var managed = CreateManagedPolicy("ptc-managed", EcrAll.Replace("ecr:*", "ecr:BatchGetImage"));
        _moto.Query("iam", "AttachRolePolicy", ("RoleName", "ci-puller"), ("PolicyArn", managed));
        var boundary = CreateManagedPolicy("ptc-boundary", EcrAll);
        _moto.Query("iam", "PutRolePermissionsBoundary", ("RoleName", "ci-puller"), ("PermissionsBoundary", boundary));
    }

    [MotoFact]
    public async Task A_role_is_read_with_its_trust_inline_attached_and_boundary_policies_decoded()
    {
        SeedRole();

        var identity = await IamIdentityReader.ReadAsync(new IamClient(Options()), $"arn:aws:iam::{Account}:role/ci/ci-puller", CancellationToken.None);

        Assert.True(identity.IsRole);
        Assert.Equal($"arn:aws:iam::{Account}:role/ci/ci-puller", identity.Arn);
        Assert.Equal(Trust, Policy.Model.PolicyDocument.Parse(identity.TrustPolicy!).ToCompactJson());
        Assert.Equal(new[] { "pull", "ptc-managed" }, identity.Policies.Select(p => p.Name));
        Assert.Equal(EcrAll, Policy.Model.PolicyDocument.Parse(identity.Policies[0].Text).ToCompactJson());
        Assert.Contains("managed policy arn:aws:iam::123456789012:policy/ptc-managed", identity.Policies[1].Source);
        Assert.Equal("ptc-boundary", identity.PermissionsBoundary!.Name);
    }

    [MotoFact]
    public async Task An_assumed_role_session_reads_its_role()
    {
        SeedRole();

        var identity = await IamIdentityReader.ReadAsync(new IamClient(Options()), $"arn:aws:sts::{Account}:assumed-role/ci-puller/build-42", CancellationToken.None);

        Assert.Equal("ci-puller", identity.Name);
        Assert.Equal(2, identity.Policies.Count);
    }

    [MotoFact]
    public async Task A_user_is_read_with_its_own_and_its_groups_policies()
    {
        _moto.Reset();
        _moto.Query("iam", "CreateUser", ("UserName", "alice"));
        _moto.Query("iam", "PutUserPolicy", ("UserName", "alice"), ("PolicyName", "own"), ("PolicyDocument", EcrAll));
        _moto.Query("iam", "CreateGroup", ("GroupName", "devs"));
        _moto.Query("iam", "CreateGroup", ("GroupName", "others"));
        _moto.Query("iam", "AddUserToGroup", ("GroupName", "devs"), ("UserName", "alice"));
        _moto.Query("iam", "PutGroupPolicy", ("GroupName", "devs"), ("PolicyName", "team"), ("PolicyDocument", EcrAll));
        _moto.Query("iam", "PutGroupPolicy", ("GroupName", "others"), ("PolicyName", "not-hers"), ("PolicyDocument", EcrAll));
        var managed = CreateManagedPolicy("team-managed", EcrAll);
        _moto.Query("iam", "AttachGroupPolicy", ("GroupName", "devs"), ("PolicyArn", managed));

        var identity = await IamIdentityReader.ReadAsync(new IamClient(Options()), $"arn:aws:iam::{Account}:user/alice", CancellationToken.None);

        Assert.False(identity.IsRole);
        Assert.Equal(new[] { "own", "team", "team-managed" }, identity.Policies.Select(p => p.Name));
        Assert.Equal("inline policy of group devs", identity.Policies[1].Source);
        Assert.Null(identity.PermissionsBoundary);
    }

    [MotoFact]
    public async Task A_role_that_does_not_exist_is_IamEntityNotFound()
    {
        _moto.Reset();

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => new IamClient(Options()).GetRoleAsync("nobody", CancellationToken.None));

        Assert.Equal("IamEntityNotFound", ex.ErrorId);
        Assert.Equal("NoSuchEntity", ex.AwsCode);
        Assert.StartsWith("IAM GetRole failed: NoSuchEntity:", ex.Message);
    }

    [MotoFact]
    public async Task DescribeSecret_gives_the_metadata_and_a_deletion_date_but_never_the_value()
    {
        _moto.Reset();
        const string key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        _moto.Json("secretsmanager", "secretsmanager.CreateSecret", "{\"Name\":\"ecr-pullthroughcache/docker-hub\",\"SecretString\":\"{\\\"username\\\":\\\"u\\\",\\\"accessToken\\\":\\\"do-not-read\\\"}\",\"KmsKeyId\":\"" + key + "\"}");
        var client = new SecretsManagerClient(Options());
        var log = new ConcurrentQueue<string>();

        var secret = await client.DescribeSecretAsync("ecr-pullthroughcache/docker-hub", CancellationToken.None);
        _moto.Json("secretsmanager", "secretsmanager.DeleteSecret", "{\"SecretId\":\"ecr-pullthroughcache/docker-hub\",\"RecoveryWindowInDays\":7}");
        var deleted = await client.DescribeSecretAsync(secret.Arn, CancellationToken.None);

        Assert.Matches("^arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-.{6}$", secret.Arn);
        Assert.Equal("ecr-pullthroughcache/docker-hub", secret.Name);
        Assert.Equal(key, secret.KmsKeyId);
        Assert.Null(secret.DeletedDate);
        Assert.NotNull(deleted.DeletedDate);
        Assert.DoesNotContain(typeof(SecretsManagerClient).GetMethods(), m => m.Name.Contains("Value", StringComparison.Ordinal));
    }

    [MotoFact]
    public async Task A_secret_that_does_not_exist_is_SecretNotFound()
    {
        _moto.Reset();

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => new SecretsManagerClient(Options()).DescribeSecretAsync("ecr-pullthroughcache/nope", CancellationToken.None));

        Assert.Equal("SecretNotFound", ex.ErrorId);
        Assert.Equal(Policy.PolicyErrorKind.ObjectNotFound, ex.Kind);
    }

    [MotoFact]
    public async Task When_moto_checks_signatures_and_policies_a_reader_gets_IAM_and_AccessDenied_for_the_secret()
    {
        // A user allowed to read IAM but not Secrets Manager: moto verifies our SigV4 signature with the user's key
        // and evaluates the user's policy, as AWS would; the refusal is moto's own AccessDeniedException.
        SeedRole();
        _moto.Query("iam", "CreateUser", ("UserName", "reader"));
        _moto.Query("iam", "PutUserPolicy", ("UserName", "reader"), ("PolicyName", "read-iam"),
            ("PolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"iam:Get*\",\"iam:List*\"],\"Resource\":\"*\"}]}"));
        var created = _moto.Query("iam", "CreateAccessKey", ("UserName", "reader"));
        var accessKey = Regex.Match(created, "<AccessKeyId>([^<]+)</AccessKeyId>").Groups[1].Value;
        var secret = Regex.Match(created, "<SecretAccessKey>([^<]+)</SecretAccessKey>").Groups[1].Value;
        _moto.Json("secretsmanager", "secretsmanager.CreateSecret", "{\"Name\":\"ecr-pullthroughcache/quay\",\"SecretString\":\"x\"}");
        _moto.EnforceSignatures();
        try
        {
            var role = await new IamClient(Options(accessKey, secret)).GetRoleAsync("ci-puller", CancellationToken.None);
            var denied = await Assert.ThrowsAsync<AwsServiceException>(() => new SecretsManagerClient(Options(accessKey, secret)).DescribeSecretAsync("ecr-pullthroughcache/quay", CancellationToken.None));
            var wrongKey = await Assert.ThrowsAsync<AwsServiceException>(() => new IamClient(Options(accessKey, "not-the-secret")).GetRoleAsync("ci-puller", CancellationToken.None));

            Assert.Equal("ci-puller", role.RoleName);
            Assert.Equal("SecretsManagerAccessDenied", denied.ErrorId);
            Assert.Equal(Policy.PolicyErrorKind.PermissionDenied, denied.Kind);
            Assert.Equal("AwsCredentialsRejected", wrongKey.ErrorId);
        }
        finally
        {
            _moto.RelaxSignatures();
        }
    }

    [MotoFact]
    public async Task Throttling_in_front_of_moto_is_retried_within_the_budget_and_reported_after_it()
    {
        SeedRole();
        using var twice = new AwsTransport(new ThrottleFirst(2));
        using var always = new AwsTransport(new ThrottleFirst(int.MaxValue));

        var role = await new IamClient(Options(transport: twice, attempts: 3)).GetRoleAsync("ci-puller", CancellationToken.None);
        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => new IamClient(Options(transport: always, attempts: 3)).GetRoleAsync("ci-puller", CancellationToken.None));

        Assert.Equal("ci-puller", role.RoleName);
        Assert.Equal("IamThrottled", ex.ErrorId);
        Assert.Contains("Gave up after 3 attempts", ex.Message);
    }

    [Theory]
    [InlineData("us-east-1", "https://iam.amazonaws.com/", "us-east-1")]
    [InlineData("eu-west-1", "https://iam.amazonaws.com/", "us-east-1")]
    [InlineData("cn-northwest-1", "https://iam.cn-north-1.amazonaws.com.cn/", "cn-north-1")]
    [InlineData("us-gov-east-1", "https://iam.us-gov.amazonaws.com/", "us-gov-west-1")]
    public void IAM_has_one_endpoint_and_signing_Region_per_partition(string region, string endpoint, string signing)
    {
        Assert.Equal(endpoint, AwsEndpoints.Iam(region).ToString());
        Assert.Equal(signing, AwsEndpoints.IamSigningRegion(region));
        Assert.Equal($"https://secretsmanager.{region}.{AwsEndpoints.DnsSuffix(region)}/", AwsEndpoints.SecretsManager(region).ToString());
    }

    /// <summary>Answers the first N requests with IAM's Throttling error, then passes requests on to the real handler.</summary>
    private sealed class ThrottleFirst : DelegatingHandler
    {
        private int _left;

        public ThrottleFirst(int count)
            : base(new HttpClientHandler { UseProxy = false })
        {
            _left = count;
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _left) >= 0)
            {
                const string body = "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttled</RequestId></ErrorResponse>";
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent(body, Encoding.UTF8, "text/xml") });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
