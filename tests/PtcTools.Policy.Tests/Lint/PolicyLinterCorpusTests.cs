using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Lint;

public class PolicyLinterCorpusTests
{
    private const string Principal = "{\"AWS\":\"arn:aws:iam::111122223333:role/ci-puller\"}";
    private const string Resource = "\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"";
    private const string PtcActions = "[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"]";

    private static string Statement(string sid = "Ptc", string effect = "\"Allow\"", string principal = "\"Principal\":" + Principal, string action = "\"Action\":" + PtcActions, string resource = "\"Resource\":" + Resource, string extra = "") =>
        $"{{\"Sid\":\"{sid}\",\"Effect\":{effect},{principal},{action},{resource}{extra}}}";

    private static string Policy(params string[] statements) => "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements) + "]}";

    private static LintOptions Options(Action<LintOptions>? change = null)
    {
        var options = new LintOptions();
        change?.Invoke(options);
        return options;
    }

    public static IEnumerable<object[]> BadPolicies()
    {
        object[] Case(string rule, string text, Action<LintOptions>? change = null) => new object[] { rule, text, change! };

        var manyStatements = Enumerable.Range(0, 60).Select(i => Statement($"Ptc{i}", principal: $"\"Principal\":{{\"AWS\":\"arn:aws:iam::111122223333:role/ci-puller-number-{i:D3}\"}}")).ToArray();
        yield return Case("PTC001", "{\"Version\":\"2012-10-17\",\"Statement\":[");
        yield return Case("PTC002", Policy(manyStatements));
        yield return Case("PTC003", "{\"Version\":\"2012-10-18\",\"Statement\":[" + Statement() + "]}");
        yield return Case("PTC004", Policy());
        yield return Case("PTC005", Policy(Statement(effect: "\"allow\"")));
        yield return Case("PTC006", Policy(Statement(principal: "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}")));
        yield return Case("PTC007", Policy(Statement(principal: "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:group/ci\"}")));
        yield return Case("PTC008", Policy(Statement(principal: "\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci-*\"}")));
        yield return Case("PTC009", Policy(Statement(principal: "\"Principal\":\"111122223333\"")));
        yield return Case("PTC010", Policy(Statement(extra: ",\"NotAction\":\"ecr:DeleteRepository\"")));
        yield return Case("PTC011", Policy(Statement(extra: ",\"Condition\":{\"StringEqualz\":{\"aws:PrincipalAccount\":\"111122223333\"}}")));
        yield return Case("PTC012", Policy(Statement(action: "\"Action\":[\"ecr:BatchImportUpstreamImage\",\"ecr:CreateRepository\",\"ecr:BatchGetImage\"]")), o => o.Scope = RegistryPolicyScope.V1);
        yield return Case("PTC013", Policy(Statement(principal: "\"NotPrincipal\":" + Principal)));
        yield return Case("PTC014", Policy(Statement(), Statement(resource: "\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/quay/*\"")));
        yield return Case("PTC015", Policy(Statement(sid: "ptc-cache")));
        yield return Case("PTC016", Policy(Statement(action: "\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImages\"]")));
        yield return Case("PTC017", Policy(Statement(action: "\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\",\"s3:GetObject\"]")));
        yield return Case("PTC018", Policy(Statement(resource: "\"Resource\":\"arn:aws:us-east-2:111122223333:repository/*\"")));
        yield return Case("PTC101", Policy(Statement(principal: "\"Principal\":\"*\"")));
        yield return Case("PTC102", Policy(Statement()), o => { o.RegistryId = "111122223333"; o.Region = "us-west-2"; });
        yield return Case("PTC103", Policy(Statement(action: "\"Action\":\"ecr:BatchImportUpstreamImage\"")));
        yield return Case("PTC104", Policy(Statement()), o => o.PullThroughCacheRulePrefixes = new List<string> { "docker-hub", "quay" });
        yield return Case("PTC105", Policy(Statement(action: "\"Action\":\"ecr:*\"")));
        yield return Case("PTC106", Policy(Statement(), Statement(sid: "PtcAgain")));
        yield return Case("PTC107", Policy(Statement()), o => o.TrustedAccounts = new List<string> { "444455556666" });
        yield return Case("PTC108", Policy(Statement()), o => o.PullThroughCacheRulePrefixes = new List<string> { "ROOT" });
        yield return Case("PTC109", Policy(Statement(extra: ",\"Comment\":\"owned by the platform team\"")));
        yield return Case("PTC201", "{\"Statement\":[" + Statement() + "]}");

        // The rules of issue 11: the bad example of each rule page (docs/rules), which the page documents and this runs.
        var written = new HashSet<string> { "PTC001", "PTC002", "PTC003", "PTC004", "PTC005", "PTC006", "PTC007", "PTC008", "PTC009", "PTC010", "PTC011", "PTC012", "PTC013", "PTC014", "PTC015", "PTC016", "PTC017", "PTC018", "PTC101", "PTC102", "PTC103", "PTC104", "PTC105", "PTC106", "PTC107", "PTC108", "PTC109", "PTC201" };
        foreach (var rule in LintRules.All.Where(r => !written.Contains(r.Id)))
        {
            yield return Case(rule.Id, RulePages.Example(rule.Id, "Bad")!);
        }
    }

    [Theory]
    [MemberData(nameof(BadPolicies))]
    public void A_bad_policy_yields_its_rule_and_no_other_error(string ruleId, string text, Action<LintOptions>? change)
    {
        var findings = PolicyLinter.Lint(text, Options(change));

        Assert.Contains(findings, f => f.RuleId == ruleId);
        Assert.All(findings.Where(f => f.RuleId != ruleId), f => Assert.NotEqual(FindingSeverity.Error, f.Severity));
        Assert.All(findings.Where(f => f.RuleId == ruleId), f => Assert.Equal(LintRules.Get(ruleId).Severity, f.Severity));
    }

    [Fact]
    public void The_corpus_covers_every_rule_of_the_catalog()
    {
        var covered = BadPolicies().Select(c => (string)c[0]).ToHashSet();
        Assert.DoesNotContain(LintRules.All, r => !covered.Contains(r.Id));
    }

    [Fact]
    public void The_good_statement_the_corpus_starts_from_has_no_finding()
    {
        var findings = PolicyLinter.Lint(Policy(Statement()), Options(o =>
        {
            o.RegistryId = "111122223333";
            o.Region = "us-east-1";
            o.PullThroughCacheRulePrefixes = new List<string> { "ecr-public" };
            o.TrustedAccounts = new List<string> { "111122223333" };
            o.Scope = RegistryPolicyScope.V1;
        }));

        Assert.Empty(findings);
    }

    // Every example policy of the AWS documentation quoted in ECR-FACTS.md; placeholders
    // (<your_account_id>, <source_account_id>, "region") filled with example values.
    public static IEnumerable<object[]> AwsDocumentationExamples()
    {
        yield return new object[] { "registry-permissions-examples: replication, all repositories", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReplicationAccessCrossAccount\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"],\"Resource\":[\"arn:aws:ecr:us-west-2:111122223333:repository/*\"]}]}", true };
        yield return new object[] { "registry-permissions-examples: replication, prefix", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"ReplicationAccessCrossAccount\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:ReplicateImage\"],\"Resource\":[\"arn:aws:ecr:us-west-2:111122223333:repository/prod-*\"]}]}", true };
        yield return new object[] { "registry-permissions-create-pullthroughcache: sample statement", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PullThroughCacheFromReadOnlyRole\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:user/ecr-pull-through-cache-user\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}]}", true };
        yield return new object[] { "pull-through-cache-private: upstream registry policy", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::444455556666:root\"},\"Action\":[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchImportUpstreamImage\",\"ecr:GetImageCopyStatus\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\"}]}", false };
    }

    [Theory]
    [MemberData(nameof(AwsDocumentationExamples))]
    public void An_aws_documentation_example_has_no_error(string source, string text, bool validInV1)
    {
        Assert.NotEmpty(source);
        Assert.DoesNotContain(PolicyLinter.Lint(text, Options()), f => f.Severity == FindingSeverity.Error);
        var v1 = PolicyLinter.Lint(text, Options(o => o.Scope = RegistryPolicyScope.V1));
        Assert.Equal(validInV1, !v1.Any(f => f.Severity == FindingSeverity.Error));
    }

    public static IEnumerable<object[]> AwsExampleFiles() =>
        TestFiles.Examples().Where(f => ((string)f[0]).StartsWith("aws-", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(AwsExampleFiles))]
    public void An_aws_example_file_has_no_error(string file)
    {
        var findings = PolicyLinter.Lint(TestFiles.Read("examples", file), Options(o => o.RegistryId = "111122223333"));
        Assert.DoesNotContain(findings, f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void The_benchmark_policy_is_refused_for_its_length_alone()
    {
        var findings = PolicyLinter.Lint(TestFiles.Read("examples", "bench-policy.json"), Options());
        var error = Assert.Single(findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal("PTC002", error.RuleId);
        Assert.Contains("11578 characters", error.Message);
    }
}
