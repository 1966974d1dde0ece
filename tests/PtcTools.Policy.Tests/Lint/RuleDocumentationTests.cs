using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Lint;

/// <summary>The rule pages of docs/rules and the examples they show, as the tests read them.</summary>
internal static class RulePages
{
    // What each rule page says its examples are linted with.
    private static readonly Dictionary<string, Action<LintOptions>> s_options = new()
    {
        ["PTC012"] = o => o.Scope = RegistryPolicyScope.V1,
        ["PTC102"] = o => { o.RegistryId = "111122223333"; o.Region = "us-east-1"; },
        ["PTC104"] = o => o.PullThroughCacheRulePrefixes = new List<string> { "docker-hub" },
        ["PTC107"] = o => o.TrustedAccounts = new List<string> { "111122223333" },
        ["PTC108"] = o => o.PullThroughCacheRulePrefixes = new List<string> { "ROOT" },
    };

    public static string Folder() => Path.Combine(RepositoryRoot.Path, "docs", "rules");

    /// <summary>The options the page's examples are linted with.</summary>
    public static LintOptions Options(string ruleId)
    {
        var options = new LintOptions();
        if (s_options.TryGetValue(ruleId, out var change))
        {
            change(options);
        }

        return options;
    }

    /// <summary>The JSON under the page's "## Bad" or "## Good" heading, or null.</summary>
    public static string? Example(string ruleId, string heading)
    {
        var page = File.ReadAllText(Path.Combine(Folder(), ruleId + ".md"));
        var match = Regex.Match(page, "## " + heading + "\\s*\\n\\s*```json\\n(.*?)\\n```", RegexOptions.Singleline);
        return match.Success ? match.Groups[1].Value : null;
    }
}

