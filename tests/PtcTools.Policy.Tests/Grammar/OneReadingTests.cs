using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using PtcTools.Policy.Tests.Lint;
using Xunit;

namespace PtcTools.Policy.Tests.Grammar;

/// <summary>Lint and evaluation read a policy through one reader, so "lint says Error" and "simulate refuses" cannot differ.</summary>
public class OneReadingTests
{
    public static IEnumerable<object[]> ErrorRules() =>
        LintRules.All.Where(r => r.Severity == FindingSeverity.Error).Select(r => new object[] { r.Id });

    [Theory]
    [MemberData(nameof(ErrorRules))]
    public void The_bad_example_of_an_error_rule_is_refused_by_lint_and_by_the_compiler_and_the_good_one_by_neither(string ruleId)
    {
        var options = RulePages.Options(ruleId);
        var bad = RulePages.Example(ruleId, "Bad");
        if (ruleId == LintRules.PolicyTooLong)
        {
            // ECR's limit on the stored text, not the language: lint's alone (docs/decisions.md, issue 10).
            Assert.Null(bad);
        }
        else
        {
            Assert.Contains(PolicyLinter.Lint(bad!, options), f => f.RuleId == ruleId && f.Severity == FindingSeverity.Error);
            var refusal = Refusal(bad!, options.Scope);
            Assert.NotNull(refusal);
            if (ruleId != LintRules.InvalidJson)
            {
                Assert.Equal(ErrorIds.PolicyInvalidForEvaluation, refusal!.ErrorId);
                Assert.Contains($"[{ruleId}]", refusal.Message, System.StringComparison.Ordinal);
            }
        }

        var good = RulePages.Example(ruleId, "Good")!;
        Assert.DoesNotContain(PolicyLinter.Lint(good, options), f => f.Severity == FindingSeverity.Error);
        Assert.Null(Refusal(good, options.Scope));
    }

    public static IEnumerable<object[]> EveryExample() =>
        LintRules.All.SelectMany(r => new[] { "Bad", "Good" }.Select(h => new object[] { r.Id, h }))
            .Where(x => x[0] is string id && id != LintRules.PolicyTooLong || (string)x[1] == "Good");

    [Theory]
    [MemberData(nameof(EveryExample))]
    public void Every_rule_example_is_refused_by_the_compiler_exactly_when_lint_reports_an_error(string ruleId, string heading)
    {
        var options = RulePages.Options(ruleId);
        var text = RulePages.Example(ruleId, heading)!;
        var lintError = PolicyLinter.Lint(text, options).Any(f => f.Severity == FindingSeverity.Error);
        Assert.Equal(lintError, Refusal(text, options.Scope) is not null);
    }

    public static IEnumerable<object[]> CorpusPolicies() =>
        PolicyLinterCorpusTests.BadPolicies().Where(c => (string)c[0] != LintRules.PolicyTooLong);

    [Theory]
    [MemberData(nameof(CorpusPolicies))]
    public void Every_lint_corpus_policy_is_refused_by_the_compiler_exactly_when_lint_reports_an_error(string ruleId, string text, System.Action<LintOptions>? change)
    {
        var options = new LintOptions();
        change?.Invoke(options);
        var lintError = PolicyLinter.Lint(text, options).Any(f => f.Severity == FindingSeverity.Error);
        Assert.True(lintError == (Refusal(text, options.Scope) is not null), $"{ruleId}: lint error {lintError}");
    }

    [Fact]
    public void The_compiler_names_the_statement_rule_and_message_of_the_first_error()
    {
        var document = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Ok\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\"},{\"Sid\":\"Typo\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"stringEquals\":{\"aws:PrincipalAccount\":\"111122223333\"},\"Bool\":{\"aws:SecureTransport\":\"yes\"}}}]}");
        var reading = GrammarReader.Read(document, PolicyReadOptions.Registry(RegistryPolicyScope.V2));
        var first = reading.FirstError!;
        Assert.Equal(("PTC011", 1, "$.Statement[1].Condition.stringEquals"), (first.RuleId, first.StatementIndex, first.Path));
        Assert.Equal((1, 207), (first.Line, first.Column));

        var ex = Assert.Throws<PolicyException>(() => CompiledPolicy.Compile(document, PolicyKind.Resource, "registry policy", RegistryPolicyScope.V2));
        Assert.StartsWith("Statement 2 (Sid 'Typo') of the registry policy cannot be evaluated: [PTC011] " + first.Message, ex.Message, System.StringComparison.Ordinal);
        Assert.Contains("(1 more error.)", ex.Message, System.StringComparison.Ordinal);
        Assert.Equal(Remedy.LintPolicy, ex.Remedy);
    }

    [Fact]
    public void A_reading_keeps_typed_facts_only_for_well_formed_values()
    {
        var document = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Ptc\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"111122223333\",\"arn:aws:iam::111122223333:group/devs\"]},\"Action\":[\"ecr:Batch*\",\"ecr:Nope\"],\"Resource\":[\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\",\"arn:aws:s3:::bucket\"],\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-a1b2c3d4e5\"}}}]}");
        var s = Assert.Single(GrammarReader.Read(document, PolicyReadOptions.Registry(RegistryPolicyScope.V2)).Statements);
        Assert.Equal(PrincipalKind.Account, Assert.Single(s.Principals).Id.Kind);
        Assert.Equal("ecr:Batch*", Assert.Single(s.Actions).Text);
        Assert.Contains("ecr:BatchImportUpstreamImage", s.Granted);
        var resource = Assert.Single(s.Resources);
        Assert.Equal(("aws", "ecr", "us-east-1", "111122223333", "ecr-public/*"), (resource.Partition, resource.Service, resource.Region, resource.Account, resource.Repository));
        var condition = Assert.Single(s.Conditions);
        Assert.Equal((OperatorFamily.StringEquals, "aws:PrincipalOrgID", "o-a1b2c3d4e5"), (condition.Operator.Family, condition.Key, condition.Values.Single()));
        Assert.Equal(new[] { "PTC007", "PTC016", "PTC018" }, s.Diagnostics.Select(d => d.RuleId).OrderBy(id => id));
    }

    [Theory]
    [InlineData(PolicyKind.Identity, "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}", null)]
    [InlineData(PolicyKind.Identity, "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}", "PTC006")]
    [InlineData(PolicyKind.Resource, "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::bucket/*\"}", null)]
    [InlineData(PolicyKind.ServiceControl, "{\"Effect\":\"Deny\",\"Action\":\"ecr:Delete*\",\"Resource\":\"*\",\"Condition\":{\"ArnNotLike\":{\"aws:PrincipalArn\":\"arn:aws:iam::*:role/admin\"}}}", null)]
    public void Only_a_registry_policy_is_held_to_the_ECR_rules(PolicyKind kind, string statement, string? ruleId)
    {
        var document = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}");
        var reading = GrammarReader.Read(document, new PolicyReadOptions { Kind = kind });
        Assert.Equal(ruleId, reading.FirstError?.RuleId);
        if (kind == PolicyKind.Resource)
        {
            Assert.Equal("PTC017", GrammarReader.Read(document, PolicyReadOptions.Registry(RegistryPolicyScope.V2)).FirstError?.RuleId);
        }
    }

    // Refused: the text does not parse, or the compiler refuses it (as a registry policy of the scope).
    private static PolicyException? Refusal(string text, RegistryPolicyScope scope)
    {
        try
        {
            CompiledPolicy.Compile(PolicyDocument.Parse(text), PolicyKind.Resource, "registry policy", scope);
            return null;
        }
        catch (PolicyException ex)
        {
            return ex;
        }
    }
}
