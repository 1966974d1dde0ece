using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>What the explained path says about statements that a condition ruled out: which condition, and what the request has.</summary>
public class EvaluationNearMissTests
{
    private const string Ci = "arn:aws:iam::111122223333:role/ci";
    private const string Partner = "arn:aws:iam::444455556666:role/puller";
    private const string Repo = "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx";
    private const string Pull = "ecr:BatchGetImage";
    private const string AllowAll = "{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}";

    // Context values: null leaves the key out, "[a,b]" is a multivalued key ("[]" an empty list), anything else one value.
    [Theory]
    [InlineData("StringEquals", "aws:PrincipalOrgID", "\"o-abc123\"", "o-zzz999", "StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999)")]
    [InlineData("StringEquals", "aws:PrincipalOrgID", "\"o-abc123\"", null, "StringEquals aws:PrincipalOrgID = o-abc123 is not met (the key aws:PrincipalOrgID is not in the request context)")]
    [InlineData("StringEquals", "aws:PrincipalOrgID", "[\"o-a\",\"o-b\"]", "o-z", "StringEquals aws:PrincipalOrgID = [o-a, o-b] is not met (the request has o-z)")]
    [InlineData("StringNotEquals", "aws:PrincipalOrgID", "\"o-bad\"", "o-bad", "StringNotEquals aws:PrincipalOrgID = o-bad is not met (the request has o-bad)")]
    [InlineData("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "\"Build\"", "deploy", "StringEqualsIgnoreCase aws:PrincipalTag/team = Build is not met (the request has deploy)")]
    [InlineData("StringLike", "aws:PrincipalArn", "\"arn:aws:iam::111122223333:role/deploy-*\"", null, "StringLike aws:PrincipalArn = arn:aws:iam::111122223333:role/deploy-* is not met (the request has arn:aws:iam::111122223333:role/ci)")]
    [InlineData("StringEquals", "aws:PrincipalTag/team", "\"${aws:username}\"", "ci", "StringEquals aws:PrincipalTag/team = ${aws:username} is not met (the request has ci; a policy variable in the condition has no value in this request, so that value matches nothing)")]
    [InlineData("NumericLessThan", "aws:MultiFactorAuthAge", "\"3600\"", "7200", "NumericLessThan aws:MultiFactorAuthAge = 3600 is not met (the request has 7200)")]
    [InlineData("NumericLessThan", "aws:MultiFactorAuthAge", "\"3600\"", "an hour", "NumericLessThan aws:MultiFactorAuthAge = 3600 is not met (the request has an hour, which is not a number)")]
    [InlineData("DateLessThan", "aws:CurrentTime", "\"2027-01-01T00:00:00Z\"", "2027-06-01T00:00:00Z", "DateLessThan aws:CurrentTime = 2027-01-01T00:00:00Z is not met (the request has 2027-06-01T00:00:00Z)")]
    [InlineData("DateGreaterThan", "aws:CurrentTime", "\"2027-01-01T00:00:00Z\"", "tomorrow", "DateGreaterThan aws:CurrentTime = 2027-01-01T00:00:00Z is not met (the request has tomorrow, which is not a date)")]
    [InlineData("Bool", "aws:SecureTransport", "\"true\"", "false", "Bool aws:SecureTransport = true is not met (the request has false)")]
    [InlineData("Bool", "aws:SecureTransport", "\"true\"", "yes", "Bool aws:SecureTransport = true is not met (the request has yes, which is neither true nor false)")]
    [InlineData("BinaryEquals", "aws:RequestTag/blob", "\"QmluYXJ5\"", "T3RoZXI=", "BinaryEquals aws:RequestTag/blob = QmluYXJ5 is not met (the request has T3RoZXI=)")]
    [InlineData("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", "198.51.100.1", "IpAddress aws:SourceIp = 203.0.113.0/24 is not met (the request has 198.51.100.1)")]
    [InlineData("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", null, "IpAddress aws:SourceIp = 203.0.113.0/24 is not met (the key aws:SourceIp is not in the request context)")]
    [InlineData("IpAddress", "aws:SourceIp", "\"203.0.113.0/24\"", "corp-proxy", "IpAddress aws:SourceIp = 203.0.113.0/24 is not met (the request has corp-proxy, which is not an IP address)")]
    [InlineData("NotIpAddress", "aws:SourceIp", "\"10.0.0.0/8\"", "10.1.2.3", "NotIpAddress aws:SourceIp = 10.0.0.0/8 is not met (the request has 10.1.2.3)")]
    [InlineData("ArnLike", "aws:SourceArn", "\"arn:aws:ecr:*:111122223333:*\"", "arn:aws:ecr:us-east-1:444455556666:repository/x", "ArnLike aws:SourceArn = arn:aws:ecr:*:111122223333:* is not met (the request has arn:aws:ecr:us-east-1:444455556666:repository/x)")]
    [InlineData("ArnEquals", "aws:SourceArn", "\"arn:aws:ecr:us-east-1:111122223333:repository/x\"", "repository/x", "ArnEquals aws:SourceArn = arn:aws:ecr:us-east-1:111122223333:repository/x is not met (the request has repository/x, which is not an ARN)")]
    [InlineData("StringEqualsIfExists", "aws:PrincipalOrgID", "\"o-abc123\"", "o-zzz999", "StringEqualsIfExists aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999)")]
    [InlineData("Null", "aws:SourceIp", "\"true\"", "10.0.0.1", "Null aws:SourceIp = true is not met (the key aws:SourceIp is in the request context, with 10.0.0.1)")]
    [InlineData("Null", "aws:SourceIp", "\"false\"", null, "Null aws:SourceIp = false is not met (the key aws:SourceIp is not in the request context)")]
    [InlineData("StringEquals", "aws:TagKeys", "\"team\"", "[team]", "StringEquals aws:TagKeys = team is not met (the request has the list [team], and StringEquals without ForAnyValue: or ForAllValues: does not match a multivalued key)")]
    [InlineData("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]", "[env,cost]", "ForAnyValue:StringEquals aws:TagKeys = team is not met (the request has [env, cost], and none of them matches)")]
    [InlineData("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]", "[]", "ForAnyValue:StringEquals aws:TagKeys = team is not met (the request has an empty list for aws:TagKeys, and ForAnyValue: needs at least one value that matches)")]
    [InlineData("ForAnyValue:StringEquals", "aws:TagKeys", "[\"team\"]", null, "ForAnyValue:StringEquals aws:TagKeys = team is not met (the key aws:TagKeys is not in the request context)")]
    [InlineData("ForAllValues:StringEquals", "aws:TagKeys", "[\"team\",\"env\"]", "[team,cost]", "ForAllValues:StringEquals aws:TagKeys = [team, env] is not met (the request has [team, cost], and cost does not match)")]
    [InlineData("ForAllValues:IpAddress", "aws:SourceIp", "[\"10.0.0.0/8\"]", "[10.0.0.1,proxy]", "ForAllValues:IpAddress aws:SourceIp = 10.0.0.0/8 is not met (the request has [10.0.0.1, proxy], and proxy, which is not an IP address, does not match)")]
    public void Each_condition_family_says_which_condition_failed_and_what_the_request_has(string op, string key, string values, string? context, string expected)
    {
        var policy = "[{\"Sid\":\"Gate\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\",\"Condition\":{\"" + op + "\":{\"" + key + "\":" + values + "}}}]";
        var result = Evaluate(policy, Ci, Context(key, context));

        Assert.Equal(PermissionDecision.ImplicitDeny, result.Decision);
        Assert.Empty(result.MatchedStatements);
        var miss = Assert.Single(result.NearMisses);
        Assert.Equal("Gate", miss.Sid);
        var failure = Assert.Single(miss.FailedConditions);
        Assert.Equal(expected, failure.ToString());
        Assert.Equal(op, failure.Operator);
        Assert.Equal(key, failure.Key);
        var requestValue = key == "aws:PrincipalArn" ? Ci : context is null ? null : Context(key, context).Single().Value.ToString();
        Assert.Equal(requestValue, failure.RequestValue);
        Assert.Contains(" Statement 'Gate' of the registry policy would allow it, but its condition " + expected + ".", result.Reason);
    }

