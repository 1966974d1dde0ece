using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>What one lint run knows and has found so far.</summary>
internal sealed class LintContext
{
    private readonly SourceMap _map;
    private readonly HashSet<string> _excluded;

    public LintContext(LintOptions options, string? sourceText)
    {
        Options = options;
        _map = new SourceMap(sourceText);
        _excluded = new HashSet<string>(options.ExcludeRules, System.StringComparer.OrdinalIgnoreCase);
    }

    public LintOptions Options { get; }

    public List<PolicyFinding> Findings { get; } = new();

    public void Report(string ruleId, JToken? at, StatementFacts? statement, string message)
    {
        var rule = LintRules.Get(ruleId);
        var (line, column) = _map.Start(at);
        if (statement is not null)
        {
            statement.HasFinding = true;
            // An excluded error does not hide the warnings about its statement.
            if (rule.Severity == FindingSeverity.Error && !_excluded.Contains(rule.Id))
            {
                statement.HasError = true;
            }
        }

        Findings.Add(new PolicyFinding(rule.Id, rule.Severity, statement?.Sid, statement?.Index ?? -1, PathOf(at), line, column, message, rule.HelpUri));
    }

    private static string PathOf(JToken? token)
    {
        var path = token?.Path ?? string.Empty;
        return path.Length == 0 ? "$" : path.StartsWith("[", System.StringComparison.Ordinal) ? "$" + path : "$." + path;
    }
}

/// <summary>The parts of one statement the rules work with, read once; only well-formed values are kept.</summary>
internal sealed class StatementFacts
{
    public StatementFacts(int index, JObject json)
    {
        Index = index;
        Json = json;
        Sid = json["Sid"] is JValue { Type: JTokenType.String } sid ? (string?)sid : null;
        Effect = json["Effect"] is JValue { Type: JTokenType.String } effect ? (string?)effect : null;
        Condition = json["Condition"] as JObject;
    }

    public int Index { get; }

    public JObject Json { get; }

    public string? Sid { get; }

    public string? Effect { get; }

    public bool IsAllow => Effect == "Allow";

    public JObject? Condition { get; }

    public bool HasError { get; set; }

    public bool HasFinding { get; set; }

    public List<(JToken Token, PrincipalId Id)> Principals { get; } = new();

    public List<(JToken Token, string Value)> Actions { get; } = new();

    public List<(JToken Token, string Value)> Resources { get; } = new();

    public List<(JToken Token, RepositoryArn Arn)> RepositoryArns { get; } = new();

    public bool UsesNotPrincipal => Json.ContainsKey("NotPrincipal");

    public bool UsesNotAction => Json.ContainsKey("NotAction");

    public bool UsesNotResource => Json.ContainsKey("NotResource");

    /// <summary>True when Principal, Action and Resource (not their Not forms) say exactly what the statement covers.</summary>
    public bool IsPositive => !UsesNotPrincipal && !UsesNotAction && !UsesNotResource && Principals.Count > 0 && Actions.Count > 0 && Resources.Count > 0;

    public bool IsEveryone => Principals.Any(p => p.Id.Kind == PrincipalKind.Everyone);

    /// <summary>The ECR actions the Action element grants, wildcards expanded (canonical names).</summary>
    public HashSet<string> Granted { get; } = new(System.StringComparer.OrdinalIgnoreCase);
}
