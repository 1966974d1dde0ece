using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Lint;

public class PolicyLinterTests
{
    private static readonly string s_policy = string.Join("\n",
        "{",
        "  \"Version\": \"2012-10-17\",",
        "  \"Statement\": [",
        "    {",
        "      \"Sid\": \"Fine\",",
        "      \"Effect\": \"Allow\",",
        "      \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/ci-puller\"},",
        "      \"Action\": [\"ecr:CreateRepository\", \"ecr:BatchImportUpstreamImage\"],",
        "      \"Resource\": \"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"",
        "    },",
        "    {",
        "      \"Sid\": \"bad \\\"sid\\\"\",",
        "      \"Effect\": \"Allow\",",
        "      \"Principal\": {\"AWS\": [\"arn:aws:iam::111122223333:group/devs\", 42]},",
        "      \"Action\": [\"ecr:CreateRepository\",   \"ecr:BatchImportUpstreamImages\"],",
        "      \"Resource\": \"arn:aws:us-east-1:111122223333:repository/*\",",
        "      \"Condition\": {\"StringEqualz\": {\"aws:PrincipalAccount\": \"111122223333\"}}",
        "    },",
        "    {\"Effect\": \"Deny\", \"Principal\": \"*\", \"Action\": \"ecr:DeleteRepository\"}",
        "  ]",
        "}");

    public static IEnumerable<object[]> PointedElements() => new[]
    {
        new object[] { "PTC015", "\"bad \\\"sid\\\"\"" },
        new object[] { "PTC007", "\"arn:aws:iam::111122223333:group/devs\"" },
        new object[] { "PTC009", "42]" },
        new object[] { "PTC016", "\"ecr:BatchImportUpstreamImages\"" },
        new object[] { "PTC018", "\"arn:aws:us-east-1:111122223333:repository/*\"" },
        new object[] { "PTC011", "\"StringEqualz\"" },
        new object[] { "PTC010", "{\"Effect\": \"Deny\"" },
    };

