using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using EcrEmulator.Operations;
using Xunit;

namespace EcrEmulator.Tests;

public class RegistryPolicyTests
{
    internal const string PtcPolicy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"PullThroughCache\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}]}";

    [Fact]
    public async Task Put_then_get_then_delete_round_trips_the_policy()
    {
        using var emulator = EcrCall.Start();

        var put = await EcrCall.OkAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(PtcPolicy)}}}");
        var get = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");
        var delete = await EcrCall.OkAsync(emulator, "DeleteRegistryPolicy");
        var after = await EcrCall.SendAsync(emulator, "GetRegistryPolicy");

        Assert.Equal(PtcPolicy, put.String("policyText"));
        Assert.Equal("111122223333", put.String("registryId"));
        Assert.Equal(PtcPolicy, get.String("policyText"));
        Assert.Equal(PtcPolicy, delete.String("policyText"));
        Assert.Equal("RegistryPolicyNotFoundException", after.ErrorCode);
    }

    [Theory]
    [InlineData("pretty printed with CRLF and tabs", "{\r\n\t\"Version\" : \"2012-10-17\",\r\n\t\"Statement\" : {\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}\r\n}\r\n")]
    [InlineData("non-ASCII and characters JSON encoders like to escape", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Zoë<&>'+\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"ecr:*\",\"Resource\":\"*\",\"Condition\":{\"StringLike\":{\"aws:PrincipalTag/team\":\"é€😀\\\\/\"}}}]}")]
    [InlineData("keys in an unusual order, numbers with trailing zeros", "{\"Statement\":[{\"Resource\":\"*\",\"Action\":[\"ecr:BatchImportUpstreamImage\"],\"Principal\":{\"AWS\":[\"111122223333\"]},\"Effect\":\"Allow\",\"Condition\":{\"NumericLessThan\":{\"x\":1.50}}}],\"Version\":\"2012-10-17\"}")]
    public async Task The_policy_text_is_stored_and_returned_exactly_as_sent(string why, string policy)
    {
        using var emulator = EcrCall.Start();
        await EcrCall.OkAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(policy)}}}");
        var get = await EcrCall.OkAsync(emulator, "GetRegistryPolicy");

        Assert.True(policy == get.String("policyText"), why);
        Assert.Equal(policy, emulator.State.PolicyText);
    }

    [Fact]
    public async Task Delete_without_a_policy_is_RegistryPolicyNotFoundException()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DeleteRegistryPolicy");

        Assert.Equal("RegistryPolicyNotFoundException", answer.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task A_policy_of_exactly_10240_characters_is_accepted_and_one_more_is_ValidationException()
    {
        using var emulator = EcrCall.Start();
        var atLimit = Padded(10240);
        var overLimit = Padded(10241);

        var accepted = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(atLimit)}}}");
        var refused = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(overLimit)}}}");

        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal("ValidationException", refused.ErrorCode);
        Assert.Contains("at 'policyText' failed to satisfy constraint: Member must have length less than or equal to 10240", refused.Message, StringComparison.Ordinal);
        Assert.Equal(atLimit, emulator.State.PolicyText);
    }

    [Fact]
    public async Task The_length_limit_counts_characters_not_UTF8_bytes()
    {
        using var emulator = EcrCall.Start();
        var policy = Padded(10240, 'é'); // 10240 characters, about 20 KB of UTF-8

        var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(policy)}}}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Fact]
    public async Task A_missing_policyText_is_ValidationException_naming_the_member()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", "{}");

        Assert.Equal("ValidationException", answer.ErrorCode);
        Assert.Equal("1 validation error detected: Value null at 'policyText' failed to satisfy constraint: Member must not be null", answer.Message);
    }

    [Theory]
    [InlineData("", "empty text")]
    [InlineData("not json", "text that is not JSON")]
    [InlineData("[]", "a JSON array")]
    [InlineData("{\"Version\":\"2012-10-17\"}", "no Statement")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":[]}", "an empty Statement list")]
    [InlineData("{\"Version\":\"2019-01-01\",\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}}", "an unknown Version")]
    [InlineData("{\"Statement\":{\"Effect\":\"allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}}", "a lower-case Effect")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}}", "no Principal")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\"}}", "no Resource (the pulumi#2326 case)")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"*\"}}", "no Action")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[],\"Resource\":\"*\"}}", "an empty Action list")]
    [InlineData("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}}", "a non-ECR action")]
    public async Task ECR_refuses_a_text_that_is_not_a_registry_policy_with_its_opaque_message(string policy, string why)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(policy)}}}");

        Assert.True(answer.ErrorCode == "InvalidParameterException", $"{why}: {answer.ErrorCode} {answer.Message}");
        Assert.Equal("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'", answer.Message);
        Assert.Null(emulator.State.PolicyText);
    }

    [Theory]
    [InlineData("V1", "[\"ecr:ReplicateImage\",\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"]", true)]
    [InlineData("V1", "\"ECR:batchimportupstreamimage\"", true)]
    [InlineData("V1", "[\"ecr:CreateRepository\",\"ecr:BatchGetImage\"]", false)]
    [InlineData("V1", "\"ecr:*\"", false)]
    [InlineData("V2", "[\"ecr:BatchGetImage\",\"ecr:GetDownloadUrlForLayer\",\"ecr:BatchImportUpstreamImage\",\"ecr:GetImageCopyStatus\"]", true)]
    [InlineData("V2", "\"ecr:*\"", true)]
    public async Task The_registry_policy_scope_decides_which_actions_are_allowed(string scope, string actions, bool accepted)
    {
        using var emulator = EcrCall.Start();
        await EcrCall.OkAsync(emulator, "PutAccountSetting", $"{{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":\"{scope}\"}}");
        var policy = $"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"AWS\":\"arn:aws:iam::444455556666:root\"}},\"Action\":{actions},\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\"}}]}}";

        var answer = await EcrCall.SendAsync(emulator, "PutRegistryPolicy", $"{{\"policyText\":{EcrCall.Json(policy)}}}");

        Assert.Equal(accepted ? null : "InvalidParameterException", answer.ErrorCode);
        Assert.Equal(accepted ? policy : null, emulator.State.PolicyText);
    }

    [Fact]
    public async Task The_scope_defaults_to_V2_and_can_be_set_to_V1_and_read_back()
    {
        using var emulator = EcrCall.Start();
        var before = await EcrCall.OkAsync(emulator, "GetAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\"}");
        var put = await EcrCall.OkAsync(emulator, "PutAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":\"V1\"}");
        var after = await EcrCall.OkAsync(emulator, "GetAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\"}");

        Assert.Equal("V2", before.String("value"));
        Assert.Equal("REGISTRY_POLICY_SCOPE", before.String("name"));
        Assert.Equal("V1", put.String("value"));
        Assert.Equal("V1", after.String("value"));
    }

    [Theory]
    [InlineData("{\"name\":\"REGISTRY_POLICY_SCOPE\",\"value\":\"V3\"}", "InvalidParameterException", "'value'")]
    [InlineData("{\"name\":\"BASIC_SCAN_TYPE_VERSION\",\"value\":\"AWS_NATIVE\"}", "InvalidParameterException", "'name'")]
    [InlineData("{\"name\":\"REGISTRY_POLICY_SCOPE\"}", "ValidationException", "Value null at 'value'")]
    [InlineData("{\"name\":\"\",\"value\":\"V1\"}", "ValidationException", "Member must have length greater than or equal to 1")]
    public async Task A_bad_account_setting_is_refused_with_its_place(string body, string code, string place)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "PutAccountSetting", body);

        Assert.Equal(code, answer.ErrorCode);
        Assert.Contains(place, answer.Message, StringComparison.Ordinal);
        Assert.Equal("V2", emulator.State.RegistryPolicyScope);
    }

    [Fact]
    public void The_V1_action_list_is_the_three_registry_actions()
    {
        Assert.Equal(new[] { "ecr:BatchImportUpstreamImage", "ecr:CreateRepository", "ecr:ReplicateImage" }, RegistryPolicyRules.V1Actions.OrderBy(a => a, StringComparer.Ordinal));
    }

    private static string Padded(int length, char filler = ' ')
    {
        // A valid policy padded with whitespace (or a long Sid) up to an exact character count.
        const string head = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"";
        const string tail = "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:CreateRepository\",\"Resource\":\"*\"}]}";
        var sid = filler == ' ' ? "A" : new string(filler, length - head.Length - tail.Length);
        var text = head + sid + tail;
        return filler == ' ' ? text + new string(' ', length - text.Length) : text;
    }
}
