using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Merge;

public class StatementBuilderTests
{
    private static StatementRequest Request(PolicyType type = PolicyType.PullThroughCache, string? prefix = "ecr-public", string region = "us-east-1", params string[] principals) => new()
    {
        PolicyType = type,
        Principals = principals.Length == 0 ? new List<string> { "arn:aws:iam::111122223333:role/ci-puller" } : principals.ToList(),
        RepositoryPrefix = prefix,
        Region = region,
        RegistryId = "111122223333",
    };

    [Fact]
    public void A_pull_through_cache_statement_is_the_one_AWS_documents()
    {
        var statement = StatementBuilder.Build(Request());
        Assert.Equal(
            "{\"Sid\":\"" + statement.Sid + "\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci-puller\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}",
            statement.ToCompactJson());
        Assert.Matches("^PullThroughCacheEcrPublic[0-9A-F]{8}$", statement.Sid);
    }

    [Theory]
    [InlineData(PolicyType.PullThroughCache, "ecr:CreateRepository,ecr:BatchImportUpstreamImage")]
    [InlineData(PolicyType.Replication, "ecr:CreateRepository,ecr:ReplicateImage")]
    [InlineData(PolicyType.UpstreamAccess, "ecr:BatchGetImage,ecr:GetDownloadUrlForLayer,ecr:BatchImportUpstreamImage,ecr:GetImageCopyStatus")]
    public void Each_policy_type_grants_its_actions(PolicyType type, string actions) =>
        Assert.Equal(actions, string.Join(",", StatementBuilder.Build(Request(type, principals: "444455556666")).Action));

    [Theory]
    [InlineData(PolicyType.PullThroughCache, "ecr-public", new string[0], "repository/ecr-public/*")]
    [InlineData(PolicyType.PullThroughCache, "ecr-public/", new string[0], "repository/ecr-public/*")]
    [InlineData(PolicyType.PullThroughCache, "ROOT", new string[0], "repository/*")]
    [InlineData(PolicyType.PullThroughCache, null, new string[0], "repository/*")]
    [InlineData(PolicyType.PullThroughCache, "ROOT", new[] { "my-app/image1" }, "repository/my-app/image1")]
    [InlineData(PolicyType.PullThroughCache, "docker-hub", new[] { "library/nginx", "library/*" }, "repository/docker-hub/library/nginx|repository/docker-hub/library/*")]
    [InlineData(PolicyType.Replication, "prod", new string[0], "repository/prod*")]
    [InlineData(PolicyType.Replication, "ROOT", new string[0], "repository/*")]
    [InlineData(PolicyType.UpstreamAccess, "team-a", new string[0], "repository/team-a/*")]
    public void Resources_follow_the_prefix_and_names(PolicyType type, string? prefix, string[] names, string expected)
    {
        var request = Request(type, prefix, principals: "444455556666");
        request.RepositoryNames = names.ToList();
        var resources = StatementBuilder.Build(request).Resource.Select(r => r.Substring("arn:aws:ecr:us-east-1:111122223333:".Length));
        Assert.Equal(expected, string.Join("|", resources));
    }

    [Theory]
    [InlineData("cn-north-1", "arn:aws-cn:ecr:cn-north-1:111122223333:repository/ecr-public/*", "arn:aws-cn:iam::444455556666:root")]
    [InlineData("us-gov-west-1", "arn:aws-us-gov:ecr:us-gov-west-1:111122223333:repository/ecr-public/*", "arn:aws-us-gov:iam::444455556666:root")]
    public void The_partition_follows_the_region_in_resources_and_account_principals(string region, string resource, string principal)
    {
        var statement = StatementBuilder.Build(Request(region: region, principals: "444455556666"));
        Assert.Equal(resource, Assert.Single(statement.Resource));
        Assert.Equal(principal, Assert.Single(statement.Principal).Value);
    }

    [Fact]
    public void Equivalent_principals_are_written_once()
    {
        var statement = StatementBuilder.Build(Request(principals: new[] { "444455556666", "arn:aws:iam::444455556666:root", "arn:aws:iam::444455556666:role/a/b/ci" }));
        Assert.Equal(new[] { "arn:aws:iam::444455556666:root", "arn:aws:iam::444455556666:role/a/b/ci" }, statement.Principal.Select(p => p.Value));
    }

