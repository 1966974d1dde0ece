using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Policy;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>
/// One Region chain (issue 16 item 2): the AWS cmdlets' chain and the offline one that the statement builders and the
/// completers use take the same steps in the same order; the offline one only leaves out the instance metadata.
/// </summary>
public sealed class RegionChainTests
{
    // Every step has a different Region; each case takes away the steps before the one it expects.
    [Theory]
    [InlineData(0, "ap-south-1", "the Region given")]
    [InlineData(1, "eu-west-2", "profile 'named'")]
    [InlineData(2, "eu-north-1", "$StoredAWSRegion")]
    [InlineData(3, "ca-central-1", "profile 'stored' ($StoredAWSCredentials)")]
    [InlineData(4, "ap-southeast-2", "AWS_REGION")]
    [InlineData(5, "sa-east-1", "AWS_DEFAULT_REGION")]
    [InlineData(6, "eu-central-1", "the default profile")]
    public async Task Both_chains_stop_at_the_same_step(int firstStep, string region, string source)
    {
        using var home = new FakeHome();
        home.Config("[default]\nregion = eu-central-1\n[profile named]\nregion = eu-west-2\n[profile stored]\nregion = ca-central-1\n");
        if (firstStep <= 4)
        {
            home.Variables["AWS_REGION"] = "ap-southeast-2";
        }

        if (firstStep <= 5)
        {
            home.Variables["AWS_DEFAULT_REGION"] = "sa-east-1";
        }

        var explicitRegion = firstStep <= 0 ? "ap-south-1" : null;
        var profile = firstStep <= 1 ? "named" : null;
        var session = firstStep <= 2 ? "eu-north-1" : null;
        var stored = firstStep <= 3 ? "stored" : null;
        var context = home.Context(null);

        var offline = RegionChain.ResolveOffline(context.Environment, explicitRegion, profile, null, session, stored);
        var online = await RegionChain.ResolveAsync(context, explicitRegion, profile, null, session, CancellationToken.None, stored);

        Assert.Equal((region, source), offline);
        Assert.Equal((region, source), online);
    }

    [Fact]
    public async Task With_no_step_the_offline_chain_has_no_Region_and_the_AWS_chain_says_NoRegion_listing_the_steps()
    {
        using var home = new FakeHome();
        var context = home.Context(null);

        Assert.Null(RegionChain.ResolveOffline(context.Environment, null, null, null, null, null));
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => RegionChain.ResolveAsync(context, null, null, null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.NoRegion, ex.ErrorId);
        Assert.Contains("the default profile (or AWS_PROFILE): no region", ex.Message);
        Assert.Contains("EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED", ex.Message);
    }

    [Fact]
    public async Task The_offline_chain_hands_on_the_name_for_its_user_to_check_and_the_AWS_chain_checks_it()
    {
        using var home = new FakeHome();
        home.Variables["AWS_REGION"] = "not a region";
        var context = home.Context(null);

        Assert.Equal(("not a region", "AWS_REGION"), RegionChain.ResolveOffline(context.Environment, null, null, null, null, null));
        var ex = await Assert.ThrowsAsync<AwsClientException>(() => RegionChain.ResolveAsync(context, null, null, null, null, CancellationToken.None));
        Assert.Equal(ErrorIds.RegionInvalid, ex.ErrorId);
    }
}
