using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools;

/// <summary>One statement as the cmdlets emit it, with flat views for tables and filters.</summary>
public sealed class PtcPolicyStatement
{
    /// <summary>Wraps a domain statement.</summary>
    public PtcPolicyStatement(PolicyStatement statement)
    {
        PolicyStatement = statement;
    }

    /// <summary>The lossless statement behind this object.</summary>
    public PolicyStatement PolicyStatement { get; }

    /// <summary>The statement id.</summary>
    public string? Sid => PolicyStatement.Sid;

    /// <summary>Allow or Deny.</summary>
    public string? Effect => PolicyStatement.Effect;

    /// <summary>The principals, as <c>AWS:arn:...</c>, <c>Service:...</c> or <c>*</c>.</summary>
    public string[] Principal => Flatten(PolicyStatement.Principal);

    /// <summary>The NotPrincipal entries, when the statement uses NotPrincipal.</summary>
    public string[] NotPrincipal => Flatten(PolicyStatement.NotPrincipal);

    /// <summary>The actions.</summary>
    public string[] Action => PolicyStatement.Action.ToArray();

    /// <summary>The NotAction entries.</summary>
    public string[] NotAction => PolicyStatement.NotAction.ToArray();

    /// <summary>The resources.</summary>
    public string[] Resource => PolicyStatement.Resource.ToArray();

    /// <summary>The NotResource entries.</summary>
    public string[] NotResource => PolicyStatement.NotResource.ToArray();

    /// <summary>The Condition block as compact JSON, or null.</summary>
    public string? Condition => PolicyStatement.Condition is { } c ? PolicyJson.ToCompact(c) : null;

    /// <summary>The compact JSON of the statement.</summary>
    public string Json => PolicyStatement.ToCompactJson();

    /// <summary>The compact JSON.</summary>
    public override string ToString() => Json;

    private static string[] Flatten(IReadOnlyList<KeyValuePair<string, string>> principals) =>
        principals.Select(p => p.Key == "*" ? "*" : p.Key == "AWS" ? p.Value : p.Key + ":" + p.Value).ToArray();
}
