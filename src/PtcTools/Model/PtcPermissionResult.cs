using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;

namespace PtcTools;

/// <summary>The answer to "can this principal do this action on this repository?", with the statements that decided it.</summary>
public sealed class PtcPermissionResult
{
    private readonly EvaluationResult _result;
    private IReadOnlyDictionary<string, string>? _context;

    /// <summary>Wraps a domain evaluation result.</summary>
    public PtcPermissionResult(EvaluationResult result)
    {
        Principal = result.Request.Principal;
        Action = result.Request.Action;
        Resource = result.Request.Resource;
        Decision = result.Decision;
        MatchedStatements = result.MatchedStatements.ToArray();
        NearMisses = result.NearMisses.ToArray();
        SameAccount = result.SameAccount;
        _result = result;
    }

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
    public MatchedStatement[] MatchedStatements { get; }

    /// <summary>The statements that matched principal, action and repository but were ruled out by a condition, each with the condition that failed and what the request has.</summary>
    public NearMiss[] NearMisses { get; }

    /// <summary>One sentence saying why.</summary>
    public string Reason => _result.Reason;

    /// <summary>True when the principal and the repository are in the same account.</summary>
    public bool SameAccount { get; }

    /// <summary>The request context in effect: the keys given plus those derived from the principal.</summary>
    public IReadOnlyDictionary<string, string> Context => _context ??= _result.Request.Context.ToDictionary(p => p.Key, p => p.Value.ToString());

    /// <summary>For example <c>Allowed arn:aws:iam::111122223333:role/ci ecr:CreateRepository arn:...</c>.</summary>
    public override string ToString() => $"{Decision} {Principal} {Action} {Resource}";
}
