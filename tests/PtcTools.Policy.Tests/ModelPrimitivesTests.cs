using System.Linq;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests;

public class ModelPrimitivesTests
{
    [Theory]
    [InlineData("123456789012", PrincipalKind.Account, "123456789012")]
    [InlineData("arn:aws:iam::123456789012:root", PrincipalKind.Account, "123456789012")]
    [InlineData("arn:aws:iam::123456789012:user/ci", PrincipalKind.User, "123456789012")]
    [InlineData("arn:aws:iam::123456789012:user/division/team/ci", PrincipalKind.User, "123456789012")]
    [InlineData("arn:aws:iam::123456789012:role/ci-puller", PrincipalKind.Role, "123456789012")]
    [InlineData("arn:aws-cn:iam::123456789012:role/service-role/ci", PrincipalKind.Role, "123456789012")]
    [InlineData("arn:aws-us-gov:sts::123456789012:assumed-role/ci-puller/build-42", PrincipalKind.AssumedRole, "123456789012")]
    [InlineData("arn:aws:sts::123456789012:federated-user/alice", PrincipalKind.FederatedUser, "123456789012")]
    [InlineData("*", PrincipalKind.Everyone, null)]
    public void A_valid_principal_is_recognised_with_its_account(string text, PrincipalKind kind, string? account)
    {
        var principal = PrincipalId.Parse(text);
        Assert.Equal(kind, principal.Kind);
        Assert.Equal(account, principal.Account);
    }

    [Theory]
    [InlineData("arn:aws:iam::123456789012:group/admins", "PrincipalIsGroup", "groups cannot be principals")]
    [InlineData("arn:aws:iam::123456789012:role/ci-*", "PrincipalInvalid", "wildcard")]
    [InlineData("arn:aws:iam::*:root", "PrincipalInvalid", "wildcard")]
    [InlineData("12345678901", "PrincipalInvalid", "not a principal")]
    [InlineData("arn:aws:iam::12345678901x:root", "PrincipalInvalid", "12-digit")]
    [InlineData("arn:aws:iam:us-east-1:123456789012:root", "PrincipalInvalid", "Region")]
    [InlineData("arn:aws:s3:::bucket", "PrincipalInvalid", "not an account root")]
    [InlineData("arn:aws:iam::123456789012:role/", "PrincipalInvalid", "not an account root")]
    [InlineData("arn:aws-xx:iam::123456789012:root", "PrincipalInvalid", "partition")]
    [InlineData("", "PrincipalInvalid", "empty")]
    public void An_invalid_principal_is_refused_with_a_reason(string text, string errorId, string reasonPart)
    {
        var ex = Assert.Throws<PolicyException>(() => PrincipalId.Parse(text));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Contains(reasonPart, ex.Message);
    }

    [Fact]
    public void An_account_id_and_its_root_arn_are_the_same_principal()
    {
        Assert.Equal(PrincipalId.Parse("123456789012"), PrincipalId.Parse("arn:aws:iam::123456789012:root"));
        Assert.NotEqual(PrincipalId.Parse("123456789012"), PrincipalId.Parse("arn:aws:iam::123456789012:role/x"));
    }

    [Theory]
    [InlineData("us-east-1", "aws")]
    [InlineData("cn-northwest-1", "aws-cn")]
    [InlineData("us-gov-west-1", "aws-us-gov")]
    [InlineData("ap-southeast-7", "aws")]
    public void The_partition_follows_from_the_region(string region, string partition) =>
        Assert.Equal(partition, Partitions.FromRegion(region));

    [Fact]
    public void A_malformed_region_is_RegionInvalid() =>
        Assert.Equal("RegionInvalid", Assert.Throws<PolicyException>(() => Partitions.FromRegion("useast1")).ErrorId);

    [Theory]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*", true)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/library/nginx", true)]
    [InlineData("arn:aws:ecr:*:111122223333:repository/*", true)]
    [InlineData("arn:aws:us-east-2:111122223333:repository/*", false)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repo/x", false)]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/UPPER", false)]
    [InlineData("arn:aws:ecr:us-east-1:1111:repository/x1", false)]
    [InlineData("arn:aws:s3:::bucket", false)]
    public void Repository_arns_are_checked(string text, bool valid)
    {
        Assert.Equal(valid, RepositoryArn.TryParse(text, out _, out var reason));
        Assert.Equal(valid, reason is null);
    }

    [Fact]
    public void A_repository_arn_is_built_in_the_regions_partition() =>
        Assert.Equal("arn:aws-cn:ecr:cn-north-1:111122223333:repository/quay/*", RepositoryArn.Build("cn-north-1", "111122223333", "quay/*"));

    [Theory]
    [InlineData("ROOT", true)]
    [InlineData("ecr-public", true)]
    [InlineData("team-a/sub", true)]
    [InlineData("docker-hub/", true)]
    [InlineData("a__b", true)]
    [InlineData("a._b", false)]
    [InlineData("Upper", false)]
    public void Pull_through_cache_prefixes_follow_the_model(string prefix, bool valid) =>
        Assert.Equal(valid, PullThroughCachePrefix.Pattern.IsMatch(prefix));

    [Fact]
    public void The_action_catalog_knows_the_registry_actions_case_insensitively()
    {
        Assert.True(EcrActions.IsKnown("ECR:batchimportupstreamimage"));
        Assert.Equal("ecr:BatchImportUpstreamImage", EcrActions.Find("ecr:batchimportupstreamimage")!.Name);
        Assert.False(EcrActions.IsKnown("ecr:BatchImportUpstreamImages2"));
        Assert.True(EcrActions.All.Count > 50);
        Assert.All(EcrActions.RegistryPolicyV1Actions, a => Assert.True(EcrActions.IsKnown(a)));
    }

    [Theory]
    [InlineData("ecr:BatchImportUpstreamImages", "ecr:BatchImportUpstreamImage")]
    [InlineData("ecr:CreateRepo", "ecr:CreateRepository")]
    [InlineData("ecr:ReplicateImages", "ecr:ReplicateImage")]
    public void A_misspelt_action_gets_the_nearest_name(string typo, string suggestion) =>
        Assert.Equal(suggestion, EcrActions.Suggest(typo));

    [Fact]
    public void Action_patterns_expand_over_the_catalog()
    {
        Assert.Contains(EcrActions.Expand("ecr:Describe*"), a => a.Name == "ecr:DescribePullThroughCacheRules");
        Assert.DoesNotContain(EcrActions.Expand("ecr:Describe*"), a => a.Name == "ecr:BatchGetImage");
        Assert.Equal(EcrActions.All.Count, EcrActions.Expand("ecr:*").Count);
    }

    [Theory]
    [InlineData("*", "", true)]
    [InlineData("a*c", "abbbc", true)]
    [InlineData("a*c", "abbbd", false)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("repository/ecr-public/*", "repository/ecr-public/library/nginx", true)]
    [InlineData("*x*y", "zzxzzy", true)]
    public void Wildcards_match_as_IAM_defines(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Wildcard.IsMatch(pattern, text, ignoreCase: false));
}
