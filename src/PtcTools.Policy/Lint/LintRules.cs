using System;
using System.Collections.Generic;
using System.Linq;

namespace PtcTools.Policy.Lint;

/// <summary>One rule of the catalog: a stable id, how serious its findings are, what it checks, where it is documented.</summary>
public sealed class LintRule
{
    internal LintRule(string id, FindingSeverity severity, string title)
    {
        Id = id;
        Severity = severity;
        Title = title;
        HelpUri = LintRules.HelpBase + id + ".md";
    }

    /// <summary>The stable id, e.g. <c>PTC016</c>.</summary>
    public string Id { get; }

    /// <summary>The severity of the rule's findings.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>What the rule checks, in one line.</summary>
    public string Title { get; }

    /// <summary>Where the rule is documented (what, why, how to fix, examples).</summary>
    public string HelpUri { get; }

    /// <summary>The id and title.</summary>
    public override string ToString() => Id + " " + Title;
}

/// <summary>The rule catalog: every lint rule with its id, severity, title and help.</summary>
public static class LintRules
{
    /// <summary>Where the rule pages live, relative to the repository root (docs/rules/&lt;Id&gt;.md).</summary>
    public const string HelpBase = "docs/rules/";

#pragma warning disable CS1591 // The ids are documented by their catalog titles below.
    public const string InvalidJson = "PTC001";
    public const string PolicyTooLong = "PTC002";
    public const string VersionInvalid = "PTC003";
    public const string NoStatements = "PTC004";
    public const string EffectInvalid = "PTC005";
    public const string PrincipalMissing = "PTC006";
    public const string PrincipalIsGroup = "PTC007";
    public const string PrincipalWildcardInArn = "PTC008";
    public const string PrincipalMalformed = "PTC009";
    public const string ActionOrResourceElement = "PTC010";
    public const string ConditionOperatorUnknown = "PTC011";
    public const string ActionOutsideV1Scope = "PTC012";
    public const string NotPrincipalWithAllow = "PTC013";
    public const string SidDuplicate = "PTC014";
    public const string SidCharacters = "PTC015";
    public const string EcrActionUnknown = "PTC016";
    public const string ActionNotEcr = "PTC017";
    public const string RepositoryArnMalformed = "PTC018";
    public const string PublicPrincipal = "PTC101";
    public const string ResourceOutsideRegistry = "PTC102";
    public const string PullThroughCachePairIncomplete = "PTC103";
    public const string PrefixMatchesNoRule = "PTC104";
    public const string BroadActions = "PTC105";
    public const string StatementRedundant = "PTC106";
    public const string UntrustedAccess = "PTC107";
    public const string PrefixMissedByRootRule = "PTC108";
    public const string ElementUnknown = "PTC109";
    public const string VersionMissing = "PTC201";
#pragma warning restore CS1591

    private static readonly LintRule[] s_all =
    {
        new(InvalidJson, FindingSeverity.Error, "The policy is not valid JSON."),
        new(PolicyTooLong, FindingSeverity.Error, "The policy is over ECR's limit of 10240 characters."),
        new(VersionInvalid, FindingSeverity.Error, "Version is neither 2012-10-17 nor 2008-10-17."),
        new(NoStatements, FindingSeverity.Error, "The policy has no statements."),
        new(EffectInvalid, FindingSeverity.Error, "Effect is missing or not exactly Allow or Deny."),
        new(PrincipalMissing, FindingSeverity.Error, "A statement has no Principal or NotPrincipal, or both."),
        new(PrincipalIsGroup, FindingSeverity.Error, "An IAM group is used as a principal."),
        new(PrincipalWildcardInArn, FindingSeverity.Error, "A principal ARN contains a wildcard."),
        new(PrincipalMalformed, FindingSeverity.Error, "A principal is malformed."),
        new(ActionOrResourceElement, FindingSeverity.Error, "Action/NotAction or Resource/NotResource is missing, empty, not text, or both are present."),
        new(ConditionOperatorUnknown, FindingSeverity.Error, "A condition operator is unknown or its block is malformed."),
        new(ActionOutsideV1Scope, FindingSeverity.Error, "An action is not one of the three a V1-scope registry policy allows."),
        new(NotPrincipalWithAllow, FindingSeverity.Error, "NotPrincipal is used with Allow."),
        new(SidDuplicate, FindingSeverity.Error, "Two statements have the same Sid."),
        new(SidCharacters, FindingSeverity.Error, "A Sid has characters IAM does not allow."),
        new(EcrActionUnknown, FindingSeverity.Error, "An ECR action does not exist."),
        new(ActionNotEcr, FindingSeverity.Error, "An action of another service is in a registry policy."),
        new(RepositoryArnMalformed, FindingSeverity.Error, "A Resource is not a well-formed ECR repository ARN."),
        new(PublicPrincipal, FindingSeverity.Warning, "Principal \"*\" is not narrowed by an account or organization condition."),
        new(ResourceOutsideRegistry, FindingSeverity.Warning, "A Resource is in another account or Region than the registry, so it never applies."),
        new(PullThroughCachePairIncomplete, FindingSeverity.Warning, "A pull through cache grant has only one of ecr:CreateRepository and ecr:BatchImportUpstreamImage."),
        new(PrefixMatchesNoRule, FindingSeverity.Warning, "A repository prefix matches no pull through cache rule."),
        new(BroadActions, FindingSeverity.Warning, "An Allow statement grants ecr:* or similarly broad actions."),
        new(StatementRedundant, FindingSeverity.Warning, "A statement is fully covered by another one."),
        new(UntrustedAccess, FindingSeverity.Warning, "Access is granted to an account outside the trusted accounts and organizations."),
        new(PrefixMissedByRootRule, FindingSeverity.Warning, "A statement is scoped to a prefix that the repositories of a ROOT rule do not carry."),
        new(ElementUnknown, FindingSeverity.Error, "An element IAM does not define (often a typo such as Resources)."),
        new(VersionMissing, FindingSeverity.Information, "Version is missing, so IAM reads the policy as 2008-10-17."),
    };

    private static readonly Dictionary<string, LintRule> s_byId = s_all.ToDictionary(r => r.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every rule, in id order.</summary>
    public static IReadOnlyList<LintRule> All => s_all;

    /// <summary>The rule with this id (case-insensitive), or null.</summary>
    public static LintRule? Find(string? id) => id is not null && s_byId.TryGetValue(id, out var rule) ? rule : null;

    /// <summary>The rule with this id.</summary>
    /// <exception cref="ArgumentException">There is no such rule.</exception>
    public static LintRule Get(string id) => Find(id) ?? throw new ArgumentException($"There is no lint rule '{id}'.", nameof(id));
}
