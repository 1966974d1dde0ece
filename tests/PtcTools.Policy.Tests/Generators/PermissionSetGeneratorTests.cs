using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Generators;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Generators;

public class PermissionSetGeneratorTests
{
    private const string Account = "111122223333";

    private static IdentityPolicyRequest Puller(params string[] prefixes) => new()
    {
        Actor = PermissionActor.Puller,
        RepositoryPrefixes = prefixes.ToList(),
        Regions = new List<string> { "us-east-1" },
        AccountId = Account,
    };

    private static PermissionDecision Decide(PolicyDocument identity, string action, string resource, string principal = "arn:aws:iam::111122223333:role/ci-puller", string region = "us-east-1") =>
        PermissionEvaluator.Decide(
            new PolicySet(null, new[] { CompiledPolicy.Compile(identity, PolicyKind.Identity, "generated policy") }),
            AccessRequest.Create(principal, action, resource, new[] { new KeyValuePair<string, ContextValue>("aws:RequestedRegion", ContextValue.Of(region)) }));

    private static string[] Actions(PolicyDocument document, string sid) => document.Statements.Single(s => s.Sid == sid).Action.ToArray();

    [Fact]
    public void A_first_pull_policy_grants_the_pull_actions_the_import_and_CreateRepository_on_the_cache_prefix_only()
    {
        // pull-through-cache-iam.html: BatchImportUpstreamImage and CreateRepository (first pull), plus the normal pull actions (PTC-PERMISSIONS 1.8).
        var policy = PermissionSetGenerator.IdentityPolicy(Puller("docker-hub"));

        Assert.Equal(PermissionDocumentKind.PullerPolicy, policy.Kind);
        Assert.Equal("PtcPullThroughCachePuller", policy.PolicyName);
        Assert.Equal(new[] { "ecr:GetAuthorizationToken" }, Actions(policy.Document, GeneratedSids.AuthorizationToken));
        Assert.Equal(new[] { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", "ecr:BatchImportUpstreamImage" }, Actions(policy.Document, GeneratedSids.Pull));
        Assert.Equal(new[] { "ecr:CreateRepository" }, Actions(policy.Document, GeneratedSids.FirstPull));
        Assert.Equal(new[] { "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*" }, policy.Document.Statements.Single(s => s.Sid == GeneratedSids.FirstPull).Resource);
        Assert.Empty(policy.Caveats);

        Assert.Equal(PermissionDecision.Allowed, Decide(policy.Document, "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/nginx"));
        Assert.Equal(PermissionDecision.Allowed, Decide(policy.Document, "ecr:GetAuthorizationToken", "*"));
        Assert.Equal(PermissionDecision.ImplicitDeny, Decide(policy.Document, "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/quay/coreos/etcd"));
        Assert.Equal(PermissionDecision.ImplicitDeny, Decide(policy.Document, "ecr:GetAuthorizationToken", "*", region: "eu-west-1"));
        Assert.Equal(PermissionDecision.ImplicitDeny, Decide(policy.Document, "ecr:TagResource", "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/nginx"));
    }

    [Fact]
    public void TagResource_is_added_to_the_first_pull_only_when_asked_for_a_tagging_template()
    {
        // pull-through-cache-iam.html: ecr:TagResource "only if the rule has a repository creation template that adds resource tags".
        var request = Puller("docker-hub");
        request.TagResource = true;

        var policy = PermissionSetGenerator.IdentityPolicy(request);

        Assert.Equal(new[] { "ecr:CreateRepository", "ecr:TagResource" }, Actions(policy.Document, GeneratedSids.FirstPull));
        Assert.Equal(PermissionDecision.Allowed, Decide(policy.Document, "ecr:TagResource", "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/nginx"));
    }

    [Fact]
    public void A_later_pulls_policy_has_no_repository_creation_and_says_its_source_is_a_third_party_report()
    {
        var request = Puller("quay");
        request.Stage = PullStage.LaterPulls;
        request.TagResource = true;

        var policy = PermissionSetGenerator.IdentityPolicy(request);

        Assert.DoesNotContain(policy.Document.Statements, s => s.Sid == GeneratedSids.FirstPull);
        Assert.DoesNotContain(policy.Document.Statements.SelectMany(s => s.Action), a => a is "ecr:CreateRepository" or "ecr:TagResource");
        Assert.Contains(policy.Caveats, c => c.Contains("third-party report"));
    }

    [Theory]
    [InlineData(new[] { "ROOT" }, new[] { "us-east-1" }, "arn:aws:ecr:us-east-1:111122223333:repository/*")]
    [InlineData(new[] { "docker-hub/", "docker-hub", "quay" }, new[] { "us-east-1" }, "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*|arn:aws:ecr:us-east-1:111122223333:repository/quay/*")]
    [InlineData(new[] { "ecr-public" }, new[] { "us-east-1", "eu-west-1" }, "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*|arn:aws:ecr:eu-west-1:111122223333:repository/ecr-public/*")]
    [InlineData(new[] { "ecr-public" }, new[] { "cn-north-1" }, "arn:aws-cn:ecr:cn-north-1:111122223333:repository/ecr-public/*")]
    public void The_resources_are_the_cache_repositories_of_each_prefix_and_Region(string[] prefixes, string[] regions, string expected)
    {
        var request = Puller(prefixes);
        request.Regions = regions.ToList();

        var policy = PermissionSetGenerator.IdentityPolicy(request);

        Assert.Equal(expected, string.Join("|", policy.Document.Statements.Single(s => s.Sid == GeneratedSids.Pull).Resource));
    }

    [Theory]
    [InlineData(new string[0], new[] { "us-east-1" }, Account, "RepositoryPrefixMissing")]
    [InlineData(new[] { "Docker-Hub" }, new[] { "us-east-1" }, Account, "RepositoryPrefixInvalid")]
    [InlineData(new[] { "quay" }, new string[0], Account, "NoRegion")]
    [InlineData(new[] { "quay" }, new[] { "us-east-1", "cn-north-1" }, Account, "RegionInvalid")]
    [InlineData(new[] { "quay" }, new[] { "us-east-1" }, "1234", "RegistryIdInvalid")]
    public void Bad_input_is_a_named_error(string[] prefixes, string[] regions, string account, string errorId)
    {
        var request = Puller(prefixes);
        request.Regions = regions.ToList();
        request.AccountId = account;

        var ex = Assert.ThrowsAny<PolicyException>(() => PermissionSetGenerator.IdentityPolicy(request));

        Assert.Equal(errorId, ex.ErrorId);
    }

    [Fact]
    public void A_rule_operator_manages_rules_in_its_Regions_and_passes_only_the_named_role_to_pull_through_cache()
    {
        var policy = PermissionSetGenerator.IdentityPolicy(new IdentityPolicyRequest
        {
            Actor = PermissionActor.RuleOperator,
            Regions = new List<string> { "us-east-1" },
            AccountId = Account,
            RoleArns = new List<string> { "arn:aws:iam::111122223333:role/ptc-upstream" },
        });

        Assert.Equal(PermissionSetGenerator.RuleOperatorActions, Actions(policy.Document, GeneratedSids.Rules));
        var passRole = policy.Document.Statements.Single(s => s.Sid == GeneratedSids.PassRole);
        Assert.Equal(new[] { "arn:aws:iam::111122223333:role/ptc-upstream" }, passRole.Resource);
        Assert.Equal("{\"StringEquals\":{\"iam:PassedToService\":\"pullthroughcache.ecr.amazonaws.com\"}}", passRole.Condition!.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Contains(PermissionSetGenerator.PassedToServiceCaveat, policy.Caveats);
        Assert.Equal(PermissionDecision.Allowed, Decide(policy.Document, "ecr:CreatePullThroughCacheRule", "*", "arn:aws:iam::111122223333:role/platform"));
    }

    [Fact]
    public void A_rule_operator_without_a_custom_role_gets_no_PassRole()
    {
        var policy = PermissionSetGenerator.IdentityPolicy(new IdentityPolicyRequest { Actor = PermissionActor.RuleOperator, Regions = new List<string> { "us-east-1" }, AccountId = Account });

        Assert.DoesNotContain(policy.Document.Statements, s => s.Sid == GeneratedSids.PassRole);
        Assert.DoesNotContain(PermissionSetGenerator.PassedToServiceCaveat, policy.Caveats);
    }

    [Theory]
    [InlineData("arn:aws:iam::444455556666:role/ptc-upstream")]
    [InlineData("arn:aws:iam::111122223333:user/ptc-upstream")]
    [InlineData("ptc-upstream")]
    public void A_passed_role_must_be_a_role_of_the_registry_account(string role)
    {
        // CreatePullThroughCacheRule (SDK doc): customRoleArn must be "in the same account as the registry that you are configuring".
        var ex = Assert.Throws<PolicyException>(() => PermissionSetGenerator.IdentityPolicy(new IdentityPolicyRequest
        {
            Actor = PermissionActor.RuleOperator,
            Regions = new List<string> { "us-east-1" },
            AccountId = Account,
            RoleArns = new List<string> { role },
        }));

        Assert.Equal("RoleArnInvalid", ex.ErrorId);
    }

    [Fact]
    public void A_template_operator_gets_what_repository_creation_templates_create_iam_lists_and_an_honest_caveat()
    {
        // repository-creation-templates-create-iam.html (PTC-PERMISSIONS 1.4).
        var policy = PermissionSetGenerator.IdentityPolicy(new IdentityPolicyRequest
        {
            Actor = PermissionActor.TemplateOperator,
            RepositoryPrefixes = new List<string> { "docker-hub" },
            Regions = new List<string> { "us-east-1" },
            AccountId = Account,
            LifecyclePolicy = true,
            RoleArns = new List<string> { "arn:aws:iam::111122223333:role/ptc-template" },
        });

        Assert.Equal(PermissionSetGenerator.TemplateOperatorActions, Actions(policy.Document, GeneratedSids.Templates));
        Assert.Equal(new[] { "ecr:CreateRepository", "ecr:PutLifecyclePolicy" }, Actions(policy.Document, GeneratedSids.TemplateRepositories));
        Assert.Contains("ecr.amazonaws.com", policy.Document.Statements.Single(s => s.Sid == GeneratedSids.PassRole).Condition!.ToString());
        Assert.Contains(policy.Caveats, c => c.Contains("continues past its iam:PassRole bullet"));
    }

    [Fact]
    public void The_ECR_to_ECR_role_is_the_one_pull_through_cache_private_documents()
    {
        // pull-through-cache-private.html: trust pullthroughcache.ecr.amazonaws.com, nine actions on "*" (PTC-PERMISSIONS 1.2).
        var role = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.PullThroughCache, Region = "us-east-1", AccountId = Account });

        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"pullthroughcache.ecr.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}", role.Trust.Document.ToCompactJson());
        var documented = new[]
        {
            "ecr:GetDownloadUrlForLayer", "ecr:GetAuthorizationToken", "ecr:BatchImportUpstreamImage", "ecr:BatchGetImage", "ecr:GetImageCopyStatus",
            "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
        };
        var statement = Assert.Single(role.Permissions.Document.Statements);
        Assert.Equal(documented, statement.Action);
        Assert.Equal(new[] { "*" }, statement.Resource);
        Assert.Equal("PtcPullThroughCacheUpstream", role.RoleName);
        Assert.Equal("/", role.Path);
        Assert.Null(role.UpstreamStatement);
        Assert.Contains(role.Caveats, c => c.Contains("aws:SourceAccount"));
    }

