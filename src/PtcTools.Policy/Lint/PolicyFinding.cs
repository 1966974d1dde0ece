namespace PtcTools.Policy.Lint;

/// <summary>One problem the linter found: which rule, where in the text, and how to fix it.</summary>
public sealed class PolicyFinding
{
    /// <summary>Creates a finding.</summary>
    public PolicyFinding(string ruleId, FindingSeverity severity, string? sid, int statementIndex, string path, int line, int column, string message, string helpUri, string? accessAnalyzerCode = null)
    {
        AccessAnalyzerCode = accessAnalyzerCode;
        RuleId = ruleId;
        Severity = severity;
        Sid = sid;
        StatementIndex = statementIndex;
        Path = path;
        Line = line;
        Column = column;
        Message = message;
        HelpUri = helpUri;
    }

    /// <summary>The stable rule id, e.g. <c>PTC016</c>.</summary>
    public string RuleId { get; }

    /// <summary>How serious the finding is.</summary>
    public FindingSeverity Severity { get; }

    /// <summary>The Sid of the statement, when it has one.</summary>
    public string? Sid { get; }

    /// <summary>The 0-based index of the statement, or -1 for a finding about the whole document.</summary>
    public int StatementIndex { get; }

    /// <summary>The JSON path of the offending element, e.g. <c>$.Statement[1].Action[0]</c>.</summary>
    public string Path { get; }

    /// <summary>The 1-based line of the offending element in the original text, or 0 when the policy did not come from text.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the offending element in the original text, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message { get; }

    /// <summary>Where the rule is documented.</summary>
    public string HelpUri { get; }

    /// <summary>The issue code IAM Access Analyzer's ValidatePolicy gives the equivalent check (such as <c>MISSING_QUALIFIER</c>), or null when it has none.</summary>
    public string? AccessAnalyzerCode { get; }

    /// <summary>A one-line form: <c>PTC016 Error line 3, column 17: ...</c>.</summary>
    public override string ToString() =>
        Line > 0 ? $"{RuleId} {Severity} line {Line}, column {Column}: {Message}" : $"{RuleId} {Severity} at {Path}: {Message}";
}