    [Fact]
    public void An_implicit_deny_names_the_statement_and_the_condition_that_stopped_it()
    {
        var policy = "[{\"Sid\":\"OrgRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}}]";
        var result = Evaluate(policy, Ci, Context("aws:PrincipalOrgID", "o-zzz999"));
        Assert.Equal(
            "Implicitly denied as far as the policies given go: the registry policy does not grant it to this principal, and no identity-based policy was given; " +
            "within one account the principal's own IAM policy could still allow ecr:BatchGetImage on " + Repo + ". " +
            "Statement 'OrgRead' of the registry policy would allow it, but its condition StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999).",
            result.Reason);
        Assert.Equal("registry policy: OrgRead (Allow): StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999)", result.NearMisses.Single().ToString());
    }

    [Fact]
    public void Every_failed_condition_of_a_statement_is_reported_and_the_met_ones_are_not()
    {
        var policy = "[{\"Sid\":\"Corp\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"},\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"},\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]";
        var result = Evaluate(policy, Ci, new Dictionary<string, string> { ["aws:PrincipalOrgID"] = "o-abc123", ["aws:SecureTransport"] = "false" }.Select(p => new KeyValuePair<string, ContextValue>(p.Key, ContextValue.Of(p.Value))));
        var miss = Assert.Single(result.NearMisses);
        Assert.Equal(
            new[] { "IpAddress aws:SourceIp = 203.0.113.0/24 is not met (the key aws:SourceIp is not in the request context)", "Bool aws:SecureTransport = true is not met (the request has false)" },
            miss.FailedConditions.Select(f => f.ToString()).ToArray());
        Assert.EndsWith("would allow it, but its conditions IpAddress aws:SourceIp = 203.0.113.0/24 is not met (the key aws:SourceIp is not in the request context) and Bool aws:SecureTransport = true is not met (the request has false).", result.Reason);
    }

    [Fact]
    public void A_statement_for_another_principal_action_or_resource_is_no_near_miss()
    {
        var condition = ",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}";
        var policy = "[" +
            "{\"Sid\":\"OtherRole\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/other\"},\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\"" + condition + "}," +
            "{\"Sid\":\"OtherAction\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:PutImage\",\"Resource\":\"*\"" + condition + "}," +
            "{\"Sid\":\"OtherRepo\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/quay/*\"" + condition + "}]";
        var result = Evaluate(policy, Ci, Context("aws:PrincipalOrgID", "o-zzz999"));
        Assert.Equal(PermissionDecision.ImplicitDeny, result.Decision);
        Assert.Empty(result.NearMisses);
        Assert.DoesNotContain("would allow it", result.Reason);
    }

    [Fact]
    public void A_deny_ruled_out_by_its_condition_is_listed_but_an_allow_reason_is_unchanged()
    {
        var policy = "[{\"Sid\":\"Ci\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + Ci + "\"},\"Action\":\"ecr:*\",\"Resource\":\"*\"}," +
            "{\"Sid\":\"OnlyFromCorp\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}]";
        var result = Evaluate(policy, Ci, Context("aws:SourceIp", "203.0.113.7"));
        Assert.Equal(PermissionDecision.Allowed, result.Decision);
        Assert.Equal("registry policy: OnlyFromCorp (Deny): NotIpAddress aws:SourceIp = 203.0.113.0/24 is not met (the request has 203.0.113.7)", Assert.Single(result.NearMisses).ToString());
        Assert.Equal("Allowed: statement 'Ci' of the registry policy names the principal, and within one account a resource-policy grant is enough.", result.Reason);
    }

    [Fact]
    public void Within_one_account_an_account_grant_ruled_out_by_a_condition_is_not_said_to_allow()
    {
        // A grant to the account only delegates to IAM: meeting its condition would still not allow.
        var policy = "[{\"Sid\":\"Account\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}}]";
        var result = Evaluate(policy, Ci, Context("aws:PrincipalOrgID", "o-zzz999"));
        var miss = Assert.Single(result.NearMisses);
        Assert.Equal(PrincipalMatch.Account, miss.PrincipalMatch);
        Assert.DoesNotContain("would allow it", result.Reason);
    }

    [Fact]
    public void Across_accounts_the_side_that_is_missing_is_the_one_explained()
    {
        var policy = "[{\"Sid\":\"PartnerOrg\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}}]";
        var identity = "[{\"Sid\":\"Pull\",\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}}," + AllowAll + "]";
        var result = Evaluate(policy, Partner, Context("aws:PrincipalOrgID", "o-zzz999"), identity);

        Assert.Equal(PermissionDecision.ImplicitDeny, result.Decision);
        Assert.Equal(new[] { "Pull", "PartnerOrg" }, result.NearMisses.Select(m => m.Sid).ToArray());
        Assert.Contains("an identity-based policy allows", result.Reason);
        Assert.Contains("Statement 'PartnerOrg' of the registry policy would allow it, but its condition StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999).", result.Reason);
        Assert.DoesNotContain("'Pull'", result.Reason);
    }

    [Theory]
    [InlineData("boundary", "Implicitly denied: the permissions boundary does not allow", "Statement 'Bounded' of the permissions boundary would allow it")]
    [InlineData("scp", "Implicitly denied: no service control policy allows", "Statement 'Bounded' of the service control policy would allow it")]
    [InlineData("identity", "Implicitly denied: no identity-based policy allows", "Statement 'Bounded' of the identity policy would allow it")]
    public void The_policy_that_blocked_is_the_one_whose_near_misses_are_told(string where, string reasonStart, string nearMiss)
    {
        var conditional = "[{\"Sid\":\"Bounded\",\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}}]";
        var set = new PolicySet(
            null,
            new[] { Compile(where == "identity" ? conditional : "[" + AllowAll + "]", PolicyKind.Identity, "identity policy") },
            where == "boundary" ? new[] { Compile(conditional, PolicyKind.PermissionsBoundary, "permissions boundary") } : null,
            where == "scp" ? new[] { Compile(conditional, PolicyKind.ServiceControl, "service control policy") } : null,
            RegistryPolicyScope.V2);
        var result = PermissionEvaluator.Evaluate(set, AccessRequest.Create(Ci, Pull, Repo, Context("aws:PrincipalOrgID", "o-zzz999")));

        Assert.Equal(PermissionDecision.ImplicitDeny, result.Decision);
        Assert.StartsWith(reasonStart, result.Reason);
        Assert.Contains(nearMiss + ", but its condition StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999).", result.Reason);
    }

    [Fact]
    public void More_than_two_near_misses_are_counted_rather_than_listed()
    {
        var statements = Enumerable.Range(1, 4).Select(i => "{\"Sid\":\"Org" + i + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-" + i + "\"}}}");
        var result = Evaluate("[" + string.Join(",", statements) + "]", Ci, Context("aws:PrincipalOrgID", "o-zzz999"));
        Assert.Equal(4, result.NearMisses.Count);
        Assert.Contains("Statement 'Org1' of the registry policy would allow it", result.Reason);
        Assert.Contains("Statement 'Org2' of the registry policy would allow it", result.Reason);
        Assert.DoesNotContain("'Org3'", result.Reason);
        Assert.EndsWith(" 2 more statements that would allow it are ruled out by their conditions (see NearMisses).", result.Reason);
    }

    [Fact]
    public void A_statement_without_a_Sid_is_named_by_its_position()
    {
        var policy = "[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]";
        var result = Evaluate(policy, Ci, Context("aws:SecureTransport", "false"));
        Assert.Contains(" Statement 1 of the registry policy would allow it, but its condition Bool aws:SecureTransport = true is not met (the request has false).", result.Reason);
    }

    [AllocationFact]
    public void Deciding_allocates_nothing_when_a_condition_rules_a_statement_out()
    {
        var policy = "[{\"Sid\":\"OrgRead\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchGetImage\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-abc123\"}}}]";
        var set = new PolicySet(Compile(policy, PolicyKind.Resource, "registry policy"), scope: RegistryPolicyScope.V2);
        var request = AccessRequest.Create(Ci, Pull, Repo, Context("aws:PrincipalOrgID", "o-zzz999"));
        PermissionEvaluator.Decide(set, request);
        var denied = 0;
        var before = AllocationCounter.CurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            denied += PermissionEvaluator.Decide(set, request) == PermissionDecision.ImplicitDeny ? 1 : 0;
        }

        var allocated = AllocationCounter.CurrentThread() - before;
        Assert.Equal(1000, denied);
        Assert.Equal(0, allocated);
    }

    private static EvaluationResult Evaluate(string registryStatements, string principal, IEnumerable<KeyValuePair<string, ContextValue>> context, string? identityStatements = null)
    {
        var set = new PolicySet(
            Compile(registryStatements, PolicyKind.Resource, "registry policy"),
            identityStatements is null ? null : new[] { Compile(identityStatements, PolicyKind.Identity, "identity policy") },
            scope: RegistryPolicyScope.V2);
        return PermissionEvaluator.Evaluate(set, AccessRequest.Create(principal, Pull, Repo, context));
    }

    private static CompiledPolicy Compile(string statements, PolicyKind kind, string name) =>
        CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}"), kind, name);

    private static KeyValuePair<string, ContextValue>[] Context(string key, string? value)
    {
        if (value is null || key == "aws:PrincipalArn")
        {
            return Array.Empty<KeyValuePair<string, ContextValue>>();
        }

        var context = value.StartsWith("[", StringComparison.Ordinal)
            ? ContextValue.OfMany(value.Trim('[', ']').Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            : ContextValue.Of(value);
        return new[] { new KeyValuePair<string, ContextValue>(key, context) };
    }
}
