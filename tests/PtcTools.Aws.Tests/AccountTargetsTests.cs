using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EcrEmulator;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>Issue 14 item 1: a role assumed in each account through the emulator's fake STS, whose keys reach that account's registries.</summary>
public sealed class AccountTargetsTests : IDisposable
{
    private readonly EcrEmulatorServer _emulator = EcrEmulatorServer.Start(new EmulatorOptions { Accounts = { "444455556666", "777788889999" }, Regions = { "us-east-1", "eu-west-1" } });

    public void Dispose() => _emulator.Dispose();

    private AccountCredentials Accounts(AssumeRoleSettings? settings = null) =>
        new(new AwsCredentials("AKIDPTCTOOLSEXAMPLE", "ptctools/emulator/secret/EXAMPLEKEY"), settings ?? new AssumeRoleSettings(roleSessionName: "ptctools-test"),
            region => new AwsClientOptions(region, new AwsCredentials("AKIDPTCTOOLSEXAMPLE", "ptctools/emulator/secret/EXAMPLEKEY"))
            {
                EndpointUrl = _emulator.Endpoint.ToString(),
                Retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), seed: 3),
            });

    private EcrClient Client(RegistryTarget target, AwsCredentials credentials) =>
        new(new EcrClientOptions(target.Region, credentials) { EndpointUrl = _emulator.Endpoint.ToString() });

    [Fact]
    public async Task The_assumed_role_reaches_its_accounts_registry_and_is_assumed_once_per_account()
    {
        var accounts = Accounts();
        var targets = RegistryTarget.Product(new[] { "444455556666", "777788889999" }, new[] { "us-east-1", "eu-west-1" });
        var registries = await Task.WhenAll(targets.Select(async t => (await Client(t, await accounts.ForAsync(t, CancellationToken.None)).DescribeRegistryAsync(CancellationToken.None)).RegistryId));
        Assert.Equal(new[] { "444455556666", "444455556666", "777788889999", "777788889999" }, registries);
        Assert.Equal(2, accounts.AssumedCount);
        // The two accounts are assumed concurrently: either call may come first.
        var calls = _emulator.Requests.Entries.Where(r => r.Operation == "AssumeRole").Select(r => r.RequestBody.Replace("%3A", ":").Replace("%2F", "/")).ToList();
        Assert.Equal(2, calls.Count);
        Assert.Single(calls, c => c.Contains("RoleArn=arn:aws:iam::444455556666:role/OrganizationAccountAccessRole&"));
        Assert.Single(calls, c => c.Contains("RoleArn=arn:aws:iam::777788889999:role/OrganizationAccountAccessRole&"));
        Assert.All(calls, c => Assert.Contains("RoleSessionName=ptctools-test", c, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_role_that_asks_for_an_external_id_is_refused_without_it_and_assumed_with_it()
    {
        _emulator.Roles["arn:aws:iam::444455556666:role/Deployer"] = "ptc-ext-1";
        var target = new RegistryTarget("444455556666", "us-east-1");
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => Accounts(new AssumeRoleSettings("Deployer")).ForAsync(target, CancellationToken.None));
        Assert.Equal("AssumeRoleFailed", refused.ErrorId);
        Assert.Equal(PolicyErrorKind.PermissionDenied, refused.Kind);
        var credentials = await Accounts(new AssumeRoleSettings("Deployer", "ptc-ext-1")).ForAsync(target, CancellationToken.None);
        Assert.Equal("444455556666", (await Client(target, credentials).DescribeRegistryAsync(CancellationToken.None)).RegistryId);
    }

    [Fact]
    public async Task An_account_the_caller_cannot_reach_is_AssumeRoleFailed()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => Accounts().ForAsync(new RegistryTarget("123412341234", "us-east-1"), CancellationToken.None));
        Assert.Equal("AssumeRoleFailed", error.ErrorId);
        Assert.Contains("arn:aws:iam::123412341234:role/OrganizationAccountAccessRole", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_AssumeRole_is_retried()
    {
        _emulator.Faults.Arm(EcrEmulator.Control.FaultKind.Throttle, 2, "AssumeRole", 0, "111122223333", null);
        var credentials = await Accounts().ForAsync(new RegistryTarget("777788889999", "us-east-1"), CancellationToken.None);
        Assert.StartsWith("ASIA", credentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(3, _emulator.Requests.CountOf("AssumeRole"));
    }

    [Fact]
    public async Task A_fault_limited_to_one_account_leaves_the_others_alone()
    {
        _emulator.Faults.Arm(EcrEmulator.Control.FaultKind.ServerError, 100, "GetRegistryPolicy", 0, "777788889999", "eu-west-1");
        var accounts = Accounts();
        var hit = new RegistryTarget("777788889999", "eu-west-1");
        var spared = new RegistryTarget("777788889999", "us-east-1");
        var client = new EcrClient(new EcrClientOptions(hit.Region, await accounts.ForAsync(hit, CancellationToken.None)) { EndpointUrl = _emulator.Endpoint.ToString(), Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5), seed: 1) });
        Assert.Equal("EcrServerError", (await Assert.ThrowsAsync<EcrException>(() => client.GetRegistryPolicyAsync(CancellationToken.None))).ErrorId);
        Assert.Null(await Client(spared, await accounts.ForAsync(spared, CancellationToken.None)).GetRegistryPolicyAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AssumeRole_is_signed_for_the_targets_Region_and_a_Region_where_STS_is_off_is_StsRegionDisabled()
    {
        // IAM User Guide, "Manage AWS STS in an AWS Region" (id_credentials_temp_enable-regions.html): STS answers
        // RegionDisabledException in a Region where it is not activated for the account; the SDKs use the regional endpoint.
        await Accounts().ForAsync(new RegistryTarget("444455556666", "eu-west-1"), CancellationToken.None);
        Assert.Equal("eu-west-1", _emulator.Requests.Entries.Single(r => r.Operation == "AssumeRole").Region);
        _emulator.Faults.Respond(new EcrEmulator.Control.CannedResponse(403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>RegionDisabledException</Code><Message>STS is not activated in this region for account:777788889999.</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"), 1, "AssumeRole");
        var refused = await Assert.ThrowsAsync<AwsServiceException>(() => Accounts().ForAsync(new RegistryTarget("777788889999", "eu-west-1"), CancellationToken.None));
        Assert.Equal("StsRegionDisabled", refused.ErrorId);
        Assert.Equal(PolicyErrorKind.PermissionDenied, refused.Kind);
    }
}
