using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Stores;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>
/// moto_server as an independent peer for what moto 5.2.1 covers: registry policies with replication
/// statements, and STS AssumeRole for the role_arn profile path. moto 5.2.1 still rejects
/// ecr:BatchImportUpstreamImage in a registry policy and has no pull through cache operations; that
/// gap is why tests/EcrEmulator exists, and the PTC paths are tested against it instead.
/// </summary>
public sealed class MotoPeerTests : IClassFixture<MotoServer>
{
    private const string Replication = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReplicationFromSource\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"],\"Resource\":\"arn:aws:ecr:us-west-2:123456789012:repository/*\"}]}";
    private readonly MotoServer _moto;

    public MotoPeerTests(MotoServer moto)
    {
        _moto = moto;
    }

    private EcrClient Client() => new(new EcrClientOptions("us-west-2", new AwsCredentials("AKIAMOTOTEST", "moto-secret"))
    {
        EndpointUrl = _moto.Url,
        Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20)),
    });

    [MotoFact]
    public async Task The_client_puts_reads_and_deletes_a_replication_registry_policy_on_moto()
    {
        _moto.Reset();
        var client = Client();
        Assert.Null(await client.GetRegistryPolicyAsync(CancellationToken.None));

        var put = await client.PutRegistryPolicyAsync(Replication, CancellationToken.None);
        var got = await client.GetRegistryPolicyAsync(CancellationToken.None);
        var deleted = await client.DeleteRegistryPolicyAsync(CancellationToken.None);

        Assert.Matches("^[0-9]{12}$", put.RegistryId);
        Assert.Equal(Replication, put.PolicyText);
        Assert.Equal(Replication, got!.PolicyText);
        Assert.Equal(Replication, deleted!.PolicyText);
        Assert.Null(await client.GetRegistryPolicyAsync(CancellationToken.None));
    }

    [MotoFact]
    public async Task The_safe_writer_creates_then_skips_then_refuses_a_concurrent_change_on_moto()
    {
        _moto.Reset();
        var backups = Path.Combine(Path.GetTempPath(), "ptctools-moto-" + Guid.NewGuid().ToString("N"));
        var store = new EcrRegistryPolicyStore(Client());
        var writer = new SafePolicyWriter(backups);
        try
        {
            var created = await writer.WriteAsync(store, PolicyDocument.Parse(Replication), Replication, new ReadState(false, null, "us-west-2", null), false, CancellationToken.None);
            var again = await writer.WriteAsync(store, PolicyDocument.Parse(Replication), Replication, new ReadState(true, Replication, "us-west-2", null), false, CancellationToken.None);

            // Someone else writes between our read and our write.
            var other = Replication.Replace("ReplicationFromSource", "SomeoneElse");
            await Client().PutRegistryPolicyAsync(other, CancellationToken.None);
            var mine = Replication.Replace("ReplicationFromSource", "Mine");
            var ex = await Assert.ThrowsAsync<Policy.PolicyException>(() =>
                writer.WriteAsync(store, PolicyDocument.Parse(mine), mine, new ReadState(true, Replication, "us-west-2", null), false, CancellationToken.None));

            Assert.Equal(WriteStatus.Created, created.Status);
            Assert.Equal(WriteStatus.Unchanged, again.Status);
            Assert.Equal("RegistryPolicyChangedSinceRead", ex.ErrorId);
            Assert.Equal(other, (await Client().GetRegistryPolicyAsync(CancellationToken.None))!.PolicyText);
        }
        finally
        {
            if (Directory.Exists(backups))
            {
                Directory.Delete(backups, true);
            }
        }
    }

    [MotoFact]
    public async Task Moto_refuses_a_pull_through_cache_action_and_the_client_reports_it_as_EcrInvalidParameter()
    {
        // moto 5.2.1 allows only ReplicateImage and CreateRepository in a registry policy; real ECR (V2 scope) accepts
        // ecr:BatchImportUpstreamImage. This pins the gap the emulator fills, and checks the error mapping against a peer.
        _moto.Reset();
        var ptc = Replication.Replace("\"ecr:ReplicateImage\"", "\"ecr:BatchImportUpstreamImage\"");

        var ex = await Assert.ThrowsAsync<EcrException>(() => Client().PutRegistryPolicyAsync(ptc, CancellationToken.None));

        Assert.Equal("EcrInvalidParameter", ex.ErrorId);
        Assert.Equal("InvalidParameterException", ex.AwsCode);
    }

    [MotoFact]
    public async Task A_role_arn_profile_assumes_its_role_through_moto_STS()
    {
        using var home = new FakeHome();
        home.Variables["AWS_ENDPOINT_URL_STS"] = _moto.Url;
        home.Config("[profile deploy]\nrole_arn = arn:aws:iam::123456789012:role/deployer\nsource_profile = base\nregion = us-west-2\nduration_seconds = 900\n");
        home.Credentials("[base]\naws_access_key_id = AKIAMOTOBASE\naws_secret_access_key = moto-base-secret\n");

        var found = await home.Resolve(new ProfileCredentialSource("deploy"));

        Assert.StartsWith("ASIA", found.AccessKeyId);
        Assert.NotEqual("AKIAMOTOBASE", found.AccessKeyId);
        Assert.False(string.IsNullOrEmpty(found.SessionToken));
        Assert.NotNull(found.Expiration);
        Assert.Equal("profile 'deploy' (role_arn)", found.Source);
    }
}
