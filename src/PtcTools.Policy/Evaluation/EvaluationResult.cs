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

/// <summary>The decision for one request, with the statements that made it and a sentence saying why.</summary>
public sealed class EvaluationResult
{
    private readonly System.Func<string> _explain;
    private string? _reason;

    internal EvaluationResult(AccessRequest request, PermissionDecision decision, IReadOnlyList<MatchedStatement> matched, System.Func<string> explain)
    {
        Request = request;
        Decision = decision;
        MatchedStatements = matched;
        _explain = explain;
    }

    /// <summary>The request.</summary>
    public AccessRequest Request { get; }

    /// <summary>Allowed, ExplicitDeny or ImplicitDeny.</summary>
    public PermissionDecision Decision { get; }

    /// <summary>The statements that allowed or denied (every applicable one, in policy order).</summary>
    public IReadOnlyList<MatchedStatement> MatchedStatements { get; }

    /// <summary>One sentence a person understands (composed on first use: pipelines that only filter on Decision never pay for it).</summary>
    public string Reason => _reason ??= _explain();

    /// <summary>True when principal and repository are in the same account.</summary>
    public bool SameAccount => Request.SameAccount;
}
