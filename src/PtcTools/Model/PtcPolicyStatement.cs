using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools;

/// <summary>One statement as the cmdlets emit it, with flat views for tables and filters.</summary>
public sealed class PtcPolicyStatement
{
    private PolicyStatement? _statement;

    /// <summary>Wraps a domain statement.</summary>
    public PtcPolicyStatement(PolicyStatement statement)
    {
        _statement = statement;
    }

    /// <summary>A statement parameter given as statement JSON text; it is read when the cmdlet asks for <see cref="PolicyStatement"/>.</summary>
    public PtcPolicyStatement(string json)
        : this((object)json)
    {
    }

    /// <summary>A statement parameter given in another form: a hashtable, ConvertFrom-Json output, a deserialized PtcPolicyStatement.</summary>
    /// <remarks>As <see cref="PtcPrincipal"/>: the conversion only captures the value, so a bad statement is reported by the cmdlet (StatementInvalid, PolicyJsonInvalid), not as a binding error.</remarks>
    public PtcPolicyStatement(object value)
    {
        Given = value;
    }

    /// <summary>What the user gave when the statement was converted from a parameter value (null for a statement the cmdlets made); the target of its errors.</summary>
    [Hidden, JsonIgnore]
    public object? Given { get; }

    /// <summary>The target of this statement's errors: what the user gave, else the statement itself.</summary>
    internal object ErrorTarget => Given ?? this;

    /// <summary>The lossless statement behind this object.</summary>
    /// <exception cref="PtcTools.Policy.PolicyException">For a converted value that is no statement: StatementInvalid or PolicyJsonInvalid.</exception>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.PolicyStatement
    public PolicyStatement PolicyStatement => _statement ??= Transforms.StatementInput.ToStatement(Given);

    /// <summary>The statement id.</summary>
    public string? Sid => PolicyStatement.Sid;

    /// <summary>Allow or Deny.</summary>
    public string? Effect => PolicyStatement.Effect;

    /// <summary>The principals, as <c>AWS:arn:...</c>, <c>Service:...</c> or <c>*</c>.</summary>
    public PtcValueList<string> Principal => Flatten(PolicyStatement.Principal);

    /// <summary>The NotPrincipal entries, when the statement uses NotPrincipal.</summary>
    public PtcValueList<string> NotPrincipal => Flatten(PolicyStatement.NotPrincipal);

    /// <summary>The actions.</summary>
    public PtcValueList<string> Action => new(PolicyStatement.Action);

    /// <summary>The NotAction entries.</summary>
    public PtcValueList<string> NotAction => new(PolicyStatement.NotAction);

    /// <summary>The resources.</summary>
    public PtcValueList<string> Resource => new(PolicyStatement.Resource);

    /// <summary>The NotResource entries.</summary>
    public PtcValueList<string> NotResource => new(PolicyStatement.NotResource);

    /// <summary>The Condition block as compact JSON, or null.</summary>
    public string? Condition => PolicyStatement.Condition is { } c ? PolicyJson.ToCompact(c) : null;

    /// <summary>The compact JSON of the statement.</summary>
    public string Json => PolicyStatement.ToCompactJson();

    /// <summary>The compact JSON (a converted value that is no statement: the value's text).</summary>
    public override string ToString() => _statement is null && Given is not null ? (Transforms.PSValue.Text(Given) ?? string.Empty) : Json;

    private static PtcValueList<string> Flatten(IReadOnlyList<KeyValuePair<string, string>> principals) =>
        new(principals.Select(p => p.Key == "*" ? "*" : p.Key == "AWS" ? p.Value : p.Key + ":" + p.Value));
}
