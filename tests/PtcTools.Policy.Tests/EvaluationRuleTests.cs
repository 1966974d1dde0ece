using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>The IAM evaluation rules of ECR-FACTS section 6, one table row per rule it checks.</summary>
public class EvaluationRuleTests
{
    private const string A = "111122223333";
    private const string B = "444455556666";
    private const string Role = "arn:aws:iam::111122223333:role/Builder";
    private const string Session = "arn:aws:sts::111122223333:assumed-role/Builder/build-7";
    private const string User = "arn:aws:iam::111122223333:user/alice";
    private const string OtherRole = "arn:aws:iam::444455556666:role/Replicator";
    private const string Repo = "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx";
    private const string Create = "ecr:CreateRepository";
    private const string Import = "ecr:BatchImportUpstreamImage";
    private const string AllowAll = "{'Effect':'Allow','Action':'ecr:*','Resource':'*'}";

    public static IEnumerable<object[]> Rules() => Table.Select(r => new object[] { r.Rule, r });

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_of_the_evaluation_logic_decides_as_AWS_documents(string rule, Row row)
    {
        var result = row.Evaluate();
        Assert.True(row.Expected == result.Decision, $"{rule}: expected {row.Expected}, got {result.Decision} ({result.Reason})");
    }

    private static readonly Row[] Table =
    {
        // Order and outcomes
        new("default: no policy at all is an implicit deny", null, Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("explicit deny in the registry policy beats its own allow", "[{'Effect':'Allow','Principal':{'AWS':'" + Role + "'},'Action':'ecr:*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:Create*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny),
        new("explicit deny in an identity policy beats a registry-policy allow", "[{'Effect':'Allow','Principal':{'AWS':'" + Role + "'},'Action':'ecr:*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny, identity: "[{'Effect':'Deny','Action':'ecr:CreateRepository','Resource':'*'}]"),
        new("explicit deny in a permissions boundary wins", null, Role, Create, Repo, PermissionDecision.ExplicitDeny, identity: "[" + AllowAll + "]", boundary: "[" + AllowAll + ",{'Effect':'Deny','Action':'ecr:Create*','Resource':'*'}]"),
        new("explicit deny in an SCP wins", null, Role, Create, Repo, PermissionDecision.ExplicitDeny, identity: "[" + AllowAll + "]", scp: "[{'Effect':'Allow','Action':'*','Resource':'*'},{'Effect':'Deny','Action':'ecr:CreateRepository','Resource':'*'}]"),
        new("SCPs must allow: an SCP without the action denies implicitly", null, Role, Create, Repo, PermissionDecision.ImplicitDeny, identity: "[" + AllowAll + "]", scp: "[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]"),
        new("SCPs that allow do not grant by themselves", null, Role, Create, Repo, PermissionDecision.ImplicitDeny, scp: "[{'Effect':'Allow','Action':'*','Resource':'*'}]"),
        new("a permissions boundary without the action limits an identity allow", null, Role, Create, Repo, PermissionDecision.ImplicitDeny, identity: "[" + AllowAll + "]", boundary: "[{'Effect':'Allow','Action':'ecr:BatchGetImage','Resource':'*'}]"),
        new("a permissions boundary that allows lets the identity allow through", null, Role, Create, Repo, PermissionDecision.Allowed, identity: "[" + AllowAll + "]", boundary: "[" + AllowAll + "]"),

        // Same account
        new("same account: an identity-policy allow alone is enough", null, Role, Create, Repo, PermissionDecision.Allowed, identity: "[" + AllowAll + "]"),
        new("same account: a registry-policy grant naming the role alone is enough", Grant(Role), Role, Create, Repo, PermissionDecision.Allowed),
        new("same account: a grant naming the role covers its sessions", Grant(Role), Session, Create, Repo, PermissionDecision.Allowed),
        new("same account: a grant naming the account delegates to IAM, which must allow", Grant(A), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("same account: an account grant plus an identity allow is allowed", Grant("arn:aws:iam::111122223333:root"), Role, Create, Repo, PermissionDecision.Allowed, identity: "[" + AllowAll + "]"),
        new("same account: a grant naming the user is not limited by the boundary", Grant(User), User, Create, Repo, PermissionDecision.Allowed, boundary: "[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]"),
        new("same account: a grant naming the session is not limited by the boundary", Grant(Session), Session, Create, Repo, PermissionDecision.Allowed, boundary: "[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]"),
        new("same account: a grant naming the role is limited by the session's boundary", Grant(Role), Session, Create, Repo, PermissionDecision.ImplicitDeny, boundary: "[{'Effect':'Allow','Action':'s3:*','Resource':'*'}]"),

        // Cross account
        new("cross account: the registry policy alone is not enough", Grant(OtherRole), OtherRole, Create, Repo, PermissionDecision.ImplicitDeny),
        new("cross account: the identity policy alone is not enough", null, OtherRole, Create, Repo, PermissionDecision.ImplicitDeny, identity: "[" + AllowAll + "]"),
        new("cross account: both allow, so it is allowed", Grant(OtherRole), OtherRole, Create, Repo, PermissionDecision.Allowed, identity: "[" + AllowAll + "]"),
        new("cross account: an account grant trusts the account, whose IAM allows", Grant(B), OtherRole, Create, Repo, PermissionDecision.Allowed, identity: "[" + AllowAll + "]"),
        new("cross account: a deny naming the account applies to its roles", Grant("*") .Replace("]", ",{'Effect':'Deny','Principal':{'AWS':'" + B + "'},'Action':'ecr:*','Resource':'*'}]"), OtherRole, Create, Repo, PermissionDecision.ExplicitDeny, identity: "[" + AllowAll + "]"),

        // Principal
        new("principal: '*' is everyone", Grant("*"), Role, Create, Repo, PermissionDecision.Allowed),
        new("principal: {'AWS':'*'} is the same as '*'", "[{'Effect':'Allow','Principal':{'AWS':'*'},'Action':'ecr:*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("principal: several values are OR", "[{'Effect':'Allow','Principal':{'AWS':['" + User + "','" + Role + "']},'Action':'ecr:*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("principal: the user name part is case-sensitive", Grant("arn:aws:iam::111122223333:user/Alice"), User, Create, Repo, PermissionDecision.ImplicitDeny),
        new("principal: a service principal is granted by Service", "[{'Effect':'Allow','Principal':{'Service':'pullthroughcache.ecr.amazonaws.com'},'Action':'ecr:*','Resource':'*'}]", "pullthroughcache.ecr.amazonaws.com", Import, Repo, PermissionDecision.Allowed),
        new("principal: a federated user matches a grant to its IAM user", Grant("arn:aws:iam::111122223333:user/alice"), "arn:aws:sts::111122223333:federated-user/alice", Create, Repo, PermissionDecision.Allowed),
        new("principal: a grant naming another role does not match", Grant("arn:aws:iam::111122223333:role/Other"), Role, Create, Repo, PermissionDecision.ImplicitDeny),

        // NotPrincipal
        new("NotPrincipal: the listed principal is exempt from the deny", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','NotPrincipal':{'AWS':'" + Role + "'},'Action':'ecr:*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("NotPrincipal: a session of the listed role is exempt", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','NotPrincipal':{'AWS':'" + Role + "'},'Action':'ecr:*','Resource':'*'}]", Session, Create, Repo, PermissionDecision.Allowed),
        new("NotPrincipal: listing the account does not exempt its other roles", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','NotPrincipal':{'AWS':'arn:aws:iam::111122223333:root'},'Action':'ecr:*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny),
        new("NotPrincipal: with a permissions boundary the deny always applies", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'*'},{'Effect':'Deny','NotPrincipal':{'AWS':'" + Role + "'},'Action':'ecr:*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny, boundary: "[" + AllowAll + "]"),

        // Action
        new("action: the prefix and name are case-insensitive", "[{'Effect':'Allow','Principal':'*','Action':'ECR:createrepository','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("action: * matches anywhere in the name", "[{'Effect':'Allow','Principal':'*','Action':'ecr:*Upstream*','Resource':'*'}]", Role, Import, Repo, PermissionDecision.Allowed),
        new("action: ? matches exactly one character", "[{'Effect':'Allow','Principal':'*','Action':'ecr:CreateRepositor?','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("action: '*' matches every action of every service", "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("NotAction with Allow grants every action not listed", "[{'Effect':'Allow','Principal':'*','NotAction':'ecr:Delete*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.Allowed),
        new("NotAction with Allow does not grant the listed actions", "[{'Effect':'Allow','Principal':'*','NotAction':'ecr:Create*','Resource':'*'}]", Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("NotAction with Deny denies everything except the listed actions", "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'},{'Effect':'Deny','Principal':'*','NotAction':'ecr:BatchGetImage','Resource':'*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny),

        // Resource
        new("resource: * expands across a slash", Grant(Role, "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/library/nginx", PermissionDecision.Allowed),
        new("resource: a prefix does not match another prefix", Grant(Role, "arn:aws:ecr:us-east-1:111122223333:repository/quay/*"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("resource: ? matches exactly one character", Grant(Role, "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/ng?nx"), Role, Create, Repo, PermissionDecision.Allowed),
        new("resource: the repository part is case-sensitive", Grant(Role, "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/NGINX"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("resource: a wildcard Region segment matches any Region", Grant(Role, "arn:aws:ecr:*:111122223333:repository/*"), Role, Create, Repo, PermissionDecision.Allowed),
        new("resource: another account's repositories do not match", Grant(Role, "arn:aws:ecr:us-east-1:444455556666:repository/*"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("NotResource with Deny denies everything outside the listed resources", "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'*','NotResource':'arn:aws:ecr:us-east-1:111122223333:repository/quay/*'}]", Role, Create, Repo, PermissionDecision.ExplicitDeny),
        new("NotResource with Deny leaves the listed resources alone", "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'*','NotResource':'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'}]", Role, Create, Repo, PermissionDecision.Allowed),

        // Policy variables
        new("variables: ${aws:username} is substituted under 2012-10-17", Grant("*", "arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*"), User, Create, "arn:aws:ecr:us-east-1:111122223333:repository/alice/app", PermissionDecision.Allowed),
        new("variables: under 2008-10-17 ${...} is literal text", Grant("*", "arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*"), User, Create, "arn:aws:ecr:us-east-1:111122223333:repository/alice/app", PermissionDecision.ImplicitDeny, version: "2008-10-17"),
        new("variables: aws:username is absent for a role, so the resource matches nothing", Grant("*", "arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/Builder/app", PermissionDecision.ImplicitDeny),
        new("variables: a default value stands in for an absent key", Grant("*", "arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team, ^shared^}/*"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/shared/app", PermissionDecision.Allowed),
        new("variables: key names are case-insensitive", Grant("*", "arn:aws:ecr:us-east-1:111122223333:repository/${AWS:USERNAME}/*"), User, Create, "arn:aws:ecr:us-east-1:111122223333:repository/alice/app", PermissionDecision.Allowed),
        new("variables: ${*} is a literal asterisk, not a wildcard", Grant("*", "arn:aws:ecr:us-east-1:111122223333:repository/a${*}"), Role, Create, "arn:aws:ecr:us-east-1:111122223333:repository/abc", PermissionDecision.ImplicitDeny),
        new("variables: substituted in condition values", Cond("StringEquals", "aws:PrincipalTag/team", "${aws:PrincipalAccount}"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:PrincipalTag/team=111122223333"),
        new("variables: substituted in ArnLike values, colons and all", Cond("ArnLike", "aws:SourceArn", "arn:aws:ecr:us-east-1:${aws:PrincipalAccount}:repository/*"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:SourceArn=arn:aws:ecr:us-east-1:111122223333:repository/x"),

        // Conditions: combination and absence
        new("conditions: several operators are AND", "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*','Condition':{'StringEquals':{'aws:PrincipalAccount':'111122223333'},'Bool':{'aws:SecureTransport':'true'}}}]", Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SecureTransport=false"),
        new("conditions: several values for one key are OR", Cond("StringEquals", "aws:PrincipalOrgID", "o-a", "o-b"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:PrincipalOrgID=o-b"),
        new("conditions: a negated operator must match none of the values", Cond("StringNotEquals", "aws:PrincipalOrgID", "o-a", "o-b"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:PrincipalOrgID=o-b"),
        new("conditions: an absent key makes a positive operator false", Cond("StringEquals", "aws:PrincipalOrgID", "o-a"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("conditions: an absent key makes a negated operator true", Cond("StringNotEquals", "aws:PrincipalOrgID", "o-a"), Role, Create, Repo, PermissionDecision.Allowed),
        new("conditions: IfExists is true for an absent key", Cond("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"), Role, Create, Repo, PermissionDecision.Allowed),
        new("conditions: IfExists still checks a present key", Cond("StringEqualsIfExists", "aws:SourceVpce", "vpce-1"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SourceVpce=vpce-2"),
        new("conditions: Null true means the key is absent", Cond("Null", "aws:SourceVpce", "true"), Role, Create, Repo, PermissionDecision.Allowed),
        new("conditions: Null false means the key is present", Cond("Null", "aws:SourceVpce", "false"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("conditions: condition key names are case-insensitive", Cond("StringEquals", "AWS:PRINCIPALORGID", "o-a"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:PrincipalOrgID=o-a"),

        // Operator families
        new("StringEquals is case-sensitive", Cond("StringEquals", "aws:PrincipalTag/team", "Platform"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:PrincipalTag/team=platform"),
        new("StringEqualsIgnoreCase ignores case", Cond("StringEqualsIgnoreCase", "aws:PrincipalTag/team", "Platform"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:PrincipalTag/team=platform"),
        new("StringLike takes * and ? anywhere", Cond("StringLike", "aws:PrincipalArn", "arn:aws:iam::*:role/B?ild*"), Role, Create, Repo, PermissionDecision.Allowed),
        new("StringEquals treats * as a character", Cond("StringEquals", "aws:PrincipalArn", "arn:aws:iam::*:role/Builder"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("NumericLessThan compares numbers", Cond("NumericLessThan", "aws:MultiFactorAuthAge", "3600"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:MultiFactorAuthAge=900"),
        new("NumericGreaterThanEquals includes equality", Cond("NumericGreaterThanEquals", "aws:MultiFactorAuthAge", "3600"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:MultiFactorAuthAge=3600.0"),
        new("NumericNotEquals is negated", Cond("NumericNotEquals", "aws:MultiFactorAuthAge", "3600"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:MultiFactorAuthAge=3600"),
        new("DateLessThan compares ISO 8601 instants", Cond("DateLessThan", "aws:CurrentTime", "2027-01-01T00:00:00Z"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:CurrentTime=2026-11-30T09:00:00Z"),
        new("DateGreaterThan takes epoch seconds", Cond("DateGreaterThan", "aws:EpochTime", "1700000000"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:EpochTime=2026-11-30T09:00:00Z"),
        new("DateEquals compares instants across offsets", Cond("DateEquals", "aws:CurrentTime", "2026-11-30T10:00:00+01:00"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:CurrentTime=2026-11-30T09:00:00Z"),
        new("Bool compares true and false", Cond("Bool", "aws:SecureTransport", "false"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:SecureTransport=false"),
        new("Bool does not match a value that is not a boolean", Cond("Bool", "aws:SecureTransport", "true"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SecureTransport=yes"),
        new("BinaryEquals compares base64 text", Cond("BinaryEquals", "custom:Key", "QmluYXJ5VmFsdWU="), Role, Create, Repo, PermissionDecision.Allowed, context: "custom:Key=QmluYXJ5VmFsdWU="),
        new("IpAddress matches an IPv4 CIDR", Cond("IpAddress", "aws:SourceIp", "203.0.113.0/24"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:SourceIp=203.0.113.200"),
        new("IpAddress: a bare address means /32", Cond("IpAddress", "aws:SourceIp", "203.0.113.5"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SourceIp=203.0.113.6"),
        new("IpAddress matches an IPv6 CIDR", Cond("IpAddress", "aws:SourceIp", "2001:db8::/32"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:SourceIp=2001:db8:ffff::1"),
        new("IpAddress: an IPv6 address is outside an IPv4 block", Cond("IpAddress", "aws:SourceIp", "0.0.0.0/0"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SourceIp=::1"),
        new("NotIpAddress is true outside every block", Cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "2001:db8::/32"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:SourceIp=192.0.2.1"),
        new("NotIpAddress is false inside a block", Cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8", "2001:db8::/32"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SourceIp=10.9.8.7"),
        new("NotIpAddress does not match a value that is not an address", Cond("NotIpAddress", "aws:SourceIp", "10.0.0.0/8"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:SourceIp=not-an-ip"),
        new("ArnLike matches per segment with wildcards", Cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::*:role/Build*"), Role, Create, Repo, PermissionDecision.Allowed),
        new("ArnEquals behaves as ArnLike", Cond("ArnEquals", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/*"), Role, Create, Repo, PermissionDecision.Allowed),
        new("ArnLike is case-sensitive", Cond("ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/builder"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("ArnNotLike is negated", Cond("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/*"), Role, Create, Repo, PermissionDecision.ImplicitDeny),

        // Set operators
        new("ForAnyValue: one request value matching is enough", Cond("ForAnyValue:StringEquals", "aws:TagKeys", "team"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:TagKeys=[env,team]"),
        new("ForAnyValue: false when the key is absent", Cond("ForAnyValue:StringEquals", "aws:TagKeys", "team"), Role, Create, Repo, PermissionDecision.ImplicitDeny),
        new("ForAnyValue: false for an empty list", Cond("ForAnyValue:StringEquals", "aws:TagKeys", "team"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:TagKeys=[]"),
        new("ForAllValues: every request value must match", Cond("ForAllValues:StringEquals", "aws:TagKeys", "team", "env"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:TagKeys=[env,cost]"),
        new("ForAllValues: true when every value matches", Cond("ForAllValues:StringEquals", "aws:TagKeys", "team", "env"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:TagKeys=[env,team]"),
        new("ForAllValues: true when the key is absent", Cond("ForAllValues:StringEquals", "aws:TagKeys", "team"), Role, Create, Repo, PermissionDecision.Allowed),
        new("ForAllValues: true for an empty list", Cond("ForAllValues:StringEquals", "aws:TagKeys", "team"), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:TagKeys=[]"),
        new("an operator without a set qualifier does not match a multivalued key", Cond("StringLike", "aws:PrincipalOrgPaths", "o-a/*"), Role, Create, Repo, PermissionDecision.ImplicitDeny, context: "aws:PrincipalOrgPaths=[o-a/r-1/]"),

        // The request context AWS derives
        new("context: aws:PrincipalArn of a session is the role ARN", Cond("ArnEquals", "aws:PrincipalArn", Role), Session, Create, Repo, PermissionDecision.Allowed),
        new("context: aws:PrincipalAccount is the principal's account", Cond("StringEquals", "aws:PrincipalAccount", A), Session, Create, Repo, PermissionDecision.Allowed),
        new("context: aws:username is set for IAM users", Cond("StringEquals", "aws:username", "alice"), User, Create, Repo, PermissionDecision.Allowed),
        new("context: the caller's context wins over a derived key", Cond("StringEquals", "aws:PrincipalAccount", B), Role, Create, Repo, PermissionDecision.Allowed, context: "aws:PrincipalAccount=444455556666"),

        // Registry policy scope
        new("scope V1: the registry policy governs ecr:CreateRepository", Grant(Role), Role, Create, Repo, PermissionDecision.Allowed, scope: RegistryPolicyScope.V1),
        new("scope V1: the registry policy takes no part in ecr:BatchGetImage", "[{'Effect':'Allow','Principal':{'AWS':'" + Role + "'},'Action':['ecr:CreateRepository'],'Resource':'*'},{'Effect':'Deny','Principal':'*','Action':'ecr:CreateRepository','Resource':'*'}]", Role, "ecr:BatchGetImage", Repo, PermissionDecision.Allowed, identity: "[" + AllowAll + "]", scope: RegistryPolicyScope.V1),
        new("scope V2: the registry policy governs every ECR action", "[{'Effect':'Deny','Principal':'*','Action':'ecr:BatchGetImage','Resource':'*'}]", Role, "ecr:BatchGetImage", Repo, PermissionDecision.ExplicitDeny, identity: "[" + AllowAll + "]", scope: RegistryPolicyScope.V2),
        new("scope V2: the registry policy does not govern other services", "[{'Effect':'Deny','Principal':'*','Action':'*','Resource':'*'}]", Role, "s3:GetObject", Repo, PermissionDecision.Allowed, identity: "[{'Effect':'Allow','Action':'*','Resource':'*'}]", scope: RegistryPolicyScope.V2),
    };

    private static string Grant(string principal, string resource = "*") =>
        principal == "*"
            ? "[{'Effect':'Allow','Principal':'*','Action':'ecr:*','Resource':'" + resource + "'}]"
            : "[{'Effect':'Allow','Principal':{'AWS':'" + principal + "'},'Action':['ecr:CreateRepository','ecr:BatchImportUpstreamImage'],'Resource':'" + resource + "'}]";

    private static string Cond(string op, string key, params string[] values) =>
        "[{'Effect':'Allow','Principal':'*','Action':'*','Resource':'*','Condition':{'" + op + "':{'" + key + "':[" + string.Join(",", values.Select(v => "'" + v + "'")) + "]}}}]";

    /// <summary>One row: the rule, the policies (statement arrays with ' for "), the request and the decision AWS makes.</summary>
    public sealed class Row
    {
        public Row(string rule, string? registry, string principal, string action, string resource, PermissionDecision expected,
            string? identity = null, string? boundary = null, string? scp = null, string? context = null, string version = "2012-10-17",
            RegistryPolicyScope? scope = null)
        {
            Rule = rule;
            Registry = registry;
            Principal = principal;
            ActionName = action;
            Resource = resource;
            Expected = expected;
            Identity = identity;
            Boundary = boundary;
            Scp = scp;
            ContextText = context;
            Version = version;
            Scope = scope;
        }

        public string Rule { get; }

        public string? Registry { get; }

        public string Principal { get; }

        public string ActionName { get; }

        public string Resource { get; }

        public PermissionDecision Expected { get; }

        public string? Identity { get; }

        public string? Boundary { get; }

        public string? Scp { get; }

        public string? ContextText { get; }

        public string Version { get; }

        public RegistryPolicyScope? Scope { get; }

        public EvaluationResult Evaluate()
        {
            var set = new PolicySet(
                Compile(Registry, PolicyKind.Resource, "registry policy"),
                Compile(Identity, PolicyKind.Identity, "identity policy") is { } id ? new[] { id } : null,
                Compile(Boundary, PolicyKind.PermissionsBoundary, "permissions boundary") is { } pb ? new[] { pb } : null,
                Compile(Scp, PolicyKind.ServiceControl, "service control policy") is { } scp ? new[] { scp } : null,
                Scope);
            return PermissionEvaluator.Evaluate(set, AccessRequest.Create(Principal, ActionName, Resource, Context()));
        }

        public override string ToString() => Rule;

        private IEnumerable<KeyValuePair<string, ContextValue>> Context()
        {
            foreach (var pair in (ContextText ?? string.Empty).Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = pair.Substring(0, eq);
                var value = pair.Substring(eq + 1);
                yield return new(key, value.StartsWith("[", StringComparison.Ordinal)
                    ? ContextValue.OfMany(value.Trim('[', ']').Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
                    : ContextValue.Of(value));
            }
        }

        private CompiledPolicy? Compile(string? statements, PolicyKind kind, string name) =>
            statements is null ? null : CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"" + Version + "\",\"Statement\":" + statements.Replace('\'', '"').Replace('^', '\'') + "}"), kind, name, Scope);
    }
}
