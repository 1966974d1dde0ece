using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Grammar;

namespace PtcTools.Policy.Lint;

/// <summary>What one lint run knows: the options, the reading, and the sink every finding goes through.</summary>
internal sealed class LintContext
{
    private readonly FindingSink _sink;
    private readonly HashSet<string> _excluded;

    public LintContext(LintOptions options, PolicyReading reading, FindingSink sink)
    {
        Options = options;
        Reading = reading;
        _sink = sink;
        _excluded = new HashSet<string>(options.ExcludeRules, System.StringComparer.OrdinalIgnoreCase);
    }

    public LintOptions Options { get; }

    public PolicyReading Reading { get; }

    public void Report(string ruleId, JToken? at, StatementReading? statement, string message, string? accessAnalyzerCode = null) => _sink.Report(ruleId, at, statement, message, accessAnalyzerCode);

    /// <summary>True when the statement has an Error that is not excluded: advice about a statement ECR rejects is noise, but an excluded error does not hide it.</summary>
    public bool HasError(StatementReading statement) =>
        statement.Diagnostics.Any(d => d.Severity == FindingSeverity.Error && !_excluded.Contains(d.RuleId));
}
