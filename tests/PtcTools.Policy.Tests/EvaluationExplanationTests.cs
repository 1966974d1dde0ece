using System;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>What the evaluator says about a decision, and what it costs.</summary>
public class EvaluationExplanationTests
{
    private const string Registry = "{\"Version\":\"2012-10-17\",\"Statement\":[" +
        "{\"Sid\":\"PtcCi\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}," +
        "{\"Sid\":\"Partner\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":\"ecr:BatchImportUpstreamImage\",\"Resource\":\"*\"}," +
        "{\"Sid\":\"NoDelete\",\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ecr:Delete*\",\"Resource\":\"*\"}]}";

    private static readonly PolicySet s_set = new(CompiledPolicy.Compile(PolicyDocument.Parse(Registry), PolicyKind.Resource, "registry policy"), scope: RegistryPolicyScope.V2);

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:CreateRepository", "ecr-public/nginx", PermissionDecision.Allowed, "PtcCi", "names the principal")]
    [InlineData("arn:aws:iam::111122223333:role/ci", "ecr:DeleteRepository", "ecr-public/nginx", PermissionDecision.ExplicitDeny, "NoDelete", "explicit Deny overrides")]
    [InlineData("arn:aws:iam::444455556666:role/puller", "ecr:BatchImportUpstreamImage", "ecr-public/nginx", PermissionDecision.ImplicitDeny, "Partner", "no identity-based policy was given; the principal's own IAM policy in account 444455556666 must allow")]
    [InlineData("arn:aws:iam::111122223333:role/other", "ecr:CreateRepository", "ecr-public/nginx", PermissionDecision.ImplicitDeny, null, "no identity-based policy was given; within one account the principal's own IAM policy could still allow")]
    public void The_result_names_the_statements_and_says_why(string principal, string action, string repository, PermissionDecision decision, string? sid, string reasonPart)
    {
        var result = PermissionEvaluator.Evaluate(s_set, AccessRequest.Create(principal, action, "arn:aws:ecr:us-east-1:111122223333:repository/" + repository));
        Assert.Equal(decision, result.Decision);
        Assert.Equal(sid is null ? Array.Empty<string>() : new[] { sid }, result.MatchedStatements.Select(m => m.Sid).ToArray());
        Assert.Contains(reasonPart, result.Reason);
        Assert.EndsWith(".", result.Reason);
    }

    // Issue 17: without identity-based policies only the registry policy was evaluated; the reason must not read
    // as "IAM denies it" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html:
    // within one account an identity-based or a resource-based Allow is enough; across accounts both must allow).
    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/other", "the registry policy does not grant it to this principal, and no identity-based policy was given", "no identity-based policy allows")]
    [InlineData("arn:aws:iam::444455556666:role/puller", "statement 'Partner' of the registry policy grants it, and no identity-based policy was given", "no identity-based policy in account 444455556666 allows")]
    public void An_implicit_deny_says_whether_identity_policies_were_given(string principal, string withoutIdentity, string withIdentity)
    {
        var request = AccessRequest.Create(principal, "ecr:BatchImportUpstreamImage", "arn:aws:ecr:us-east-1:111122223333:repository/quay/app");
        var none = PermissionEvaluator.Evaluate(s_set, request);
        Assert.Equal(PermissionDecision.ImplicitDeny, none.Decision);
        Assert.StartsWith("Implicitly denied as far as the policies given go: ", none.Reason);
        Assert.Contains(withoutIdentity, none.Reason);

        var unrelated = CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:DescribeImages\",\"Resource\":\"*\"}]}"), PolicyKind.Identity, "identity policy");
        var given = PermissionEvaluator.Evaluate(new PolicySet(s_set.ResourcePolicy, new[] { unrelated }, scope: RegistryPolicyScope.V2), request);
        Assert.Equal(PermissionDecision.ImplicitDeny, given.Decision);
        Assert.Contains(withIdentity, given.Reason);
        Assert.DoesNotContain("was given", given.Reason);
    }

    [Fact]
    public void A_statement_without_a_Sid_is_named_by_its_position()
    {
        var identity = CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"ecr:BatchImportUpstreamImage\",\"Resource\":\"*\"}]}"), PolicyKind.Identity, "identity policy");
        var set = new PolicySet(s_set.ResourcePolicy, new[] { identity }, scope: RegistryPolicyScope.V2);
        var result = PermissionEvaluator.Evaluate(set, AccessRequest.Create("arn:aws:iam::444455556666:role/puller", "ecr:BatchImportUpstreamImage", "arn:aws:ecr:us-east-1:111122223333:repository/x/y"));
        Assert.Equal(PermissionDecision.Allowed, result.Decision);
        Assert.Equal("Allowed: across accounts both must allow, and they do: statement 'Partner' of the registry policy grants it and statement 1 of the identity policy allows it in account 444455556666.", result.Reason);
    }

    [Fact]
    public void An_account_grant_is_reported_as_such()
    {
        var result = PermissionEvaluator.Evaluate(s_set, AccessRequest.Create("arn:aws:iam::444455556666:role/puller", "ecr:BatchImportUpstreamImage", "arn:aws:ecr:us-east-1:111122223333:repository/x/y"));
        var matched = Assert.Single(result.MatchedStatements);
        Assert.Equal(PrincipalMatch.Account, matched.PrincipalMatch);
        Assert.Equal("registry policy: Partner (Allow, for the account)", matched.ToString());
        Assert.False(result.SameAccount);
    }

    [AllocationFact]
    public void Deciding_allocates_nothing_once_warm()
    {
        var request = AccessRequest.Create("arn:aws:iam::111122223333:role/ci", "ecr:CreateRepository", "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx");
        PermissionEvaluator.Decide(s_set, request);
        var allowed = 0;
        var before = AllocationCounter.CurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            allowed += PermissionEvaluator.Decide(s_set, request) == PermissionDecision.Allowed ? 1 : 0;
        }

        var allocated = AllocationCounter.CurrentThread() - before;
        Assert.Equal(1000, allowed);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("0.0.0.0/0", "192.0.2.1", true)]
    [InlineData("2001:db8::/32", "2001:db8:1234::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("::/0", "fe80::1", true)]
    [InlineData("2001:db8::1", "2001:0db8:0000:0000:0000:0000:0000:0001", true)]
    [InlineData("::ffff:192.0.2.0/120", "::ffff:192.0.2.77", true)]
    [InlineData("2001:db8:a:b:c:d:e:f/128", "2001:db8:a:b:c:d:e:f", true)]
    [InlineData("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true)]
    [InlineData("2001:db8::/65", "2001:db8::ffff:ffff:ffff:ffff", false)]
    public void IP_blocks_contain_the_addresses_they_should(string block, string address, bool contained)
    {
        Assert.True(IpNetwork.TryParse(block, out var network));
        Assert.True(ContextValue.TryParseAddress(address, out var ip));
        Assert.Equal(contained, network.Contains(ip));
    }

    [Theory]
    [InlineData("256.0.0.1")]
    [InlineData("10.0.0")]
    [InlineData("10.0.0.1/33")]
    [InlineData("2001:db8:::1")]
    [InlineData("2001:db8::1::2")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("not-an-ip")]
    [InlineData("")]
    public void Malformed_addresses_are_not_read(string text) => Assert.False(IpNetwork.TryParse(text, out _));
}
