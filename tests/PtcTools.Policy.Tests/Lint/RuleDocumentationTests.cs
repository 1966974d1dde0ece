using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
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
    public void The_rule_index_lists_every_rule_with_its_severity()
    {
        var index = File.ReadAllText(Path.Combine(RulePages.Folder(), "README.md"));
        Assert.All(LintRules.All, r => Assert.Contains($"| [{r.Id}]({r.Id}.md) | {r.Severity} |", index, StringComparison.Ordinal));
    }
}
