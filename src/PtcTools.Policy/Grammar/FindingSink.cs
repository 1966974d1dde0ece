using System.Collections.Generic;
using System.Globalization;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Lint;

namespace PtcTools.Policy.Grammar;

/// <summary>Collects diagnostics with their rule, JSON path and the line and column where the element starts.</summary>
/// <remarks>The reader and the lint rules built on it report through one sink, so every finding is made the same way:
/// a finding about a statement says which one (its Sid, or "statement N" with N its 0-based index, as the finding
/// views print it) and which element, before the rule's own words.</remarks>
internal sealed class FindingSink
{
    private readonly SourceMap _map;

    public FindingSink(string? sourceText) => _map = new SourceMap(sourceText);

    public List<PolicyFinding> Findings { get; } = new();

    /// <summary>Records a finding of a catalog rule about a token of a statement (or of the whole policy when <paramref name="statement"/> is null), with the Access Analyzer issue code of the equivalent check when there is one.</summary>
    public PolicyFinding Report(string ruleId, JToken? at, StatementReading? statement, string message, string? accessAnalyzerCode = null)
    {
        var rule = LintRules.Get(ruleId);
        var (line, column) = _map.Start(at);
        var text = statement is null ? message : Where(statement, at) + message;
        var finding = new PolicyFinding(rule.Id, rule.Severity, statement?.Sid, statement?.Index ?? -1, PathOf(at), line, column, text, rule.HelpUri, accessAnalyzerCode);
        statement?.Add(finding);
        Findings.Add(finding);
        return finding;
    }

    /// <summary>How a message names a statement: its Sid, or "statement N" (0-based, as <see cref="PolicyFinding.StatementIndex"/>).</summary>
    public static string Label(StatementReading statement) =>
        string.IsNullOrEmpty(statement.Sid) ? "statement " + statement.Index.ToString(CultureInfo.InvariantCulture) : $"statement \"{statement.Sid}\"";

    // "Statement "Ptc", Condition StringEquals aws:PrincipalOrgID: " or "Statement 2: " for the statement itself.
    private static string Where(StatementReading statement, JToken? at)
    {
        var label = Label(statement);
        var head = char.ToUpperInvariant(label[0]) + label.Substring(1);
        var element = ElementOf(statement.Json, at);
        return element is null ? head + ": " : $"{head}, {element}: ";
    }

    // The statement element the token is in, with the operator and key for a condition: "Action", "Condition StringEquals aws:SourceIp".
    private static string? ElementOf(JObject statement, JToken? at)
    {
        var names = new List<string>();
        for (var t = at; t is not null && !ReferenceEquals(t, statement); t = t.Parent)
        {
            if (t is JProperty p)
            {
                names.Insert(0, p.Name);
            }
        }

        if (names.Count == 0)
        {
            return null;
        }

        return names[0] == "Condition" ? string.Join(" ", names.GetRange(0, System.Math.Min(3, names.Count))) : names[0];
    }

    private static string PathOf(JToken? token)
    {
        var path = token?.Path ?? string.Empty;
        return path.Length == 0 ? "$" : path.StartsWith("[", System.StringComparison.Ordinal) ? "$" + path : "$." + path;
    }
}
