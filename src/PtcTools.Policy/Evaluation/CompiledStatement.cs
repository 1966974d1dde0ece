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

/// <summary>A Resource or NotResource value compiled: per-segment patterns, the resource type literal, the rest with wildcards and variables.</summary>
internal sealed class ResourcePattern
{
    private readonly PolicyTemplate? _partition;
    private readonly PolicyTemplate? _service;
    private readonly PolicyTemplate? _region;
    private readonly PolicyTemplate? _account;
    private readonly string _type;
    private readonly PolicyTemplate? _rest;

    private ResourcePattern(string text, PolicyTemplate? partition, PolicyTemplate? service, PolicyTemplate? region, PolicyTemplate? account, string type, PolicyTemplate? rest)
    {
        Text = text;
        _partition = partition;
        _service = service;
        _region = region;
        _account = account;
        _type = type;
        _rest = rest;
    }

    public string Text { get; }

    public bool IsAll => _rest is null;

    public bool CanResolve(AccessRequest request) => _rest is null || _rest.CanResolve(request);

    /// <summary>True when the parts without variables (partition, service, Region, account, resource type) already differ.</summary>
    public bool RulesOut(AccessRequest request)
    {
        if (_rest is null)
        {
            return false;
        }

        if (request.IsResourceAll)
        {
            return true;
        }

        var part = request.ResourcePart;
        return !(_type.Length <= part.Length
            && string.CompareOrdinal(part, 0, _type, 0, _type.Length) == 0
            && Segment(_account!, request.ResourceAccount!, request)
            && Segment(_region!, request.ResourceRegion, request)
            && Segment(_service!, request.ResourceService, request)
            && Segment(_partition!, request.ResourcePartition, request));
    }

    /// <summary>Compiles "*" or an ARN pattern; variables are substituted in the resource part only (after the fifth colon).</summary>
    /// <exception cref="FormatException">The value is neither "*" nor an ARN.</exception>
    public static ResourcePattern Compile(string text, bool variables)
    {
        if (text == "*")
        {
            return new ResourcePattern(text, null, null, null, null, string.Empty, null);
        }

        var parts = PolicyTemplate.SplitArn(text);
        if (parts is null || !parts[0].Equals("arn", StringComparison.Ordinal))
        {
            throw new FormatException($"'{text}' is neither \"*\" nor an ARN (arn:partition:service:region:account:resource).");
        }

        if (Wildcard.HasWildcard(parts[2]))
        {
            throw new FormatException($"'{text}' has a wildcard in the service part; IAM does not allow one there.");
        }

        // The resource type (up to the first '/' or ':') is literal: "repo*/app" does not match "repository/app".
        var resource = parts[5];
        var cut = IndexOfTypeEnd(resource);
        var type = cut < 0 ? string.Empty : resource.Substring(0, cut + 1);
        var rest = cut < 0 ? resource : resource.Substring(cut + 1);
        return new ResourcePattern(
            text,
            PolicyTemplate.Compile(parts[1], true, false),
            PolicyTemplate.Compile(parts[2], true, false),
            PolicyTemplate.Compile(parts[3], true, false),
            PolicyTemplate.Compile(parts[4], true, false),
            type,
            PolicyTemplate.Compile(rest, true, variables));
    }

    public bool Matches(AccessRequest request)
    {
        if (_rest is null)
        {
            return true;
        }

        if (request.IsResourceAll)
        {
            return false;
        }

        // The repository part differs most between requests, so it is tried first.
        var part = request.ResourcePart;
        return _type.Length <= part.Length
            && string.CompareOrdinal(part, 0, _type, 0, _type.Length) == 0
            && _rest.Matches(part, _type.Length, request, ignoreCase: false)
            && Segment(_account!, request.ResourceAccount!, request)
            && Segment(_region!, request.ResourceRegion, request)
            && Segment(_service!, request.ResourceService, request)
            && Segment(_partition!, request.ResourcePartition, request);
    }

    private static bool Segment(PolicyTemplate pattern, string value, AccessRequest request) =>
        pattern.IsLiteral ? string.Equals(pattern.Text, value, StringComparison.OrdinalIgnoreCase) : pattern.Matches(value, 0, request, ignoreCase: true);

    private static int IndexOfTypeEnd(string resource)
    {
        for (var i = 0; i < resource.Length; i++)
        {
            var c = resource[i];
            if (c == '/' || c == ':')
            {
                return i;
            }

            if (c == '$' && i + 1 < resource.Length && resource[i + 1] == '{')
            {
                return -1;
            }
        }

        return -1;
    }
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
