using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Evaluation;

namespace PtcTools;

/// <summary>The answer to "can this principal do this action on this repository?", with the statements that decided it.</summary>
public sealed class PtcPermissionResult
{
    private readonly EvaluationResult _result;
    private readonly PSObject? _piped;
    private PtcValueMap? _context;

    /// <summary>Wraps a domain evaluation result, with the piped object it answers (null without a pipeline).</summary>
    public PtcPermissionResult(EvaluationResult result, PSObject? piped = null)
    {
        _piped = piped;
        Principal = result.Request.Principal;
        Action = result.Request.Action;
        Resource = result.Request.Resource;
        Decision = result.Decision;
        MatchedStatements = new PtcValueList<MatchedStatement>(result.MatchedStatements);
        NearMisses = new PtcValueList<PtcNearMiss>(result.NearMisses.Select(m => new PtcNearMiss(m)));
        SameAccount = result.SameAccount;
        _result = result;
    }

    /// <summary>The request this result answers, to align results with what was piped in: the piped object, or its Id property when it has one; null when nothing was piped.</summary>
    /// <remarks>Looked up on first use: a pipeline that only filters on Decision does not pay for it.</remarks>
    public object? Request => _piped is null ? null : _piped.Properties["Id"]?.Value is { } id ? Transforms.PSValue.Unwrap(id) : _piped;

    /// <summary>The principal the request was evaluated for.</summary>
    public string Principal { get; }

    /// <summary>The action.</summary>
    public string Action { get; }

    /// <summary>The repository ARN (or <c>*</c>).</summary>
    public string Resource { get; }

    /// <summary>Allowed, ExplicitDeny or ImplicitDeny, as AWS's policy simulator names them.</summary>
    public PermissionDecision Decision { get; }

    /// <summary>True when the decision is Allowed.</summary>
    public bool Allowed => Decision == PermissionDecision.Allowed;

    /// <summary>Which statements of which policy allowed or denied.</summary>
    public PtcValueList<MatchedStatement> MatchedStatements { get; }

    /// <summary>The statements that matched principal, action and repository but were ruled out by a condition, each with the condition that failed and what the request has.</summary>
    public PtcValueList<PtcNearMiss> NearMisses { get; }

    /// <summary>One sentence saying why.</summary>
    public string Reason => _result.Reason;

    /// <summary>True when the principal and the repository are in the same account.</summary>
    public bool SameAccount { get; }

    /// <summary>The request context in effect: the keys given plus those derived from the principal.</summary>
    public PtcValueMap Context => _context ??= new PtcValueMap(_result.Request.Context.Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString())));

    /// <summary>For example <c>Allowed arn:aws:iam::111122223333:role/ci ecr:CreateRepository arn:...</c>.</summary>
    public override string ToString() => $"{Decision} {Principal} {Action} {Resource}";
}

/// <summary>A statement that matched the request but for its conditions, flat enough for ConvertTo-Json's default depth.</summary>
public sealed class PtcNearMiss
{
    /// <summary>Wraps a domain near miss.</summary>
    public PtcNearMiss(NearMiss nearMiss)
    {
        NearMiss = nearMiss;
    }

    /// <summary>The domain near miss behind this object.</summary>
    [Hidden, JsonIgnore]
    public NearMiss NearMiss { get; }

    /// <summary>The name of the policy, such as "registry policy".</summary>
    public string PolicyName => NearMiss.PolicyName;

    /// <summary>The role of the policy.</summary>
    public PolicyKind PolicyKind => NearMiss.PolicyKind;

    /// <summary>The 0-based position of the statement in its policy.</summary>
    public int Index => NearMiss.Index;

    /// <summary>The Sid, when the statement has one.</summary>
    public string? Sid => NearMiss.Sid;

    /// <summary>Allow or Deny.</summary>
    public string Effect => NearMiss.Effect;

    /// <summary>The Sid, or "statement N".</summary>
    public string Label => NearMiss.Label;

    /// <summary>The conditions the request does not meet, each with what the request has, as one text.</summary>
    public string Conditions => string.Join("; ", NearMiss.FailedConditions);

    /// <summary>The conditions the request does not meet, as objects (operator, key, values, the request's value).</summary>
    /// <remarks>Hidden from ConvertTo-Json and Export-Csv, whose default depth cannot hold it; Conditions says the same as text.</remarks>
    [Hidden, JsonIgnore]
    public IReadOnlyList<ConditionFailure> FailedConditions => NearMiss.FailedConditions;

    /// <summary>For example <c>registry policy: OrgRead (Allow): StringEquals aws:PrincipalOrgID = o-abc123 is not met (...)</c>.</summary>
    public override string ToString() => NearMiss.ToString();
}