    [Fact]
    public void An_organization_id_grants_everyone_in_it()
    {
        var request = Request();
        request.Principals.Clear();
        request.OrganizationId = "o-a1b2c3d4e5";
        request.Condition = JObject.Parse("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"ci\"}}");
        var statement = StatementBuilder.Build(request);
        Assert.Equal("\"*\"", statement.Get("Principal")!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal("{\"StringEquals\":{\"aws:PrincipalTag/team\":\"ci\",\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}", statement.Condition!.ToString(Newtonsoft.Json.Formatting.None));
    }

    [Fact]
    public void Given_actions_replace_the_default_ones_in_their_canonical_case()
    {
        var request = Request();
        request.Actions = new List<string> { "ECR:batchgetimage", "ecr:Describe*", "ecr:BatchGetImage" };
        request.Effect = StatementEffect.Deny;
        var statement = StatementBuilder.Build(request);
        Assert.Equal(new[] { "ecr:BatchGetImage", "ecr:Describe*" }, statement.Action);
        Assert.Equal("Deny", statement.Effect);
    }

    [Fact]
    public void The_default_sid_depends_on_the_grant_not_on_how_it_was_written()
    {
        var a = StatementBuilder.Build(Request(principals: "444455556666"));
        var b = StatementBuilder.Build(Request(principals: "arn:aws:iam::444455556666:root"));
        var c = StatementBuilder.Build(Request(principals: "555555555555"));
        var d = StatementBuilder.Build(Request(prefix: "quay", principals: "444455556666"));
        Assert.Equal(a.Sid, b.Sid);
        Assert.NotEqual(a.Sid, c.Sid);
        Assert.NotEqual(a.Sid, d.Sid);
        Assert.All(new[] { a, c, d }, s => Assert.True(StatementBuilder.IsValidSid(s.Sid)));
    }

    [Fact]
    public void A_given_sid_is_kept()
    {
        var request = Request();
        request.Sid = "CiPuller2";
        Assert.Equal("CiPuller2", StatementBuilder.Build(request).Sid);
    }

    public static TheoryData<string, string, PolicyErrorKind> Refusals() => new()
    {
        { "group", "PrincipalIsGroup", PolicyErrorKind.InvalidArgument },
        { "wildcard principal", "PrincipalInvalid", PolicyErrorKind.InvalidArgument },
        { "everyone", "PrincipalInvalid", PolicyErrorKind.InvalidArgument },
        { "role for replication", "PrincipalInvalid", PolicyErrorKind.InvalidArgument },
        { "principal in another partition", "PrincipalInvalid", PolicyErrorKind.InvalidArgument },
        { "no principal", "PrincipalMissing", PolicyErrorKind.InvalidArgument },
        { "principal and organization", "PrincipalConflict", PolicyErrorKind.InvalidArgument },
        { "bad organization", "OrganizationIdInvalid", PolicyErrorKind.InvalidArgument },
        { "no region", "NoRegion", PolicyErrorKind.InvalidArgument },
        { "bad region", "RegionInvalid", PolicyErrorKind.InvalidArgument },
        { "no registry", "RegistryIdInvalid", PolicyErrorKind.InvalidArgument },
        { "bad prefix", "RepositoryPrefixInvalid", PolicyErrorKind.InvalidArgument },
        { "long prefix", "RepositoryPrefixInvalid", PolicyErrorKind.InvalidArgument },
        { "bad name", "RepositoryNameInvalid", PolicyErrorKind.InvalidArgument },
        { "unknown action", "ActionInvalid", PolicyErrorKind.InvalidArgument },
        { "non-ECR action", "ActionInvalid", PolicyErrorKind.InvalidArgument },
        { "wildcard matching nothing", "ActionInvalid", PolicyErrorKind.InvalidArgument },
        { "bad condition", "ConditionInvalid", PolicyErrorKind.InvalidArgument },
        { "organization twice", "ConditionInvalid", PolicyErrorKind.InvalidArgument },
        { "bad sid", "SidInvalid", PolicyErrorKind.InvalidArgument },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_bad_request_is_refused_with_a_stable_id(string @case, string errorId, PolicyErrorKind kind)
    {
        var request = Request();
        switch (@case)
        {
            case "group": request.Principals = new List<string> { "arn:aws:iam::111122223333:group/admins" }; break;
            case "wildcard principal": request.Principals = new List<string> { "arn:aws:iam::111122223333:role/ci-*" }; break;
            case "everyone": request.Principals = new List<string> { "*" }; break;
            case "role for replication": request.PolicyType = PolicyType.Replication; break;
            case "principal in another partition": request.Principals = new List<string> { "arn:aws-cn:iam::111122223333:root" }; break;
            case "no principal": request.Principals.Clear(); break;
            case "principal and organization": request.OrganizationId = "o-a1b2c3d4e5"; break;
            case "bad organization": request.Principals.Clear(); request.OrganizationId = "org-1"; break;
            case "no region": request.Region = null; break;
            case "bad region": request.Region = "useast1"; break;
            case "no registry": request.RegistryId = null; break;
            case "bad prefix": request.RepositoryPrefix = "Docker_Hub"; break;
            case "long prefix": request.RepositoryPrefix = new string('a', 31); break;
            case "bad name": request.RepositoryNames = new List<string> { "Library/Nginx" }; break;
            case "unknown action": request.Actions = new List<string> { "ecr:BatchImportUpstreamImages" }; break;
            case "non-ECR action": request.Actions = new List<string> { "s3:GetObject" }; break;
            case "wildcard matching nothing": request.Actions = new List<string> { "ecr:Frobnicate*" }; break;
            case "bad condition": request.Condition = JObject.Parse("{\"StringEquals\":\"x\"}"); break;
            case "organization twice": request.Principals.Clear(); request.OrganizationId = "o-a1b2c3d4e5"; request.Condition = JObject.Parse("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-zzzzzzzzzz\"}}"); break;
            case "bad sid": request.Sid = "Pull-Through Cache"; break;
        }

        var ex = Assert.Throws<PolicyException>(() => StatementBuilder.Build(request));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(kind, ex.Kind);
    }

    [Fact]
    public void An_unknown_action_gets_a_suggestion()
    {
        var request = Request();
        request.Actions = new List<string> { "ecr:BatchImportUpstreamImages" };
        Assert.Contains("ecr:BatchImportUpstreamImage?", Assert.Throws<PolicyException>(() => StatementBuilder.Build(request)).Message);
    }
}
