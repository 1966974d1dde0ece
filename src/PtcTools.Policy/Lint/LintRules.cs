using System;
using System.Collections.Generic;
using System.Linq;

namespace PtcTools.Policy.Lint;

/// <summary>One rule of the catalog: a stable id, how serious its findings are, what it checks, where it is documented.</summary>
public sealed class LintRule
{
    internal LintRule(string id, FindingSeverity severity, string title, params string[] accessAnalyzerCodes)
    {
        Id = id;
        Severity = severity;
        Title = title;
        HelpUri = LintRules.HelpBase + id + ".md";
        AccessAnalyzerCodes = accessAnalyzerCodes;
    }

    /// <summary>The stable id, e.g. <c>PTC016</c>.</summary>
    public string Id { get; }

    /// <summary>The severity of the rule's findings.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>What the rule checks, in one line.</summary>
    public string Title { get; }

    /// <summary>Where the rule is documented (what, why, how to fix, examples).</summary>
    public string HelpUri { get; }

    /// <summary>The IAM Access Analyzer ValidatePolicy issue codes its findings can carry (<see cref="PolicyFinding.AccessAnalyzerCode"/>); empty when Access Analyzer has no equivalent check.</summary>
    /// <remarks>The rule page lists the same codes under "Anchor"; the tests hold the two, and the codes the findings carry, together.</remarks>
    public IReadOnlyList<string> AccessAnalyzerCodes { get; }

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
    public const string ConditionKeyUnknown = "PTC110";
    public const string ConditionKeyMalformed = "PTC111";
    public const string ConditionKeyCaseDuplicate = "PTC112";
    public const string ConditionKeyUnavailable = "PTC113";
    public const string WildcardWithoutLike = "PTC114";
    public const string OperatorKeyTypeMismatch = "PTC115";
    public const string BoolMultipleValues = "PTC116";
    public const string ConditionValueTypesMixed = "PTC117";
    public const string SourceIpPrivate = "PTC118";
    public const string NetworkIdMalformed = "PTC119";
    public const string RegionValueUnknown = "PTC120";
    public const string SetOperatorOnSingleValuedKey = "PTC121";
    public const string MultivaluedKeyWithoutQualifier = "PTC122";
    public const string PolicyVariableIgnored = "PTC123";
    public const string PrincipalNotForRegistry = "PTC124";
    public const string ServicePrincipalUnscoped = "PTC125";
    public const string PrincipalUniqueId = "PTC126";
    public const string AllowWithNotResource = "PTC127";
    public const string ActionIdentityOnly = "PTC128";
    public const string DenyNotPrincipalIncomplete = "PTC129";
    public const string ResourceRegionUnknown = "PTC130";
    public const string ElementEmpty = "PTC131";
    public const string ActionServiceWildcard = "PTC132";
    public const string ActionResourceMismatch = "PTC133";
    public const string PermissionsManagementGranted = "PTC134";
    public const string MfaDenyWithoutIfExists = "PTC135";
    public const string VersionMissing = "PTC201";
    public const string SidEmpty = "PTC202";
    public const string ConditionEmpty = "PTC203";
    public const string ValuesRedundant = "PTC204";
    public const string VersionOld = "PTC205";
    public const string ResourceStar = "PTC206";
    public const string DateEpoch = "PTC207";
    public const string IpRangeHostBits = "PTC208";
    public const string StringOperatorOnArnKey = "PTC209";
#pragma warning restore CS1591

