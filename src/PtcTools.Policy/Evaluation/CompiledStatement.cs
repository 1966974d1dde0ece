using System;
using System.Collections.Generic;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>One statement compiled into matchers for action, resource, principal and conditions.</summary>
public sealed class CompiledStatement
{
    internal CompiledStatement(int index, string? sid, bool isAllow, string[] actions, bool notAction, ResourcePattern[] resources, bool notResource, PrincipalSet? principals, bool notPrincipal, CompiledCondition[] conditions)
    {
        Index = index;
        Sid = sid;
        IsAllow = isAllow;
        Actions = actions;
        NotAction = notAction;
        Resources = resources;
        NotResource = notResource;
        Principals = principals;
        NotPrincipal = notPrincipal;
        Conditions = conditions;
    }

    /// <summary>The 0-based position of the statement in its policy.</summary>
    public int Index { get; }

    /// <summary>The Sid, when the statement has one.</summary>
    public string? Sid { get; }

    /// <summary>True for Allow, false for Deny.</summary>
    public bool IsAllow { get; }

    /// <summary>How people refer to the statement: its Sid, else its position (1-based).</summary>
    public string Label => Sid ?? $"statement {Index + 1}";

    /// <summary>True when the statement uses NotPrincipal.</summary>
    public bool NotPrincipal { get; }

    internal string[] Actions { get; }

    internal bool NotAction { get; }

    internal ResourcePattern[] Resources { get; }

    internal bool NotResource { get; }

    internal PrincipalSet? Principals { get; }

    internal CompiledCondition[] Conditions { get; }

    internal bool HasEveryonePrincipal => Principals is { Everyone: true };

    /// <summary>True when the action is one the statement is about (Action matches, or NotAction does not); case-insensitive.</summary>
    public bool AppliesToAction(string action)
    {
        var any = false;
        foreach (var pattern in Actions)
        {
            if (pattern == "*" || Wildcard.IsMatch(pattern, action, ignoreCase: true))
            {
                any = true;
                break;
            }
        }

        return any != NotAction;
    }

    // A value whose policy variable has no value matches nothing; under NotResource it makes the statement
    // not apply ("if AWS cannot resolve a variable, the entire statement may be invalid"), unless the
    // value's other parts already rule the resource out.
    internal bool AppliesToResource(AccessRequest request)
    {
        foreach (var pattern in Resources)
        {
            if (NotResource && !pattern.CanResolve(request) && !pattern.RulesOut(request))
            {
                return false;
            }

            if (pattern.Matches(request))
            {
                return !NotResource;
            }
        }

        return NotResource;
    }

    internal bool ConditionsHold(AccessRequest request)
    {
        foreach (var condition in Conditions)
        {
            if (!condition.Evaluate(request))
            {
                return false;
            }
        }

        return true;
    }

    // The explained path only: every condition the request fails, with why.
    internal ConditionFailure[] FailedConditions(AccessRequest request)
    {
        var failures = new List<ConditionFailure>();
        foreach (var condition in Conditions)
        {
            if (condition.Explain(request) is { } why)
            {
                failures.Add(new ConditionFailure(condition, request, why));
            }
        }

        return failures.ToArray();
    }
}

/// <summary>A Resource or NotResource value compiled: <c>*</c>, or an ARN pattern matched as IAM matches it (see <see cref="PolicyTemplate"/>).</summary>
internal sealed class ResourcePattern
{
    private readonly PolicyTemplate? _arn;

    private ResourcePattern(string text, PolicyTemplate? arn)
    {
        Text = text;
        _arn = arn;
    }

    public string Text { get; }

    public bool IsAll => _arn is null;

    public bool CanResolve(AccessRequest request) => _arn is null || _arn.CanResolve(request);

    /// <summary>True when what comes before the first variable already rules the request's resource out (so the variables' values do not matter).</summary>
    public bool RulesOut(AccessRequest request) => _arn is not null && (request.IsResourceAll || _arn.RulesOut(request.Resource, request.ResourceOffset, request));

