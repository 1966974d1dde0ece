using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Grammar;

/// <summary>How a policy is read: what role it plays, and for a registry policy its scope.</summary>
public sealed class PolicyReadOptions
{
    /// <summary>The role of the policy: a resource policy needs Principal, the others must not have it.</summary>
    public PolicyKind Kind { get; set; } = PolicyKind.Resource;

    /// <summary>For an ECR registry policy, its scope; null for a resource policy that is not a registry policy.</summary>
    /// <remarks>With a scope the ECR rules apply too: ECR actions only (PTC016, PTC017), repository ARNs only (PTC018), and under V1 the three registry actions only (PTC012).</remarks>
    public RegistryPolicyScope? Scope { get; set; }

    /// <summary>True when the policy is read as an ECR registry policy.</summary>
    public bool IsRegistryPolicy => Kind == PolicyKind.Resource && Scope is not null;

    /// <summary>Options for an ECR registry policy of a scope.</summary>
    public static PolicyReadOptions Registry(RegistryPolicyScope scope) => new() { Kind = PolicyKind.Resource, Scope = scope };
}

/// <summary>A policy read once: the typed facts of every statement and every diagnostic, each with its rule, path and position.</summary>
public sealed class PolicyReading
{
    internal PolicyReading(PolicyDocument document, PolicyReadOptions options, bool usesVariables, IReadOnlyList<StatementReading> statements, IReadOnlyList<PolicyFinding> diagnostics)
    {
        Document = document;
        Options = options;
        UsesVariables = usesVariables;
        Statements = statements;
        Diagnostics = diagnostics;
    }

    /// <summary>The document read.</summary>
    public PolicyDocument Document { get; }

    /// <summary>How it was read.</summary>
    public PolicyReadOptions Options { get; }

    /// <summary>True under Version 2012-10-17, where <c>${...}</c> is a policy variable.</summary>
    public bool UsesVariables { get; }

    /// <summary>The statement objects, in order (entries that are not objects are diagnostics only).</summary>
    public IReadOnlyList<StatementReading> Statements { get; }

    /// <summary>Every diagnostic, in reading order: the document's, then each statement's.</summary>
    public IReadOnlyList<PolicyFinding> Diagnostics { get; }

    /// <summary>True when a diagnostic is an Error: the policy is refused for evaluation.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == FindingSeverity.Error);

    /// <summary>The first Error diagnostic, or null.</summary>
    public PolicyFinding? FirstError => Diagnostics.FirstOrDefault(d => d.Severity == FindingSeverity.Error);
}

/// <summary>What one statement says, read once: only well-formed values are kept as facts; everything else is a diagnostic.</summary>
/// <remarks>Lint rules work on these facts (with the tokens, to point at the text); the compiler turns them into matchers.</remarks>
public sealed class StatementReading
{
    private readonly List<PolicyFinding> _diagnostics = new();

    internal StatementReading(int index, JObject json)
    {
        Index = index;
        Json = json;
        Sid = json["Sid"] is JValue { Type: JTokenType.String } sid ? (string?)sid : null;
        Effect = json["Effect"] is JValue { Type: JTokenType.String } effect ? (string?)effect : null;
        Condition = json["Condition"] as JObject;
        UsesNotPrincipal = json.ContainsKey("NotPrincipal");
        UsesNotAction = json.ContainsKey("NotAction") && !json.ContainsKey("Action");
        UsesNotResource = json.ContainsKey("NotResource") && !json.ContainsKey("Resource");
    }

    /// <summary>The 0-based position in the statement list.</summary>
    public int Index { get; }

    /// <summary>The statement's JSON (for positions; do not change it).</summary>
    public JObject Json { get; }

    /// <summary>The Sid when it is text.</summary>
    public string? Sid { get; }

    /// <summary>The Effect when it is text (valid or not).</summary>
    public string? Effect { get; }

    /// <summary>True for <c>"Effect": "Allow"</c>.</summary>
    public bool IsAllow => Effect == "Allow";

    /// <summary>The Condition block when it is an object.</summary>
    public JObject? Condition { get; }

    /// <summary>True when the statement names its principals with NotPrincipal.</summary>
    public bool UsesNotPrincipal { get; }

    /// <summary>True when the statement uses NotAction (and not Action).</summary>
    public bool UsesNotAction { get; }

    /// <summary>True when the statement uses NotResource (and not Resource).</summary>
    public bool UsesNotResource { get; }

    /// <summary>The well-formed values of Principal (or NotPrincipal).</summary>
    public List<PrincipalValue> Principals { get; } = new();

    /// <summary>The well-formed values of Action (or NotAction).</summary>
    public List<ActionValue> Actions { get; } = new();

    /// <summary>The well-formed values of Resource (or NotResource).</summary>
    public List<ResourceValue> Resources { get; } = new();

    /// <summary>The well-formed operator-key pairs of the Condition block.</summary>
    public List<ConditionValue> Conditions { get; } = new();

    /// <summary>The diagnostics about this statement.</summary>
    public IReadOnlyList<PolicyFinding> Diagnostics => _diagnostics;