    private static readonly LintRule[] s_all =
    {
        new(InvalidJson, FindingSeverity.Error, "The policy is not valid JSON.", "JSON_SYNTAX_ERROR"),
        new(PolicyTooLong, FindingSeverity.Error, "The policy is over ECR's limit of 10240 characters.", "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA"),
        new(VersionInvalid, FindingSeverity.Error, "Version is neither 2012-10-17 nor 2008-10-17.", "INVALID_VERSION", "DATA_TYPE_MISMATCH"),
        new(NoStatements, FindingSeverity.Error, "The policy has no statements.", "MISSING_STATEMENT", "DATA_TYPE_MISMATCH"),
        new(EffectInvalid, FindingSeverity.Error, "Effect is missing or not exactly Allow or Deny.", "MISSING_EFFECT", "INVALID_EFFECT", "DATA_TYPE_MISMATCH"),
        new(PrincipalMissing, FindingSeverity.Error, "A statement has no Principal or NotPrincipal, or both.", "MISSING_PRINCIPAL", "UNSUPPORTED_ELEMENT_COMBINATION", "UNSUPPORTED_PRINCIPAL"),
        new(PrincipalIsGroup, FindingSeverity.Error, "An IAM group is used as a principal."),
        new(PrincipalWildcardInArn, FindingSeverity.Error, "A principal ARN contains a wildcard.", "UNSUPPORTED_WILDCARD_IN_PRINCIPAL"),
        new(PrincipalMalformed, FindingSeverity.Error, "A principal is malformed.", "INVALID_PRINCIPAL_FORMAT", "INVALID_PRINCIPAL_KEY", "INVALID_SERVICE_PRINCIPAL_FORMAT", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "DATA_TYPE_MISMATCH", "EMPTY_ARRAY_PRINCIPAL", "EMPTY_OBJECT_PRINCIPAL"),
        new(ActionOrResourceElement, FindingSeverity.Error, "Action/NotAction or Resource/NotResource is missing, empty, not text, or both are present.", "MISSING_ACTION", "MISSING_RESOURCE", "UNSUPPORTED_ELEMENT_COMBINATION", "DATA_TYPE_MISMATCH"),
        new(ConditionOperatorUnknown, FindingSeverity.Error, "A condition operator is unknown or its block is malformed.", "INVALID_CONDITION_OPERATOR", "NULL_WITH_IF_EXISTS", "NULL_WITH_QUALIFIER", "INVALID_VARIABLE_FOR_OPERATOR", "MISSING_BRACE_IN_VARIABLE", "MISSING_QUOTE_IN_VARIABLE", "EMPTY_VARIABLE", "DATA_TYPE_MISMATCH", "TYPE_MISMATCH_BOOLEAN", "TYPE_MISMATCH_DATE", "TYPE_MISMATCH_IP_RANGE", "TYPE_MISMATCH_NUMBER", "TYPE_MISMATCH_STRING"),
        new(ActionOutsideV1Scope, FindingSeverity.Error, "An action is not one of the three a V1-scope registry policy allows."),
        new(NotPrincipalWithAllow, FindingSeverity.Error, "NotPrincipal is used with Allow.", "ALLOW_WITH_NOT_PRINCIPAL"),
        new(SidDuplicate, FindingSeverity.Error, "Two statements have the same Sid.", "UNIQUE_SIDS_REQUIRED"),
        new(SidCharacters, FindingSeverity.Error, "A Sid has characters IAM does not allow.", "UNSUPPORTED_SID", "DATA_TYPE_MISMATCH"),
        new(EcrActionUnknown, FindingSeverity.Error, "An ECR action does not exist.", "INVALID_ACTION", "VARIABLE_UNSUPPORTED_IN_ELEMENT"),
        new(ActionNotEcr, FindingSeverity.Error, "An action of another service is in a registry policy.", "INVALID_SERVICE_IN_ACTION", "UNSUPPORTED_ACTION_IN_POLICY"),
        new(RepositoryArnMalformed, FindingSeverity.Error, "A Resource is not a well-formed ECR repository ARN.", "INVALID_ARN_PREFIX", "MISSING_ARN_FIELD", "UNSUPPORTED_RESOURCE_ARN_IN_POLICY", "INVALID_ARN_SERVICE_CASE", "INVALID_PARTITION", "MISSING_ARN_REGION", "INVALID_ARN_REGION", "INVALID_ARN_ACCOUNT", "INVALID_ARN_RESOURCE", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "MISSING_BRACE_IN_VARIABLE", "MISSING_QUOTE_IN_VARIABLE", "EMPTY_VARIABLE", "WILDCARD_IN_SERVICE_NAME"),
        new(PublicPrincipal, FindingSeverity.Warning, "Principal \"*\" is not narrowed by an account or organization condition."),
        new(ResourceOutsideRegistry, FindingSeverity.Warning, "A Resource is in another account or Region than the registry, so it never applies."),
        new(PullThroughCachePairIncomplete, FindingSeverity.Warning, "A pull through cache grant has only one of ecr:CreateRepository and ecr:BatchImportUpstreamImage."),
        new(PrefixMatchesNoRule, FindingSeverity.Warning, "A repository prefix matches no pull through cache rule."),
        new(BroadActions, FindingSeverity.Warning, "An Allow statement grants ecr:* or similarly broad actions."),
        new(StatementRedundant, FindingSeverity.Warning, "A statement is fully covered by another one."),
        new(UntrustedAccess, FindingSeverity.Warning, "Access is granted to an account outside the trusted accounts and organizations."),
        new(PrefixMissedByRootRule, FindingSeverity.Warning, "A statement is scoped to a prefix that the repositories of a ROOT rule do not carry."),
        new(ElementUnknown, FindingSeverity.Error, "An element IAM does not define (often a typo such as Resources).", "INVALID_POLICY_ELEMENT"),
        new(ConditionKeyUnknown, FindingSeverity.Warning, "A condition key that IAM and ECR do not define, so it is never in the request.", "INVALID_GLOBAL_CONDITION_KEY", "INVALID_SERVICE_CONDITION_KEY", "INVALID_SERVICE"),
        new(ConditionKeyMalformed, FindingSeverity.Warning, "A condition key is not service:name, or a tag key lacks its tag name.", "INVALID_CONDITION_KEY_FORMAT", "MISSING_TAG_KEY_IN_CONDITION"),
        new(ConditionKeyCaseDuplicate, FindingSeverity.Warning, "One condition block names the same key twice in different case.", "DUPLICATE_KEYS_WITH_DIFFERENT_CASE"),
        new(ConditionKeyUnavailable, FindingSeverity.Warning, "A condition key is unsupported, or no action of the statement offers it.", "UNSUPPORTED_GLOBAL_CONDITION_KEY"),
        new(WildcardWithoutLike, FindingSeverity.Warning, "A condition value holds * or ? under an operator without Like.", "WILDCARD_WITHOUT_LIKE_OPERATOR"),
        new(OperatorKeyTypeMismatch, FindingSeverity.Warning, "A condition operator does not fit the type of its key.", "TYPE_MISMATCH"),
        new(BoolMultipleValues, FindingSeverity.Warning, "A Bool condition has more than one value.", "INVALID_CONDITION_MULTIPLE_BOOLEAN"),
        new(ConditionValueTypesMixed, FindingSeverity.Warning, "The values of one condition key mix JSON types.", "INVALID_CONDITION_DATA_TYPE"),
        new(SourceIpPrivate, FindingSeverity.Warning, "aws:SourceIp is compared with private IP ranges, which it never holds.", "PRIVATE_IP_ADDRESS", "PRIVATE_NOT_IP_ADDRESS", "PRIVATE_IP_ADDRESS_SUBSET", "PRIVATE_NOT_IP_ADDRESS_SUBSET"),
        new(NetworkIdMalformed, FindingSeverity.Warning, "A VPC or VPC endpoint id in a condition is malformed."),
        new(RegionValueUnknown, FindingSeverity.Warning, "A Region condition value is not a Region.", "INVALID_REGION"),
        new(SetOperatorOnSingleValuedKey, FindingSeverity.Warning, "ForAllValues: or ForAnyValue: is used with a single-valued key.", "FORALLVALUES_WITH_SINGLE_VALUED_KEY"),
        new(MultivaluedKeyWithoutQualifier, FindingSeverity.Warning, "A multivalued key is tested without ForAllValues: or ForAnyValue:.", "MISSING_QUALIFIER"),
        new(PolicyVariableIgnored, FindingSeverity.Warning, "A policy variable is read as literal text, or names no key.", "VARIABLE_UNSUPPORTED_IN_VERSION", "VARIABLE_UNSUPPORTED_IN_ELEMENT", "UNSUPPORTED_SPACE_IN_VARIABLE", "UNSUPPORTED_SYMBOL_IN_VARIABLE"),
        new(PrincipalNotForRegistry, FindingSeverity.Warning, "A Federated or CanonicalUser principal, which never calls ECR."),
        new(ServicePrincipalUnscoped, FindingSeverity.Warning, "A service principal is allowed without a source account or ARN condition.", "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL"),
        new(PrincipalUniqueId, FindingSeverity.Warning, "A principal is an IAM unique id instead of an ARN.", "INVALID_ROLE_REFERENCE", "INVALID_USER_REFERENCE"),
        new(AllowWithNotResource, FindingSeverity.Warning, "Allow is used with NotResource."),
        new(ActionIdentityOnly, FindingSeverity.Warning, "An action only an identity-based policy can grant.", "UNSUPPORTED_ACTION_IN_POLICY"),
        new(DenyNotPrincipalIncomplete, FindingSeverity.Warning, "Deny with NotPrincipal does not list the account and the role sessions."),
        new(ResourceRegionUnknown, FindingSeverity.Warning, "A Resource names a Region its partition does not have.", "INVALID_ARN_REGION"),
        new(ElementEmpty, FindingSeverity.Warning, "An empty Action, Resource, Principal or condition value list.", "EMPTY_ARRAY_ACTION", "EMPTY_ARRAY_RESOURCE", "EMPTY_ARRAY_PRINCIPAL", "EMPTY_OBJECT_PRINCIPAL", "EMPTY_ARRAY_CONDITION", "EMPTY_ARRAY_CONDITION_FORALLVALUES", "EMPTY_ARRAY_CONDITION_FORANYVALUE", "EMPTY_ARRAY_CONDITION_IFEXISTS"),
        new(ActionServiceWildcard, FindingSeverity.Warning, "An action has a wildcard in its service prefix.", "WILDCARD_IN_SERVICE_NAME"),
        new(ActionResourceMismatch, FindingSeverity.Warning, "An action that takes only Resource \"*\" is given repository ARNs."),
        new(PermissionsManagementGranted, FindingSeverity.Warning, "An Allow statement grants ECR permission management actions."),
        new(MfaDenyWithoutIfExists, FindingSeverity.Warning, "A Deny on aws:MultiFactorAuthPresent misses requests without the key."),
        new(VersionMissing, FindingSeverity.Information, "Version is missing, so IAM reads the policy as 2008-10-17.", "MISSING_VERSION"),
        new(SidEmpty, FindingSeverity.Information, "A Sid is empty text.", "EMPTY_SID_VALUE"),
        new(ConditionEmpty, FindingSeverity.Information, "A Condition element is an empty object.", "EMPTY_OBJECT_CONDITION"),
        new(ValuesRedundant, FindingSeverity.Information, "An action, resource or numeric condition value is covered by another.", "REDUNDANT_ACTION", "REDUNDANT_RESOURCE", "REDUNDANT_CONDITION_VALUE_NUM"),
        new(VersionOld, FindingSeverity.Information, "Version is 2008-10-17, the old policy language."),
        new(ResourceStar, FindingSeverity.Information, "Resource \"*\" where every action takes repository ARNs."),
        new(DateEpoch, FindingSeverity.Information, "A date condition value is epoch seconds, not an ISO 8601 date.", "INVALID_DATE_VALUE"),
        new(IpRangeHostBits, FindingSeverity.Information, "A CIDR block has host bits set after its mask.", "IMPROVE_IP_RANGE"),
        new(StringOperatorOnArnKey, FindingSeverity.Information, "A String operator compares an ARN key where an Arn operator fits."),
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
