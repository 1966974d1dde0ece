using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>Checks a registry policy against the rule catalog: what ECR or IAM would reject, and what they would wrongly accept.</summary>
/// <remarks>The Error rules of the policy language are the reader's (<see cref="GrammarReader"/>), the same diagnostics that make the compiler refuse a policy; lint adds ECR's length limit and the advisory rules.</remarks>
public static class PolicyLinter
{
    /// <summary>Lints policy text. Malformed JSON is a PTC001 finding with its line and column, never an exception.</summary>
    /// <exception cref="PolicyException">An option is invalid (see <see cref="LintOptions.Validate"/>).</exception>
    public static IReadOnlyList<PolicyFinding> Lint(string policyText, LintOptions options)
    {
        if (policyText is null)
        {
            throw new ArgumentNullException(nameof(policyText));
        }

        options ??= new LintOptions();
        options.Validate();
        PolicyDocument document;
        try
        {
            document = PolicyDocument.Parse(policyText, policyText);
        }
        catch (PolicyJsonException ex)
        {
            return Lint(ex, options);
        }

        return LintDocument(document, options);
    }

    /// <summary>The findings for text that did not parse: one PTC001 with the line and column of the problem.</summary>
    /// <remarks>For callers that parse first (the cmdlets' policy input) and still want findings, not an exception.</remarks>
    public static IReadOnlyList<PolicyFinding> Lint(PolicyJsonException error, LintOptions options)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        options ??= new LintOptions();
        options.Validate();
        var rule = LintRules.Get(LintRules.InvalidJson);
        var path = string.IsNullOrEmpty(error.JsonPath) ? "$" : error.JsonPath!.StartsWith("$", StringComparison.Ordinal) ? error.JsonPath! : "$." + error.JsonPath;
        var finding = new PolicyFinding(rule.Id, rule.Severity, null, -1, path, error.Line, error.Column, error.Message + " Fix the JSON; nothing else can be checked until it parses.", rule.HelpUri, "JSON_SYNTAX_ERROR");
        return Filter(new[] { finding }, options);
    }

    /// <summary>Lints a parsed policy. Positions refer to the text it was parsed from, when there was one.</summary>
    /// <exception cref="PolicyException">An option is invalid (see <see cref="LintOptions.Validate"/>).</exception>
    public static IReadOnlyList<PolicyFinding> Lint(PolicyDocument document, LintOptions options)
    {
        if (document is null)
        {
            throw new ArgumentNullException(nameof(document));
        }

        options ??= new LintOptions();
        options.Validate();
        return LintDocument(document, options);
    }

    // The reader's diagnostics (read as a registry policy of the options' scope), the store's length limit,
    // then the advisory rules on the facts the reader produced.
    private static IReadOnlyList<PolicyFinding> LintDocument(PolicyDocument document, LintOptions options)
    {
        var reading = GrammarReader.Read(document, PolicyReadOptions.Registry(options.Scope));
        var sink = new FindingSink(document.SourceText);
        var context = new LintContext(options, reading, sink);
        CheckLength(context, document);
        StatementRules.CheckDocument(context);
        foreach (var statement in reading.Statements.Where(s => !context.HasError(s)))
        {
            StatementRules.Check(context, statement);
        }

        AdvisoryRules.Check(context, reading.Statements);
        return Filter(reading.Diagnostics.Concat(sink.Findings), options);
    }

    private static IReadOnlyList<PolicyFinding> Filter(IEnumerable<PolicyFinding> findings, LintOptions options)
    {
        var excluded = new HashSet<string>(options.ExcludeRules, StringComparer.OrdinalIgnoreCase);
        return findings
            .Where(f => f.Severity >= options.MinimumSeverity && !excluded.Contains(f.RuleId))
            .Select((f, order) => (f, order))
            .OrderBy(x => x.f.StatementIndex).ThenBy(x => x.f.Line).ThenBy(x => x.f.Column).ThenBy(x => x.order)
            .Select(x => x.f)
            .ToArray();
    }

    // ECR's limit on the stored text (PutRegistryPolicy), not part of the policy language: the one Error
    // that is lint's alone, so Test-PtcPermission still evaluates a draft that is too long to store.
    private static void CheckLength(LintContext context, PolicyDocument document)
    {
        var length = document.CompactLength;
        if (length > PolicyDocument.MaxRegistryPolicyLength)
        {
            context.Report(LintRules.PolicyTooLong, document.ToJObject(), null,
                $"The policy is {length} characters as sent (compact JSON), over ECR's limit of {PolicyDocument.MaxRegistryPolicyLength}; ECR rejects it. Merge statements that share principals and resources, use wildcards in Resource, or drop statements that are no longer needed.", "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA");
        }
    }
}
