using System.Collections.Generic;

namespace PtcTools.Policy.Evaluation;

/// <summary>A statement that took part in a decision: which policy, which statement, and how it applied.</summary>
public sealed class MatchedStatement
{
    internal MatchedStatement(CompiledPolicy policy, CompiledStatement statement, PrincipalMatch principalMatch)
    {
        PolicyName = policy.Name;
        PolicyKind = policy.Kind;
        Index = statement.Index;
        Sid = statement.Sid;
        Effect = statement.IsAllow ? "Allow" : "Deny";
        PrincipalMatch = principalMatch;
        Label = statement.Label;
    }

    /// <summary>The name of the policy, such as "registry policy".</summary>
    public string PolicyName { get; }

    /// <summary>The role of the policy.</summary>
    public PolicyKind PolicyKind { get; }

    /// <summary>The 0-based position of the statement in its policy.</summary>
    public int Index { get; }

    /// <summary>The Sid, when the statement has one.</summary>
    public string? Sid { get; }

    /// <summary>Allow or Deny.</summary>
    public string Effect { get; }

    /// <summary>For a resource-policy statement, how its principal matched (Direct for the others).</summary>
    public PrincipalMatch PrincipalMatch { get; }

    /// <summary>The Sid, or "statement N".</summary>
    public string Label { get; }

    /// <summary>For example <c>registry policy: S02Ptc (Allow)</c>.</summary>
    public override string ToString() => $"{PolicyName}: {Label} ({Effect}{(PrincipalMatch == PrincipalMatch.Account ? ", for the account" : string.Empty)})";
}

/// <summary>A condition a request does not meet: the operator, key and values as written, and what the request has.</summary>
public sealed class ConditionFailure
{
    internal ConditionFailure(CompiledCondition condition, AccessRequest request, string why)
    {
        Operator = condition.OperatorName;
        Key = condition.Key;
        Values = condition.Values;
        RequestValue = request.GetContext(condition.Key)?.ToString();
        Condition = condition.Describe();
        Why = why;
    }

    /// <summary>The operator as written, such as StringEquals or ForAnyValue:StringLike.</summary>
    public string Operator { get; }

    /// <summary>The context key as written, such as aws:PrincipalOrgID.</summary>
    public string Key { get; }

    /// <summary>The policy values as written.</summary>
    public IReadOnlyList<string> Values { get; }

    /// <summary>The request's value of the key (a list as <c>[a, b]</c>), or null when the key is absent.</summary>
    public string? RequestValue { get; }

    /// <summary>The condition as a person reads it: <c>StringEquals aws:PrincipalOrgID = o-abc123</c>.</summary>
    public string Condition { get; }

    /// <summary>What the request has instead: <c>the request has o-zzz999</c>, or <c>the key aws:SourceIp is not in the request context</c>.</summary>
    public string Why { get; }

    /// <summary>For example <c>StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999)</c>.</summary>
    public override string ToString() => $"{Condition} is not met ({Why})";
}

/// <summary>A statement that matched the request's principal, action and resource but was ruled out by its conditions.</summary>
public sealed class NearMiss
{
    // Only references are kept: the explained path makes one per near miss, and most are never printed.
    private readonly CompiledPolicy _policy;
    private readonly CompiledStatement _statement;
    private readonly AccessRequest _request;
    private ConditionFailure[]? _failed;

    internal NearMiss(CompiledPolicy policy, CompiledStatement statement, PrincipalMatch principalMatch, AccessRequest request)
    {
        _policy = policy;
        _statement = statement;
        _request = request;
        PrincipalMatch = principalMatch;
    }

    /// <summary>The name of the policy, such as "registry policy".</summary>
    public string PolicyName => _policy.Name;

    /// <summary>The role of the policy.</summary>
    public PolicyKind PolicyKind => _policy.Kind;

    /// <summary>The 0-based position of the statement in its policy.</summary>
    public int Index => _statement.Index;

    /// <summary>The Sid, when the statement has one.</summary>
    public string? Sid => _statement.Sid;

    /// <summary>Allow or Deny.</summary>
    public string Effect => _statement.IsAllow ? "Allow" : "Deny";

    /// <summary>For a resource-policy statement, how its principal matched (Direct for the others).</summary>
    public PrincipalMatch PrincipalMatch { get; }

    /// <summary>The Sid, or "statement N".</summary>
    public string Label => _statement.Label;

    /// <summary>The conditions the request does not meet, each with what the request has (worked out on first use).</summary>
    public IReadOnlyList<ConditionFailure> FailedConditions => _failed ??= _statement.FailedConditions(_request);

    /// <summary>For example <c>registry policy: OrgRead (Allow): StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999)</c>.</summary>
    public override string ToString() => $"{PolicyName}: {Label} ({Effect}{(PrincipalMatch == PrincipalMatch.Account ? ", for the account" : string.Empty)}): {string.Join("; ", FailedConditions)}";
}

/// <summary>The decision for one request, with the statements that made it and a sentence saying why.</summary>
public sealed class EvaluationResult
{
    private readonly System.Func<string> _explain;
    private string? _reason;

    internal EvaluationResult(AccessRequest request, PermissionDecision decision, IReadOnlyList<MatchedStatement> matched, IReadOnlyList<NearMiss> nearMisses, System.Func<string> explain)
    {
        Request = request;
        Decision = decision;
        MatchedStatements = matched;
        NearMisses = nearMisses;
        _explain = explain;
    }

    /// <summary>The request.</summary>
    public AccessRequest Request { get; }

    /// <summary>Allowed, ExplicitDeny or ImplicitDeny.</summary>
    public PermissionDecision Decision { get; }

    /// <summary>The statements that allowed or denied (every applicable one, in policy order).</summary>
    public IReadOnlyList<MatchedStatement> MatchedStatements { get; }

    /// <summary>The statements that matched principal, action and resource but whose conditions ruled them out, in policy order.</summary>
    public IReadOnlyList<NearMiss> NearMisses { get; }

    /// <summary>One sentence a person understands (composed on first use: pipelines that only filter on Decision never pay for it).</summary>
    public string Reason => _reason ??= _explain();

    /// <summary>True when principal and repository are in the same account.</summary>
    public bool SameAccount => Request.SameAccount;
}
