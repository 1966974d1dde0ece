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
    private const string MultivaluedExamplesPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html";
    private const string ScpPage = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html";
    private const string VariablesPage = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html";
    private const string User = "arn:aws:iam::111122223333:user/alice";
    private const string LinkedRole = "arn:aws:iam::111122223333:role/aws-service-role/replication.ecr.amazonaws.com/AWSServiceRoleForECRReplication";
    private const string LinkedSession = "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForECRReplication/replication";
    private const string AllowAll = "[{'Effect':'Allow','Action':'ecr:*','Resource':'*'}]";
    private const string ScpDeny = "[{'Effect':'Allow','Action':'*','Resource':'*'},{'Effect':'Deny','Action':'ecr:*','Resource':'*'}]";
    private const string ScpOnlyS3 = "[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]";

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

        // 2. SCPs do not restrict service-linked roles (nor service principals, which are no principal of the account).
        (ScpPage, new("SCP: an SCP Deny does not deny a service-linked role", null, LinkedRole, Create, Repo, PermissionDecision.Allowed, identity: AllowAll, scp: ScpDeny)),
        (ScpPage, new("SCP: an SCP that does not allow the action does not limit a service-linked role", null, LinkedRole, Create, Repo, PermissionDecision.Allowed, identity: AllowAll, scp: ScpOnlyS3)),
        (ScpPage, new("SCP: an SCP Deny does not deny a session of a service-linked role", null, LinkedSession, Create, Repo, PermissionDecision.Allowed, identity: AllowAll, scp: ScpDeny)),
        (ScpPage, new("SCP: an SCP Deny still denies an ordinary role", null, Role, Create, Repo, PermissionDecision.ExplicitDeny, identity: AllowAll, scp: ScpDeny)),
        (ScpPage, new("SCP: a role under another path named like one is still restricted", null, "arn:aws:iam::111122223333:role/team/AWSServiceRoleForX", Create, Repo, PermissionDecision.ExplicitDeny, identity: AllowAll, scp: ScpDeny)),
        (ScpPage, new("SCP: an SCP does not restrict a service principal", "[{'Effect':'Allow','Principal':{'Service':'pullthroughcache.ecr.amazonaws.com'},'Action':'ecr:*','Resource':'*'}]", "pullthroughcache.ecr.amazonaws.com", Create, Repo, PermissionDecision.Allowed, scp: ScpOnlyS3)),

        // 7. Policy variables in the resource part of a Resource are substituted.
        (VariablesPage, new("variables: ${aws:PrincipalTag/team} in Resource grants the team's repositories", Grant("arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team}/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/platform/app", PermissionDecision.Allowed, context: "aws:PrincipalTag/team=platform")),
        (VariablesPage, new("variables: ${aws:PrincipalTag/team} in Resource does not grant another team's", Grant("arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team}/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/data/app", PermissionDecision.ImplicitDeny, context: "aws:PrincipalTag/team=platform")),
        (VariablesPage, new("variables: a tag the principal does not have matches nothing", Grant("arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team}/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/platform/app", PermissionDecision.ImplicitDeny)),
        (VariablesPage, new("variables: a multivalued key is no variable value", Grant("arn:aws:ecr:us-east-1:111122223333:repository/${aws:TagKeys}/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/team/app", PermissionDecision.ImplicitDeny, context: "aws:TagKeys=[team]")),
        (VariablesPage, new("variables: a variable before the fifth colon is not substituted", Grant("arn:aws:ecr:us-east-1:${aws:PrincipalAccount}:repository/*"), Role, Create, Repo, PermissionDecision.ImplicitDeny)),
        (VariablesPage, new("variables: a variable beside a wildcard in the resource part", Grant("arn:aws:ecr:us-east-1:111122223333:*/${aws:PrincipalTag/team}-*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/x/platform-app", PermissionDecision.Allowed, context: "aws:PrincipalTag/team=platform")),

        // 8a. NotResource with a variable the request cannot resolve: the statement does not apply (the entire statement may be invalid), unless the text before the variable already rules the resource out.
        (VariablesPage, new("NotResource: a Deny whose variable has no value does not apply", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','NotResource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*'}]", Role, Create, Repo, PermissionDecision.Allowed)),
        (VariablesPage, new("NotResource: a Deny whose value is in another account applies whatever the variable", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','NotResource':'arn:aws:ecr:us-east-1:444455556666:repository/${aws:username}/*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny)),
        (VariablesPage, new("NotResource: with a value, a Deny outside the user's repositories denies another's", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','NotResource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*'}]", User, Create, "arn:aws:ecr:us-east-1:111122223333:repository/bob/app", PermissionDecision.ExplicitDeny)),
        (VariablesPage, new("NotResource: with a value, a Deny outside the user's repositories leaves theirs alone", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:*','NotResource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*'}]", User, Create, "arn:aws:ecr:us-east-1:111122223333:repository/alice/app", PermissionDecision.Allowed)),

        // 8b. Bool against a request value that is neither true nor false: no match.
        (OperatorsPage, new("Bool: true does not match a request value of yes", Cond("Bool", "aws:SecureTransport", "true"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SecureTransport=yes")),
        (OperatorsPage, new("Bool: false does not match a request value of yes either", Cond("Bool", "aws:SecureTransport", "false"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SecureTransport=yes")),
        (OperatorsPage, new("BoolIfExists: a present value of yes is compared, and does not match", Cond("BoolIfExists", "aws:SecureTransport", "true"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SecureTransport=yes")),
        (OperatorsPage, new("Bool: the request value is read without case", Cond("Bool", "aws:SecureTransport", "true"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:SecureTransport=True")),

        // 8c. Dates in epoch seconds may have a fraction, compared to the tick.
        (OperatorsPage, new("DateEquals: a fractional epoch equals the same instant", Cond("DateEquals", "aws:EpochTime", "1700000000.5"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:EpochTime=1700000000.5")),
        (OperatorsPage, new("DateEquals: a fractional epoch equals the same instant in ISO 8601", Cond("DateEquals", "aws:EpochTime", "1700000000.5"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:EpochTime=2023-11-14T22:13:20.5Z")),
        (OperatorsPage, new("DateEquals: a fractional epoch is not the whole second before it", Cond("DateEquals", "aws:EpochTime", "1700000000.5"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:EpochTime=1700000000")),
        (OperatorsPage, new("DateLessThan: the whole second is before the fractional one", Cond("DateLessThan", "aws:EpochTime", "1700000000.5"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:EpochTime=1700000000")),

        // Set operators read an empty string as an empty set.
        (MultivaluedExamplesPage, new("ForAllValues: true for an empty string (a null dataset)", Cond("ForAllValues:StringEquals", "aws:TagKeys", "team"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:TagKeys=")),
        (MultivaluedExamplesPage, new("ForAnyValue: false for an empty string", Cond("ForAnyValue:StringLike", "aws:TagKeys", "*"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:TagKeys=")),
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
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team}/*")]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team, 'shared'}/*")]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}")]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:*/web")]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:repo*/app/*")]
    [InlineData("arn:aws:ecr:us-east-1:111122223333:?epository/x")]
    [InlineData("arn:aws:ecr:*")]
    [InlineData("arn:aws:ecr:us-east-1:*")]
    public void A_resource_IAM_accepts_is_no_lint_error_and_compiles(string resource)
    {
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Team\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + Role + "\"},\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"" + resource + "\"}]}";
        Assert.DoesNotContain(PolicyLinter.Lint(text, new LintOptions()), f => f.Severity == FindingSeverity.Error);
        Assert.NotNull(CompiledPolicy.Compile(PolicyDocument.Parse(text), PolicyKind.Resource, "registry policy", RegistryPolicyScope.V2));
    }

    [Fact]
    public void The_reason_says_when_SCPs_took_no_part_for_a_service_linked_role()
    {
        var row = new EvaluationRuleTests.Row("scp", null, LinkedRole, Create, Repo, PermissionDecision.Allowed, identity: AllowAll, scp: ScpDeny);
        Assert.EndsWith("Service control policies do not restrict a service-linked role, so the SCPs took no part.", row.Evaluate().Reason, System.StringComparison.Ordinal);
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
