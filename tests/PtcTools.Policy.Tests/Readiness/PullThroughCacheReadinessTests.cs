using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Generators;
using PtcTools.Policy.Model;
using PtcTools.Policy.Readiness;
using Xunit;

namespace PtcTools.Policy.Tests.Readiness;

public class PullThroughCacheReadinessTests
{
    private const string Account = "111122223333";
    private const string Upstream = "444455556666";
    private const string Puller = "arn:aws:iam::111122223333:role/ci-puller";
    private const string CustomRole = "arn:aws:iam::111122223333:role/ptc-upstream";
    private const string TemplateRole = "arn:aws:iam::111122223333:role/ptc-template";
    private const string Key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static PolicyDocument Doc(string statements) => PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}");

    // A registry policy that grants pull through cache nothing (an empty Statement list is a policy IAM rejects).
    private static readonly PolicyDocument s_replicationOnly = Doc("{\"Sid\":\"Replication\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\"}");

    private static readonly PolicyDocument s_pullIdentity = Doc("{\"Effect\":\"Allow\",\"Action\":[\"ecr:GetAuthorizationToken\",\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchCheckLayerAvailability\"],\"Resource\":\"*\"}");

    private static PolicyDocument PtcGrant(string principal = Puller, string prefix = "docker-hub") =>
        Doc($"{{\"Sid\":\"Ptc\",\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"{principal}\"}},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/{prefix}/*\"}}");

    private static PolicyDocument Trust(string service) => Doc($"{{\"Effect\":\"Allow\",\"Principal\":{{\"Service\":\"{service}\"}},\"Action\":\"sts:AssumeRole\"}}");

    private static PolicyDocument AllowAll(string actions = "\"ecr:*\"") => Doc($"{{\"Effect\":\"Allow\",\"Action\":[{actions}],\"Resource\":\"*\"}}");

    private static CreationTemplateFacts Tagging(string prefix = "docker-hub", string? role = TemplateRole, string? key = null) =>
        new(prefix, new[] { "PULL_THROUGH_CACHE" }) { ResourceTags = new[] { new KeyValuePair<string, string>("team", "platform") }, CustomRoleArn = role, KmsKey = key };

    private static ReadinessInput Input(string prefix = "docker-hub", string kind = "quay", string? url = null, string? secret = null, string? role = null, string? upstreamPrefix = null,
        PolicyDocument? registry = null, IEnumerable<CreationTemplateFacts>? templates = null, PolicyDocument? identity = null, bool pullers = true)
    {
        var input = new ReadinessInput(new CacheRuleFacts(prefix, Account, "us-east-1")
        {
            UpstreamRegistry = kind,
            UpstreamRegistryUrl = url ?? kind + ".upstream.example",
            CredentialArn = secret,
            CustomRoleArn = role,
            UpstreamRepositoryPrefix = upstreamPrefix,
        })
        {
            RegistryPolicy = Evidence<PolicyDocument?>.Known(registry ?? PtcGrant(prefix: prefix), "given"),
            Scope = Evidence<RegistryPolicyScope>.Known(RegistryPolicyScope.V2, "given"),
            Templates = Evidence<IReadOnlyList<CreationTemplateFacts>>.Known((templates ?? Array.Empty<CreationTemplateFacts>()).ToList(), "given"),
        };
        if (pullers)
        {
            input.Pullers.Add(new PullerEvidence(Puller, Evidence<IdentityFacts?>.Known(new IdentityFacts(Puller, new[] { new NamedPolicy("pull", identity ?? s_pullIdentity) }), "given")));
        }

        return input;
    }

    private static Evidence<IdentityFacts?> Role(string arn, PolicyDocument trust, PolicyDocument permissions) =>
        Evidence<IdentityFacts?>.Known(new IdentityFacts(arn, new[] { new NamedPolicy("permissions", permissions) }) { TrustPolicy = trust }, "given");

    private static ReadinessCheck Get(IEnumerable<ReadinessCheck> checks, ReadinessCheckKind kind) => checks.Single(c => c.Kind == kind);

    [Fact]
    public void A_public_upstream_with_the_registry_grant_and_the_pull_actions_passes_every_check()
    {
        var checks = PullThroughCacheReadiness.Check(Input());

        Assert.Equal(new[] { ReadinessCheckKind.Rule, ReadinessCheckKind.RepositoryCreationTemplate, ReadinessCheckKind.RegistryPolicyScope, ReadinessCheckKind.FirstPull, ReadinessCheckKind.LaterPulls }, checks.Select(c => c.Kind).ToArray());
        Assert.All(checks, c => Assert.Equal(ReadinessStatus.Pass, c.Status));
        Assert.Contains("docker-hub/example/image", Get(checks, ReadinessCheckKind.FirstPull).Reason);
        Assert.Contains("third-party report", Get(checks, ReadinessCheckKind.LaterPulls).Reason);
    }

    [Fact]
    public void A_tagging_template_makes_the_first_pull_need_TagResource_and_the_fix_is_an_identity_policy_with_it()
    {
        // pull-through-cache-iam.html: ecr:TagResource "must be granted via an identity-based IAM policy", when a template adds tags.
        var input = Input(templates: new[] { Tagging() });
        input.TemplateRole = Role(TemplateRole, Trust("ecr.amazonaws.com"), AllowAll());

        var checks = PullThroughCacheReadiness.Check(input);
        var first = Get(checks, ReadinessCheckKind.FirstPull);

        Assert.Equal(ReadinessStatus.Fail, first.Status);
        Assert.Contains("ecr:TagResource", first.Reason);
        var fix = Assert.Single(first.Fix);
        Assert.Equal(FixTarget.IdentityPolicy, fix.Target);
        Assert.Equal("ci-puller", fix.RoleName);
        Assert.Contains("ecr:TagResource", fix.Policy!.Document.ToCompactJson());
        Assert.Equal(ReadinessStatus.Pass, Get(checks, ReadinessCheckKind.LaterPulls).Status);
        Assert.Contains("adds 1 resource tag", Get(checks, ReadinessCheckKind.RepositoryCreationTemplate).Reason);

        // Applied, the fix passes.
        input.Pullers[0] = new PullerEvidence(Puller, Evidence<IdentityFacts?>.Known(new IdentityFacts(Puller, new[] { new NamedPolicy("pull", s_pullIdentity), new NamedPolicy("fix", fix.Policy.Document) }), "given"));
        Assert.All(PullThroughCacheReadiness.Check(input), c => Assert.Equal(ReadinessStatus.Pass, c.Status));
    }

    [Fact]
    public void TagResource_granted_by_the_registry_policy_does_not_count()
    {
        var registry = Doc("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + Puller + "\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\",\"ecr:TagResource\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*\"}");
        var input = Input(registry: registry, templates: new[] { Tagging() });
        input.TemplateRole = Role(TemplateRole, Trust("ecr.amazonaws.com"), AllowAll());

        var first = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.FirstPull);

        Assert.Equal(ReadinessStatus.Fail, first.Status);
        Assert.Contains("only by an identity-based policy", first.Reason);
    }

    [Fact]
    public void A_document_not_given_is_Unknown_never_Pass()
    {
        var input = Input();
        input.Templates = Evidence<IReadOnlyList<CreationTemplateFacts>>.NotGiven("not given (-Template)");
        input.Pullers[0] = new PullerEvidence(Puller, Evidence<IdentityFacts?>.Unreadable("IAM GetRole failed: AccessDenied", "IamAccessDenied"));

        var checks = PullThroughCacheReadiness.Check(input);

        Assert.Equal(ReadinessStatus.Unknown, Get(checks, ReadinessCheckKind.RepositoryCreationTemplate).Status);
        var first = Get(checks, ReadinessCheckKind.FirstPull);
        Assert.Equal(ReadinessStatus.Unknown, first.Status);
        Assert.Equal("IamAccessDenied", first.ErrorId);
        Assert.Equal(ReadinessStatus.Pass, Get(checks, ReadinessCheckKind.Rule).Status);
    }

    [Fact]
    public void Without_the_templates_a_first_pull_without_TagResource_is_Unknown_and_with_it_Pass()
    {
        var input = Input();
        input.Templates = Evidence<IReadOnlyList<CreationTemplateFacts>>.NotGiven("not given");
        Assert.Equal(ReadinessStatus.Unknown, Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.FirstPull).Status);

        input.Pullers[0] = new PullerEvidence(Puller, Evidence<IdentityFacts?>.Known(new IdentityFacts(Puller, new[] { new NamedPolicy("all", AllowAll()) }), "given"));
        Assert.Equal(ReadinessStatus.Pass, Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.FirstPull).Status);
    }

    [Fact]
    public void A_same_account_puller_without_the_registry_grant_gets_the_pull_through_cache_statement_as_its_fix()
    {
        var checks = PullThroughCacheReadiness.Check(Input(registry: s_replicationOnly));
        var first = Get(checks, ReadinessCheckKind.FirstPull);

        Assert.True(first.Status == ReadinessStatus.Fail, first.Reason);
        var fix = Assert.Single(first.Fix);
        Assert.Equal(FixTarget.RegistryPolicy, fix.Target);
        Assert.Equal(new[] { "ecr:CreateRepository", "ecr:BatchImportUpstreamImage" }, fix.Statement!.Action);
        Assert.Equal(new[] { "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*" }, fix.Statement.Resource);
    }

    [Fact]
    public void A_puller_in_another_account_needs_both_sides_and_gets_a_fix_for_each_side_that_is_missing()
    {
        const string other = "arn:aws:iam::999988887777:role/ci";
        var input = Input(registry: PtcGrant(other), pullers: false);
        input.Pullers.Add(new PullerEvidence(other, Evidence<IdentityFacts?>.Known(new IdentityFacts(other, new[] { new NamedPolicy("pull", s_pullIdentity) }), "given")));

        var first = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.FirstPull);

        Assert.Equal(ReadinessStatus.Fail, first.Status);
        Assert.Contains(first.Fix, f => f.Target == FixTarget.IdentityPolicy && f.RoleName == "ci");
        Assert.Contains(first.Fix, f => f.Target == FixTarget.RegistryPolicy && f.Statement!.Action.Contains("ecr:BatchGetImage"));
        Assert.DoesNotContain(first.Fix, f => f.Target == FixTarget.RegistryPolicy && f.Statement!.Action.Contains("ecr:CreateRepository"));
    }

    [Fact]
    public void An_explicit_deny_fails_with_the_statement_and_no_fix_to_add()
    {
        var registry = Doc("{\"Sid\":\"NoImports\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:BatchImportUpstreamImage\",\"Resource\":\"*\"},"
            + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + Puller + "\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"*\"}");

        var first = Get(PullThroughCacheReadiness.Check(Input(registry: registry)), ReadinessCheckKind.FirstPull);

        Assert.Equal(ReadinessStatus.Fail, first.Status);
        Assert.Contains("NoImports", first.Reason);
        Assert.Empty(first.Fix);
    }

    [Fact]
    public void A_grant_that_depends_on_a_context_key_the_check_cannot_know_is_Unknown()
    {
        var registry = Doc("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}");

        var first = Get(PullThroughCacheReadiness.Check(Input(registry: registry)), ReadinessCheckKind.FirstPull);

        Assert.Equal(ReadinessStatus.Unknown, first.Status);
        Assert.Contains("aws:PrincipalOrgID", first.Reason);
    }

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf", ReadinessStatus.Pass, null)]
    [InlineData("arn:aws:secretsmanager:us-east-1:111122223333:secret:docker-hub-AbCdEf", ReadinessStatus.Fail, "does not begin with")]
    [InlineData("arn:aws:secretsmanager:us-east-1:999988887777:secret:ecr-pullthroughcache/docker-hub-AbCdEf", ReadinessStatus.Fail, "account 999988887777")]
    [InlineData("arn:aws:secretsmanager:eu-west-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf", ReadinessStatus.Fail, "in eu-west-1")]
    public void The_secret_must_be_named_ecr_pullthroughcache_and_be_in_the_rule_s_account_and_Region(string arn, ReadinessStatus status, string? reason)
    {
        // "Creating a pull through cache rule": the name prefix, and "The account and Region that the secret is in must match ...".
        var checks = PullThroughCacheReadiness.Check(Input(kind: "docker-hub", secret: arn));
        var check = Get(checks, ReadinessCheckKind.SecretName);

        Assert.Equal(status, check.Status);
        if (reason is not null)
        {
            Assert.Contains(reason, check.Reason);
        }
    }

    [Fact]
    public void The_secret_itself_exists_is_not_deleted_and_a_customer_key_is_Unknown_and_says_it_is_unverified()
    {
        const string arn = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf";
        ReadinessCheck Secret(Evidence<SecretFacts?> evidence)
        {
            var input = Input(kind: "docker-hub", secret: arn);
            input.Secret = evidence;
            return Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.Secret);
        }

        Assert.Equal(ReadinessStatus.Pass, Secret(Evidence<SecretFacts?>.Known(new SecretFacts(arn, "ecr-pullthroughcache/docker-hub"), "read")).Status);
        Assert.Equal(ReadinessStatus.Fail, Secret(Evidence<SecretFacts?>.Known(null, "not found")).Status);
        Assert.Equal(ReadinessStatus.Fail, Secret(Evidence<SecretFacts?>.Known(new SecretFacts(arn, "x") { DeletedDate = DateTimeOffset.UtcNow.AddDays(7) }, "read")).Status);
        var keyed = Secret(Evidence<SecretFacts?>.Known(new SecretFacts(arn, "x") { KmsKeyId = Key }, "read"));
        Assert.Equal(ReadinessStatus.Unknown, keyed.Status);
        Assert.Contains("unverified", keyed.Reason);
        Assert.Equal(ReadinessStatus.Unknown, Secret(Evidence<SecretFacts?>.Unreadable("denied", "SecretsManagerAccessDenied")).Status);
    }

    [Fact]
    public void A_secret_upstream_without_a_credential_fails_the_rule_check()
    {
        var rule = Get(PullThroughCacheReadiness.Check(Input(kind: "docker-hub")), ReadinessCheckKind.Rule);

        Assert.Equal(ReadinessStatus.Fail, rule.Status);
        Assert.Contains("ecr-pullthroughcache/", rule.Reason);
    }

    [Fact]
    public void An_ECR_upstream_without_a_custom_role_fails_the_rule_check_even_in_the_same_account()
    {
        // pull-through-cache.html says a role is needed across accounts; pull-through-cache-private.html that same-account,
        // cross-region pull through cache needs "the IAM role policy and trust policy" too. Both: a role is required.
        var rule = Get(PullThroughCacheReadiness.Check(Input(kind: "ecr", url: "111122223333.dkr.ecr.eu-west-1.amazonaws.com")), ReadinessCheckKind.Rule);

        Assert.Equal(ReadinessStatus.Fail, rule.Status);
        Assert.Equal(FixTarget.Role, Assert.Single(rule.Fix).Target);
    }

    [Fact]
    public void An_ECR_upstream_in_the_same_account_needs_no_upstream_statement_and_checks_the_role()
    {
        var input = Input(kind: "ecr", url: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", role: CustomRole);
        input.CustomRole = Role(CustomRole, Trust("pullthroughcache.ecr.amazonaws.com"), AllowAll());

        var checks = PullThroughCacheReadiness.Check(input);

        Assert.All(checks, c => Assert.Equal(ReadinessStatus.Pass, c.Status));
        Assert.Contains("not required when the upstream and downstream registries are in the same AWS account", Get(checks, ReadinessCheckKind.UpstreamRegistryPolicy).Reason);
    }

    [Fact]
    public void A_custom_role_that_trusts_the_wrong_service_fails_and_the_fix_keeps_its_statements_and_adds_pull_through_cache()
    {
        var input = Input(kind: "ecr", url: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", role: CustomRole);
        input.CustomRole = Role(CustomRole, Trust("ecr.amazonaws.com"), AllowAll());

        var trust = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.CustomRoleTrust);

        Assert.Equal(ReadinessStatus.Fail, trust.Status);
        var fix = Assert.Single(trust.Fix);
        Assert.Equal(FixTarget.TrustPolicy, fix.Target);
        Assert.Equal("ptc-upstream", fix.RoleName);
        Assert.Equal(2, fix.Policy!.Document.Statements.Count);
        input.CustomRole = Role(CustomRole, fix.Policy.Document, AllowAll());
        Assert.Equal(ReadinessStatus.Pass, Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.CustomRoleTrust).Status);
    }

    [Fact]
    public void A_trust_condition_the_service_may_not_meet_is_Unknown()
    {
        var input = Input(kind: "ecr", url: "111122223333.dkr.ecr.eu-west-1.amazonaws.com", role: CustomRole);
        input.CustomRole = Role(CustomRole, Doc("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"pullthroughcache.ecr.amazonaws.com\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":{\"aws:SourceAccount\":\"111122223333\"}}}"), AllowAll());

        var trust = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.CustomRoleTrust);

        Assert.Equal(ReadinessStatus.Unknown, trust.Status);
        Assert.Contains("not verified", trust.Reason);
    }

    [Fact]
    public void The_custom_role_s_permissions_are_checked_action_by_action_and_the_fix_is_the_documented_policy()
    {
        var input = Input(kind: "ecr", url: "444455556666.dkr.ecr.us-west-2.amazonaws.com", role: CustomRole);
        input.CustomRole = Role(CustomRole, Trust("pullthroughcache.ecr.amazonaws.com"), AllowAll("\"ecr:GetAuthorizationToken\",\"ecr:BatchGetImage\""));

        var permissions = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.CustomRolePermissions);

        Assert.Equal(ReadinessStatus.Fail, permissions.Status);
        Assert.Contains("ecr:GetDownloadUrlForLayer", permissions.Reason);
        Assert.Contains("inferred", permissions.Reason);
        var fix = Assert.Single(permissions.Fix);
        Assert.Equal(PermissionSetGenerator.PullThroughCacheRoleActions, fix.Policy!.Document.Statements.Single().Action);
    }

    [Fact]
    public void Across_accounts_the_upstream_registry_policy_is_simulated_and_its_fix_is_the_upstream_access_statement()
    {
        var input = Input(kind: "ecr", url: "444455556666.dkr.ecr.us-west-2.amazonaws.com", role: CustomRole, upstreamPrefix: "team-a");
        input.CustomRole = Role(CustomRole, Trust("pullthroughcache.ecr.amazonaws.com"), AllowAll());
        var check = () => Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.UpstreamRegistryPolicy);

        Assert.Equal(ReadinessStatus.Unknown, check().Status);

        input.UpstreamRegistryPolicy = Evidence<PolicyDocument?>.Known(null, "given");
        var missing = check();
        Assert.Equal(ReadinessStatus.Fail, missing.Status);
        var statement = Assert.Single(missing.Fix).Statement!;
        Assert.Equal(PermissionSetGenerator.UpstreamStatement(Account, Upstream, "us-west-2", "team-a"), statement);
        Assert.Equal(new[] { "arn:aws:ecr:us-west-2:444455556666:repository/team-a/*" }, statement.Resource);

        input.UpstreamRegistryPolicy = Evidence<PolicyDocument?>.Known(PolicyDocument.CreateEmpty().WithStatements(new[] { statement }), "given");
        Assert.Equal(ReadinessStatus.Pass, check().Status);

        // A grant outside the upstream prefix does not reach team-a/example/image.
        input.UpstreamRegistryPolicy = Evidence<PolicyDocument?>.Known(PolicyDocument.CreateEmpty().WithStatements(new[] { PermissionSetGenerator.UpstreamStatement(Account, Upstream, "us-west-2", "team-b") }), "given");
        Assert.Equal(ReadinessStatus.Fail, check().Status);
    }

    [Fact]
    public void A_tagging_template_without_a_custom_role_fails_with_a_role_to_create()
    {
        // repository-creation-templates-custom.html: the custom role is needed "if you intend to use KMS keys, resource tags, or a combination of both".
        var checks = PullThroughCacheReadiness.Check(Input(templates: new[] { Tagging(role: null) }, identity: AllowAll()));
        var role = Get(checks, ReadinessCheckKind.TemplateRoleTrust);

        Assert.Equal(ReadinessStatus.Fail, role.Status);
        Assert.Equal(FixTarget.Role, Assert.Single(role.Fix).Target);
        Assert.DoesNotContain(checks, c => c.Kind == ReadinessCheckKind.TemplateRolePermissions);
    }

    [Fact]
    public void A_template_with_a_KMS_key_needs_the_grants_on_that_key_in_its_role()
    {
        var input = Input(templates: new[] { Tagging(key: Key) }, identity: AllowAll());
        input.TemplateRole = Role(TemplateRole, Trust("ecr.amazonaws.com"), AllowAll("\"ecr:CreateRepository\",\"ecr:TagResource\""));

        var failing = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.TemplateRolePermissions);
        input.TemplateRole = Role(TemplateRole, Trust("ecr.amazonaws.com"), Doc("{\"Effect\":\"Allow\",\"Action\":[\"ecr:CreateRepository\",\"ecr:TagResource\"],\"Resource\":\"*\"},{\"Effect\":\"Allow\",\"Action\":[\"kms:CreateGrant\",\"kms:RetireGrant\",\"kms:DescribeKey\"],\"Resource\":\"" + Key + "\"}"));
        var passing = Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.TemplateRolePermissions);

        Assert.Equal(ReadinessStatus.Fail, failing.Status);
        Assert.Contains("kms:CreateGrant", failing.Reason);
        Assert.Contains(Key, Assert.Single(failing.Fix).Policy!.Document.ToCompactJson());
        Assert.Equal(ReadinessStatus.Pass, passing.Status);
    }

    [Fact]
    public void The_most_specific_template_applies_and_the_choice_is_said_to_be_undocumented()
    {
        var templates = new[] { new CreationTemplateFacts("ROOT", new[] { "PULL_THROUGH_CACHE" }), Tagging("docker-hub", role: null), new CreationTemplateFacts("docker-hub/library", new[] { "REPLICATION" }) };

        var chosen = PullThroughCacheReadiness.ApplicableTemplate(templates, "docker-hub/library/nginx", out var matching);
        var root = PullThroughCacheReadiness.ApplicableTemplate(templates, "quay/etcd", out _);
        var template = Get(PullThroughCacheReadiness.Check(Input(templates: templates, identity: AllowAll())), ReadinessCheckKind.RepositoryCreationTemplate);

        Assert.Equal("docker-hub", chosen!.Prefix);
        Assert.Equal(2, matching.Count);
        Assert.Equal("ROOT", root!.Prefix);
        Assert.Contains("do not state", template.Reason);
    }

    [Fact]
    public void An_unknown_scope_is_evaluated_under_both_and_a_policy_V1_would_refuse_means_V2()
    {
        // registry-permissions.html: under V1 only ReplicateImage, BatchImportUpstreamImage and CreateRepository count, and ECR rejects other actions.
        var wide = Doc("{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + Puller + "\"},\"Action\":[\"ecr:*\"],\"Resource\":\"*\"}");
        var input = Input(registry: wide, identity: Doc("{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}"));
        input.Scope = Evidence<RegistryPolicyScope>.Unreadable("ECR GetAccountSetting failed", "EcrAccessDenied");

        var checks = PullThroughCacheReadiness.Check(input);
        var first = Get(checks, ReadinessCheckKind.FirstPull);

        Assert.Equal(ReadinessStatus.Unknown, Get(checks, ReadinessCheckKind.RegistryPolicyScope).Status);
        Assert.Equal(ReadinessStatus.Pass, first.Status);
        Assert.Contains("would refuse this registry policy under V1", first.Reason);

        // With the two registry actions only, V1 and V2 agree: the pull actions must come from the identity policy.
        input.RegistryPolicy = Evidence<PolicyDocument?>.Known(PtcGrant(), "given");
        Assert.Equal(ReadinessStatus.Fail, Get(PullThroughCacheReadiness.Check(input), ReadinessCheckKind.FirstPull).Status);
    }

    [Fact]
    public void A_ROOT_rule_checks_a_repository_without_a_prefix_and_its_statement_covers_every_repository()
    {
        var checks = PullThroughCacheReadiness.Check(Input(prefix: "ROOT", registry: s_replicationOnly));
        var first = Get(checks, ReadinessCheckKind.FirstPull);

        Assert.Contains("Repository example/image caches example/image", Get(checks, ReadinessCheckKind.Rule).Reason);
        Assert.Equal(new[] { "arn:aws:ecr:us-east-1:111122223333:repository/*" }, Assert.Single(first.Fix).Statement!.Resource);
    }

    [Fact]
    public void A_repository_name_that_is_not_one_is_RepositoryNameInvalid()
    {
        var input = Input();
        input.RepositoryName = "Library/*";

        Assert.Equal("RepositoryNameInvalid", Assert.Throws<PolicyException>(() => PullThroughCacheReadiness.Check(input)).ErrorId);
    }

    [Theory]
    [InlineData("kms:CreateGrant", Key, null)]
    [InlineData("iam:PassRole", "arn:aws:iam::111122223333:role/ptc-upstream", null)]
    [InlineData("ecr:CreateRepository", Key, "ResourceInvalid")]
    [InlineData("kms:CreateGrant", "arn:aws:kms:us-east-1:111122223333:key/*", "ResourceInvalid")]
    public void The_engine_takes_another_service_s_ARN_for_that_service_s_actions_only(string action, string resource, string? errorId)
    {
        if (errorId is null)
        {
            var request = Evaluation.AccessRequest.Create(TemplateRole, action, resource);
            Assert.Equal(Account, request.ResourceAccount);
        }
        else
        {
            Assert.Equal(errorId, Assert.Throws<PolicyException>(() => Evaluation.AccessRequest.Create(TemplateRole, action, resource)).ErrorId);
        }
    }
}
