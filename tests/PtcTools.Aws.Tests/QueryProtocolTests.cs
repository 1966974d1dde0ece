using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Iam;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>The IAM client's reading of the Query protocol against a loopback fake: forms, pages, and answers that are not what they should be.</summary>
public sealed class QueryProtocolTests
{
    private static IamClient Client(LoopbackServer server) => new(new AwsClientOptions("eu-west-1", new AwsCredentials("AKIDEXAMPLE", "secret"))
    {
        EndpointUrl = server.Url,
        Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10), seed: 1),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    });

    private static FakeResponse Xml(string body, int status = 200) => new(status, body, new Dictionary<string, string> { ["Content-Type"] = "text/xml" });

    [Fact]
    public async Task A_request_is_a_signed_form_for_IAM_in_us_east_1_and_pages_follow_the_marker()
    {
        var pages = new Queue<string>(new[]
        {
            "<ListRolePoliciesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListRolePoliciesResult><PolicyNames><member>a</member></PolicyNames><IsTruncated>true</IsTruncated><Marker>m1</Marker></ListRolePoliciesResult></ListRolePoliciesResponse>",
            "<ListRolePoliciesResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListRolePoliciesResult><PolicyNames><member>b</member></PolicyNames><IsTruncated>false</IsTruncated></ListRolePoliciesResult></ListRolePoliciesResponse>",
        });
        using var server = new LoopbackServer(_ => Xml(pages.Dequeue()));

        var names = await Client(server).ListRolePoliciesAsync("ci puller+1", CancellationToken.None);

        Assert.Equal(new[] { "a", "b" }, names);
        var requests = server.Requests.ToArray();
        Assert.Equal("Action=ListRolePolicies&Version=2010-05-08&RoleName=ci%20puller%2B1", requests[0].Body);
        Assert.EndsWith("&Marker=m1", requests[1].Body);
        Assert.Contains("/us-east-1/iam/aws4_request", requests[0].Headers["authorization"]);
        Assert.StartsWith("application/x-www-form-urlencoded", requests[0].Headers["content-type"]);
    }

    [Fact]
    public async Task A_marker_given_twice_stops_the_paging_with_an_error()
    {
        const string page = "<ListRolePoliciesResponse><ListRolePoliciesResult><PolicyNames/><IsTruncated>true</IsTruncated><Marker>same</Marker></ListRolePoliciesResult></ListRolePoliciesResponse>";
        using var server = new LoopbackServer(_ => Xml(page));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Client(server).ListRolePoliciesAsync("ci", CancellationToken.None));

        Assert.Equal("IamPageLimitExceeded", ex.ErrorId);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(200, "not xml", "IamResponseInvalid", null)]
    [InlineData(403, "<html>denied by a proxy</html>", "IamRequestFailed", "Http403")]
    [InlineData(403, "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>", "IamAccessDenied", "AccessDenied")]
    [InlineData(403, "<ErrorResponse><Error><Code>InvalidClientTokenId</Code><Message>no</Message></Error></ErrorResponse>", "AwsCredentialsRejected", "InvalidClientTokenId")]
    public async Task An_answer_is_read_into_a_named_error(int status, string body, string errorId, string? awsCode)
    {
        using var server = new LoopbackServer(_ => Xml(body, status));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => Client(server).GetRoleAsync("ci", CancellationToken.None));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(awsCode, ex.AwsCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_policy_document_comes_back_decoded()
    {
        using var server = new LoopbackServer(_ => Xml("<GetRolePolicyResponse><GetRolePolicyResult><PolicyDocument>%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D</PolicyDocument></GetRolePolicyResult></GetRolePolicyResponse>"));

        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", await Client(server).GetRolePolicyAsync("ci", "pull", CancellationToken.None));
    }
}
