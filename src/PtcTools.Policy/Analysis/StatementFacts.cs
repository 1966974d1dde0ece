using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Analysis;

/// <summary>One condition operator and key of a statement, as the partition needs it: the family, the set qualifier and the values as written.</summary>
internal sealed class ConditionFact
{
    public ConditionFact(string operatorName, string key, OperatorFamily family, SetQualifier set, IReadOnlyList<string> values, bool variables)
    {
        OperatorName = operatorName;
        Key = key;
        Family = family;
        Set = set;
        Values = values;
        Variables = variables;
    }

    public string OperatorName { get; }

    public string Key { get; }

    public OperatorFamily Family { get; }

    public SetQualifier Set { get; }

    public IReadOnlyList<string> Values { get; }

    /// <summary>True when the values are read with policy variables (version 2012-10-17 and an operator that substitutes them).</summary>
    public bool Variables { get; }

    public bool IsStringLike => Family is OperatorFamily.StringEquals or OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.StringLike
        or OperatorFamily.ArnLike or OperatorFamily.Bool or OperatorFamily.BinaryEquals;

    /// <summary>The values that hold a policy variable (other than the literal <c>${*}</c>, <c>${?}</c>, <c>${$}</c>).</summary>
    public IEnumerable<string> ValuesWithVariables => Variables ? Values.Where(v => GlobToken.HasVariable(GlobToken.Read(v, false, true))) : Enumerable.Empty<string>();

    public string Describe() => $"{OperatorName} {Key} = {(Values.Count == 1 ? Values[0] : "[" + string.Join(", ", Values) + "]")}";
}

/// <summary>
/// What the analysis reads from one compiled statement: its action, resource and principal values and its conditions.
/// The only place the analysis looks inside the engine's compiled form, so that a change there is met here once.
/// </summary>
internal sealed class StatementFacts
{
    private StatementFacts(int policyIndex, CompiledPolicy policy, CompiledStatement statement)
    {
        PolicyIndex = policyIndex;
        Policy = policy;
        Statement = statement;
        Variables = policy.UsesVariables;
        Actions = statement.Actions;
        NotAction = statement.NotAction;
        Resources = statement.Resources.Select(r => r.Text).ToArray();
        NotResource = statement.NotResource;
        NotPrincipal = statement.NotPrincipal;
        var source = statement.Index >= 0 && statement.Index < policy.Document.Statements.Count ? policy.Document.Statements[statement.Index] : null;
        var listed = source is null ? Array.Empty<KeyValuePair<string, string>>() : (NotPrincipal ? source.NotPrincipal : source.Principal);
        var principals = new List<PrincipalId>();
        foreach (var pair in listed)
        {
            if (PrincipalId.TryParse(pair.Value, pair.Key, out var id, out _, out _))
            {
                principals.Add(id);
            }
        }

        Principals = principals;
        Conditions = statement.Conditions
            .Select(c => new ConditionFact(c.OperatorName, c.Key, c.Operator.Family, c.Operator.Set, c.Values, Variables && c.Operator.AllowsVariables))
            .ToArray();
    }

    /// <summary>0 for the only or existing policy, 1 for the new one.</summary>
    public int PolicyIndex { get; }

    public CompiledPolicy Policy { get; }

    public CompiledStatement Statement { get; }

    public bool IsAllow => Statement.IsAllow;

    public bool Variables { get; }

    public IReadOnlyList<string> Actions { get; }

    public bool NotAction { get; }

    public IReadOnlyList<string> Resources { get; }

    public bool NotResource { get; }

    public IReadOnlyList<PrincipalId> Principals { get; }

    public bool NotPrincipal { get; }

    public IReadOnlyList<ConditionFact> Conditions { get; }

    /// <summary>The Resource or NotResource values that hold a policy variable.</summary>
    public IEnumerable<string> ResourcesWithVariables => Variables ? Resources.Where(r => GlobToken.HasVariable(GlobToken.Read(r, false, true))) : Enumerable.Empty<string>();

    public string Label => Statement.Label;

    public static IReadOnlyList<StatementFacts> Of(int policyIndex, CompiledPolicy? policy) =>
        policy is null ? Array.Empty<StatementFacts>() : policy.Statements.Select(s => new StatementFacts(policyIndex, policy, s)).ToArray();

    public bool CoversAction(string action) => Statement.AppliesToAction(action);

    public bool CoversResource(AccessRequest request) => Statement.AppliesToResource(request);

    /// <summary>True when the statement may apply to the request's principal (a NotPrincipal statement always may).</summary>
    public bool MayCoverPrincipal(AccessRequest request) => NotPrincipal || Statement.Principals is null || Statement.Principals.Match(request) != PrincipalMatch.None;
}