    /// <summary>Compiles "*" or an ARN pattern; variables are substituted in the resource part only (after the fifth colon).</summary>
    /// <exception cref="FormatException">The value is neither "*" nor an ARN, its service segment is missing or has a wildcard, or a variable is malformed.</exception>
    public static ResourcePattern Compile(string text, bool variables)
    {
        if (text == "*")
        {
            return new ResourcePattern(text, null);
        }

        if (!text.StartsWith("arn:", StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is neither \"*\" nor an ARN (arn:partition:service:region:account:resource).");
        }

        var parts = Grammar.ArnText.Split(text);
        if (parts.Count < 3 || parts[2].Length == 0)
        {
            throw new FormatException($"'{text}' has no service segment (arn:partition:service:...); IAM needs one to know whose resource it is.");
        }

        if (Wildcard.HasWildcard(parts[2]))
        {
            throw new FormatException($"'{text}' has a wildcard in the service segment; IAM does not allow one there.");
        }

        return new ResourcePattern(text, PolicyTemplate.CompileArn(text, variables, variablesBeforeResource: false));
    }

    public bool Matches(AccessRequest request) =>
        _arn is null || (!request.IsResourceAll && _arn.Matches(request.Resource, request.ResourceOffset, request));
}

/// <summary>The principals a resource-policy statement names, indexed for matching.</summary>
internal sealed class PrincipalSet
{
    private readonly string[] _arns;
    private readonly string[] _accounts;
    private readonly KeyValuePair<string, string>[] _roles;
    private readonly string[] _others;

    public PrincipalSet(IReadOnlyList<PrincipalId> principals)
    {
        var arns = new List<string>();
        var accounts = new List<string>();
        var roles = new List<KeyValuePair<string, string>>();
        var others = new List<string>();
        foreach (var p in principals)
        {
            switch (p.Kind)
            {
                case PrincipalKind.Everyone:
                    Everyone = true;
                    break;
                case PrincipalKind.Account:
                    accounts.Add(p.Account!);
                    break;
                case PrincipalKind.Role:
                    arns.Add(p.Text);
                    roles.Add(new KeyValuePair<string, string>(p.Account!, p.Name!));
                    break;
                case PrincipalKind.User or PrincipalKind.AssumedRole or PrincipalKind.FederatedUser:
                    arns.Add(p.Text);
                    break;
                default:
                    others.Add(p.Text);
                    break;
            }
        }

        _arns = arns.ToArray();
        _accounts = accounts.ToArray();
        _roles = roles.ToArray();
        _others = others.ToArray();
    }

    public bool Everyone { get; }

    /// <summary>The strongest way any listed principal matches the request's principal.</summary>
    public PrincipalMatch Match(AccessRequest request)
    {
        if (request.IsServicePrincipal)
        {
            foreach (var other in _others)
            {
                if (string.Equals(other, request.Principal, StringComparison.Ordinal))
                {
                    return PrincipalMatch.Direct;
                }
            }

            return Everyone ? PrincipalMatch.Direct : PrincipalMatch.None;
        }

        if (Everyone)
        {
            return PrincipalMatch.Direct;
        }

        var principalArn = request.PrincipalArn;
        foreach (var arn in _arns)
        {
            if (string.Equals(arn, principalArn, StringComparison.Ordinal))
            {
                return PrincipalMatch.Direct;
            }
        }

        if (request.FederatedUserArn is { } userArn)
        {
            foreach (var arn in _arns)
            {
                if (string.Equals(arn, userArn, StringComparison.Ordinal))
                {
                    return PrincipalMatch.SessionUser;
                }
            }
        }

        if (request.SessionRoleName is { } roleName)
        {
            foreach (var role in _roles)
            {
                if (string.Equals(role.Key, request.PrincipalAccount, StringComparison.Ordinal) && string.Equals(role.Value, roleName, StringComparison.Ordinal))
                {
                    return PrincipalMatch.SessionRole;
                }
            }
        }

        foreach (var account in _accounts)
        {
            if (string.Equals(account, request.PrincipalAccount, StringComparison.Ordinal))
            {
                return PrincipalMatch.Account;
            }
        }

        return PrincipalMatch.None;
    }
}
