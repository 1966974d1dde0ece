using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Generators;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Readiness;

/// <summary>The readiness rules of pull through cache: one checklist per rule, from the documents given or read, simulated with the evaluation engine.</summary>
/// <remarks>
/// The facts are reference/PTC-PERMISSIONS.md (sections 0 and 1.1 to 1.8); where a check rests on something that
/// page marks unverified, its Reason says so. A document that was not given or could not be read makes the checks
/// that need it Unknown, never Pass.
/// </remarks>
public static class PullThroughCacheReadiness
{
    /// <summary>The repository under the cache prefix that the pulls are checked on when none is named.</summary>
    public const string DefaultRepositoryName = "example/image";

    private const string Unverified = "(unverified: PTC-PERMISSIONS";

    /// <summary>The actions a first pull needs besides ecr:TagResource, in the order a pull uses them.</summary>
    public static IReadOnlyList<string> FirstPullActions { get; } = new[]
    {
        PermissionSetGenerator.AuthorizationToken, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability",
        EcrActions.BatchImportUpstreamImage, EcrActions.CreateRepository,
    };

    /// <summary>The actions a later pull of a new tag needs.</summary>
    public static IReadOnlyList<string> LaterPullActions { get; } = new[]
    {
        PermissionSetGenerator.AuthorizationToken, "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability", EcrActions.BatchImportUpstreamImage,
    };

    // The custom role's actions that act on the upstream registry (the four the upstream account grants), and those on the cache.
    private static readonly string[] s_upstreamActions = StatementBuilder.UpstreamAccessActions.ToArray();

    /// <summary>The checklist of one rule.</summary>
    /// <exception cref="PolicyException"><c>RepositoryNameInvalid</c> when the repository to check on is not a repository name.</exception>
    public static IReadOnlyList<ReadinessCheck> Check(ReadinessInput input)
    {
        if (input is null) { throw new ArgumentNullException(nameof(input)); }

        var rule = new RuleView(input);
        var checks = new List<ReadinessCheck> { RuleCheck(rule) };
        switch (rule.Authentication)
        {
            case UpstreamAuthentication.Secret:
                checks.Add(SecretNameCheck(rule));
                checks.Add(SecretCheck(rule));
                break;
            case UpstreamAuthentication.IamRole:
                if (rule.Facts.CustomRoleArn is not null)
                {
                    checks.Add(RoleAccountCheck(rule));
                    checks.Add(CustomRoleTrustCheck(rule));
                    checks.Add(CustomRolePermissionsCheck(rule));
                }

                checks.Add(UpstreamPolicyCheck(rule));
                break;
        }

        checks.Add(TemplateCheck(rule));
        checks.AddRange(TemplateRoleChecks(rule));
        checks.Add(ScopeCheck(rule));
        foreach (var puller in input.Pullers)
        {
            checks.Add(PullCheck(rule, puller, ReadinessCheckKind.FirstPull));
            checks.Add(PullCheck(rule, puller, ReadinessCheckKind.LaterPulls));
        }

        return checks;
    }

    /// <summary>The template that applies to a repository ECR creates through the cache: the longest prefix of those for PULL_THROUGH_CACHE that match, else ROOT.</summary>
    /// <remarks>That the most specific prefix wins is not stated by the AWS pages read (see docs/decisions.md).</remarks>
    public static CreationTemplateFacts? ApplicableTemplate(IEnumerable<CreationTemplateFacts> templates, string repositoryName, out IReadOnlyList<CreationTemplateFacts> matching)
    {
        var list = templates.Where(t => t.ForPullThroughCache && (PullThroughCachePrefix.IsRoot(t.Key) || repositoryName == t.Key || repositoryName.StartsWith(t.Key + "/", StringComparison.Ordinal))).ToList();
        matching = list;
        return list.Where(t => !PullThroughCachePrefix.IsRoot(t.Key)).OrderByDescending(t => t.Key.Length).FirstOrDefault() ?? list.FirstOrDefault(t => PullThroughCachePrefix.IsRoot(t.Key));
    }

    // ---- the rule ----