    [Fact]
    public void Across_accounts_the_upstream_statement_is_the_documented_one_and_what_New_PtcPolicyStatement_UpstreamAccess_gives()
    {
        // pull-through-cache-private.html, step 3: downstream 444455556666, upstream 111122223333.
        const string documented = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchImportUpstreamImage\",\"ecr:GetImageCopyStatus\"],\"Resource\":\"arn:aws:ecr:us-west-2:111122223333:repository/*\"}";
        var role = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest
        {
            Kind = ServiceRoleKind.PullThroughCache,
            RoleName = "arn:aws:iam::444455556666:role/ptc/upstream",
            Region = "us-east-1",
            UpstreamRegistryId = "111122223333",
            UpstreamRegion = "us-west-2",
            UpstreamRepositoryPrefix = "ROOT",
        });
        var viaBuilder = StatementBuilder.Build(new StatementRequest { PolicyType = PolicyType.UpstreamAccess, Principals = new List<string> { "444455556666" }, Region = "us-west-2", RegistryId = "111122223333" });

        var json = role.UpstreamStatement!.ToJObject();
        json.Remove("Sid");
        Assert.Equal(documented, json.ToString(Newtonsoft.Json.Formatting.None));
        Assert.Equal(viaBuilder, role.UpstreamStatement);
        Assert.Equal(("upstream", "/ptc/"), (role.RoleName, role.Path));
    }

    [Fact]
    public void In_the_same_account_no_upstream_statement_is_needed()
    {
        // pull-through-cache-private.html: "The root account principal permission is not required when the upstream and downstream registries are in the same AWS account."
        var role = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest
        {
            Kind = ServiceRoleKind.PullThroughCache,
            AccountId = Account,
            Region = "us-east-1",
            UpstreamRegistryId = Account,
            UpstreamRegion = "eu-west-1",
        });

        Assert.Null(role.UpstreamStatement);
    }

    [Fact]
    public void A_custom_role_in_another_account_than_the_registry_is_refused()
    {
        var ex = Assert.Throws<PolicyException>(() => PermissionSetGenerator.ServiceRole(new ServiceRoleRequest
        {
            Kind = ServiceRoleKind.PullThroughCache,
            RoleName = "arn:aws:iam::444455556666:role/upstream",
            AccountId = Account,
            Region = "us-east-1",
        }));

        Assert.Equal("RoleAccountMismatch", ex.ErrorId);
    }

    [Fact]
    public void A_template_role_trusts_ECR_and_gets_KMS_grants_only_on_the_keys_its_templates_name()
    {
        // repository-creation-templates-custom.html (PTC-PERMISSIONS 1.4).
        const string key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        var plain = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.RepositoryCreationTemplate, Region = "us-east-1" });
        var withKey = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.RepositoryCreationTemplate, Region = "us-east-1", KmsKeyArns = new List<string> { key } });

        Assert.Contains("\"Service\":\"ecr.amazonaws.com\"", plain.Trust.Document.ToCompactJson());
        Assert.Equal(PermissionSetGenerator.TemplateRoleEcrActions, Assert.Single(plain.Permissions.Document.Statements).Action);
        Assert.Empty(plain.Caveats);
        var kms = withKey.Permissions.Document.Statements.Single(s => s.Sid == GeneratedSids.TemplateKms);
        Assert.Equal(new[] { "kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey" }, kms.Action);
        Assert.Equal(new[] { key }, kms.Resource);
        Assert.Contains(withKey.Caveats, c => c.Contains("grants them on \"*\""));
    }

    [Theory]
    [InlineData("alias/ptc")]
    [InlineData("arn:aws-cn:kms:cn-north-1:111122223333:key/abcd")]
    public void A_key_that_is_not_a_key_ARN_of_the_partition_is_KmsKeyInvalid(string key)
    {
        var ex = Assert.Throws<PolicyException>(() => PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.RepositoryCreationTemplate, Region = "us-east-1", KmsKeyArns = new List<string> { key } }));

        Assert.Equal("KmsKeyInvalid", ex.ErrorId);
    }

    [Theory]
    [InlineData("has space", "RoleNameInvalid")]
    [InlineData("arn:aws:iam::111122223333:user/someone", "RoleNameInvalid")]
    public void A_bad_role_name_is_a_named_error(string name, string errorId)
    {
        var ex = Assert.Throws<PolicyException>(() => PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.PullThroughCache, Region = "us-east-1", RoleName = name }));

        Assert.Equal(errorId, ex.ErrorId);
    }

    [Theory]
    [InlineData("111122223333.dkr.ecr.us-west-2.amazonaws.com", "111122223333", "us-west-2")]
    [InlineData("https://111122223333.dkr.ecr.cn-north-1.amazonaws.com.cn/", "111122223333", "cn-north-1")]
    [InlineData("111122223333.dkr.ecr.us-gov-west-1.amazonaws.com/team", "111122223333", "us-gov-west-1")]
    public void An_ECR_private_registry_host_gives_its_account_and_Region(string host, string account, string region)
    {
        Assert.True(EcrRegistryHost.TryParse(host, out var a, out var r));
        Assert.Equal((account, region), (a, r));
        Assert.Equal(host.Replace("https://", string.Empty).Split('/')[0], EcrRegistryHost.Format(account, region));
    }

    [Theory]
    [InlineData("quay.upstream.example")]
    [InlineData("111122223333.dkr.ecr.cn-north-1.amazonaws.com")]
    [InlineData("12.dkr.ecr.us-east-1.amazonaws.com")]
    [InlineData("")]
    public void Other_hosts_are_not_ECR_private_registries(string host) =>
        Assert.False(EcrRegistryHost.TryParse(host, out _, out _));
}
