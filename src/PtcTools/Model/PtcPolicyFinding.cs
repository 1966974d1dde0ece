using System.IO;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Lint;

namespace PtcTools;

/// <summary>One lint finding as Test-PtcRegistryPolicy emits it.</summary>
public sealed class PtcPolicyFinding
{
    /// <summary>Wraps a domain finding; <paramref name="source"/> is the file it came from, if any.</summary>
    public PtcPolicyFinding(PolicyFinding finding, string? source)
    {
        Finding = finding;
        Source = source;
    }

    /// <summary>The domain finding behind this object.</summary>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.Finding
    public PolicyFinding Finding { get; }

    /// <summary>The stable rule id, e.g. PTC016.</summary>
    public string RuleId => Finding.RuleId;

    /// <summary>Error, Warning or Information.</summary>
    public FindingSeverity Severity => Finding.Severity;

    /// <summary>What the rule checks.</summary>
    public string Title => LintRules.Get(Finding.RuleId).Title;

    /// <summary>The Sid of the statement, when it has one.</summary>
    public string? Sid => Finding.Sid;

    /// <summary>The 0-based statement index, or -1 for the whole document.</summary>
    public int StatementIndex => Finding.StatementIndex;

    /// <summary>The JSON path of the offending element.</summary>
    public string Path => Finding.Path;

    /// <summary>The 1-based line in the original text (0 when the policy did not come from text).</summary>
    public int Line => Finding.Line;

    /// <summary>The 1-based column in the original text (0 when unknown).</summary>
    public int Column => Finding.Column;

    /// <summary>What is wrong and how to fix it.</summary>
    public string Message => Finding.Message;

    /// <summary>The issue code IAM Access Analyzer's ValidatePolicy gives the equivalent check (such as MISSING_QUALIFIER), or null when it has none.</summary>
    public string? AccessAnalyzerCode => Finding.AccessAnalyzerCode;

    /// <summary>Where the rule is documented: the page shipped in the module's rules folder, else its place in the repository.</summary>
    public string HelpUri => ShippedPage(Finding.RuleId, typeof(PtcPolicyFinding).Assembly.Location) ?? Finding.HelpUri;

    /// <summary>The file the policy was read from, when it came from -Path or -LiteralPath.</summary>
    public string? Source { get; }

    // The build copies docs/rules next to the assembly, so an installed module can open the page offline.
    internal static string? ShippedPage(string ruleId, string? assemblyLocation)
    {
        // Location is "" for an assembly loaded from bytes, and the .NET Framework's GetDirectoryName("") throws.
        var location = assemblyLocation;
        var folder = string.IsNullOrEmpty(location) ? null : System.IO.Path.GetDirectoryName(location);
        if (string.IsNullOrEmpty(folder))
        {
            return null;
        }

        var page = System.IO.Path.Combine(System.IO.Path.Combine(folder, "rules"), ruleId + ".md");
        return File.Exists(page) ? page : null;
    }

    /// <summary>A one-line form, with the file when there is one.</summary>
    public override string ToString() => (Source is null ? string.Empty : Source + ": ") + Finding;
}
