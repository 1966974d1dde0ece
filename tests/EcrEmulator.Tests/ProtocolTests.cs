using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

public class ProtocolTests
{
    [Fact]
    public async Task A_success_is_JSON_1_1_with_a_request_id()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.OkAsync(emulator, "DescribeRegistry");

        Assert.Equal("application/x-amz-json-1.1", answer.ContentType);
        Assert.True(Guid.TryParse(answer.Headers.GetValues("x-amzn-RequestId").Single(), out _));
        Assert.Equal("111122223333", answer.String("registryId"));
        Assert.Equal(0, answer.Body.GetProperty("replicationConfiguration").GetProperty("rules").GetArrayLength());
    }

    [Fact]
    public async Task An_error_carries_type_message_request_id_and_the_error_type_header()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("RegistryPolicyNotFoundException", answer.Body.GetProperty("__type").GetString());
        Assert.Equal("RegistryPolicyNotFoundException", answer.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Contains("'111122223333'", answer.Message, StringComparison.Ordinal);
        Assert.Single(answer.Headers.GetValues("x-amzn-RequestId"));
    }

    [Theory]
    [InlineData("AmazonEC2ContainerRegistry_V20150921.ListImagesOfCats", "an operation ECR does not have")]
    [InlineData("AmazonEC2ContainerRegistry_V20150921.UpdatePullThroughCacheRule", "an ECR operation the emulator does not implement")]
    [InlineData("AmazonEC2ContainerRegistry_V20990101.GetRegistryPolicy", "another target prefix")]
    [InlineData("", "no X-Amz-Target at all")]
    public async Task An_unknown_target_is_UnknownOperationException(string target, string why)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "ignored", "{}", new EcrCallOptions { Target = target });

        Assert.True(answer.ErrorCode == "UnknownOperationException", $"{why}: {answer.ErrorCode}");
        Assert.Equal("com.amazon.coral.service#UnknownOperationException", answer.Body.GetProperty("__type").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-amz-json-1.0")]
    public async Task A_wrong_content_type_is_refused(string contentType)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribeRegistry", "{}", new EcrCallOptions { ContentType = contentType });

        Assert.Equal("UnknownOperationException", answer.ErrorCode);
        Assert.Contains(contentType, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_charset_on_the_content_type_is_accepted()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribeRegistry", "{}", new EcrCallOptions { ContentType = "application/x-amz-json-1.1; charset=utf-8" });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData("{\"policyText\": ", "a truncated body")]
    [InlineData("[]", "an array for the input structure")]
    [InlineData("{\"policyText\": 42}", "a number where a string belongs")]
    [InlineData("{\"policyText\": {\"Version\": \"2012-10-17\"}}", "an object where the policy string belongs")]
    public async Task A_malformed_body_is_SerializationException(string body, string why)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", body);

        Assert.True(answer.ErrorCode == "SerializationException", $"{why}: {answer.ErrorCode} {answer.Message}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Null(emulator.State.PolicyText);
    }

    [Fact]
    public async Task A_wrong_type_deep_in_the_input_names_its_place()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribePullThroughCacheRules", "{\"maxResults\": \"ten\"}");

        Assert.Equal("SerializationException", answer.ErrorCode);
        Assert.Contains("'maxResults'", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_body_counts_as_an_empty_input()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribeRegistry", string.Empty);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task A_GET_to_the_ECR_root_is_not_an_operation()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendRawAsync(new HttpRequestMessage(HttpMethod.Get, emulator.Endpoint));

        Assert.Equal("UnknownOperationException", answer.ErrorCode);
    }

    [Fact]
    public async Task Unknown_input_members_are_ignored_as_AWS_ignores_them()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "GetAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\",\"fromTheFuture\":true}");

        Assert.Equal("V2", answer.String("value"));
    }

    [Fact]
    public void The_model_copy_is_the_shared_reference_model()
    {
        var repo = RepositoryRoot.Path;
        // The shared reference sits beside the checkout (../shared) or beside the worktrees (../../shared).
        var shared = new[] { "..", System.IO.Path.Combine("..", "..") }
            .Select(up => System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, up, "shared", "reference", "ecr-2015-09-21.model.json")))
            .FirstOrDefault(System.IO.File.Exists);
        var copy = System.IO.Path.Combine(repo, "tests", "EcrEmulator", "ecr-2015-09-21.model.json");
        Assert.True(System.IO.File.Exists(copy), copy);
        if (shared is not null)
        {
            Assert.Equal(System.IO.File.ReadAllText(shared), System.IO.File.ReadAllText(copy));
        }
        Assert.Equal(10240, EcrEmulator.Protocol.ServiceModel.Ecr.Trait("RegistryPolicyText", "max")!.Value.GetInt32());
    }
}
