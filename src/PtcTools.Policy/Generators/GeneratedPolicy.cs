using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Generators;

/// <summary>Which document of the pull through cache permission set a generated policy is.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PermissionDocumentKind
{
    /// <summary>The identity policy of a principal that pulls through the cache.</summary>
    PullerPolicy,

    /// <summary>The identity policy of a principal that creates and maintains pull through cache rules.</summary>
    RuleOperatorPolicy,

    /// <summary>The identity policy of a principal that manages repository creation templates.</summary>
    TemplateOperatorPolicy,

    /// <summary>The trust policy of the custom role an ECR-to-ECR rule names.</summary>
    PullThroughCacheRoleTrustPolicy,

    /// <summary>The permissions policy of the custom role an ECR-to-ECR rule names.</summary>
    PullThroughCacheRolePolicy,

    /// <summary>The trust policy of a repository creation template's custom role.</summary>
    TemplateRoleTrustPolicy,

    /// <summary>The permissions policy of a repository creation template's custom role.</summary>
    TemplateRolePolicy,
}

/// <summary>The principal an identity policy is generated for.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PermissionActor
{
    /// <summary>Pulls images through the cache.</summary>
    Puller,

    /// <summary>Creates, describes, updates, validates and deletes pull through cache rules.</summary>
    RuleOperator,

    /// <summary>Creates, describes, updates and deletes repository creation templates.</summary>
    TemplateOperator,
}

/// <summary>Which pulls a puller's policy is for.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PullStage
{
    /// <summary>The first pull, which creates the cache repository (and tags it when a template tags): every later pull is covered too.</summary>
    FirstPull,

    /// <summary>Pulls into cache repositories that exist already: no ecr:CreateRepository or ecr:TagResource.</summary>
    LaterPulls,
}

/// <summary>The role a service assumes on the permission set's behalf.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum ServiceRoleKind
{
    /// <summary>The custom role of an ECR-to-ECR pull through cache rule (trusts pullthroughcache.ecr.amazonaws.com).</summary>
    PullThroughCache,

    /// <summary>The custom role of a repository creation template that tags or uses KMS (trusts ecr.amazonaws.com).</summary>
    RepositoryCreationTemplate,
}

/// <summary>One generated IAM policy document, with the name and description to create it under and what in it is not verified.</summary>
public sealed class GeneratedPolicy
{
    internal GeneratedPolicy(PermissionDocumentKind kind, string policyName, string description, PolicyDocument document, IReadOnlyList<string> caveats)
    {
        Kind = kind;
        PolicyName = policyName;
        Description = description;
        Document = document;
        Caveats = caveats;
    }

    /// <summary>Which document of the permission set this is.</summary>
    public PermissionDocumentKind Kind { get; }

    /// <summary>The name to create (or put) the policy under.</summary>
    public string PolicyName { get; }

    /// <summary>What the policy is for, in one sentence.</summary>
    public string Description { get; }

    /// <summary>The policy.</summary>
    public PolicyDocument Document { get; }

    /// <summary>What the policy relies on that the AWS documentation does not state (empty when everything is documented).</summary>
    public IReadOnlyList<string> Caveats { get; }
}

/// <summary>A generated service role: its trust policy, its permissions policy and, for ECR-to-ECR, the upstream account's statement.</summary>
public sealed class GeneratedRole
{
    internal GeneratedRole(ServiceRoleKind kind, string roleName, string path, string description, GeneratedPolicy trust, GeneratedPolicy permissions, PolicyStatement? upstreamStatement, IReadOnlyList<string> caveats)
    {
        Kind = kind;
        RoleName = roleName;
        Path = path;
        Description = description;
        Trust = trust;
        Permissions = permissions;
        UpstreamStatement = upstreamStatement;
        Caveats = caveats;
    }

    /// <summary>Which role this is.</summary>
    public ServiceRoleKind Kind { get; }

    /// <summary>The role's name.</summary>
    public string RoleName { get; }

    /// <summary>The role's IAM path (<c>/</c> unless the role ARN given has another).</summary>
    public string Path { get; }

    /// <summary>What the role is for.</summary>
    public string Description { get; }

    /// <summary>The trust (assume role) policy.</summary>
    public GeneratedPolicy Trust { get; }

    /// <summary>The permissions policy.</summary>
    public GeneratedPolicy Permissions { get; }

    /// <summary>For an ECR-to-ECR role whose upstream is in another account: the statement that account's registry policy needs; else null.</summary>
    public PolicyStatement? UpstreamStatement { get; }