    [Theory]
    [MemberData(nameof(PointedElements))]
    public void A_finding_points_at_the_first_character_of_the_offending_element(string ruleId, string expected)
    {
        foreach (var newline in new[] { "\n", "\r\n" })
        {
            var text = s_policy.Replace("\n", newline);
            var finding = Assert.Single(PolicyLinter.Lint(text, new LintOptions()), f => f.RuleId == ruleId);
            var lines = text.Split(new[] { newline }, StringSplitOptions.None);
            Assert.StartsWith(expected, lines[finding.Line - 1].Substring(finding.Column - 1), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_finding_names_the_statement_its_sid_and_the_json_path()
    {
        var finding = Assert.Single(PolicyLinter.Lint(s_policy, new LintOptions()), f => f.RuleId == "PTC016");
        Assert.Equal(1, finding.StatementIndex);
        Assert.Equal("bad \"sid\"", finding.Sid);
        Assert.Equal("$.Statement[1].Action[1]", finding.Path);
        Assert.Equal(15, finding.Line);
        Assert.Contains("Did you mean ecr:BatchImportUpstreamImage?", finding.Message);
        Assert.Equal("docs/rules/PTC016.md", finding.HelpUri);
    }

    [Fact]
    public void A_repository_arn_without_the_ecr_segment_is_named_as_such()
    {
        var finding = Assert.Single(PolicyLinter.Lint(s_policy, new LintOptions()), f => f.RuleId == "PTC018");
        Assert.Contains("the service segment 'ecr' is missing", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_come_in_statement_and_text_order()
    {
        var findings = PolicyLinter.Lint(s_policy, new LintOptions());
        var keys = findings.Select(f => (f.StatementIndex, f.Line, f.Column)).ToList();
        Assert.Equal(keys.OrderBy(k => k.StatementIndex).ThenBy(k => k.Line).ThenBy(k => k.Column), keys);
        Assert.DoesNotContain(findings, f => f.StatementIndex == 0);
    }

    [Theory]
    [InlineData("{\"Version\":\"2012-10-17\",\n  \"Statement\": [ }\n}", 2, "not valid JSON at line 2, column 17 (at 'Statement')")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Version\":\"2008-10-17\"}", 1, "duplicate")]
    [InlineData("", 1, "empty")]
    [InlineData("[{\"Effect\":\"Allow\"}]", 1, "must be a JSON object")]
    public void Invalid_json_is_a_PTC001_finding_with_its_position_not_an_exception(string text, int line, string messagePart)
    {
        var finding = Assert.Single(PolicyLinter.Lint(text, new LintOptions()));
        Assert.Equal("PTC001", finding.RuleId);
        Assert.Equal(FindingSeverity.Error, finding.Severity);
        Assert.Equal(line, finding.Line);
        Assert.True(finding.Column >= 1);
        Assert.Contains(messagePart, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_built_without_text_is_linted_with_paths_but_no_positions()
    {
        var document = PolicyDocument.FromJObject(Newtonsoft.Json.Linq.JObject.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:Foo\",\"Resource\":\"*\"}]}", new Newtonsoft.Json.Linq.JsonLoadSettings { LineInfoHandling = Newtonsoft.Json.Linq.LineInfoHandling.Ignore }));
        var finding = Assert.Single(PolicyLinter.Lint(document, new LintOptions()), f => f.RuleId == "PTC016");
        Assert.Equal("$.Statement[0].Action", finding.Path);
        Assert.Equal((0, 0), (finding.Line, finding.Column));
    }

    [Fact]
    public void Excluded_rules_and_lesser_severities_are_dropped()
    {
        var all = PolicyLinter.Lint(s_policy, new LintOptions());
        Assert.Contains(all, f => f.RuleId == "PTC016");
        var options = new LintOptions { ExcludeRules = new List<string> { "ptc016" }, MinimumSeverity = FindingSeverity.Error };
        var some = PolicyLinter.Lint(s_policy, options);
        Assert.DoesNotContain(some, f => f.RuleId == "PTC016");
        Assert.All(some, f => Assert.Equal(FindingSeverity.Error, f.Severity));
        Assert.Equal(all.Count(f => f.Severity == FindingSeverity.Error) - 1, some.Count);
    }

    [Fact]
    public void Warnings_about_a_statement_with_errors_appear_once_those_errors_are_excluded()
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"bad-sid\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchImportUpstreamImage\",\"Resource\":\"*\"}]}";
        var findings = PolicyLinter.Lint(text, new LintOptions());
        Assert.Equal(new[] { "PTC015" }, findings.Select(f => f.RuleId).ToArray());
        var withoutSidRule = PolicyLinter.Lint(text, new LintOptions { ExcludeRules = new List<string> { "PTC015" } });
        Assert.Equal(new[] { "PTC101", "PTC103", "PTC206" }, withoutSidRule.Select(f => f.RuleId).OrderBy(id => id).ToArray());
    }

    public static TheoryData<string, Action<LintOptions>> InvalidOptions() => new()
    {
        { "RegistryIdInvalid", o => o.RegistryId = "1111-2222-3333" },
        { "RegionInvalid", o => o.Region = "us-east" },
        { "AccountIdInvalid", o => o.TrustedAccounts.Add("12345") },
        { "OrganizationIdInvalid", o => o.OrganizationIds.Add("org-123") },
        { "RepositoryPrefixInvalid", o => o.PullThroughCacheRulePrefixes = new List<string> { "Docker_Hub" } },
        { "LintRuleNotFound", o => o.ExcludeRules.Add("PTC999") },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void An_invalid_option_is_refused_rather_than_silently_skipping_a_check(string errorId, Action<LintOptions> invalid)
    {
        var options = new LintOptions();
        invalid(options);
        var ex = Assert.Throws<PolicyException>(() => PolicyLinter.Lint(s_policy, options));
        Assert.Equal(errorId, ex.ErrorId);
    }

    [Theory]
    [InlineData("ecr:BatchImportUpstreamImages", "ecr:BatchImportUpstreamImage")]
    [InlineData("ecr:createrepositry", "ecr:CreateRepository")]
    [InlineData("BatchImportUpstreamImage", "ecr:BatchImportUpstreamImage")]
    public void An_unknown_action_comes_with_the_nearest_valid_name(string action, string suggestion)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";
        var finding = Assert.Single(PolicyLinter.Lint(text, new LintOptions()), f => f.RuleId == "PTC016");
        Assert.EndsWith($"Did you mean {suggestion}?", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ecr:CreateRepository", false)]
    [InlineData("ecr:ReplicateImage", false)]
    [InlineData("ECR:batchimportupstreamimage", false)]
    [InlineData("ecr:BatchGetImage", true)]
    [InlineData("ecr:*", true)]
    [InlineData("ecr:*Repository", true)]
    [InlineData("*", true)]
    public void Under_the_V1_scope_only_the_three_registry_actions_are_allowed(string action, bool refused)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}";
        Assert.Equal(refused, PolicyLinter.Lint(text, new LintOptions { Scope = RegistryPolicyScope.V1 }).Any(f => f.RuleId == "PTC012"));
        Assert.DoesNotContain(PolicyLinter.Lint(text, new LintOptions { Scope = RegistryPolicyScope.V2 }), f => f.RuleId == "PTC012");
    }

    [Theory]
    [InlineData("{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}", false)]
    [InlineData("{\"StringEquals\":{\"aws:PrincipalAccount\":[\"111122223333\"]}}", false)]
    [InlineData("{\"ArnLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::111122223333:role/ci-*\"}}", false)]
    [InlineData("{\"StringEqualsIfExists\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}", true)]
    [InlineData("{\"StringNotEquals\":{\"aws:PrincipalAccount\":\"111122223333\"}}", true)]
    [InlineData("{\"StringLike\":{\"aws:PrincipalAccount\":\"*\"}}", true)]
    [InlineData("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}", true)]
    [InlineData(null, true)]
    public void Principal_star_is_public_unless_a_condition_ties_it_to_an_account_or_organization(string? condition, bool warned)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"*\"" +
            (condition is null ? string.Empty : ",\"Condition\":" + condition) + "}]}";
        Assert.Equal(warned, PolicyLinter.Lint(text, new LintOptions()).Any(f => f.RuleId == "PTC101"));
    }

    [Theory]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*", false)]
    [InlineData("arn:aws:ecr:*:111122223333:repository/*", false)]
    [InlineData("arn:aws:ecr:us-east-1:444455556666:repository/*", true)]
    [InlineData("arn:aws:ecr:eu-west-1:111122223333:repository/*", true)]
    [InlineData("arn:aws-cn:ecr:us-east-1:111122223333:repository/*", true)]
    public void A_resource_outside_the_registrys_account_or_region_never_applies(string resource, bool warned)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"" + resource + "\"}]}";
        var options = new LintOptions { RegistryId = "111122223333", Region = "us-east-1" };
        Assert.Equal(warned, PolicyLinter.Lint(text, options).Any(f => f.RuleId == "PTC102"));
    }

    [Theory]
    [InlineData("[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"]", null, false)]
    [InlineData("\"ecr:CreateRepository\"", null, true)]
    [InlineData("\"ecr:BatchImportUpstreamImage\"", "\"ecr:CreateRepository\"", false)]
    [InlineData("[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"]", null, false)]
    [InlineData("[\"ecr:BatchImportUpstreamImage\",\"ecr:BatchGetImage\"]", null, false)]
    public void A_pull_through_cache_grant_needs_both_actions_for_the_same_principals_and_repositories(string actions, string? otherStatementActions, bool warned)
    {
        var statement = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":" + actions + ",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}";
        var other = otherStatementActions is null ? string.Empty : ",{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:role/ci\",\"111122223333\"]},\"Action\":" + otherStatementActions + ",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\"}";
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + other + "]}";
        Assert.Equal(warned, PolicyLinter.Lint(text, new LintOptions()).Any(f => f.RuleId == "PTC103" && f.StatementIndex == 0));
    }

    [Theory]
    [InlineData("ecr-public/*", "ecr-public", false, false)]
    [InlineData("ecr-public/library/nginx", "ecr-public/", false, false)]
    [InlineData("*", "docker-hub", false, false)]
    [InlineData("ecr-*", "ecr-public", false, false)]
    [InlineData("quay/*", "ecr-public", true, false)]
    [InlineData("quay/*", "ROOT", false, true)]
    [InlineData("quay/*", "ROOT,quay", false, false)]
    [InlineData("library/nginx", "ROOT", false, true)]
    public void A_pull_through_cache_grant_must_reach_the_repositories_a_rule_creates(string repository, string rules, bool noRule, bool missedByRoot)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/" + repository + "\"}]}";
        var findings = PolicyLinter.Lint(text, new LintOptions { PullThroughCacheRulePrefixes = rules.Split(',') });
        Assert.Equal(noRule, findings.Any(f => f.RuleId == "PTC104"));
        Assert.Equal(missedByRoot, findings.Any(f => f.RuleId == "PTC108"));
    }

    [Theory]
    [InlineData("\"ecr:*\"", true)]
    [InlineData("\"*\"", true)]
    [InlineData("\"ecr:Set*\"", true)]
    [InlineData("\"ecr:Describe*\"", false)]
    [InlineData("[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"]", false)]
    public void Broad_action_wildcards_are_flagged(string actions, bool warned)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":" + actions + ",\"Resource\":\"*\"}]}";
        Assert.Equal(warned, PolicyLinter.Lint(text, new LintOptions()).Any(f => f.RuleId == "PTC105"));
    }

    [Theory]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"}", "\"ecr:CreateRepository\"", "repository/ecr-public/*", null, true)]
    [InlineData("{\"AWS\":\"arn:aws:iam::444455556666:role/ci\"}", "\"ecr:CreateRepository\"", "repository/ecr-public/*", null, false)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"}", "\"ecr:BatchGetImage\"", "repository/ecr-public/*", null, false)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"}", "\"ecr:CreateRepository\"", "repository/quay/*", null, false)]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"}", "\"ecr:CreateRepository\"", "repository/ecr-public/*", "{\"Bool\":{\"aws:SecureTransport\":\"true\"}}", false)]
    public void A_statement_inside_a_broader_one_is_redundant(string principal, string action, string repository, string? condition, bool redundant)
    {
        var broad = "{\"Sid\":\"Broad\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:role/ci\",\"arn:aws:iam::111122223333:role/other\"]},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}";
        var narrow = "{\"Sid\":\"Narrow\",\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":" + action + ",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:" + repository + "\"" +
            (condition is null ? string.Empty : ",\"Condition\":" + condition) + "}";
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + broad + "," + narrow + "]}";
        var findings = PolicyLinter.Lint(text, new LintOptions()).Where(f => f.RuleId == "PTC106").ToList();
        Assert.Equal(redundant, findings.Count == 1);
        Assert.All(findings, f => Assert.Equal("Narrow", f.Sid));
    }

    [Fact]
    public void Of_two_identical_statements_only_the_later_is_redundant()
    {
        var statement = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}";
        var finding = Assert.Single(PolicyLinter.Lint("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "," + statement + "]}", new LintOptions()), f => f.RuleId == "PTC106");
        Assert.Equal(1, finding.StatementIndex);
    }

    [Theory]
    [InlineData("{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"}", null, false)]
    [InlineData("{\"AWS\":\"arn:aws:iam::999988887777:root\"}", null, true)]
    [InlineData("{\"AWS\":\"arn:aws:iam::999988887777:root\"}", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}", false)]
    [InlineData("\"*\"", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}", false)]
    [InlineData("\"*\"", "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-zzzzzzzzzz\"}}", true)]
    [InlineData("\"*\"", "{\"StringEquals\":{\"aws:PrincipalAccount\":[\"111122223333\",\"444455556666\"]}}", false)]
    public void Access_outside_the_trusted_accounts_and_organizations_is_flagged(string principal, string? condition, bool warned)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"" +
            (condition is null ? string.Empty : ",\"Condition\":" + condition) + "}]}";
        var options = new LintOptions { RegistryId = "111122223333", TrustedAccounts = new List<string> { "444455556666" }, OrganizationIds = new List<string> { "o-a1b2c3d4e5" } };
        Assert.Equal(warned, PolicyLinter.Lint(text, options).Any(f => f.RuleId == "PTC107"));
    }

    [Fact]
    public void The_catalog_lists_each_rule_once_with_a_title_and_help()
    {
        Assert.Equal(LintRules.All.Count, LintRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(LintRules.All, r =>
        {
            Assert.Matches("^PTC[0-9]{3}$", r.Id);
            Assert.False(string.IsNullOrWhiteSpace(r.Title));
            Assert.Equal($"docs/rules/{r.Id}.md", r.HelpUri);
            // PTC109 became an Error when lint and evaluation were put on one reader (IAM rejects unknown
            // elements, and the compiler always refused them); its id stays, as ids are stable (docs/decisions.md).
            var expected = r.Id == LintRules.ElementUnknown ? FindingSeverity.Error
                : r.Id.StartsWith("PTC0", StringComparison.Ordinal) ? FindingSeverity.Error : r.Id.StartsWith("PTC1", StringComparison.Ordinal) ? FindingSeverity.Warning : FindingSeverity.Information;
            Assert.Equal(expected, r.Severity);
        });
    }
}
