using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EcrEmulator;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>The client and the safe writer against the in-process ECR emulator, which verifies SigV4 and injects faults.</summary>
public sealed class EmulatorTests : IDisposable
{
    private const string Ptc = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PullThroughCache\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci-puller\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}]}";
    private const string Replication = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Replication\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\"}]}";
    private readonly EcrEmulatorServer _emulator = EcrEmulatorServer.Start(new EmulatorOptions());
    private readonly string _backups = Path.Combine(Path.GetTempPath(), "ptctools-emulator-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _emulator.Dispose();
        if (Directory.Exists(_backups))
        {
            Directory.Delete(_backups, true);
        }
    }

    private EcrClient Client(string accessKey = "AKIDPTCTOOLSEXAMPLE", string secret = "ptctools/emulator/secret/EXAMPLEKEY", string? token = null, int attempts = 4, Uri? endpoint = null) =>
        new(new EcrClientOptions("us-east-1", new AwsCredentials(accessKey, secret, token))
        {
            EndpointUrl = (endpoint ?? _emulator.Endpoint).ToString(),
            Retry = new RetryPolicy(attempts, TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), seed: 5),
            AttemptTimeout = TimeSpan.FromSeconds(5),
        });

    [Fact]
    public async Task The_emulator_accepts_our_signature_for_every_operation()
    {
        var client = Client();
        Assert.Null(await client.GetRegistryPolicyAsync(CancellationToken.None));
        Assert.Equal(Ptc, (await client.PutRegistryPolicyAsync(Ptc, CancellationToken.None)).PolicyText);
        Assert.Equal("111122223333", (await client.GetRegistryPolicyAsync(CancellationToken.None))!.RegistryId);
        Assert.Equal("V2", await client.GetAccountSettingAsync("REGISTRY_POLICY_SCOPE", CancellationToken.None));
        var rule = await client.CreatePullThroughCacheRuleAsync(new PullThroughCacheRule { EcrRepositoryPrefix = "ecr-public", UpstreamRegistryUrl = "ecr-public.upstream.example" }, CancellationToken.None);
        Assert.Equal("ecr-public", rule.UpstreamRegistry);
        Assert.Equal("ecr-public", Assert.Single(await client.DescribePullThroughCacheRulesAsync(null, null, CancellationToken.None)).EcrRepositoryPrefix);
        Assert.Equal(Ptc, (await client.DeleteRegistryPolicyAsync(CancellationToken.None))!.PolicyText);
        Assert.All(_emulator.Requests.Entries, e => Assert.True(e.Status == 200 || e.ErrorCode == "RegistryPolicyNotFoundException", $"{e.Operation}: {e.ErrorCode}"));
    }

    [Fact]
    public async Task Session_credentials_are_accepted_and_a_wrong_secret_is_AwsCredentialsRejected()
    {
        Assert.Null(await Client("ASIAPTCTOOLSEXAMPLE", "ptctools/emulator/session/EXAMPLEKEY", TestCredential.Session.SessionToken).GetRegistryPolicyAsync(CancellationToken.None));
        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(secret: "wrong").GetRegistryPolicyAsync(CancellationToken.None));
        Assert.Equal("AwsCredentialsRejected", ex.ErrorId);
        Assert.Equal("InvalidSignatureException", ex.AwsCode);
    }

    [Fact]
    public async Task Every_page_of_rules_is_read()
    {
        var client = Client();
        foreach (var i in Enumerable.Range(1, 230))
        {
            await client.CreatePullThroughCacheRuleAsync(new PullThroughCacheRule { EcrRepositoryPrefix = $"team{i:d3}", UpstreamRegistryUrl = "ecr-public.upstream.example" }, CancellationToken.None);
        }

        var rules = await client.DescribePullThroughCacheRulesAsync(null, null, CancellationToken.None);

        Assert.Equal(230, rules.Select(r => r.EcrRepositoryPrefix).Distinct().Count());
        Assert.Equal(3, _emulator.Requests.CountOf("DescribePullThroughCacheRules"));
    }

    [Theory]
    [InlineData("throttle", 3)]
    [InlineData("serverError", 3)]
    [InlineData("dropResponse", 1)]
    public async Task A_write_recovers_from_faults_within_the_retry_budget_sending_no_write_that_landed_again(string fault, int puts)
    {
        // Throttling and a server error say "not done", so the write is sent again; a lost answer is read, and it had landed.
        _emulator.ArmFaults($"{{\"{fault}\":2,\"operation\":\"PutRegistryPolicy\"}}");

        var outcome = await new SafePolicyWriter(_backups).WriteAsync(Store(Client()), PolicyDocument.Parse(Ptc), Ptc, new ReadState(false, null, "us-east-1", null), false, CancellationToken.None);

        Assert.Equal(WriteStatus.Created, outcome.Status);
        Assert.Equal(Ptc, _emulator.State.PolicyText);
        Assert.Equal(puts, _emulator.Requests.CountOf("PutRegistryPolicy"));
    }

    [Fact]
    public async Task Faults_beyond_the_retry_budget_give_the_last_error()
    {
        _emulator.Faults.Throttle(10, "GetRegistryPolicy");
        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(attempts: 3).GetRegistryPolicyAsync(CancellationToken.None));
        Assert.Equal("EcrThrottled", ex.ErrorId);
        Assert.Equal(3, _emulator.Requests.CountOf("GetRegistryPolicy"));
    }

    [Fact]
    public async Task A_concurrent_change_is_detected_and_nothing_is_overwritten()
    {
        _emulator.State.PolicyText = Replication;
        var client = Client();

        // Someone else writes right after our read is answered. (A write landing between the writer's own
        // last read and its PutRegistryPolicy cannot be detected: ECR has no conditional put.)
        _emulator.Faults.ChangePolicyAfterNextGet(Replication.Replace("Replication", "SomeoneElse"));
        var read = await new EcrRegistryPolicyStore(client).ReadAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<PolicyException>(() =>
            new SafePolicyWriter(_backups).WriteAsync(new EcrRegistryPolicyStore(client), PolicyDocument.Parse(Ptc), Ptc, new ReadState(read.Exists, read.Text, "us-east-1", null), false, CancellationToken.None));

        Assert.Equal("RegistryPolicyChangedSinceRead", ex.ErrorId);
        Assert.Contains("SomeoneElse", _emulator.State.PolicyText);
        Assert.Equal(0, _emulator.Requests.CountOf("PutRegistryPolicy"));
    }

    [Fact]
    public async Task DescribeRegistry_names_the_account_the_credentials_act_on()
    {
        using var other = EcrEmulatorServer.Start(new EmulatorOptions { AccountId = "444455556666" });

        Assert.Equal("111122223333", (await Client().DescribeRegistryAsync(CancellationToken.None)).RegistryId);
        Assert.Equal("444455556666", (await Client(endpoint: other.Endpoint).DescribeRegistryAsync(CancellationToken.None)).RegistryId);
    }

    [Fact]
    public async Task A_registry_without_a_policy_still_reads_with_its_account()
    {
        var read = await new EcrRegistryPolicyStore(Client()).ReadAsync(CancellationToken.None);

        Assert.False(read.Exists);
        Assert.Equal("111122223333", read.RegistryId);
        Assert.Equal(1, _emulator.Requests.CountOf("DescribeRegistry"));
    }

    [Fact]
    public async Task The_account_is_described_once_per_store_and_not_at_all_when_the_policy_names_it()
    {
        var store = new EcrRegistryPolicyStore(Client());
        await store.ReadAsync(CancellationToken.None);
        await store.ReadAsync(CancellationToken.None);
        _emulator.State.PolicyText = Ptc;
        await new EcrRegistryPolicyStore(Client()).ReadAsync(CancellationToken.None);

        Assert.Equal(1, _emulator.Requests.CountOf("DescribeRegistry"));
    }

    [Fact]
    public async Task An_account_that_cannot_be_described_reads_as_unknown_and_is_logged()
    {
        _emulator.Faults.ServerError(10, "DescribeRegistry");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var read = await new EcrRegistryPolicyStore(Client(attempts: 2), log.Enqueue).ReadAsync(CancellationToken.None);

        Assert.False(read.Exists);
        Assert.Null(read.RegistryId);
        Assert.Contains(log, m => m.Contains("DescribeRegistry", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_policy_read_from_one_account_is_not_written_to_another_even_with_force(bool otherHasPolicy)
    {
        _emulator.State.PolicyText = Ptc;
        using var other = EcrEmulatorServer.Start(new EmulatorOptions { AccountId = "444455556666" });
        if (otherHasPolicy)
        {
            other.State.PolicyText = Replication;
        }

        var read = await new EcrRegistryPolicyStore(Client()).ReadAsync(CancellationToken.None);
        var state = new ReadState(read.Exists, read.Text, read.Region, null, read.RegistryId);

        var ex = await Assert.ThrowsAsync<PolicyException>(() =>
            new SafePolicyWriter(_backups).WriteAsync(new EcrRegistryPolicyStore(Client(endpoint: other.Endpoint)), PolicyDocument.Parse(Ptc), Ptc, state, force: true, CancellationToken.None));

        Assert.Equal("RegistryPolicyAccountMismatch", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidOperation, ex.Kind);
        Assert.Contains("111122223333", ex.Message);
        Assert.Contains("444455556666", ex.Message);
        Assert.Equal(otherHasPolicy ? Replication : null, other.State.PolicyText);
        Assert.Equal(0, other.Requests.CountOf("PutRegistryPolicy"));
        Assert.False(Directory.Exists(_backups));
    }

    [Fact]
    public async Task An_interrupted_write_leaves_the_backup_and_a_clear_error()
    {
        _emulator.State.PolicyText = Replication;
        _emulator.Faults.DropConnection(10, "PutRegistryPolicy");

        var ex = await Assert.ThrowsAsync<PolicyException>(() =>
            new SafePolicyWriter(_backups).WriteAsync(Store(Client(attempts: 2)), PolicyDocument.Parse(Ptc), Ptc, new ReadState(true, Replication, "us-east-1", null), false, CancellationToken.None));

        Assert.Equal("RegistryPolicyWriteInterrupted", ex.ErrorId);
        var backup = Assert.Single(Directory.GetFiles(_backups));
        Assert.Equal(Replication, File.ReadAllText(backup));
        Assert.Contains(backup, ex.Message);
        Assert.Equal(Replication, _emulator.State.PolicyText);
        Assert.Equal(1, _emulator.Requests.CountOf("PutRegistryPolicy"));
    }

    [Fact]
    public async Task A_write_whose_answer_was_lost_after_it_landed_is_a_success_and_is_sent_once()
    {
        _emulator.State.PolicyText = Replication;
        _emulator.Faults.DropResponse(10, "PutRegistryPolicy");

        var outcome = await new SafePolicyWriter(_backups).WriteAsync(Store(Client(attempts: 2)), PolicyDocument.Parse(Ptc), Ptc, new ReadState(true, Replication, "us-east-1", null), false, CancellationToken.None);

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.Equal(Ptc, _emulator.State.PolicyText);
        Assert.Equal(1, _emulator.Requests.CountOf("PutRegistryPolicy"));
    }

    private EcrRegistryPolicyStore Store(EcrClient client) => new(client) { Settle = TimeSpan.Zero, LockFolder = Path.Combine(_backups, "locks") };

    [Fact]
    public async Task The_emulator_refusing_a_policy_is_EcrInvalidParameter_and_nothing_changes()
    {
        _emulator.State.PolicyText = Replication;
        const string bad = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S3\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}";

        var ex = await Assert.ThrowsAsync<PolicyException>(() =>
            new SafePolicyWriter(_backups).WriteAsync(new EcrRegistryPolicyStore(Client()), PolicyDocument.Parse(bad), bad, new ReadState(true, Replication, "us-east-1", null), false, CancellationToken.None));

        Assert.Equal("EcrInvalidParameter", ex.ErrorId);
        Assert.Contains("Invalid registry policy provided", ex.Message);
        Assert.Equal(Replication, _emulator.State.PolicyText);
    }

    [Fact]
    public async Task Repository_creation_templates_are_read_across_pages_with_tags_keys_and_roles()
    {
        var templates = string.Join(",", Enumerable.Range(1, 120).Select(i => $"{{\"prefix\":\"team{i:d3}\",\"appliedFor\":[\"REPLICATION\"]}}"));
        _emulator.ApplySeed("{\"repositoryCreationTemplates\":[" + templates + ",{\"prefix\":\"docker-hub\",\"appliedFor\":[\"PULL_THROUGH_CACHE\",\"CREATE_ON_PUSH\"],\"resourceTags\":[{\"Key\":\"team\",\"Value\":\"platform\"}],"
            + "\"encryptionConfiguration\":{\"encryptionType\":\"KMS\",\"kmsKey\":\"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\"},\"customRoleArn\":\"arn:aws:iam::111122223333:role/ptc-template\"}]}");

        var all = await Client().DescribeRepositoryCreationTemplatesAsync(null, CancellationToken.None);
        var one = Assert.Single(await Client().DescribeRepositoryCreationTemplatesAsync(new[] { "docker-hub" }, CancellationToken.None));

        Assert.Equal(121, all.Count);
        Assert.Equal(3, _emulator.Requests.Entries.Count(e => e.Operation == "DescribeRepositoryCreationTemplates" && e.Status == 200));
        Assert.Equal(new[] { "PULL_THROUGH_CACHE", "CREATE_ON_PUSH" }, one.AppliedFor);
        Assert.Equal("team=platform", string.Join(",", one.ResourceTags.Select(t => t.Key + "=" + t.Value)));
        Assert.Equal("KMS", one.EncryptionType);
        Assert.Equal("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", one.KmsKey);
        Assert.Equal("arn:aws:iam::111122223333:role/ptc-template", one.CustomRoleArn);
    }

    [Fact]
    public async Task A_throttled_template_read_is_retried_and_one_that_stays_throttled_is_EcrThrottled()
    {
        _emulator.ArmFaults("{\"throttle\":2,\"operation\":\"DescribeRepositoryCreationTemplates\"}");
        Assert.Empty(await Client(attempts: 3).DescribeRepositoryCreationTemplatesAsync(null, CancellationToken.None));

        _emulator.ArmFaults("{\"throttle\":5,\"operation\":\"DescribeRepositoryCreationTemplates\"}");
        var ex = await Assert.ThrowsAsync<EcrException>(() => Client(attempts: 3).DescribeRepositoryCreationTemplatesAsync(null, CancellationToken.None));

        Assert.Equal("EcrThrottled", ex.ErrorId);
    }
}
