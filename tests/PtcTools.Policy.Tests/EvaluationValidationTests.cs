using System.Collections.Generic;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>Policies AWS would reject, and requests that cannot be evaluated, are errors that say where and why.</summary>
public class EvaluationValidationTests
{
    [Theory]
    [InlineData("an Effect in the wrong case", PolicyKind.Resource, "{'Effect':'allow','Principal':'*','Action':'ecr:*','Resource':'*'}", "Effect is \"allow\"")]
    [InlineData("an unknown condition operator", PolicyKind.Resource, "{'Sid':'Typo','Effect':'Deny','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'StringEqualz':{'aws:PrincipalAccount':'1'}}}", "'StringEqualz' is not a condition operator")]
    [InlineData("an unknown set qualifier", PolicyKind.Resource, "{'Effect':'Deny','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'ForSomeValues:StringEquals':{'aws:TagKeys':'a'}}}", "not a set operator")]
    [InlineData("IfExists on Null", PolicyKind.Resource, "{'Effect':'Deny','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'NullIfExists':{'aws:SourceVpce':'true'}}}", "IfExists cannot be added to the Null operator")]
    [InlineData("a resource-policy statement without Principal", PolicyKind.Resource, "{'Effect':'Allow','Action':'ecr:*','Resource':'*'}", "must name a Principal")]
    [InlineData("a statement without Resource", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*'}", "neither Resource nor NotResource")]
    [InlineData("a statement with Action and NotAction", PolicyKind.Identity, "{'Effect':'Allow','Action':'ecr:*','NotAction':'ecr:Delete*','Resource':'*'}", "both Action and NotAction")]
    [InlineData("Principal in an identity policy", PolicyKind.Identity, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'}", "Principal is not allowed in an identity-based policy")]
    [InlineData("Allow with NotPrincipal", PolicyKind.Resource, "{'Effect':'Allow','NotPrincipal':{'AWS':'111122223333'},'Action':'ecr:*','Resource':'*'}", "Allow with NotPrincipal")]
    [InlineData("a partial wildcard in a principal ARN", PolicyKind.Resource, "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:role/*'},'Action':'ecr:*','Resource':'*'}", "partial wildcards")]
    [InlineData("an IAM group as principal", PolicyKind.Resource, "{'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::111122223333:group/devs'},'Action':'ecr:*','Resource':'*'}", "groups cannot be principals")]
    [InlineData("an unknown statement key", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Conditions':{}}", "the element 'Conditions', which IAM does not define")]
    [InlineData("a Resource that is not an ARN", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'repository/app'}", "neither \"*\" nor an ARN")]
    [InlineData("an action without a service prefix", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'CreateRepository','Resource':'*'}", "IAM reads actions as service:Action")]
    [InlineData("an IpAddress value that is not an address", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'IpAddress':{'aws:SourceIp':'10.0.0.0/33'}}}", "not an IPv4 or IPv6 address")]
    [InlineData("a Date value that is not a date", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'DateLessThan':{'aws:CurrentTime':'tomorrow'}}}", "not a date")]
    [InlineData("a Numeric value that is not a number", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'NumericLessThan':{'aws:MultiFactorAuthAge':'an hour'}}}", "not a number")]
    [InlineData("a Bool value that is not a boolean", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'Bool':{'aws:SecureTransport':'yes'}}}", "not a Bool value")]
    [InlineData("an object as a condition value", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalAccount':{'a':1}}}}", "condition values are text, numbers or booleans")]
    [InlineData("an unclosed policy variable", PolicyKind.Resource, "{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'arn:aws:ecr:us-east-1:111122223333:repository/${aws:username'}", "without a closing")]
    public void A_policy_AWS_rejects_cannot_be_evaluated(string what, PolicyKind kind, string statement, string reasonPart)
    {
        var document = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Fine\",\"Effect\":\"Allow\"," + (kind == PolicyKind.Resource ? "\"Principal\":\"*\"," : string.Empty) + "\"Action\":\"ecr:*\",\"Resource\":\"*\"}," + statement.Replace('\'', '"') + "]}");
        var ex = Assert.Throws<PolicyException>(() => CompiledPolicy.Compile(document, kind, "registry policy"));
        Assert.Equal("PolicyInvalidForEvaluation", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidData, ex.Kind);
        Assert.StartsWith("Statement 2 ", ex.Message);
        Assert.Contains(reasonPart, ex.Message);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Theory]
    [InlineData("{\"Version\":\"2012-10-18\",\"Statement\":[]}", "Version is \"2012-10-18\"")]
    [InlineData("{\"Version\":\"2012-10-17\"}", "no Statement")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[],\"Extra\":1}", "the element 'Extra', which IAM does not define")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[\"not an object\"]}", "not a statement object")]
    public void A_malformed_document_cannot_be_evaluated(string json, string reasonPart)
    {
        var ex = Assert.Throws<PolicyException>(() => CompiledPolicy.Compile(PolicyDocument.Parse(json), PolicyKind.Resource, "registry policy"));
        Assert.Equal("PolicyInvalidForEvaluation", ex.ErrorId);
        Assert.Contains(reasonPart, ex.Message);
    }

    [Theory]
    [InlineData("ecr:BatchGetImage", "for 'ecr:BatchGetImage'")]
    [InlineData("ecr:*", "it matches ecr:")]
    [InlineData("*", "every action")]
    public void The_V1_scope_refuses_actions_beyond_the_three_registry_actions(string action, string reasonPart)
    {
        var document = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"" + action + "\",\"Resource\":\"*\"}]}");
        var ex = Assert.Throws<PolicyException>(() => CompiledPolicy.Compile(document, PolicyKind.Resource, "registry policy", RegistryPolicyScope.V1));
        Assert.Equal("PolicyInvalidForEvaluation", ex.ErrorId);
        Assert.Contains(reasonPart, ex.Message);
        Assert.NotNull(CompiledPolicy.Compile(document, PolicyKind.Resource, "registry policy", RegistryPolicyScope.V2));
    }

    [Theory]
    [InlineData("*", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/app", "PrincipalInvalid")]
    [InlineData("arn:aws:iam::111122223333:group/devs", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/app", "PrincipalIsGroup")]
    [InlineData("not-a-principal", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/app", "PrincipalInvalid")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:Create*", "arn:aws:ecr:us-east-1:111122223333:repository/app", "ActionInvalid")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/app", "ActionInvalid")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:registry", "ResourceInvalid")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/*", "ResourceInvalid")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:CreateRepository", "*", "ActionResourceMismatch")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:GetAuthorizationToken", "arn:aws:ecr:us-east-1:111122223333:repository/app", "ActionResourceMismatch")]
    public void A_request_that_cannot_be_evaluated_is_refused_with_a_stable_id(string principal, string action, string resource, string errorId)
    {
        var ex = Assert.Throws<PolicyException>(() => AccessRequest.Create(principal, action, resource));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidArgument, ex.Kind);
        Assert.NotNull(ex.Target);
    }

    [Fact]
    public void An_action_without_a_resource_is_evaluated_against_star()
    {
        var set = new PolicySet(null, new[] { CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:GetAuthorizationToken\",\"Resource\":\"*\"}]}"), PolicyKind.Identity, "identity policy") });
        var request = AccessRequest.Create("arn:aws:iam::111122223333:role/ci", "ecr:GetAuthorizationToken", "*");
        Assert.Equal(PermissionDecision.Allowed, PermissionEvaluator.Decide(set, request));
    }

    [Fact]
    public void A_context_key_given_twice_in_different_case_is_refused()
    {
        var context = new[] { new KeyValuePair<string, ContextValue>("aws:SourceIp", ContextValue.Of("10.0.0.1")), new KeyValuePair<string, ContextValue>("AWS:SOURCEIP", ContextValue.Of("10.0.0.2")) };
        var ex = Assert.Throws<PolicyException>(() => AccessRequest.Create("arn:aws:iam::111122223333:role/ci", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/app", context));
        Assert.Equal("ContextKeyDuplicate", ex.ErrorId);
    }
}
