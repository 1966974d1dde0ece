using System.Collections.Generic;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Lint;

namespace PtcTools.Policy.Grammar;

/// <summary>Collects diagnostics with their rule, JSON path and the line and column where the element starts.</summary>
/// <remarks>The reader and the lint rules built on it report through one sink, so every finding is made the same way.</remarks>
internal sealed class FindingSink
{
    private readonly SourceMap _map;

    public FindingSink(string? sourceText) => _map = new SourceMap(sourceText);

    public List<PolicyFinding> Findings { get; } = new();

    /// <summary>Records a finding of a catalog rule about a token of a statement (or of the whole policy when <paramref name="statement"/> is null).</summary>
    public PolicyFinding Report(string ruleId, JToken? at, StatementReading? statement, string message)
    {
        var rule = LintRules.Get(ruleId);
        var (line, column) = _map.Start(at);
        var finding = new PolicyFinding(rule.Id, rule.Severity, statement?.Sid, statement?.Index ?? -1, PathOf(at), line, column, message, rule.HelpUri);
        statement?.Add(finding);
        Findings.Add(finding);
        return finding;
    }

    private static string PathOf(JToken? token)
    {
        var path = token?.Path ?? string.Empty;
        return path.Length == 0 ? "$" : path.StartsWith("[", System.StringComparison.Ordinal) ? "$" + path : "$." + path;
    }
}
