using System.Linq;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Model;
using Xunit;
using static PtcTools.Policy.Tests.Analysis.AnalysisTestSupport;

namespace PtcTools.Policy.Tests.Analysis;

/// <summary>
/// The worked examples of IAM Access Analyzer's documentation for its custom policy checks (the AWS CLI
/// reference examples for check-no-new-access, check-access-not-granted and check-no-public-access,
/// https://docs.aws.amazon.com/cli/latest/reference/accessanalyzer/), restated for a registry policy:
/// the same shape of change, ECR actions instead of S3's, the same answer.
/// </summary>
public class AccessAnalyzerExampleTests
{
    // check-no-new-access: the existing policy grants s3:GetObject and s3:ListBucket; the new one adds
    // s3:GetObjectAcl to the same statement. Access Analyzer: FAIL, "New access in the statement with index: 0."
    [Fact]
    public void Adding_an_action_to_a_statement_is_new_access_in_that_statement()
    {
        var existing = Doc($"{{'Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::{Other}:root'}},'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],'Resource':'{RepoArn}*'}}");
        var updated = Doc($"{{'Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::{Other}:root'}},'Action':['ecr:BatchGetImage','ecr:DescribeImages','ecr:GetDownloadUrlForLayer'],'Resource':'{RepoArn}*'}}");

        var result = AccessAnalyzer.CheckNoNewAccess(existing, updated, Options());

        Assert.True(result.Result == AccessCheckStatus.Fail, Describe(result));
        var reason = Assert.Single(result.Reasons);
        Assert.Equal(0, reason.StatementIndex);
        Assert.Equal("New access in the statement with index: 0.", reason.Description);
        Assert.All(result.Witnesses, w => Assert.Equal(new[] { "ecr:DescribeImages" }, w.Actions));
        Assert.All(result.Witnesses, w => Assert.Equal(GrantKind.IfIdentityAllows, w.Grant));
        Assert.Contains(result.Witnesses, w => w.Principal.StartsWith($"arn:aws:iam::{Other}:", System.StringComparison.Ordinal));
        AssertConfirmed(result, existing, updated);
    }

    [Fact]
    public void The_same_policy_again_grants_no_new_access()
    {
        var policy = Doc($"{{'Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::{Other}:root'}},'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],'Resource':'{RepoArn}*'}}");

        var result = AccessAnalyzer.CheckNoNewAccess(policy, policy, Options());

        Assert.True(result.Result == AccessCheckStatus.Pass, Describe(result));
        Assert.Empty(result.Witnesses);
        Assert.Empty(result.Reasons);
    }

    // check-access-not-granted: the policy grants s3:GetObject and s3:ListBucket; the access checked is
    // s3:DeleteBucket and s3:GetBucketLocation. Access Analyzer: PASS.
    [Fact]
    public void Access_to_other_actions_is_not_granted()
    {
        var policy = Doc($"{{'Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::{Other}:root'}},'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],'Resource':'{RepoArn}*'}}");
        var query = new AccessQuery();
        query.Actions.Add("ecr:DeleteRepository");
        query.Actions.Add("ecr:PutImage");

        var result = AccessAnalyzer.CheckAccessNotGranted(policy, query, Options());

        Assert.True(result.Result == AccessCheckStatus.Pass, Describe(result));
    }

    [Fact]
    public void Access_to_a_granted_action_is_reported_with_the_statement()
    {
        var policy = Doc($"{{'Sid':'Pull','Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::{Other}:root'}},'Action':['ecr:BatchGetImage','ecr:GetDownloadUrlForLayer'],'Resource':'{RepoArn}*'}}");
        var query = new AccessQuery();
        query.Actions.Add("ecr:GetDownloadUrlForLayer");
        query.Actions.Add("ecr:PutImage");

        var result = AccessAnalyzer.CheckAccessNotGranted(policy, query, Options());

        Assert.True(result.Result == AccessCheckStatus.Fail, Describe(result));
        Assert.Equal("Pull", Assert.Single(result.Reasons).StatementId);
        Assert.All(result.Witnesses, w => Assert.Equal(new[] { "ecr:GetDownloadUrlForLayer" }, w.Actions));
        AssertConfirmed(result, policy);
    }

    // check-no-public-access: a statement whose principal is one IAM user. Access Analyzer: PASS.
    [Fact]
    public void A_grant_to_one_user_is_not_public()
    {
        var policy = Doc($"{{'Sid':'CheckNoPublicAccess','Effect':'Allow','Principal':{{'AWS':'arn:aws:iam::{Registry}:user/JohnDoe'}},'Action':['ecr:BatchGetImage'],'Resource':'{RepoArn}*'}}");

        var result = AccessAnalyzer.CheckNoPublicAccess(policy, Options());

        Assert.True(result.Result == AccessCheckStatus.Pass, Describe(result));
    }

    [Fact]
    public void A_grant_to_everyone_is_public()
    {
        var policy = Doc($"{{'Sid':'Everyone','Effect':'Allow','Principal':'*','Action':['ecr:BatchGetImage'],'Resource':'{RepoArn}*'}}");

        var result = AccessAnalyzer.CheckNoPublicAccess(policy, Options());

        Assert.True(result.Result == AccessCheckStatus.Fail, Describe(result));
        Assert.Equal("Public access in the statement with index: 0.", Assert.Single(result.Reasons).Description);
        Assert.All(result.Witnesses, w => Assert.Equal(AccessClassification.Public, w.Access));
        AssertConfirmed(result, policy);
    }

    [Fact]
    public void A_grant_to_everyone_in_one_organization_is_not_public()
    {
        var policy = Doc($"{{'Effect':'Allow','Principal':'*','Action':['ecr:BatchGetImage'],'Resource':'{RepoArn}*','Condition':{{'StringEquals':{{'aws:PrincipalOrgID':'o-a1b2c3d4e5'}}}}}}");

        var result = AccessAnalyzer.CheckNoPublicAccess(policy, Options());
        var external = AccessAnalyzer.FindExternalAccess(policy, Options());

        Assert.True(result.Result == AccessCheckStatus.Pass, Describe(result));
        Assert.True(external.Result == AccessCheckStatus.Fail, Describe(external));
        Assert.Contains(external.Witnesses, w => w.Access == AccessClassification.OtherOrganization);
        Assert.DoesNotContain(external.Witnesses, w => w.Access == AccessClassification.Public);
        AssertConfirmed(external, policy);
    }

    [Fact]
    public void From_no_registry_policy_a_cross_account_grant_is_new_access_and_an_empty_one_is_none()
    {
        var none = PolicyDocument.CreateEmpty();
        var grant = Doc($"{{'Effect':'Allow','Principal':{{'AWS':'{Other}'}},'Action':'ecr:BatchGetImage','Resource':'{RepoArn}*'}}");

        var added = AccessAnalyzer.CheckNoNewAccess(none, grant, Options());
        var removed = AccessAnalyzer.CheckNoNewAccess(grant, none, Options());

        Assert.True(added.Result == AccessCheckStatus.Fail, Describe(added));
        AssertConfirmed(added, none, grant);
        Assert.True(removed.Result == AccessCheckStatus.Pass, Describe(removed));
    }
}