    /// <summary>What the role's documents rely on that the AWS documentation does not state.</summary>
    public IReadOnlyList<string> Caveats { get; }
}

/// <summary>What to generate an identity policy for.</summary>
public sealed class IdentityPolicyRequest
{
    /// <summary>Whose policy it is.</summary>
    public PermissionActor Actor { get; set; } = PermissionActor.Puller;

    /// <summary>The cache prefixes (the rules' ecrRepositoryPrefix, or ROOT); for a template operator, the templates' prefixes.</summary>
    public IList<string> RepositoryPrefixes { get; set; } = new List<string>();

    /// <summary>The Regions of the registries, all in one partition.</summary>
    public IList<string> Regions { get; set; } = new List<string>();

    /// <summary>The account (registry id) the repositories are in.</summary>
    public string? AccountId { get; set; }

    /// <summary>For a puller: the first pull (default) or only later pulls.</summary>
    public PullStage Stage { get; set; } = PullStage.FirstPull;

    /// <summary>For a puller's first pull: add ecr:TagResource, which a repository creation template that tags needs.</summary>
    public bool TagResource { get; set; }

    /// <summary>The roles the operator passes to ECR (iam:PassRole): a rule's custom role, or a template's.</summary>
    public IList<string> RoleArns { get; set; } = new List<string>();

    /// <summary>For a template operator: a template sets a lifecycle policy (ecr:PutLifecyclePolicy).</summary>
    public bool LifecyclePolicy { get; set; }

    /// <summary>For a template operator: a template sets a repository policy (ecr:SetRepositoryPolicy).</summary>
    public bool RepositoryPolicy { get; set; }

    /// <summary>The policy's name; null gives the actor's default.</summary>
    public string? PolicyName { get; set; }
}

/// <summary>What to generate a service role for.</summary>
public sealed class ServiceRoleRequest
{
    /// <summary>Which role.</summary>
    public ServiceRoleKind Kind { get; set; } = ServiceRoleKind.PullThroughCache;

    /// <summary>The role's name, or its ARN (which gives the path and the account too); null gives the kind's default name.</summary>
    public string? RoleName { get; set; }

    /// <summary>The account (registry id) the role and the cache are in.</summary>
    public string? AccountId { get; set; }

    /// <summary>The Region of the cache registry (for the partition).</summary>
    public string? Region { get; set; }

    /// <summary>ECR-to-ECR: the upstream registry's account; a statement for its registry policy is generated when it is another account.</summary>
    public string? UpstreamRegistryId { get; set; }

    /// <summary>ECR-to-ECR: the upstream registry's Region (default: <see cref="Region"/>).</summary>
    public string? UpstreamRegion { get; set; }

    /// <summary>ECR-to-ECR: the rule's upstreamRepositoryPrefix, which limits the upstream statement (null or ROOT: every repository).</summary>
    public string? UpstreamRepositoryPrefix { get; set; }

    /// <summary>Template role: the KMS keys the templates name (kms grants on these keys).</summary>
    public IList<string> KmsKeyArns { get; set; } = new List<string>();

    /// <summary>The permissions policy's name; null gives the kind's default.</summary>
    public string? PolicyName { get; set; }
}

/// <summary>Statement ids the generators use, so a re-generated policy merges by Sid.</summary>
public static class GeneratedSids
{
    /// <summary>ecr:GetAuthorizationToken.</summary>
    public const string AuthorizationToken = "EcrAuthorizationToken";

    /// <summary>The pull actions on the cache repositories.</summary>
    public const string Pull = "PullThroughCachePull";

    /// <summary>The first pull's actions on the cache repositories.</summary>
    public const string FirstPull = "PullThroughCacheFirstPull";

    /// <summary>Rule management.</summary>
    public const string Rules = "PullThroughCacheRules";

    /// <summary>Template management.</summary>
    public const string Templates = "RepositoryCreationTemplates";

    /// <summary>What a template operator does to the repositories its templates cover.</summary>
    public const string TemplateRepositories = "TemplateRepositories";

    /// <summary>iam:PassRole for the role ECR assumes.</summary>
    public const string PassRole = "PassRoleToEcr";

    /// <summary>A trust policy's one statement.</summary>
    public const string Trust = "TrustEcr";

    /// <summary>The ECR-to-ECR custom role's permissions.</summary>
    public const string UpstreamPull = "PullThroughCacheUpstream";

    /// <summary>A template role's ECR permissions.</summary>
    public const string TemplateEcr = "TemplateRepositoryCreation";

    /// <summary>A template role's KMS grants.</summary>
    public const string TemplateKms = "TemplateKmsGrants";
}
