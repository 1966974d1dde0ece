using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>The evaluation rules of issue 10, one row per rule, each with the AWS documentation page it follows.</summary>
public class DocumentedRuleTests
{
    private const string ResourcePage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html";
    private const string OperatorsPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html";
    private const string ConditionPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html";
    private const string MultivaluedPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html";

    private const string Role = "arn:aws:iam::111122223333:role/Builder";
    private const string Create = "ecr:CreateRepository";
    private const string Web = "arn:aws:ecr:us-east-1:111122223333:repository/app/web";
    private const string Repo = "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx";
    private const string Ireland = "arn:aws:ecr:eu-west-1:111122223333:repository/ecr-public/nginx";

    public static IEnumerable<object[]> Rows() => Table.Select(r => new object[] { r.Row.Rule, r.Page, r.Row });

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_rule_decides_as_its_AWS_page_says(string rule, string page, EvaluationRuleTests.Row row)
    {
        Assert.StartsWith("https://docs.aws.amazon.com/", page, System.StringComparison.Ordinal);
        var result = row.Evaluate();
        Assert.True(row.Expected == result.Decision, $"{rule} ({page}): expected {row.Expected}, got {result.Decision} ({result.Reason})");
    }

    private static readonly (string Page, EvaluationRuleTests.Row Row)[] Table =
    {
        // 1. A wildcard anywhere in the resource part, the text before the first '/' included, matches across '/'.
        (ResourcePage, new("resource: */web matches repository/app/web", Grant("arn:aws:ecr:us-east-1:111122223333:*/web"), Role, Create, Web, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: repo*/app/* matches repository/app/web", Grant("arn:aws:ecr:us-east-1:111122223333:repo*/app/*"), Role, Create, Web, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: rep*sitory/* matches repository/app/web", Grant("arn:aws:ecr:us-east-1:111122223333:rep*sitory/*"), Role, Create, Web, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: ?epository/x matches repository/x", Grant("arn:aws:ecr:us-east-1:111122223333:?epository/x"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/x", PermissionDecision.Allowed)),
        (ResourcePage, new("resource: */web does not match repository/app/webs", Grant("arn:aws:ecr:us-east-1:111122223333:*/web"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/app/webs", PermissionDecision.ImplicitDeny)),
        (ResourcePage, new("resource: a Deny on */web beats an Allow on *", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','Resource':'arn:aws:ecr:us-east-1:111122223333:*/web'}]", Role, Create, Web, PermissionDecision.ExplicitDeny)),
        (ResourcePage, new("resource: a * inside a segment does not cross a colon", Grant("arn:aws:ecr:us-east-1:1111*:repository/app/web"), Role, Create, Web, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: a * that does not end its segment stays in it", Grant("arn:aws:ecr:us*1:repository/app/web"), Role, Create, Web, PermissionDecision.ImplicitDeny)),

        // 3. A trailing * of a segment expands across the colons after it.
        (ResourcePage, new("resource: arn:aws:ecr:* matches every repository", Grant("arn:aws:ecr:*"), Role, Create, Repo, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: arn:aws:ecr:us-east-1:* matches a repository in us-east-1", Grant("arn:aws:ecr:us-east-1:*"), Role, Create, Repo, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: arn:aws:ecr:us-east-1:* does not match one in eu-west-1", Grant("arn:aws:ecr:us-east-1:*"), Role, Create, Ireland, PermissionDecision.ImplicitDeny)),
        (ResourcePage, new("resource: arn:aws:ecr:us-* expands from the Region on", Grant("arn:aws:ecr:us-*"), Role, Create, Repo, PermissionDecision.Allowed)),
        (ResourcePage, new("resource: a short ARN without a trailing * matches nothing", Grant("arn:aws:ecr:us-east-1"), Role, Create, Repo, PermissionDecision.ImplicitDeny)),
        (ResourcePage, new("NotResource: a Deny outside arn:aws:ecr:us-east-1:* denies eu-west-1", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','NotResource':'arn:aws:ecr:us-east-1:*'}]", Role, Create, Ireland, PermissionDecision.ExplicitDeny)),
        (ResourcePage, new("NotResource: a Deny outside arn:aws:ecr:us-east-1:* leaves us-east-1 alone", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','NotResource':'arn:aws:ecr:us-east-1:*'}]", Role, Create, Repo, PermissionDecision.Allowed)),
        (OperatorsPage, new("ArnLike: arn:aws:iam::* matches an IAM role ARN (the trailing * expands, as in Resource)", Cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*"), Role, Create, Repo, PermissionDecision.Allowed)),
        (OperatorsPage, new("ArnNotLike: arn:aws:iam::* does not match an IAM role ARN", Cond("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*"), Role, Create, Repo, PermissionDecision.ImplicitDeny)),
        (OperatorsPage, new("ArnLike: arn:aws:sts::* does not match an IAM role ARN", Cond("ArnLike", "aws:PrincipalArn", "arn:aws:sts::*"), Role, Create, Repo, PermissionDecision.ImplicitDeny)),
        (OperatorsPage, new("ArnLike: a five-segment value without a trailing * matches nothing", Cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333"), Role, Create, Repo, PermissionDecision.ImplicitDeny)),
        (OperatorsPage, new("ArnLike: a * inside a segment does not cross a colon", Cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::1*3:role/Builder"), Role, Create, Repo, PermissionDecision.Allowed)),
    };

    public static IEnumerable<object[]> Refused() => new[]
    {
        new object[] { ResourcePage, "a wildcard in the service segment", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'arn:aws:*'}", "PTC018" },
        new object[] { ResourcePage, "an ARN without a service segment", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'arn:aws'}", "PTC018" },
        new object[] { ResourcePage, "a Resource that is not an ARN", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'repository/app'}", "PTC018" },
        new object[] { MultivaluedPage, "ForAllValues: on Null", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'ForAllValues:Null':{'aws:TagKeys':'false'}}}", "PTC011" },
        new object[] { MultivaluedPage, "ForAnyValue: on Null", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'ForAnyValue:Null':{'aws:TagKeys':'true'}}}", "PTC011" },
        new object[] { ConditionPage, "an operator in the wrong case (stringequals)", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'stringequals':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}", "PTC011" },
        new object[] { ConditionPage, "an operator with IfExists in the wrong case", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'StringEqualsifexists':{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}", "PTC011" },
        new object[] { ConditionPage, "a set qualifier in the wrong case", "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'forallvalues:StringEquals':{'aws:TagKeys':'team'}}}", "PTC011" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_policy_AWS_refuses_is_refused_by_lint_and_by_the_compiler_alike(string page, string what, string statement, string ruleId)
    {
        Assert.StartsWith("https://docs.aws.amazon.com/", page, System.StringComparison.Ordinal);
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement.Replace('\'', '"') + "]}";
        var finding = Assert.Single(PolicyLinter.Lint(text, new LintOptions()), f => f.Severity == FindingSeverity.Error);
        Assert.Equal(ruleId, finding.RuleId);
        foreach (var scope in new RegistryPolicyScope?[] { null, RegistryPolicyScope.V2 })
        {
            var ex = Assert.Throws<PolicyException>(() => CompiledPolicy.Compile(PolicyDocument.Parse(text), PolicyKind.Resource, "registry policy", scope));
            Assert.True(ex.Message.Contains($"[{ruleId}] {finding.Message}"), what + ": " + ex.Message);
        }
    }

    [Theory]
    [InlineData("stringequals", "StringEquals")]
    [InlineData("StringEqualsifexists", "StringEqualsIfExists")]
    [InlineData("forallvalues:stringlike", "ForAllValues:StringLike")]
    [InlineData("ForAnyValue:Null", null)]
    public void An_operator_in_the_wrong_case_gets_its_right_spelling_suggested(string written, string? suggested)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"" + written + "\":{\"aws:TagKeys\":\"team\"}}}]}";
        var finding = Assert.Single(PolicyLinter.Lint(text, new LintOptions()), f => f.RuleId == "PTC011");
        if (suggested is null)
        {
            Assert.Contains("cannot be combined", finding.Message, System.StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(suggested, finding.Message, System.StringComparison.Ordinal);
        }
    }

    private static string Grant(string resource) =>
        "[{'Effect':'Allow','Principal':{'AWS':'" + Role + "'},'Action':['ecr:CreateRepository'],'Resource':'" + resource + "'}]";

    private static string Cond(string op, string key, params string[] values) =>
        "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*','Condition':{'" + op + "':{'" + key + "':[" + string.Join(",", values.Select(v => "'" + v + "'")) + "]}}}]";
}
