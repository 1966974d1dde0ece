using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Generators;

/// <summary>Generates every document of the pull through cache permission set, least privilege, from what the AWS documentation lists.</summary>
/// <remarks>
/// The actions and where each may be granted are reference/PTC-PERMISSIONS.md 1.1, 1.2, 1.4 and 1.8. What a document
/// relies on beyond those pages is listed in its <see cref="GeneratedPolicy.Caveats"/>, never silently assumed.
/// </remarks>
public static class PermissionSetGenerator
{
    /// <summary>ecr:GetAuthorizationToken: every pull starts with it (Resource "*" only).</summary>
    public const string AuthorizationToken = "ecr:GetAuthorizationToken";

    /// <summary>ecr:TagResource, identity policy only: needed on the first pull when a repository creation template tags.</summary>
    public const string TagResource = "ecr:TagResource";

    /// <summary>The pull actions on a repository (besides the token): what every pull needs.</summary>
    public static IReadOnlyList<string> PullActions { get; } = new[] { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability" };

    /// <summary>The pull through cache actions of a rule operator (all Resource "*").</summary>
    public static IReadOnlyList<string> RuleOperatorActions { get; } = new[]
    {
        "ecr:CreatePullThroughCacheRule", "ecr:DescribePullThroughCacheRules", "ecr:UpdatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule", "ecr:ValidatePullThroughCacheRule",
    };

    /// <summary>The template actions of a template operator (all Resource "*").</summary>
    public static IReadOnlyList<string> TemplateOperatorActions { get; } = new[]
    {
        "ecr:CreateRepositoryCreationTemplate", "ecr:UpdateRepositoryCreationTemplate", "ecr:DescribeRepositoryCreationTemplates", "ecr:DeleteRepositoryCreationTemplate",
    };

    /// <summary>The nine actions of the ECR-to-ECR custom role, in the order of the AWS page.</summary>
    public static IReadOnlyList<string> PullThroughCacheRoleActions { get; } = new[]
    {
        "ecr:GetDownloadUrlForLayer", AuthorizationToken, EcrActions.BatchImportUpstreamImage, "ecr:BatchGetImage", "ecr:GetImageCopyStatus",
        "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
    };

    /// <summary>The ECR actions of a template's custom role, as the AWS page lists them.</summary>
    public static IReadOnlyList<string> TemplateRoleEcrActions { get; } = new[] { EcrActions.CreateRepository, EcrActions.ReplicateImage, TagResource };

    /// <summary>The KMS actions of a template's custom role, needed when the template names a key.</summary>
    public static IReadOnlyList<string> TemplateRoleKmsActions { get; } = new[] { "kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey" };

    /// <summary>Caveat: which service ECR passes a role to is inferred.</summary>
    public const string PassedToServiceCaveat =
        "The iam:PassedToService value is inferred from the role's trust principal: the Service Authorization Reference lists iam:PassRole with iam:PassedToService for this action, but the value was cut off in what was read (PTC-PERMISSIONS 1.8, unverified).";

    /// <summary>Caveat: that later pulls need ecr:BatchImportUpstreamImage is a third-party report.</summary>
    public const string LaterPullsCaveat =
        "That pulls of new tags into an existing cache repository need ecr:BatchImportUpstreamImage comes from a third-party report, not an AWS page (PTC-PERMISSIONS 1.8).";

    private static readonly Regex s_iamName = new(@"^[\w+=,.@-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex s_kmsKey = new(@"^arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-z0-9-]+$", RegexOptions.CultureInvariant);
    private static readonly string[] s_anyResource = { "*" };
    private static readonly string[] s_authorizationToken = { AuthorizationToken };
    private static readonly string[] s_passRole = { "iam:PassRole" };

    /// <summary>Generates the identity policy of a puller, a rule operator or a template operator.</summary>
    /// <exception cref="PolicyException">
    /// <c>NoRegion</c>, <c>RegionInvalid</c>, <c>RegistryIdInvalid</c>, <c>RepositoryPrefixMissing</c>, <c>RepositoryPrefixInvalid</c>,
    /// <c>RoleArnInvalid</c>, <c>PolicyNameInvalid</c>.
    /// </exception>
    public static GeneratedPolicy IdentityPolicy(IdentityPolicyRequest request)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }

        var partition = CheckRegions(request.Regions);
        var account = CheckAccount(request.AccountId);
        var regions = request.Regions.Distinct(StringComparer.Ordinal).ToList();
        var roles = CheckRoles(request.RoleArns, partition, account);
        return request.Actor switch
        {
            PermissionActor.RuleOperator => RuleOperator(request, regions, roles, account),
            PermissionActor.TemplateOperator => TemplateOperator(request, regions, account, roles),
            _ => Puller(request, regions, account),
        };
    }

    /// <summary>Generates a service role: trust and permissions, and for an ECR-to-ECR role in another account than its upstream, the upstream account's registry statement.</summary>
    /// <exception cref="PolicyException">
    /// <c>NoRegion</c>, <c>RegionInvalid</c>, <c>RegistryIdInvalid</c>, <c>RoleNameInvalid</c>, <c>RoleAccountMismatch</c>, <c>KmsKeyInvalid</c>,
    /// <c>PolicyNameInvalid</c>, and the errors of <see cref="StatementBuilder.Build"/> for the upstream statement.
    /// </exception>
    public static GeneratedRole ServiceRole(ServiceRoleRequest request)
    {
        if (request is null) { throw new ArgumentNullException(nameof(request)); }

        var region = request.Region;
        var partition = CheckRegions(region is null ? new List<string>() : new List<string> { region });
        var (roleName, path, roleAccount) = ReadRoleName(request.RoleName, request.Kind == ServiceRoleKind.PullThroughCache ? "PtcPullThroughCacheUpstream" : "PtcRepositoryCreationTemplate", partition);
        var account = request.AccountId ?? roleAccount;
        if (account is not null && roleAccount is not null && account != roleAccount)
        {
            // The SDK documents for both customRoleArn fields: "in the same account as the registry that you are configuring".
            throw new PolicyException(ErrorIds.RoleAccountMismatch, PolicyErrorKind.InvalidArgument,
                $"The role '{request.RoleName}' is in account {roleAccount}, but the registry is {account}: ECR requires the custom role to be in the same account as the registry it configures.", request.RoleName);
        }

        if (account is not null)
        {
            CheckAccount(account);
        }

        var policyName = CheckPolicyName(request.PolicyName) ?? roleName;
        return request.Kind == ServiceRoleKind.RepositoryCreationTemplate
            ? TemplateRole(request, roleName, path, policyName, partition)
            : PullThroughCacheRole(request, roleName, path, policyName, region!, account);
    }

    /// <summary>The repository ARN pattern of a cache prefix in a Region and account: <c>repository/PREFIX/*</c>, or <c>repository/*</c> for ROOT.</summary>
    public static string CacheRepositories(string region, string account, string prefix)
    {
        return RepositoryArn.Build(region, account, PullThroughCachePrefix.Repositories(prefix));
    }

    private static GeneratedPolicy Puller(IdentityPolicyRequest request, IReadOnlyList<string> regions, string account)
    {
        var prefixes = CheckPrefixes(request.RepositoryPrefixes, "the pull through cache rules' prefixes, or ROOT", Remedy.GiveCacheRulePrefixes);
        var repositories = regions.SelectMany(r => prefixes.Select(p => CacheRepositories(r, account, p))).Distinct(StringComparer.Ordinal).ToArray();
        var statements = new List<JObject>
        {
            Statement(GeneratedSids.AuthorizationToken, s_authorizationToken, s_anyResource, RequestedRegion(regions)),
            Statement(GeneratedSids.Pull, PullActions.Concat(new[] { EcrActions.BatchImportUpstreamImage }).ToArray(), repositories),
        };
        var caveats = new List<string>();
        if (request.Stage == PullStage.FirstPull)
        {
            var firstPull = request.TagResource ? new[] { EcrActions.CreateRepository, TagResource } : new[] { EcrActions.CreateRepository };
            statements.Add(Statement(GeneratedSids.FirstPull, firstPull, repositories));
        }
        else
        {
            caveats.Add(LaterPullsCaveat);
        }

        var what = request.Stage == PullStage.FirstPull ? "first and later pulls" : "later pulls";
        var tags = request.Stage == PullStage.FirstPull && request.TagResource ? ", tagging new repositories" : string.Empty;
        return new GeneratedPolicy(
            PermissionDocumentKind.PullerPolicy,
            CheckPolicyName(request.PolicyName) ?? "PtcPullThroughCachePuller",
            $"Pull through cache {what}{tags}: {Describe(prefixes)} in {string.Join(", ", regions)} ({account}).",
            Document(statements),
            caveats);
    }

    private static GeneratedPolicy RuleOperator(IdentityPolicyRequest request, IReadOnlyList<string> regions, IReadOnlyList<string> roles, string account)
    {
        var statements = new List<JObject> { Statement(GeneratedSids.Rules, RuleOperatorActions.ToArray(), s_anyResource, RequestedRegion(regions)) };
        var caveats = new List<string>();
        if (roles.Count > 0)
        {
            statements.Add(PassRole(roles, PullThroughCacheUpstreams.ServicePrincipal));
            caveats.Add(PassedToServiceCaveat);
        }

        caveats.Add("Creating the upstream secret (Secrets Manager) is not granted: ECR reads it through its service-linked role at pull time, and what the rule operator needs for it is not documented (PTC-PERMISSIONS 1.8).");
        return new GeneratedPolicy(
            PermissionDocumentKind.RuleOperatorPolicy,
            CheckPolicyName(request.PolicyName) ?? "PtcPullThroughCacheRuleOperator",
            $"Manage pull through cache rules in {string.Join(", ", regions)} ({account}){(roles.Count > 0 ? ", passing their custom roles to ECR" : string.Empty)}.",
            Document(statements),
            caveats);
    }

    private static GeneratedPolicy TemplateOperator(IdentityPolicyRequest request, IReadOnlyList<string> regions, string account, IReadOnlyList<string> roles)
    {
        var prefixes = CheckPrefixes(request.RepositoryPrefixes, "the templates' prefixes, or ROOT", Remedy.GiveRepositoryPrefix);
        var repositories = regions.SelectMany(r => prefixes.Select(p => CacheRepositories(r, account, p))).Distinct(StringComparer.Ordinal).ToArray();
        var onRepositories = new List<string> { EcrActions.CreateRepository };
        if (request.LifecyclePolicy)
        {
            onRepositories.Add("ecr:PutLifecyclePolicy");
        }

        if (request.RepositoryPolicy)
        {
            onRepositories.Add("ecr:SetRepositoryPolicy");
        }

        var statements = new List<JObject>
        {
            Statement(GeneratedSids.Templates, TemplateOperatorActions.ToArray(), s_anyResource, RequestedRegion(regions)),
            Statement(GeneratedSids.TemplateRepositories, onRepositories.ToArray(), repositories),
        };
        var caveats = new List<string>();
        if (roles.Count > 0)
        {
            statements.Add(PassRole(roles, PullThroughCacheUpstreams.TemplateServicePrincipal));
            caveats.Add(PassedToServiceCaveat.Replace("this action", "template actions"));
        }

        caveats.Add("The AWS page that lists these permissions continues past its iam:PassRole bullet; the rest was not read (PTC-PERMISSIONS 1.4), so this list may be incomplete.");
        return new GeneratedPolicy(
            PermissionDocumentKind.TemplateOperatorPolicy,
            CheckPolicyName(request.PolicyName) ?? "PtcRepositoryCreationTemplateOperator",
            $"Manage repository creation templates for {Describe(prefixes)} in {string.Join(", ", regions)} ({account}).",
            Document(statements),
            caveats);
    }

    private static GeneratedRole PullThroughCacheRole(ServiceRoleRequest request, string roleName, string path, string policyName, string region, string? account)
    {
        var trust = new GeneratedPolicy(
            PermissionDocumentKind.PullThroughCacheRoleTrustPolicy,
            "AssumeRolePolicy",
            $"Lets ECR pull through cache ({PullThroughCacheUpstreams.ServicePrincipal}) assume {roleName}.",
            TrustDocument(PullThroughCacheUpstreams.ServicePrincipal),
            Caveats("The trust policy has no aws:SourceAccount or aws:SourceArn condition, as on the AWS page; whether the service sets those keys is not verified (PTC-PERMISSIONS 1.2)."));
        var permissions = new GeneratedPolicy(
            PermissionDocumentKind.PullThroughCacheRolePolicy,
            policyName,
            $"What ECR needs, as {roleName}, to pull from an upstream ECR registry into the cache.",
            Document(new[] { Statement(GeneratedSids.UpstreamPull, PullThroughCacheRoleActions.ToArray(), s_anyResource) }),
            Caveats("If the upstream repositories use a customer managed KMS key, the role may also need kms:Decrypt on it; AWS documents nothing for this (PTC-PERMISSIONS 1.2, unverified)."));

        PolicyStatement? upstream = null;
        if (request.UpstreamRegistryId is { } upstreamAccount)
        {
            CheckAccount(upstreamAccount);
            if (account is null)
            {
                throw new PolicyException(ErrorIds.RegistryIdInvalid, PolicyErrorKind.InvalidArgument,
                    "An upstream registry was given but not the cache registry's account (nor a role ARN that names it), so the upstream statement cannot name it.", request.UpstreamRegistryId, remedy: Remedy.GiveRegistryId);
            }

            // Same account, any Region: the role's two policies are enough ("The root account principal permission is not required").
            if (upstreamAccount != account)
            {
                upstream = UpstreamStatement(account, upstreamAccount, request.UpstreamRegion ?? region, request.UpstreamRepositoryPrefix);
            }
        }

        var caveats = trust.Caveats.Concat(permissions.Caveats).ToArray();
        return new GeneratedRole(ServiceRoleKind.PullThroughCache, roleName, path,
            "Custom role of an ECR-to-ECR pull through cache rule (customRoleArn).", trust, permissions, upstream, caveats);
    }

    /// <summary>The statement an upstream account's registry policy needs for ECR-to-ECR pull through cache from another account: what New-PtcPolicyStatement -PolicyType UpstreamAccess gives.</summary>
    public static PolicyStatement UpstreamStatement(string downstreamAccount, string upstreamAccount, string upstreamRegion, string? upstreamRepositoryPrefix) =>
        StatementBuilder.Build(new StatementRequest
        {
            PolicyType = PolicyType.UpstreamAccess,
            Principals = new List<string> { downstreamAccount },
            Region = upstreamRegion,
            RegistryId = upstreamAccount,
            RepositoryPrefix = PullThroughCachePrefix.IsRoot(upstreamRepositoryPrefix) ? null : upstreamRepositoryPrefix,
        });

    private static GeneratedRole TemplateRole(ServiceRoleRequest request, string roleName, string path, string policyName, string partition)
    {
        var keys = new List<string>();
        foreach (var key in request.KmsKeyArns ?? new List<string>())
        {
            if (key is null || !s_kmsKey.IsMatch(key) || !key.StartsWith("arn:" + partition + ":", StringComparison.Ordinal))
            {
                throw new PolicyException(ErrorIds.KmsKeyInvalid, PolicyErrorKind.InvalidArgument,
                    $"'{key}' is not a KMS key ARN in the {partition} partition, such as arn:{partition}:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab (a template's encryptionConfiguration.kmsKey).", key);
            }

            if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }

        var trust = new GeneratedPolicy(
            PermissionDocumentKind.TemplateRoleTrustPolicy,
            "AssumeRolePolicy",
            $"Lets ECR ({PullThroughCacheUpstreams.TemplateServicePrincipal}) assume {roleName} to create repositories from a template.",
            TrustDocument(PullThroughCacheUpstreams.TemplateServicePrincipal),
            Array.Empty<string>());
        var statements = new List<JObject> { Statement(GeneratedSids.TemplateEcr, TemplateRoleEcrActions.ToArray(), s_anyResource) };
        var caveats = new List<string>();
        if (keys.Count > 0)
        {
            statements.Add(Statement(GeneratedSids.TemplateKms, TemplateRoleKmsActions.ToArray(), keys.ToArray()));
            caveats.Add("The KMS grants are limited to the keys the templates name; the AWS page grants them on \"*\" (PTC-PERMISSIONS 1.4).");
        }

        var permissions = new GeneratedPolicy(
            PermissionDocumentKind.TemplateRolePolicy,
            policyName,
            $"What ECR needs, as {roleName}, to create, tag{(keys.Count > 0 ? " and encrypt" : string.Empty)} repositories from a repository creation template.",
            Document(statements),
            caveats);
        return new GeneratedRole(ServiceRoleKind.RepositoryCreationTemplate, roleName, path,
            "Custom role of a repository creation template that tags or uses KMS (customRoleArn).", trust, permissions, null, caveats);
    }

    private static JObject Statement(string sid, string[] actions, string[] resources, JObject? condition = null)
    {
        var json = new JObject
        {
            ["Sid"] = sid,
            ["Effect"] = "Allow",
            ["Action"] = actions.Length == 1 ? new JValue(actions[0]) : new JArray(actions.Cast<object>().ToArray()),
            ["Resource"] = resources.Length == 1 ? new JValue(resources[0]) : new JArray(resources.Cast<object>().ToArray()),
        };
        if (condition is not null)
        {
            json["Condition"] = condition;
        }

        return json;
    }

    private static string[] Caveats(params string[] caveats) => caveats;

    private static JObject PassRole(IReadOnlyList<string> roles, string service) =>
        Statement(GeneratedSids.PassRole, s_passRole, roles.ToArray(), new JObject { ["StringEquals"] = new JObject { ["iam:PassedToService"] = service } });

    // Actions that take only Resource "*" are limited to the Regions with the global key AWS sets on every regional request.
    private static JObject RequestedRegion(IReadOnlyList<string> regions) =>
        new() { ["StringEquals"] = new JObject { ["aws:RequestedRegion"] = regions.Count == 1 ? new JValue(regions[0]) : new JArray(regions.Cast<object>().ToArray()) } };

    private static PolicyDocument TrustDocument(string service) =>
        Document(new[]
        {
            new JObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JObject { ["Service"] = service },
                ["Action"] = "sts:AssumeRole",
            },
        });

    private static PolicyDocument Document(IEnumerable<JObject> statements) =>
        PolicyDocument.FromJObject(new JObject { ["Version"] = PolicyDocument.CurrentVersion, ["Statement"] = new JArray(statements.Cast<object>().ToArray()) });

    private static string Describe(IReadOnlyList<string> prefixes) =>
        string.Join(", ", prefixes.Select(p => PullThroughCachePrefix.IsRoot(p) ? "every repository (ROOT)" : p + "/"));

    private static string CheckRegions(IList<string>? regions)
    {
        if (regions is null || regions.Count == 0 || regions.All(string.IsNullOrEmpty))
        {
            throw new PolicyException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument, "No Region was given, and none is set for the session; the ARNs in the policy name one.", remedy: Remedy.GiveRegion);
        }

        string? partition = null;
        foreach (var region in regions)
        {
            var p = Partitions.FromRegion(region);
            if (partition is not null && p != partition)
            {
                throw new PolicyException(ErrorIds.RegionInvalid, PolicyErrorKind.InvalidArgument, $"'{region}' is in the partition {p}, the other Regions in {partition}: one policy serves one partition. Generate one per partition.", region);
            }

            partition = p;
        }

        return partition!;
    }

    private static string CheckAccount(string? account)
    {
        if (!Arn.IsAccountId(account))
        {
            throw new PolicyException(ErrorIds.RegistryIdInvalid, PolicyErrorKind.InvalidArgument,
                string.IsNullOrEmpty(account)
                    ? "No registry id was given: the 12-digit account that owns the registry (a pull through cache rule carries it as RegistryId)."
                    : $"'{account}' is not a registry id; give the 12-digit account that owns the registry.",
                account,
                remedy: string.IsNullOrEmpty(account) ? Remedy.GiveRegistryId : Remedy.None);
        }

        return account!;
    }

    private static List<string> CheckPrefixes(IList<string>? prefixes, string hint, Remedy remedy)
    {
        var list = new List<string>();
        foreach (var raw in prefixes ?? new List<string>())
        {
            var prefix = PullThroughCachePrefix.Check(raw);
            if (!list.Contains(prefix))
            {
                list.Add(prefix);
            }
        }

        if (list.Count == 0)
        {
            throw new PolicyException(ErrorIds.RepositoryPrefixMissing, PolicyErrorKind.InvalidArgument, $"No repository prefix was given; a least-privilege policy names the repositories it covers: {hint}.", remedy: remedy);
        }

        return list;
    }

    private static List<string> CheckRoles(IList<string>? roles, string partition, string account)
    {
        var list = new List<string>();
        foreach (var role in roles ?? new List<string>())
        {
            if (!PrincipalId.TryParse(role, "AWS", out var id, out _, out _) || id.Kind != PrincipalKind.Role)
            {
                throw new PolicyException(ErrorIds.RoleArnInvalid, PolicyErrorKind.InvalidArgument, $"'{role}' is not an IAM role ARN such as arn:{partition}:iam::{account}:role/name.", role ?? string.Empty);
            }

            if (id.Partition != partition || id.Account != account)
            {
                throw new PolicyException(ErrorIds.RoleArnInvalid, PolicyErrorKind.InvalidArgument,
                    $"'{role}' is not in the registry's account {account} ({partition}): ECR requires a custom role in the same account as the registry it configures.", role);
            }

            if (!list.Contains(role!))
            {
                list.Add(role!);
            }
        }

        return list;
    }

    private static (string Name, string Path, string? Account) ReadRoleName(string? roleName, string defaultName, string partition)
    {
        if (string.IsNullOrEmpty(roleName))
        {
            return (defaultName, "/", null);
        }

        if (roleName!.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!PrincipalId.TryParse(roleName, "AWS", out var id, out _, out _) || id.Kind != PrincipalKind.Role || id.Partition != partition)
            {
                throw new PolicyException(ErrorIds.RoleNameInvalid, PolicyErrorKind.InvalidArgument, $"'{roleName}' is not an IAM role ARN in the {partition} partition, such as arn:{partition}:iam::111122223333:role/name.", roleName);
            }

            var resource = roleName.Substring(roleName.IndexOf(":role/", StringComparison.Ordinal) + ":role".Length);
            return (id.Name!, resource.Substring(0, resource.LastIndexOf('/') + 1), id.Account);
        }

        if (roleName.Length > 64 || !s_iamName.IsMatch(roleName))
        {
            throw new PolicyException(ErrorIds.RoleNameInvalid, PolicyErrorKind.InvalidArgument, $"'{roleName}' is not an IAM role name: 1 to 64 letters, digits and + = , . @ _ -.", roleName);
        }

        return (roleName, "/", null);
    }

    private static string? CheckPolicyName(string? name)
    {
        if (name is null)
        {
            return null;
        }

        if (name.Length is 0 or > 128 || !s_iamName.IsMatch(name))
        {
            throw new PolicyException(ErrorIds.PolicyNameInvalid, PolicyErrorKind.InvalidArgument, $"'{name}' is not an IAM policy name: 1 to 128 letters, digits and + = , . @ _ -.", name);
        }

        return name;
    }
}