    private static ReadinessCheck RuleCheck(RuleView rule)
    {
        var f = rule.Facts;
        var actor = "ECR pull through cache";
        var document = $"pull through cache rule {f}";
        if (rule.Kind is null)
        {
            return New(rule, ReadinessCheckKind.Rule, ReadinessStatus.Unknown, actor, document,
                $"The rule does not say its upstream kind (upstreamRegistry), and its URL '{f.UpstreamRegistryUrl}' is not an ECR private registry host. Give the rule as DescribePullThroughCacheRules returns it.");
        }

        if (rule.Authentication is null)
        {
            return New(rule, ReadinessCheckKind.Rule, ReadinessStatus.Fail, actor, document,
                $"'{rule.Kind}' is not an upstream kind ECR supports ({string.Join(", ", PullThroughCacheUpstreams.Kinds)}).");
        }

        switch (rule.Authentication)
        {
            case UpstreamAuthentication.Secret when f.CredentialArn is null:
                return New(rule, ReadinessCheckKind.Rule, ReadinessStatus.Fail, actor, document,
                    $"A {rule.Kind} upstream authenticates with a Secrets Manager secret, and the rule names none (credentialArn). Create the secret ({PullThroughCacheUpstreams.SecretNamePrefix}..., in {f.RegistryId} and {f.Region}) and update the rule.");
            case UpstreamAuthentication.IamRole when rule.UpstreamAccount is null:
                return New(rule, ReadinessCheckKind.Rule, ReadinessStatus.Fail, actor, document,
                    $"The upstream URL '{f.UpstreamRegistryUrl}' of an ECR upstream is not an ECR private registry host (ACCOUNT.dkr.ecr.REGION.{Partitions.DnsSuffix(rule.Partition)}).");
            case UpstreamAuthentication.IamRole when f.CustomRoleArn is null:
                // pull-through-cache-private.html: even "same-account, cross-region pull through cache" needs "the IAM role policy and trust policy".
                return New(rule, ReadinessCheckKind.Rule, ReadinessStatus.Fail, actor, document,
                    $"An ECR upstream ({rule.UpstreamAccount}, {rule.UpstreamRegion}) needs a custom role (customRoleArn) that pull through cache assumes; the rule names none. Create one and update the rule.",
                    remedy: Remedy.CreatePullThroughCacheRole,
                    fix: new[] { ReadinessFix.ForRole(PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.PullThroughCache, AccountId = f.RegistryId, Region = f.Region, UpstreamRegistryId = rule.UpstreamAccount, UpstreamRegion = rule.UpstreamRegion, UpstreamRepositoryPrefix = f.UpstreamRepositoryPrefix }), "Create this role, then name it in the rule (UpdatePullThroughCacheRule customRoleArn).") });
        }

        var how = rule.Authentication switch
        {
            UpstreamAuthentication.None => "needs no credentials",
            UpstreamAuthentication.Secret => $"authenticates with the secret {f.CredentialArn}",
            _ => rule.SameAccountUpstream
                ? $"is this account's registry in {rule.UpstreamRegion}, reached through the custom role {f.CustomRoleArn}"
                : $"is account {rule.UpstreamAccount}'s registry in {rule.UpstreamRegion}, reached through the custom role {f.CustomRoleArn}",
        };
        var auth = rule.Authentication switch
        {
            UpstreamAuthentication.None => "no credentials",
            UpstreamAuthentication.Secret => "secret",
            _ => rule.SameAccountUpstream ? "custom role, same account" : $"custom role, account {rule.UpstreamAccount}",
        };
        return New(rule, ReadinessCheckKind.Rule, ReadinessStatus.Pass, actor, document, $"The {rule.Kind} upstream {how}. Repository {rule.CacheRepository} caches {rule.UpstreamRepository} of the upstream.",
            summary: $"{rule.Kind} upstream ({auth})");
    }

    // ---- the secret ----

    private static ReadinessCheck SecretNameCheck(RuleView rule)
    {
        var f = rule.Facts;
        var arn = f.CredentialArn!;
        var actor = "ECR pull through cache (its service-linked role)";
        var document = $"secret {arn}";
        var problems = new List<string>();
        if (!Arn.TryParse(arn, out var parsed) || parsed.Service != "secretsmanager" || !parsed.Resource.StartsWith("secret:", StringComparison.Ordinal))
        {
            return New(rule, ReadinessCheckKind.SecretName, ReadinessStatus.Fail, actor, document, $"'{arn}' is not a Secrets Manager secret ARN.");
        }

        var name = parsed.Resource.Substring("secret:".Length);
        if (!name.StartsWith(PullThroughCacheUpstreams.SecretNamePrefix, StringComparison.Ordinal))
        {
            problems.Add($"its name '{name}' does not begin with '{PullThroughCacheUpstreams.SecretNamePrefix}'");
        }

        // "The account and Region that the secret is in must match the account and Region that the pull through cache rule is in."
        if (parsed.Account != f.RegistryId)
        {
            problems.Add($"it is in account {parsed.Account}, the rule in {f.RegistryId}");
        }

        if (parsed.Region != f.Region)
        {
            problems.Add($"it is in {parsed.Region}, the rule in {f.Region}");
        }

        return problems.Count == 0
            ? New(rule, ReadinessCheckKind.SecretName, ReadinessStatus.Pass, actor, document, $"The secret's name begins with {PullThroughCacheUpstreams.SecretNamePrefix}, and it is in the rule's account and Region, as ECR requires.",
                summary: "name, account and Region as ECR requires")
            : New(rule, ReadinessCheckKind.SecretName, ReadinessStatus.Fail, actor, document,
                $"ECR reads only secrets named {PullThroughCacheUpstreams.SecretNamePrefix}... in the rule's own account and Region, and {string.Join("; ", problems)}. Create the secret there under such a name and update the rule's credentialArn.",
                summary: string.Join("; ", problems));
    }

    private static ReadinessCheck SecretCheck(RuleView rule)
    {
        var evidence = rule.Input.Secret;
        var actor = "ECR pull through cache (its service-linked role)";
        var document = $"secret {rule.Facts.CredentialArn}";
        if (!evidence.IsKnown)
        {
            return Unknown(rule, ReadinessCheckKind.Secret, actor, document, $"The secret's metadata is not known: {evidence.Source}.", evidence.ErrorId);
        }

        var secret = evidence.Value;
        if (secret is null)
        {
            return New(rule, ReadinessCheckKind.Secret, ReadinessStatus.Fail, actor, document, "The secret does not exist. Create it (for Docker Hub: the keys username and accessToken) with the name the rule names.", summary: "the secret does not exist");
        }

        if (secret.DeletedDate is { } deleted)
        {
            return New(rule, ReadinessCheckKind.Secret, ReadinessStatus.Fail, actor, document, $"The secret is scheduled for deletion on {deleted:yyyy-MM-dd}, and a secret scheduled for deletion cannot be read. Restore it (RestoreSecret).", summary: $"scheduled for deletion on {deleted:yyyy-MM-dd}");
        }

        if (secret.KmsKeyId is { } key)
        {
            return New(rule, ReadinessCheckKind.Secret, ReadinessStatus.Unknown, actor, document,
                $"The secret exists, encrypted with the customer managed key {key}. Whether ECR's service-linked role can decrypt it depends on that key's policy, which PtcTools does not read, and no AWS page states what it must allow {Unverified} 1.5).", summary: "customer managed key: key policy not read");
        }

        return New(rule, ReadinessCheckKind.Secret, ReadinessStatus.Pass, actor, document,
            "The secret exists, is not scheduled for deletion and uses the AWS managed key; ECR reads it with its service-linked role AWSServiceRoleForECRPullThroughCache (secretsmanager:GetSecretValue on ecr-pullthroughcache/* of its own account).",
            summary: "exists, AWS managed key");
    }

    // ---- the ECR-to-ECR custom role ----

    private static ReadinessCheck RoleAccountCheck(RuleView rule)
    {
        var arn = rule.Facts.CustomRoleArn!;
        var document = $"pull through cache rule {rule.Facts}";
        if (!PrincipalId.TryParse(arn, "AWS", out var id, out _, out _) || id.Kind != PrincipalKind.Role)
        {
            return New(rule, ReadinessCheckKind.CustomRoleAccount, ReadinessStatus.Fail, "ECR pull through cache", document, $"The customRoleArn '{arn}' is not an IAM role ARN.");
        }

        return id.Account == rule.Facts.RegistryId
            ? New(rule, ReadinessCheckKind.CustomRoleAccount, ReadinessStatus.Pass, "ECR pull through cache", document, $"The custom role is in the registry's account {rule.Facts.RegistryId}, as ECR requires.", summary: "in the registry's account")
            : New(rule, ReadinessCheckKind.CustomRoleAccount, ReadinessStatus.Fail, "ECR pull through cache", document,
                $"The custom role is in account {id.Account}, but it must be \"in the same account as the registry that you are configuring\" ({rule.Facts.RegistryId}). Create it there and update the rule.", summary: $"role in account {id.Account}", remedy: Remedy.CreatePullThroughCacheRole);
    }

    private static ReadinessCheck CustomRoleTrustCheck(RuleView rule)
    {
        var generated = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.PullThroughCache, RoleName = RoleArnOrNull(rule.Facts.CustomRoleArn), Region = rule.Facts.Region });
        return TrustCheck(rule, ReadinessCheckKind.CustomRoleTrust, rule.Facts.CustomRoleArn!, rule.Input.CustomRole, PullThroughCacheUpstreams.ServicePrincipal, generated);
    }

    private static ReadinessCheck CustomRolePermissionsCheck(RuleView rule)
    {
        var roleArn = rule.Facts.CustomRoleArn!;
        var actor = $"custom role {roleArn}";
        var document = $"permissions policies of {roleArn}";
        var evidence = rule.Input.CustomRole;
        if (!evidence.IsKnown)
        {
            return Unknown(rule, ReadinessCheckKind.CustomRolePermissions, actor, document, $"The role's policies are not known: {evidence.Source}.", evidence.ErrorId);
        }

        if (evidence.Value is null)
        {
            return New(rule, ReadinessCheckKind.CustomRolePermissions, ReadinessStatus.Fail, actor, document, "The role does not exist (see CustomRoleTrust).");
        }

        if (!evidence.Value.PoliciesKnown)
        {
            return Unknown(rule, ReadinessCheckKind.CustomRolePermissions, actor, document, "The role's permissions policies were not given.", null, remedy: Remedy.GiveCustomRolePolicy);
        }

        var generated = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest { Kind = ServiceRoleKind.PullThroughCache, RoleName = RoleArnOrNull(roleArn), Region = rule.Facts.Region });
        var requests = PermissionSetGenerator.PullThroughCacheRoleActions.Select(action =>
            s_upstreamActions.Contains(action) ? new Probe(action, rule.UpstreamArn!, rule.UpstreamRegion!)
            : action == PermissionSetGenerator.AuthorizationToken ? new Probe(action, "*", rule.UpstreamRegion!)
            : new Probe(action, rule.CacheArn, rule.Facts.Region)).ToList();
        var outcome = IdentitySide(evidence.Value, roleArn, requests, "the upstream registry's policy (checked by UpstreamRegistryPolicy)");
        var fix = new[] { ReadinessFix.ForIdentity(FixTarget.RolePolicy, generated.Permissions, generated.RoleName, null, $"Put this permissions policy on the role {generated.RoleName}.") };
        return Conclude(rule, ReadinessCheckKind.CustomRolePermissions, actor, document, outcome,
            "the nine actions pull-through-cache-private.html lists",
            "Which repository each action is checked on is inferred: the four the upstream also grants on the upstream repository, the layer uploads and PutImage on the cache repository; the AWS page grants all nine on \"*\".",
            fix);
    }

    private static ReadinessCheck UpstreamPolicyCheck(RuleView rule)
    {
        var f = rule.Facts;
        var actor = $"upstream account {rule.UpstreamAccount ?? "(unknown)"}";
        var document = $"registry policy of {rule.UpstreamAccount ?? "the upstream"} in {rule.UpstreamRegion ?? "(unknown)"}";
        if (rule.UpstreamAccount is null)
        {
            return New(rule, ReadinessCheckKind.UpstreamRegistryPolicy, ReadinessStatus.Unknown, actor, document, "The upstream registry is not known (see Rule).");
        }

        if (rule.SameAccountUpstream)
        {
            return New(rule, ReadinessCheckKind.UpstreamRegistryPolicy, ReadinessStatus.Pass, actor, document,
                "The upstream is in the cache's own account: \"The root account principal permission is not required when the upstream and downstream registries are in the same AWS account\" (pull-through-cache-private.html).",
                summary: "same account: not needed");
        }

        var statement = PermissionSetGenerator.UpstreamStatement(f.RegistryId, rule.UpstreamAccount, rule.UpstreamRegion!, f.UpstreamRepositoryPrefix);
        var fix = new[] { ReadinessFix.ForRegistry(FixTarget.UpstreamRegistryPolicy, statement, $"In account {rule.UpstreamAccount}, add this statement to the registry policy of {rule.UpstreamRegion}.") };
        var evidence = rule.Input.UpstreamRegistryPolicy;
        if (!evidence.IsKnown)
        {
            return Unknown(rule, ReadinessCheckKind.UpstreamRegistryPolicy, actor, document,
                $"The upstream account's registry policy is not known: {evidence.Source}. It must grant {f.RegistryId} {string.Join(", ", s_upstreamActions)} (a repository policy in that account can grant them too).", evidence.ErrorId);
        }

        if (evidence.Value is null)
        {
            return New(rule, ReadinessCheckKind.UpstreamRegistryPolicy, ReadinessStatus.Fail, actor, document,
                $"The upstream account has no registry policy, so nothing grants account {f.RegistryId} {string.Join(", ", s_upstreamActions)} on {rule.UpstreamRepository} (unless a repository policy there does, which PtcTools does not read).", fix);
        }

        if (!TryCompile(evidence.Value, PolicyKind.Resource, "upstream registry policy", null, out var upstream, out var problem))
        {
            return New(rule, ReadinessCheckKind.UpstreamRegistryPolicy, ReadinessStatus.Unknown, actor, document, $"The upstream registry policy cannot be evaluated: {problem}");
        }

        var principal = f.CustomRoleArn ?? $"arn:{rule.Partition}:iam::{f.RegistryId}:root";
        var standIn = StandInIdentity("the custom role's permissions (checked by CustomRolePermissions)");
        var outcome = s_upstreamActions.Select(action => Simulate(new PolicySet(upstream, new[] { standIn }), principal, new Probe(action, rule.UpstreamArn!, rule.UpstreamRegion!))).ToList();
        return Conclude(rule, ReadinessCheckKind.UpstreamRegistryPolicy, actor, document, outcome,
            $"what account {f.RegistryId} needs there (assuming the upstream's registry policy scope is V2, the default)",
            "A repository policy in the upstream account can grant these too; PtcTools does not read repository policies.",
            fix);
    }

    // ---- templates ----

    private static ReadinessCheck TemplateCheck(RuleView rule)
    {
        var actor = "ECR (repository creation)";
        var document = $"repository creation templates of {rule.Facts.RegistryId} in {rule.Facts.Region}";
        if (!rule.Input.Templates.IsKnown)
        {
            return Unknown(rule, ReadinessCheckKind.RepositoryCreationTemplate, actor, document,
                $"The templates are not known: {rule.Input.Templates.Source}. Whether a template tags new repositories (so pullers need ecr:TagResource) or needs a custom role cannot be told.", rule.Input.Templates.ErrorId);
        }

        var template = rule.Template;
        if (template is null)
        {
            return New(rule, ReadinessCheckKind.RepositoryCreationTemplate, ReadinessStatus.Pass, actor, document,
                $"No repository creation template for PULL_THROUGH_CACHE matches {rule.CacheRepository}: new cache repositories get ECR's defaults, and neither ecr:TagResource nor a template role is needed.",
                summary: "no template applies");
        }

        var implies = new List<string>();
        if (template.Tags)
        {
            implies.Add($"adds {template.ResourceTags.Count} resource tag(s), so pullers need ecr:TagResource in an identity policy");
        }

        if (template.NamesKmsKey)
        {
            implies.Add($"encrypts with the KMS key {template.KmsKey}");
        }
        else if (template.EncryptionType is "KMS" or "KMS_DSSE")
        {
            implies.Add("encrypts with the AWS managed KMS key (taken to need no custom role: not documented)");
        }

        implies.Add(template.CustomRoleArn is { } role ? $"ECR assumes {role} for it" : template.NeedsCustomRole ? "it names no custom role" : "ECR uses its service-linked role for it");
        var several = rule.MatchingTemplates.Count > 1
            ? $" ({string.Join(" and ", rule.MatchingTemplates.Select(t => t.Prefix))} match; the longest prefix is taken to apply, which the AWS pages do not state.)"
            : string.Empty;
        return New(rule, ReadinessCheckKind.RepositoryCreationTemplate, ReadinessStatus.Pass, actor, document,
            $"The template {template.Prefix} applies to {rule.CacheRepository}: it {string.Join("; ", implies)}.{several}",
            summary: $"template {template.Prefix}" + (template.Tags ? ": tags, needs TagResource" : string.Empty) + (template.NamesKmsKey ? (template.Tags ? ", KMS" : ": KMS") : string.Empty));
    }

    private static IEnumerable<ReadinessCheck> TemplateRoleChecks(RuleView rule)
    {
        var template = rule.Template;
        if (template is null || (!template.NeedsCustomRole && template.CustomRoleArn is null))
        {
            yield break;
        }

        var generated = PermissionSetGenerator.ServiceRole(new ServiceRoleRequest
        {
            Kind = ServiceRoleKind.RepositoryCreationTemplate,
            RoleName = RoleArnOrNull(template.CustomRoleArn),
            Region = rule.Facts.Region,
            AccountId = RoleArnOrNull(template.CustomRoleArn) is null ? rule.Facts.RegistryId : null,
            KmsKeyArns = template.NamesKmsKey && KmsKeyOfPartition(template.KmsKey!, rule.Partition) ? new List<string> { template.KmsKey! } : new List<string>(),
        });
        if (template.CustomRoleArn is null)
        {
            yield return New(rule, ReadinessCheckKind.TemplateRoleTrust, ReadinessStatus.Fail, "ECR (repository creation)", $"repository creation template {template.Prefix}",
                "The template adds resource tags or uses a KMS key but names no custom role, so ECR uses the service-linked role AWSServiceRoleForECRTemplate, whose policy only allows ecr:CreateRepository (repository-creation-templates-custom.html). Create a role and name it in the template (customRoleArn).",
                remedy: Remedy.CreateTemplateRole,
                fix: new[] { ReadinessFix.ForRole(generated, "Create this role, then name it in the template (UpdateRepositoryCreationTemplate customRoleArn).") },
                summary: "the template names no custom role");
            yield break;
        }

        if (!PrincipalId.TryParse(template.CustomRoleArn, "AWS", out var id, out _, out _) || id.Kind != PrincipalKind.Role || id.Account != rule.Facts.RegistryId)
        {
            yield return New(rule, ReadinessCheckKind.TemplateRoleTrust, ReadinessStatus.Fail, "ECR (repository creation)", $"repository creation template {template.Prefix}",
                $"The template's customRoleArn '{template.CustomRoleArn}' is not a role of the registry's account {rule.Facts.RegistryId}; it must be \"in the same account as the registry that you are configuring\".");
            yield break;
        }

        yield return TrustCheck(rule, ReadinessCheckKind.TemplateRoleTrust, template.CustomRoleArn, rule.Input.TemplateRole, PullThroughCacheUpstreams.TemplateServicePrincipal, generated);

        var roleArn = template.CustomRoleArn;
        var actor = $"template role {roleArn}";
        var document = $"permissions policies of {roleArn}";
        var evidence = rule.Input.TemplateRole;
        if (!evidence.IsKnown)
        {
            yield return Unknown(rule, ReadinessCheckKind.TemplateRolePermissions, actor, document, $"The role's policies are not known: {evidence.Source}.", evidence.ErrorId);
            yield break;
        }

        if (evidence.Value is null)
        {
            yield return New(rule, ReadinessCheckKind.TemplateRolePermissions, ReadinessStatus.Fail, actor, document, "The role does not exist (see TemplateRoleTrust).");
            yield break;
        }

        if (!evidence.Value.PoliciesKnown)
        {
            yield return Unknown(rule, ReadinessCheckKind.TemplateRolePermissions, actor, document, "The role's permissions policies were not given.", null, remedy: Remedy.GiveTemplateRolePolicy);
            yield break;
        }

        var probes = new List<Probe> { new(EcrActions.CreateRepository, rule.CacheArn, rule.Facts.Region) };
        if (template.Tags)
        {
            probes.Add(new Probe(PermissionSetGenerator.TagResource, rule.CacheArn, rule.Facts.Region));
        }

        if (template.NamesKmsKey)
        {
            probes.AddRange(PermissionSetGenerator.TemplateRoleKmsActions.Select(a => new Probe(a, template.KmsKey!, rule.Facts.Region)));
        }

        var outcome = IdentitySide(evidence.Value, roleArn, probes, null);
        yield return Conclude(rule, ReadinessCheckKind.TemplateRolePermissions, actor, document, outcome,
            "what the template needs of it (repository-creation-templates-custom.html)", null,
            new[] { ReadinessFix.ForIdentity(FixTarget.RolePolicy, generated.Permissions, generated.RoleName, null, $"Put this permissions policy on the role {generated.RoleName}.") });
    }

    // ---- scope ----

    private static ReadinessCheck ScopeCheck(RuleView rule)
    {
        var actor = "ECR (registry policy)";
        var document = $"account setting REGISTRY_POLICY_SCOPE of {rule.Facts.RegistryId} in {rule.Facts.Region}";
        var evidence = rule.Input.Scope;
        if (!evidence.IsKnown)
        {
            return Unknown(rule, ReadinessCheckKind.RegistryPolicyScope, actor, document,
                $"The registry policy scope is not known: {evidence.Source}. The pull checks are evaluated under V1 and V2, and Unknown where they differ.", evidence.ErrorId);
        }

        return evidence.Value == RegistryPolicyScope.V2
            ? New(rule, ReadinessCheckKind.RegistryPolicyScope, ReadinessStatus.Pass, actor, document,
                "V2 (the default since December 2024): the registry policy may grant every ECR action and is enforced on every ECR request, so an explicit Deny in it applies to ordinary pulls too.", summary: "V2")
            : New(rule, ReadinessCheckKind.RegistryPolicyScope, ReadinessStatus.Pass, actor, document,
                "V1: the registry policy counts only for ecr:CreateRepository, ecr:BatchImportUpstreamImage and ecr:ReplicateImage, so the pull actions and ecr:TagResource must come from identity policies (the pull checks are evaluated so). Newer AWS pages describe V2 only; switch with PutAccountSetting REGISTRY_POLICY_SCOPE V2.", summary: "V1: pull actions must come from identity policies");
    }

    // ---- the pullers ----

    private static ReadinessCheck PullCheck(RuleView rule, PullerEvidence puller, ReadinessCheckKind kind)
    {
        var f = rule.Facts;
        var first = kind == ReadinessCheckKind.FirstPull;
        var actor = $"puller {puller.Arn}";
        var document = $"identity policies of {puller.Arn}, and the registry policy of {f.RegistryId} in {f.Region}";
        var missing = new List<string>();
        if (!puller.Identity.IsKnown)
        {
            missing.Add($"its identity policies are not known: {puller.Identity.Source}");
        }

        if (!rule.Input.RegistryPolicy.IsKnown)
        {
            missing.Add($"the registry policy is not known: {rule.Input.RegistryPolicy.Source}");
        }

        if (missing.Count > 0)
        {
            return Unknown(rule, kind, actor, document, string.Join("; ", missing).Substring(0, 1).ToUpperInvariant() + string.Join("; ", missing).Substring(1) + ".",
                puller.Identity.ErrorId ?? rule.Input.RegistryPolicy.ErrorId, puller.Arn);
        }

        if (puller.Identity.Value is null)
        {
            return New(rule, kind, ReadinessStatus.Fail, actor, document, $"{puller.Arn} does not exist in IAM.", principal: puller.Arn);
        }

        var tagging = first && rule.Template is { Tags: true };
        var tagsUnknown = first && !rule.Input.Templates.IsKnown;
        var actions = (first ? FirstPullActions : LaterPullActions).ToList();
        if (tagging || tagsUnknown)
        {
            actions.Add(PermissionSetGenerator.TagResource);
        }

        var scopes = rule.Input.Scope.IsKnown ? new[] { rule.Input.Scope.Value } : new[] { RegistryPolicyScope.V2, RegistryPolicyScope.V1 };
        var outcomes = new List<List<Outcome>>();
        string? scopeNote = null;
        foreach (var scope in scopes)
        {
            if (!TryPullerSet(puller.Identity.Value, rule.Input.RegistryPolicy.Value, scope, out var full, out var identityOnly, out var problem))
            {
                if (!rule.Input.Scope.IsKnown && scope == RegistryPolicyScope.V1 && outcomes.Count == 1)
                {
                    // ECR refuses such a policy under V1, so the registry that holds it is V2.
                    scopeNote = "The scope is not known, but ECR would refuse this registry policy under V1, so it was evaluated under V2.";
                    break;
                }

                return New(rule, kind, ReadinessStatus.Unknown, actor, document, $"The documents cannot be evaluated: {problem}", principal: puller.Arn);
            }

            outcomes.Add(actions.Select(action => action == PermissionSetGenerator.AuthorizationToken
                ? Simulate(identityOnly, puller.Arn, new Probe(action, "*", f.Region))
                : Simulate(full, puller.Arn, new Probe(action, rule.CacheArn, f.Region), identityOnly: action == PermissionSetGenerator.TagResource)).ToList());
        }

        var outcome = outcomes[0];
        if (outcomes.Count > 1 && !outcomes[0].Select(o => o.Allowed).SequenceEqual(outcomes[1].Select(o => o.Allowed)))
        {
            var differ = actions.Where((a, i) => outcomes[0][i].Allowed != outcomes[1][i].Allowed);
            return New(rule, kind, ReadinessStatus.Unknown, actor, document,
                $"The registry policy scope is not known, and {string.Join(", ", differ)} would be decided differently under V1 and V2.", principal: puller.Arn);
        }

        if (tagsUnknown && outcome.Last() is { Allowed: false })
        {
            outcome = outcome.Take(outcome.Count - 1).ToList();
            if (outcome.All(o => o.Allowed))
            {
                return New(rule, kind, ReadinessStatus.Unknown, actor, document,
                    $"Every pull action is allowed, but ecr:TagResource is not, and whether it is needed depends on the repository creation templates, which are not known: {rule.Input.Templates.Source}.", principal: puller.Arn);
            }
        }

        var fixes = PullFixes(rule, puller.Arn, outcome, first, tagging, rule.Input.Scope.IsKnown ? rule.Input.Scope.Value : RegistryPolicyScope.V2);
        var what = first
            ? $"the first pull of {rule.CacheRepository} (the pull actions, the import and ecr:CreateRepository{(tagging ? ", and ecr:TagResource for the template's tags" : string.Empty)})"
            : $"later pulls of new tags into {rule.CacheRepository}";
        var note = string.Join(" ", new[] { scopeNote, first ? null : PermissionSetGenerator.LaterPullsCaveat }.Where(n => n is not null));
        note = note.Length == 0 ? null : note;
        return Conclude(rule, kind, actor, document, outcome, what, note, fixes, puller.Arn);
    }

    private static IReadOnlyList<ReadinessFix> PullFixes(RuleView rule, string puller, IReadOnlyList<Outcome> outcome, bool first, bool tagging, RegistryPolicyScope scope)
    {
        var f = rule.Facts;
        var failing = outcome.Where(o => !o.Allowed && !o.ExplicitDeny && !o.ConditionDependent && !o.Boundary).ToList();
        if (failing.Count == 0)
        {
            return Array.Empty<ReadinessFix>();
        }

        var fixes = new List<ReadinessFix>();
        PrincipalId.TryParse(puller, "AWS", out var id, out _, out _);
        var sameAccount = id?.Account == f.RegistryId;
        var registryOnly = new[] { EcrActions.CreateRepository, EcrActions.BatchImportUpstreamImage };

        // Same account: a registry statement is enough for the two pull through cache actions; anything else needs an identity policy.
        // Across accounts: each side that does not allow needs its document.
        var needIdentity = failing.Any(o => !o.IdentityAllows && (!sameAccount || !registryOnly.Contains(o.Action, StringComparer.OrdinalIgnoreCase)));
        if (needIdentity && id is { Kind: PrincipalKind.Role or PrincipalKind.AssumedRole or PrincipalKind.User })
        {
            var policy = PermissionSetGenerator.IdentityPolicy(new IdentityPolicyRequest
            {
                Actor = PermissionActor.Puller,
                RepositoryPrefixes = new List<string> { f.Prefix },
                Regions = new List<string> { f.Region },
                AccountId = f.RegistryId,
                Stage = first ? PullStage.FirstPull : PullStage.LaterPulls,
                TagResource = tagging,
            });
            var user = id.Kind == PrincipalKind.User;
            fixes.Add(ReadinessFix.ForIdentity(FixTarget.IdentityPolicy, policy, user ? null : id.Name, user ? id.Name : null,
                $"Put this identity policy on the {(user ? "user" : "role")} {id.Name}; it replaces an earlier one of the same name."));
        }

        var needRegistry = failing.Where(o => !o.ResourceAllows && (!sameAccount ? true : !needIdentity) && registryOnly.Contains(o.Action, StringComparer.OrdinalIgnoreCase)).ToList();
        if (needRegistry.Count > 0)
        {
            fixes.Add(RegistryFix(null, $"Add this statement to the registry policy of {f.RegistryId} in {f.Region}."));
        }

        var pullActions = PermissionSetGenerator.PullActions;
        var crossPull = failing.Where(o => !sameAccount && !o.ResourceAllows && pullActions.Contains(o.Action, StringComparer.OrdinalIgnoreCase)).Select(o => o.Action).Distinct().ToList();
        if (crossPull.Count > 0 && scope == RegistryPolicyScope.V2)
        {
            fixes.Add(RegistryFix(crossPull, $"Add this statement to the registry policy of {f.RegistryId} in {f.Region}: across accounts the registry must grant the pull actions too."));
        }

        return fixes;

        // The registry statement for the puller on the rule's prefix: the pull through cache actions, or only those given.
        ReadinessFix RegistryFix(List<string>? actions, string action) =>
            ReadinessFix.ForRegistry(FixTarget.RegistryPolicy, StatementBuilder.Build(new StatementRequest
            {
                PolicyType = PolicyType.PullThroughCache,
                Principals = new List<string> { puller },
                RepositoryPrefix = f.Prefix,
                Region = f.Region,
                RegistryId = f.RegistryId,
                Actions = actions ?? new List<string>(),
            }), action);
    }

    // ---- shared evaluation ----

    private static ReadinessCheck TrustCheck(RuleView rule, ReadinessCheckKind kind, string roleArn, Evidence<IdentityFacts?> evidence, string service, GeneratedRole generated)
    {
        var actor = $"{service} (assuming {roleArn})";
        var document = $"trust policy of {roleArn}";
        if (!evidence.IsKnown)
        {
            return Unknown(rule, kind, actor, document, $"The role is not known: {evidence.Source}.", evidence.ErrorId);
        }

        if (evidence.Value is null)
        {
            return New(rule, kind, ReadinessStatus.Fail, actor, document, $"The role {roleArn} does not exist. Create it.",
                new[] { ReadinessFix.ForRole(generated, "Create this role.") }, summary: "the role does not exist",
                remedy: generated.Kind == ServiceRoleKind.PullThroughCache ? Remedy.CreatePullThroughCacheRole : Remedy.CreateTemplateRole);
        }

        var trust = evidence.Value.TrustPolicy;
        if (trust is null)
        {
            return Unknown(rule, kind, actor, document, "The role's trust policy is not known (give it with the role's documents).", null);
        }

        // A trust policy's resource is the role itself, so its statements have no Resource: "*" stands in for it.
        var asResource = trust.WithStatements(trust.Statements.Select(s => s.IsObject && !s.Has("Resource") && !s.Has("NotResource") ? s.With("Resource", "*") : s));
        if (!TryCompile(asResource, PolicyKind.Resource, "trust policy", null, out var compiled, out var problem))
        {
            return New(rule, kind, ReadinessStatus.Unknown, actor, document, $"The trust policy cannot be evaluated: {problem}");
        }

        var result = PermissionEvaluator.Evaluate(new PolicySet(compiled), AccessRequest.Create(service, "sts:AssumeRole", "*"));
        if (result.Decision == PermissionDecision.Allowed)
        {
            return New(rule, kind, ReadinessStatus.Pass, actor, document, $"The trust policy lets {service} assume the role ({string.Join(", ", result.MatchedStatements.Select(m => m.Label))}).",
                summary: "trusts " + service);
        }

        if (result.Decision == PermissionDecision.ExplicitDeny)
        {
            return New(rule, kind, ReadinessStatus.Fail, actor, document, $"{result.Reason} Remove that statement from the role's trust policy.", summary: "denies " + service);
        }

        if (result.NearMisses.Any(n => n.Effect == "Allow"))
        {
            return New(rule, kind, ReadinessStatus.Unknown, actor, document,
                $"The trust policy allows {service} only under conditions the service's request may or may not meet: {string.Join("; ", result.NearMisses.Where(n => n.Effect == "Allow").Select(n => n.ToString()))}. Whether the service sets keys such as aws:SourceAccount is not verified (PTC-PERMISSIONS 1.2).", summary: "trusts " + service + " under conditions");
        }

        // The fix keeps what the role trusts now and adds the service.
        var merged = trust.WithStatements(trust.Statements.Concat(generated.Trust.Document.Statements));
        var fix = new GeneratedPolicy(generated.Trust.Kind, generated.Trust.PolicyName, $"{generated.Trust.Description} (the role's trust policy as it is, plus that statement)", merged, generated.Trust.Caveats);
        // The engine words its answer for a registry policy; a trust policy is said in its own terms.
        var trusted = trust.Statements.Where(st => st.Effect == "Allow").SelectMany(st => st.Principal).Select(p => p.Key == "*" ? "*" : p.Value).Distinct().ToList();
        return New(rule, kind, ReadinessStatus.Fail, actor, document,
            $"No statement of the role's trust policy lets {service} call sts:AssumeRole; it trusts {(trusted.Count == 0 ? "no one" : string.Join(", ", trusted))}.",
            new[] { ReadinessFix.ForIdentity(FixTarget.TrustPolicy, fix, generated.RoleName, null, $"Replace the role's trust policy with this one: it keeps the statements it has and adds one for {service}.") },
            summary: "does not trust " + service);
    }

    // What the identity side allows: the role's policies and boundary; across accounts a stand-in resource policy takes the other side out of the question.
    private static List<Outcome> IdentitySide(IdentityFacts identity, string principal, IReadOnlyList<Probe> probes, string? standInName)
    {
        if (!TryIdentity(identity, out var policies, out var boundary, out var problem))
        {
            return probes.Select(p => Outcome.Unevaluable(p.Action, problem)).ToList();
        }

        PrincipalId.TryParse(principal, "AWS", out var id, out _, out _);
        var standIn = StandInResource(principal, standInName ?? "the resource's policy (not part of this check)");
        return probes.Select(p =>
        {
            var crossAccount = Arn.TryParse(p.Resource, out var arn) && arn.Account.Length > 0 && arn.Account != id?.Account;
            return Simulate(new PolicySet(crossAccount ? standIn : null, policies, boundary), principal, p);
        }).ToList();
    }

    private static bool TryPullerSet(IdentityFacts identity, PolicyDocument? registry, RegistryPolicyScope scope, [NotNullWhen(true)] out PolicySet? full, [NotNullWhen(true)] out PolicySet? identityOnly, [NotNullWhen(false)] out string? problem)
    {
        full = identityOnly = null;
        if (!TryIdentity(identity, out var policies, out var boundary, out problem))
        {
            return false;
        }

        CompiledPolicy? compiled = null;
        if (registry is not null && !TryCompile(registry, PolicyKind.Resource, "registry policy", scope, out compiled, out problem))
        {
            return false;
        }

        full = new PolicySet(compiled, policies, boundary, null, scope);
        identityOnly = new PolicySet(null, policies, boundary);
        return true;
    }

    private static bool TryIdentity(IdentityFacts identity, out CompiledPolicy[] policies, out CompiledPolicy[] boundary, [NotNullWhen(false)] out string? problem)
    {
        var list = new List<CompiledPolicy>();
        boundary = Array.Empty<CompiledPolicy>();
        policies = Array.Empty<CompiledPolicy>();
        foreach (var policy in identity.Policies)
        {
            if (!TryCompile(policy.Document, PolicyKind.Identity, policy.Name, null, out var compiled, out problem))
            {
                return false;
            }

            list.Add(compiled);
        }

        if (identity.PermissionsBoundary is { } b)
        {
            if (!TryCompile(b.Document, PolicyKind.PermissionsBoundary, b.Name, null, out var compiled, out problem))
            {
                return false;
            }

            boundary = new[] { compiled };
        }

        policies = list.ToArray();
        problem = null;
        return true;
    }

    private static bool TryCompile(PolicyDocument document, PolicyKind kind, string name, RegistryPolicyScope? scope, [NotNullWhen(true)] out CompiledPolicy? compiled, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            compiled = CompiledPolicy.Compile(document, kind, name, scope);
            problem = null;
            return true;
        }
        catch (PolicyException ex)
        {
            compiled = null;
            problem = ex.Message;
            return false;
        }
    }

    private static Outcome Simulate(PolicySet set, string principal, Probe probe, bool identityOnly = false)
    {
        EvaluationResult result;
        try
        {
            result = PermissionEvaluator.Evaluate(set, AccessRequest.Create(principal, probe.Action, probe.Resource, new[] { new KeyValuePair<string, ContextValue>("aws:RequestedRegion", ContextValue.Of(probe.Region)) }));
        }
        catch (PolicyException ex)
        {
            return Outcome.Unevaluable(probe.Action, ex.Message);
        }

        return new Outcome(probe, result, identityOnly);
    }

    private static ReadinessCheck Conclude(RuleView rule, ReadinessCheckKind kind, string actor, string document, IReadOnlyList<Outcome> outcome, string what, string? note, IReadOnlyList<ReadinessFix> fix, string? principal = null)
    {
        var suffix = note is null ? string.Empty : " " + note;
        if (outcome.FirstOrDefault(o => o.Problem is not null) is { } broken)
        {
            return New(rule, kind, ReadinessStatus.Unknown, actor, document, $"The documents cannot be evaluated: {broken.Problem}", principal: principal);
        }

        if (outcome.All(o => o.Allowed))
        {
            return New(rule, kind, ReadinessStatus.Pass, actor, document, $"Allowed: {what}: {string.Join(", ", outcome.Select(o => o.Action))}.{suffix}", principal: principal,
                summary: $"allowed: {outcome.Count} action(s)");
        }

        var denied = outcome.Where(o => !o.Allowed).ToList();
        var explicitDeny = denied.FirstOrDefault(o => o.ExplicitDeny);
        var hard = denied.Where(o => !o.ConditionDependent).ToList();
        var reasons = denied.Take(2).Select(o => $"{o.Action}: {o.Why}");
        var more = denied.Count > 2 ? $" ({denied.Count - 2} more: {string.Join(", ", denied.Skip(2).Select(o => o.Action))}.)" : string.Empty;
        var allowed = outcome.Where(o => o.Allowed).Select(o => o.Action).ToList();
        var allowedText = allowed.Count > 0 ? $" Allowed: {string.Join(", ", allowed)}." : string.Empty;
        if (hard.Count == 0)
        {
            return New(rule, kind, ReadinessStatus.Unknown, actor, document,
                $"Not allowed as the request is known, but statements would allow it if their conditions held (the check does not know the request's other context keys): {string.Join(" ", reasons)}{more}{allowedText}", principal: principal,
                summary: "depends on conditions: " + string.Join(", ", denied.Select(o => o.Action)));
        }

        var fixes = explicitDeny is not null && hard.All(o => o.ExplicitDeny) ? Array.Empty<ReadinessFix>() : fix;
        var label = explicitDeny is not null && hard.All(o => o.ExplicitDeny) ? "denied: " : "missing: ";
        return New(rule, kind, ReadinessStatus.Fail, actor, document, $"Missing for {what}: {string.Join(" ", reasons)}{more}{allowedText}{suffix}", fixes, principal,
            label + string.Join(", ", hard.Select(o => o.Action)));
    }

    private static CompiledPolicy StandInIdentity(string name) =>
        CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"), PolicyKind.Identity, name);

    private static CompiledPolicy StandInResource(string principal, string name) =>
        CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":" + Newtonsoft.Json.JsonConvert.ToString(principal) + "},\"Action\":\"*\",\"Resource\":\"*\"}]}"), PolicyKind.Resource, name);

    private static string? RoleArnOrNull(string? arn) =>
        arn is not null && PrincipalId.TryParse(arn, "AWS", out var id, out _, out _) && id.Kind == PrincipalKind.Role ? arn : null;

    private static bool KmsKeyOfPartition(string key, string partition) => key.StartsWith("arn:" + partition + ":kms:", StringComparison.Ordinal);

    private static ReadinessCheck New(RuleView rule, ReadinessCheckKind kind, ReadinessStatus status, string actor, string document, string reason, IReadOnlyList<ReadinessFix>? fix = null, string? principal = null, string? summary = null, Remedy remedy = Remedy.None) =>
        new(rule.Facts, kind, status, actor, document, reason, fix, principal, null, summary, remedy);

    private static ReadinessCheck Unknown(RuleView rule, ReadinessCheckKind kind, string actor, string document, string reason, string? errorId, string? principal = null, Remedy remedy = Remedy.None) =>
        new(rule.Facts, kind, ReadinessStatus.Unknown, actor, document, reason, null, principal, errorId, errorId is null ? (reason.Contains("not given") ? "not given" : "not known") : $"could not be read ({errorId})", remedy);

    /// <summary>One request the checks simulate: an action on a resource in a Region.</summary>
    private sealed class Probe
    {
        public Probe(string action, string resource, string region)
        {
            Action = action;
            Resource = resource;
            Region = region;
        }

        public string Action { get; }

        public string Resource { get; }

        public string Region { get; }
    }

    /// <summary>The engine's answer to a probe, and which side of it allowed.</summary>
    private sealed class Outcome
    {
        public Outcome(Probe probe, EvaluationResult result, bool identityOnly)
        {
            Action = probe.Action;
            IdentityAllows = result.MatchedStatements.Any(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Identity);
            ResourceAllows = result.MatchedStatements.Any(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Resource);
            ExplicitDeny = result.Decision == PermissionDecision.ExplicitDeny;

            // ecr:TagResource "must be granted via an identity-based IAM policy": a registry-policy grant does not count.
            Allowed = result.Decision == PermissionDecision.Allowed && (!identityOnly || IdentityAllows);
            ConditionDependent = !Allowed && !ExplicitDeny && result.NearMisses.Any(n => n.Effect == "Allow");
            Boundary = !Allowed && !ExplicitDeny && IdentityAllows && (result.SameAccount || ResourceAllows) && !(identityOnly && !IdentityAllows);
            Why = identityOnly && result.Decision == PermissionDecision.Allowed && !IdentityAllows
                ? "the registry policy grants it, but it can be granted only by an identity-based policy (pull-through-cache-iam.html)"
                : result.Reason;
        }

        private Outcome(string action, string problem)
        {
            Action = action;
            Problem = problem;
            Why = problem;
        }

        public string Action { get; }

        public bool Allowed { get; }

        public bool IdentityAllows { get; }

        public bool ResourceAllows { get; }

        public bool ExplicitDeny { get; }

        public bool ConditionDependent { get; }

        public bool Boundary { get; }

        public string Why { get; }

        public string? Problem { get; }

        public static Outcome Unevaluable(string action, string problem) => new(action, problem);
    }

    /// <summary>What every check of a rule works from: the kind, the repositories, the upstream, the template.</summary>
    private sealed class RuleView
    {
        public RuleView(ReadinessInput input)
        {
            Input = input;
            Facts = input.Rule;
            Partition = Partitions.FromRegion(Facts.Region);
            var name = (input.RepositoryName ?? DefaultRepositoryName).Trim('/');
            CacheRepository = PullThroughCachePrefix.Repository(Facts.Prefix, name);
            if (!RepositoryArn.TryParse(RepositoryArn.Build(Facts.Region, Facts.RegistryId, CacheRepository), out _, out _) || Wildcard.HasWildcard(name))
            {
                throw new PolicyException(ErrorIds.RepositoryNameInvalid, PolicyErrorKind.InvalidArgument,
                    $"'{name}' is not a repository name under the cache prefix: lowercase letters, digits, '.', '_', '-' and '/', without wildcards (for example library/nginx).", input.RepositoryName);
            }

            CacheArn = RepositoryArn.Build(Facts.Region, Facts.RegistryId, CacheRepository);
            UpstreamRepository = PullThroughCachePrefix.Repository(Facts.UpstreamRepositoryPrefix, name);
            var isEcrHost = EcrRegistryHost.TryParse(Facts.UpstreamRegistryUrl, out var account, out var region);
            Kind = Facts.UpstreamRegistry ?? (isEcrHost ? PullThroughCacheUpstreams.Ecr : null);
            Authentication = PullThroughCacheUpstreams.AuthenticationOf(Kind);
            if (Kind == PullThroughCacheUpstreams.Ecr && isEcrHost)
            {
                UpstreamAccount = account;
                UpstreamRegion = region;
                UpstreamArn = RepositoryArn.Build(region!, account!, UpstreamRepository);
            }

            if (input.Templates.IsKnown)
            {
                Template = ApplicableTemplate(input.Templates.Value, CacheRepository, out var matching);
                MatchingTemplates = matching;
            }
        }

        public ReadinessInput Input { get; }

        public CacheRuleFacts Facts { get; }

        public string Partition { get; }

        public string? Kind { get; }

        public UpstreamAuthentication? Authentication { get; }

        public string CacheRepository { get; }

        public string CacheArn { get; }

        public string UpstreamRepository { get; }

        public string? UpstreamAccount { get; }

        public string? UpstreamRegion { get; }

        public string? UpstreamArn { get; }

        public bool SameAccountUpstream => UpstreamAccount == Facts.RegistryId;

        public CreationTemplateFacts? Template { get; }

        public IReadOnlyList<CreationTemplateFacts> MatchingTemplates { get; } = Array.Empty<CreationTemplateFacts>();
    }
}
