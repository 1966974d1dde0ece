using System;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Iam;
using PtcTools.Aws.Readiness;
using PtcTools.Aws.SecretsManager;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>The permission set reader over the ECR emulator and moto_server (not on the net472 leg: the emulator is .NET only).</summary>
public sealed class PermissionSetReaderTests : IClassFixture<MotoServer>
{
    private const string Account = "123456789012";
    private const string EcrAll = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}]}";
    private readonly MotoServer _moto;

    public PermissionSetReaderTests(MotoServer moto)
    {
        _moto = moto;
    }

    private AwsClientOptions Options() => new("us-east-1", new AwsCredentials("AKIAMOTOTEST", "moto-secret"))
    {
        EndpointUrl = _moto.Url,
        Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), seed: 3),
    };

    private void SeedRole()
    {
        _moto.Reset();
        _moto.Query("iam", "CreateRole", ("RoleName", "ci-puller"), ("Path", "/ci/"), ("AssumeRolePolicyDocument", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"pullthroughcache.ecr.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"));
        _moto.Query("iam", "PutRolePolicy", ("RoleName", "ci-puller"), ("PolicyName", "pull"), ("PolicyDocument", EcrAll));
        var managed = Regex.Match(_moto.Query("iam", "CreatePolicy", ("PolicyName", "ptc-managed"), ("PolicyDocument", EcrAll)), "<Arn>([^<]+)</Arn>").Groups[1].Value;
        _moto.Query("iam", "AttachRolePolicy", ("RoleName", "ci-puller"), ("PolicyArn", managed));
        var boundary = Regex.Match(_moto.Query("iam", "CreatePolicy", ("PolicyName", "ptc-boundary"), ("PolicyDocument", EcrAll)), "<Arn>([^<]+)</Arn>").Groups[1].Value;
        _moto.Query("iam", "PutRolePermissionsBoundary", ("RoleName", "ci-puller"), ("PermissionsBoundary", boundary));
    }

    [MotoFact]
    public async Task The_reader_answers_not_found_as_absent_a_failed_read_as_unreadable_and_reads_each_document_once()
    {
        SeedRole();
        using var emulator = EcrEmulator.EcrEmulatorServer.Start(new EcrEmulator.EmulatorOptions { AccountId = Account });
        emulator.ArmFaults("{\"throttle\":10,\"operation\":\"DescribeRepositoryCreationTemplates\"}");
        var ecr = new EcrClient(new EcrClientOptions("us-east-1", new AwsCredentials("AKIDPTCTOOLSEXAMPLE", "ptctools/emulator/secret/EXAMPLEKEY"))
        {
            EndpointUrl = emulator.Endpoint.ToString(),
            Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), seed: 1),
        });
        var secrets = new SecretsManagerClient(Options());
        var reader = new PermissionSetReader(ecr, new IamClient(Options()), _ => secrets);

        var role = await reader.IdentityAsync($"arn:aws:iam::{Account}:role/ci/ci-puller", CancellationToken.None);
        var nobody = await reader.IdentityAsync($"arn:aws:iam::{Account}:role/nobody", CancellationToken.None);
        var secret = await reader.SecretAsync($"arn:aws:secretsmanager:us-east-1:{Account}:secret:ecr-pullthroughcache/none-AbCdEf", CancellationToken.None);
        var policy = await reader.RegistryPolicyAsync(CancellationToken.None);
        var templates = await reader.TemplatesAsync(CancellationToken.None);
        var again = await reader.TemplatesAsync(CancellationToken.None);

        Assert.True(role.IsKnown);
        Assert.Equal(2, role.Value!.Policies.Count);
        Assert.NotNull(role.Value.TrustPolicy);
        Assert.NotNull(role.Value.PermissionsBoundary);
        Assert.True(nobody.IsKnown);
        Assert.Null(nobody.Value);
        Assert.True(secret.IsKnown);
        Assert.Null(secret.Value);
        Assert.True(policy.IsKnown);
        Assert.Null(policy.Value);
        Assert.False(templates.IsKnown);
        Assert.Equal("EcrThrottled", templates.ErrorId);
        Assert.Same(templates, again);
        Assert.Equal(2, emulator.Requests.Entries.Count(e => e.Operation == "DescribeRepositoryCreationTemplates"));
    }
}
