using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using PtcTools.Policy.Generators;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Readiness;

/// <summary>The outcome of one readiness check.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum ReadinessStatus
{
    /// <summary>What the check needs holds, in the documents read.</summary>
    Pass,

    /// <summary>It does not hold: the Reason says what is missing and the Fix what to add.</summary>
    Fail,

    /// <summary>It cannot be told: a document was not given or not readable, or the answer depends on what the check cannot know.</summary>
    Unknown,
}

/// <summary>What a readiness check is about.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum ReadinessCheckKind
{
    /// <summary>The rule and its upstream kind (and what the kind needs).</summary>
    Rule,

    /// <summary>The upstream secret's name, account and Region, from its ARN.</summary>
    SecretName,

    /// <summary>The upstream secret itself (DescribeSecret): exists, not deleted, which key.</summary>
    Secret,

    /// <summary>The ECR-to-ECR custom role is in the registry's account.</summary>
    CustomRoleAccount,

    /// <summary>The custom role trusts pull through cache.</summary>
    CustomRoleTrust,

    /// <summary>The custom role allows the nine actions.</summary>
    CustomRolePermissions,

    /// <summary>The upstream account's registry policy grants the downstream account.</summary>
    UpstreamRegistryPolicy,

    /// <summary>Which repository creation template applies, and what it implies.</summary>
    RepositoryCreationTemplate,

    /// <summary>The template's custom role exists, is in the account and trusts ECR.</summary>
    TemplateRoleTrust,

    /// <summary>The template's custom role may create, tag and encrypt.</summary>
    TemplateRolePermissions,

    /// <summary>The registry policy scope, V1 or V2.</summary>
    RegistryPolicyScope,

    /// <summary>The puller's first pull: the pull actions, the import, CreateRepository, and TagResource when a template tags.</summary>
    FirstPull,

    /// <summary>The puller's later pulls into an existing cache repository.</summary>
    LaterPulls,
}

/// <summary>Where a fix goes.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum FixTarget
{
    /// <summary>A statement to add to the cache registry's policy.</summary>
    RegistryPolicy,

    /// <summary>A statement to add to the upstream account's registry policy.</summary>
    UpstreamRegistryPolicy,

    /// <summary>An identity-based policy to put on the puller (or another principal).</summary>
    IdentityPolicy,

    /// <summary>A role's trust policy to replace.</summary>
    TrustPolicy,

    /// <summary>A role's permissions policy to put.</summary>
    RolePolicy,

    /// <summary>A role to create.</summary>
    Role,
}

/// <summary>One document to add: a registry statement, an IAM policy for a role or user, or a role to create.</summary>
public sealed class ReadinessFix
{
    private ReadinessFix(FixTarget target, PolicyStatement? statement, GeneratedPolicy? policy, GeneratedRole? role, string? roleName, string? userName, string description)
    {
        Target = target;
        Statement = statement;
        Policy = policy;
        Role = role;
        RoleName = roleName;
        UserName = userName;
        Description = description;
    }

    /// <summary>Where it goes.</summary>
    public FixTarget Target { get; }

    /// <summary>The registry statement to add, for the two registry targets.</summary>
    public PolicyStatement? Statement { get; }

    /// <summary>The IAM policy to put, for the identity, trust and role policy targets.</summary>
    public GeneratedPolicy? Policy { get; }

    /// <summary>The role to create, for <see cref="FixTarget.Role"/>.</summary>
    public GeneratedRole? Role { get; }

    /// <summary>The role the policy goes on.</summary>
    public string? RoleName { get; }

    /// <summary>The user the policy goes on.</summary>
    public string? UserName { get; }

    /// <summary>What to do with it, in one sentence of the domain's words; the module says which cmdlets do it (by <see cref="Target"/>) after its first clause.</summary>
    public string Description { get; }

    /// <summary>A statement for a registry policy.</summary>
    public static ReadinessFix ForRegistry(FixTarget target, PolicyStatement statement, string description) => new(target, statement, null, null, null, null, description);

    /// <summary>An IAM policy for a role or user.</summary>
    public static ReadinessFix ForIdentity(FixTarget target, GeneratedPolicy policy, string? roleName, string? userName, string description) => new(target, null, policy, null, roleName, userName, description);

    /// <summary>A role to create.</summary>
    public static ReadinessFix ForRole(GeneratedRole role, string description) => new(FixTarget.Role, null, null, role, role.RoleName, null, description);
}

/// <summary>One item of the readiness checklist of a rule.</summary>
public sealed class ReadinessCheck
{
    internal ReadinessCheck(CacheRuleFacts rule, ReadinessCheckKind kind, ReadinessStatus status, string actor, string document, string reason, IReadOnlyList<ReadinessFix>? fix = null, string? principal = null, string? errorId = null, string? summary = null, Remedy remedy = Remedy.None)
    {
        Remedy = remedy;
        Summary = summary ?? Shorten(reason);
        Rule = rule;
        Kind = kind;
        Status = status;
        Actor = actor;
        Document = document;
        Reason = reason;
        Fix = fix ?? Array.Empty<ReadinessFix>();
        Principal = principal;
        ErrorId = errorId;
    }

    /// <summary>The rule checked.</summary>
    public CacheRuleFacts Rule { get; }

    /// <summary>What the check is about.</summary>
    public ReadinessCheckKind Kind { get; }

    /// <summary>Pass, Fail or Unknown.</summary>
    public ReadinessStatus Status { get; }

    /// <summary>Who needs it: the puller, ECR pull through cache, the custom role, the upstream account, ...</summary>
    public string Actor { get; }

    /// <summary>Which document decides it.</summary>
    public string Document { get; }

    /// <summary>The reason in a few words, for a checklist line.</summary>
    public string Summary { get; }

    /// <summary>Why the status is what it is, in sentences a person reads.</summary>
    public string Reason { get; }

    /// <summary>What the user can do that the module words with its own cmdlets and parameters (a role to generate, a document to give), beyond the Reason.</summary>
    public Remedy Remedy { get; }

    /// <summary>What to add for a Fail (empty when there is nothing to add, such as an explicit Deny to remove).</summary>
    public IReadOnlyList<ReadinessFix> Fix { get; }

    /// <summary>The puller, for the pull checks.</summary>
    public string? Principal { get; }

    /// <summary>For an Unknown caused by a failed read: the read's error id.</summary>
    public string? ErrorId { get; }

    /// <summary>For example <c>Fail FirstPull: ...</c>.</summary>
    public override string ToString() => $"{Status} {Kind}: {Reason}";

    // The first sentence, cut at a word before 70 characters.
    private static string Shorten(string reason)
    {
        var end = reason.IndexOf(". ", StringComparison.Ordinal);
        var first = end > 0 ? reason.Substring(0, end) : reason.TrimEnd('.');
        if (first.Length <= 70)
        {
            return first;
        }

        var cut = first.LastIndexOf(' ', 66);
        return first.Substring(0, cut > 20 ? cut : 66) + " ...";
    }
}