public class RuleDocumentationTests
{
    public static IEnumerable<object[]> Rules() => LintRules.All.Select(r => new object[] { r.Id });

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_rule_has_a_page_with_what_why_how_and_examples(string ruleId)
    {
        var page = File.ReadAllText(Path.Combine(RulePages.Folder(), ruleId + ".md"));
        var rule = LintRules.Get(ruleId);
        Assert.StartsWith($"# {ruleId}: {rule.Title.TrimEnd('.')}", page, StringComparison.Ordinal);
        Assert.Contains($"Severity: **{rule.Severity}**", page, StringComparison.Ordinal);
        foreach (var heading in new[] { "## What it checks", "## Why", "## How to fix", "## Bad", "## Good" })
        {
            Assert.Contains(heading, page, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_bad_example_of_a_rule_page_breaks_the_rule_and_the_good_one_does_not(string ruleId)
    {
        var options = RulePages.Options(ruleId);
        var good = RulePages.Example(ruleId, "Good");
        Assert.NotNull(good);
        Assert.DoesNotContain(PolicyLinter.Lint(good!, options), f => f.RuleId == ruleId);
        Assert.DoesNotContain(PolicyLinter.Lint(good!, options), f => f.Severity == FindingSeverity.Error);

        var bad = RulePages.Example(ruleId, "Bad");
        if (ruleId == LintRules.PolicyTooLong)
        {
            Assert.Null(bad); // Too long to show; the corpus test covers it.
            return;
        }

        Assert.NotNull(bad);
        Assert.Contains(PolicyLinter.Lint(bad!, options), f => f.RuleId == ruleId);
    }

    [Fact]
    public void Every_page_belongs_to_a_rule_of_the_catalog()
    {
        var pages = Directory.GetFiles(RulePages.Folder(), "PTC*.md").Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(LintRules.All.Count, pages.Count());
        Assert.All(pages, id => Assert.NotNull(LintRules.Find(id)));
    }

    [Fact]
    public void The_rule_index_lists_every_rule_with_its_severity_and_title()
    {
        var index = File.ReadAllText(Path.Combine(RulePages.Folder(), "README.md"));
        Assert.All(LintRules.All, r => Assert.Contains($"| [{r.Id}]({r.Id}.md) | {r.Severity} | {r.Title.TrimEnd('.')} |", index, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void Every_page_names_the_check_it_follows_and_the_Access_Analyzer_codes_its_rule_declares(string ruleId)
    {
        // Issue 11: each page cites its anchor check (Access Analyzer's policy check reference, parliament, or the
        // IAM/ECR page) and lists exactly the ValidatePolicy issue codes the catalog declares for the rule.
        var page = File.ReadAllText(Path.Combine(RulePages.Folder(), ruleId + ".md"));
        var anchor = Regex.Match(page, "## Anchor\\n\\n(.*?)\\n## ", RegexOptions.Singleline);
        Assert.True(anchor.Success, ruleId + " has no Anchor section before the next heading");
        var text = anchor.Groups[1].Value;
        Assert.True(text.Contains("https://docs.aws.amazon.com/") || text.Contains("Access Analyzer has no") || text.Contains("User Guide"), ruleId + ": the anchor names no source: " + text);

        var codes = LintRules.Get(ruleId).AccessAnalyzerCodes;
        var listed = Regex.Match(text, "`AccessAnalyzerCode` of its findings: (.*?)\\.\\n");
        if (codes.Count == 0)
        {
            Assert.False(listed.Success, ruleId + " declares no code, but its page lists some");
            Assert.Contains("Its findings have no `AccessAnalyzerCode`.", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(listed.Success, ruleId + " declares codes, but its page lists none");
            Assert.Equal(codes, Regex.Matches(listed.Groups[1].Value, "`([A-Z_]+)`").Cast<Match>().Select(m => m.Groups[1].Value).ToList());
        }
    }

    public static IEnumerable<object[]> Corpora()
    {
        foreach (var rule in LintRules.All)
        {
            foreach (var heading in new[] { "Bad", "Good" })
            {
                if (RulePages.Example(rule.Id, heading) is { } example)
                {
                    yield return new object[] { $"{rule.Id} {heading}", example, rule.Id };
                }
            }
        }

        foreach (var row in AccessAnalyzerCheckTests.Checks())
        {
            yield return new object[] { $"check {row[0]}/{row[1]}", AccessAnalyzerCheckTests.Policy((string)row[2]), string.Empty };
        }
    }

    [Fact]
    public void Every_statement_finding_of_every_example_names_its_statement_first()
    {
        var examples = Corpora().Select(c => ((string)c[0], (string)c[1], ((string)c[2]).Length > 0 ? RulePages.Options((string)c[2]) : new LintOptions()))
            .Concat(PolicyLinterCorpusTests.BadPolicies().Select(c =>
            {
                var options = new LintOptions();
                (c[2] as Action<LintOptions>)?.Invoke(options);
                return ("corpus " + c[0], (string)c[1], options);
            }));
        foreach (var (what, text, options) in examples)
        {
            Assert.All(PolicyLinter.Lint(text, options).Where(f => f.StatementIndex >= 0), f => Assert.True(
                f.Message.StartsWith(string.IsNullOrEmpty(f.Sid) ? $"Statement {f.StatementIndex}" : $"Statement \"{f.Sid}\"", StringComparison.Ordinal), $"{what}: {f.RuleId}: {f.Message}"));
        }
    }

    [Fact]
    public void Every_finding_carries_only_a_code_its_rule_declares()
    {
        var seen = new List<string>();
        foreach (var c in Corpora())
        {
            var options = ((string)c[2]).Length > 0 ? RulePages.Options((string)c[2]) : new LintOptions();
            foreach (var f in PolicyLinter.Lint((string)c[1], options).Where(f => f.AccessAnalyzerCode is not null))
            {
                Assert.True(LintRules.Get(f.RuleId).AccessAnalyzerCodes.Contains(f.AccessAnalyzerCode), $"{c[0]}: {f.RuleId} carries {f.AccessAnalyzerCode}, which the catalog does not declare for it");
                seen.Add(f.RuleId + "/" + f.AccessAnalyzerCode);
            }
        }

        foreach (var c in PolicyLinterCorpusTests.BadPolicies())
        {
            var options = new LintOptions();
            (c[2] as Action<LintOptions>)?.Invoke(options);
            foreach (var f in PolicyLinter.Lint((string)c[1], options).Where(f => f.AccessAnalyzerCode is not null))
            {
                Assert.True(LintRules.Get(f.RuleId).AccessAnalyzerCodes.Contains(f.AccessAnalyzerCode), $"corpus {c[0]}: {f.RuleId} carries {f.AccessAnalyzerCode}, which the catalog does not declare for it");
                seen.Add(f.RuleId + "/" + f.AccessAnalyzerCode);
            }
        }

        // The one reader also reads identity-based policies (for Test-PtcPermission), where a Principal is refused.
        var identity = GrammarReader.Read(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\"}]}"), new PolicyReadOptions { Kind = PolicyKind.Identity });
        var unsupported = Assert.Single(identity.Diagnostics);
        Assert.Contains(unsupported.AccessAnalyzerCode, LintRules.Get(unsupported.RuleId).AccessAnalyzerCodes);
        seen.Add(unsupported.RuleId + "/" + unsupported.AccessAnalyzerCode);

        // Each code a rule declares is shown by a tested example: a rule page's, or a row of AccessAnalyzerCheckTests.
        var unshown = LintRules.All.SelectMany(r => r.AccessAnalyzerCodes.Select(code => r.Id + "/" + code)).Where(k => !seen.Contains(k)).ToList();
        Assert.True(unshown.Count == 0, "No tested example shows " + string.Join(", ", unshown));
    }
}