    /// <summary>True when a diagnostic about the statement is an Error.</summary>
    public bool HasError => _diagnostics.Any(d => d.Severity == FindingSeverity.Error);

    /// <summary>True when everything the statement covers is said by Principal, Action and Resource (not their Not forms).</summary>
    public bool IsPositive => !UsesNotPrincipal && !UsesNotAction && !UsesNotResource && Principals.Count > 0 && Actions.Count > 0 && Resources.Count > 0;

    /// <summary>True when a principal is <c>"*"</c>.</summary>
    public bool IsEveryone => Principals.Any(p => p.Id.Kind == PrincipalKind.Everyone);

    /// <summary>The ECR actions the Action element covers, wildcards expanded (canonical names; NotAction is not counted).</summary>
    public HashSet<string> Granted { get; } = new(System.StringComparer.OrdinalIgnoreCase);

    internal void Add(PolicyFinding finding) => _diagnostics.Add(finding);
}

/// <summary>One principal value: the token it was read from, its element type (AWS, Service, ... or *) and what it names.</summary>
public sealed class PrincipalValue
{
    internal PrincipalValue(JToken token, string elementType, PrincipalId id)
    {
        Token = token;
        ElementType = elementType;
        Id = id;
    }

    /// <summary>The token.</summary>
    public JToken Token { get; }

    /// <summary>The principal element type.</summary>
    public string ElementType { get; }

    /// <summary>The principal.</summary>
    public PrincipalId Id { get; }
}

/// <summary>One action pattern, as written, with the known ECR actions it covers.</summary>
public sealed class ActionValue
{
    internal ActionValue(JToken token, string text, IReadOnlyList<string> ecrActions)
    {
        Token = token;
        Text = text;
        EcrActions = ecrActions;
    }

    /// <summary>The token.</summary>
    public JToken Token { get; }

    /// <summary>The pattern as written (<c>*</c>, <c>ecr:Batch*</c>, <c>s3:GetObject</c>).</summary>
    public string Text { get; }

    /// <summary>The known ECR actions it covers (canonical names).</summary>
    public IReadOnlyList<string> EcrActions { get; }
}

/// <summary>One Resource or NotResource value: <c>*</c> or an ARN pattern, split into its colon-separated segments.</summary>
public sealed class ResourceValue
{
    private readonly IReadOnlyList<string> _segments;

    internal ResourceValue(JToken token, string text, IReadOnlyList<string> segments, ResourcePattern pattern)
    {
        Token = token;
        Text = text;
        _segments = segments;
        Pattern = pattern;
    }

    /// <summary>The token.</summary>
    public JToken Token { get; }

    /// <summary>The value as written.</summary>
    public string Text { get; }

    /// <summary>True for <c>"*"</c>.</summary>
    public bool IsAll => Text == "*";

    /// <summary>The partition segment (or <c>*</c> where a trailing wildcard stands for it).</summary>
    public string? Partition => Segment(1);

    /// <summary>The service segment.</summary>
    public string? Service => Segment(2);

    /// <summary>The Region segment.</summary>
    public string? Region => Segment(3);

    /// <summary>The account segment.</summary>
    public string? Account => Segment(4);

    /// <summary>The resource part (everything after the fifth colon).</summary>
    public string? ResourcePart => Segment(5);

    /// <summary>The repository name pattern after <c>repository/</c>, when the resource part starts with it; else null.</summary>
    public string? Repository => ResourcePart is { } part && part.StartsWith("repository/", System.StringComparison.Ordinal) ? part.Substring("repository/".Length) : null;

    internal ResourcePattern Pattern { get; }

    // Segment i of arn:P:S:R:A:RES (1..5); a segment the pattern leaves out is "*" when its last segment ends
    // with a wildcard (which expands across colons), else null (the pattern matches no full ARN).
    private string? Segment(int i)
    {
        if (IsAll)
        {
            return "*";
        }

        if (i < _segments.Count)
        {
            return _segments[i];
        }

        return _segments.Count > 0 && _segments[_segments.Count - 1].EndsWith("*", System.StringComparison.Ordinal) ? "*" : null;
    }
}

/// <summary>One operator-key pair of a Condition block, with its values as text.</summary>
public sealed class ConditionValue
{
    internal ConditionValue(JProperty operatorElement, JProperty keyElement, ConditionOperator op, IReadOnlyList<string> values, CompiledCondition compiled)
    {
        OperatorElement = operatorElement;
        KeyElement = keyElement;
        Operator = op;
        Values = values;
        Compiled = compiled;
    }

    /// <summary>The operator's property (for positions).</summary>
    public JProperty OperatorElement { get; }

    /// <summary>The key's property (for positions).</summary>
    public JProperty KeyElement { get; }

    /// <summary>The operator.</summary>
    public ConditionOperator Operator { get; }

    /// <summary>The context key as written.</summary>
    public string Key => KeyElement.Name;

    /// <summary>The policy values as text (JSON booleans and numbers as IAM reads them).</summary>
    public IReadOnlyList<string> Values { get; }

    internal CompiledCondition Compiled { get; }
}
