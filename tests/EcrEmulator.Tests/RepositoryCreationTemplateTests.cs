using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

public class RepositoryCreationTemplateTests
{
    private const string Tagging = "{\"prefix\":\"docker-hub\",\"appliedFor\":[\"PULL_THROUGH_CACHE\"],\"resourceTags\":[{\"Key\":\"team\",\"Value\":\"platform\"}],\"customRoleArn\":\"arn:aws:iam::111122223333:role/ptc-template\"}";

    [Fact]
    public async Task A_created_template_is_described_with_its_members_and_timestamps()
    {
        var now = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.Zero);
        using var emulator = EcrCall.Start(o => o.Clock = () => now);

        var created = await EcrCall.OkAsync(emulator, "CreateRepositoryCreationTemplate", Tagging);
        var described = await EcrCall.OkAsync(emulator, "DescribeRepositoryCreationTemplates");

        Assert.Equal("111122223333", created.String("registryId"));
        Assert.Equal("111122223333", described.String("registryId"));
        var template = Assert.Single(described.Body.GetProperty("repositoryCreationTemplates").EnumerateArray());
        Assert.Equal("docker-hub", template.GetProperty("prefix").GetString());
        Assert.Equal("PULL_THROUGH_CACHE", Assert.Single(template.GetProperty("appliedFor").EnumerateArray()).GetString());
        Assert.Equal("platform", template.GetProperty("resourceTags")[0].GetProperty("Value").GetString());
        Assert.Equal("arn:aws:iam::111122223333:role/ptc-template", template.GetProperty("customRoleArn").GetString());
        Assert.Equal(1796032800, template.GetProperty("createdAt").GetDouble());
    }

    [Fact]
    public async Task Prefixes_filter_and_a_prefix_without_a_template_is_left_out()
    {
        using var emulator = EcrCall.Start(o => o.SeedJson = "{\"repositoryCreationTemplates\":[" + Tagging + ",{\"prefix\":\"ROOT\",\"appliedFor\":[\"PULL_THROUGH_CACHE\",\"REPLICATION\"]}]}");

        var both = await EcrCall.OkAsync(emulator, "DescribeRepositoryCreationTemplates");
        var one = await EcrCall.OkAsync(emulator, "DescribeRepositoryCreationTemplates", "{\"prefixes\":[\"ROOT\",\"quay\"]}");

        Assert.Equal(new[] { "ROOT", "docker-hub" }, both.Body.GetProperty("repositoryCreationTemplates").EnumerateArray().Select(t => t.GetProperty("prefix").GetString()));
        Assert.Equal("ROOT", Assert.Single(one.Body.GetProperty("repositoryCreationTemplates").EnumerateArray()).GetProperty("prefix").GetString());
    }

    [Fact]
    public async Task Templates_come_in_pages_with_an_opaque_token()
    {
        var seed = "{\"repositoryCreationTemplates\":[" + string.Join(",", Enumerable.Range(1, 3).Select(i => $"{{\"prefix\":\"team{i}\",\"appliedFor\":[\"PULL_THROUGH_CACHE\"]}}")) + "]}";
        using var emulator = EcrCall.Start(o => o.SeedJson = seed);

        var first = await EcrCall.OkAsync(emulator, "DescribeRepositoryCreationTemplates", "{\"maxResults\":2}");
        var token = first.String("nextToken")!;
        var second = await EcrCall.OkAsync(emulator, "DescribeRepositoryCreationTemplates", $"{{\"maxResults\":2,\"nextToken\":{EcrCall.Json(token)}}}");

        Assert.Equal(2, first.Body.GetProperty("repositoryCreationTemplates").GetArrayLength());
        Assert.Equal("team3", Assert.Single(second.Body.GetProperty("repositoryCreationTemplates").EnumerateArray()).GetProperty("prefix").GetString());
        Assert.False(second.Body.TryGetProperty("nextToken", out _));
    }

    [Theory]
    [InlineData("{\"prefix\":\"docker-hub\",\"appliedFor\":[\"PULL_THROUGH_CACHE\"]}", "TemplateAlreadyExistsException")]
    [InlineData("{\"prefix\":\"docker-hub/\",\"appliedFor\":[\"REPLICATION\"]}", "TemplateAlreadyExistsException")]
    [InlineData("{\"prefix\":\"quay\",\"appliedFor\":[]}", "InvalidParameterException")]
    [InlineData("{\"prefix\":\"quay\",\"appliedFor\":[\"PULL\"]}", "ValidationException")]
    [InlineData("{\"prefix\":\"Quay\",\"appliedFor\":[\"PULL_THROUGH_CACHE\"]}", "ValidationException")]
    [InlineData("{\"appliedFor\":[\"PULL_THROUGH_CACHE\"]}", "ValidationException")]
    [InlineData("{\"prefix\":\"quay\",\"appliedFor\":[\"PULL_THROUGH_CACHE\"],\"customRoleArn\":\"arn:aws:iam::444455556666:role/other\"}", "InvalidParameterException")]
    [InlineData("{\"prefix\":\"quay\",\"appliedFor\":[\"PULL_THROUGH_CACHE\"],\"encryptionConfiguration\":{\"encryptionType\":\"KMS\",\"kmsKey\":\"alias/x\"}}", "ValidationException")]
    public async Task A_template_ECR_would_refuse_is_refused_and_nothing_is_stored(string body, string error)
    {
        using var emulator = EcrCall.Start(o => o.SeedJson = "{\"repositoryCreationTemplates\":[" + Tagging + "]}");

        var answer = await EcrCall.SendAsync(emulator, "CreateRepositoryCreationTemplate", body);

        Assert.Equal(error, answer.ErrorCode);
        Assert.Single(emulator.State.Templates);
    }

    [Fact]
    public async Task A_state_dump_is_a_seed_with_its_templates()
    {
        using var emulator = EcrCall.Start(o => o.SeedJson = "{\"repositoryCreationTemplates\":[" + Tagging + "]}");
        var dump = emulator.State.ToJson().ToJsonString();

        using var copy = EcrCall.Start(o => o.SeedJson = dump);

        var template = Assert.Single(copy.State.Templates);
        Assert.Equal("docker-hub", template.Prefix);
        await Task.CompletedTask;
    }

    [Fact]
    public void A_seed_template_ECR_would_refuse_stops_the_start_with_its_reason()
    {
        var ex = Assert.Throws<ArgumentException>(() => EcrCall.Start(o => o.SeedJson = "{\"repositoryCreationTemplates\":[{\"prefix\":\"quay\",\"appliedFor\":[]}]}"));

        Assert.Contains("repositoryCreationTemplates[0]", ex.Message);
    }

    [Fact]
    public async Task Faults_can_be_aimed_at_the_template_read()
    {
        using var emulator = EcrCall.Start();
        emulator.ArmFaults("{\"throttle\":1,\"operation\":\"DescribeRepositoryCreationTemplates\"}");

        var throttled = await EcrCall.SendAsync(emulator, "DescribeRepositoryCreationTemplates");
        var then = await EcrCall.SendAsync(emulator, "DescribeRepositoryCreationTemplates");

        Assert.Equal("ThrottlingException", throttled.ErrorCode);
        Assert.Null(then.ErrorCode);
        Assert.Equal(JsonValueKind.Array, then.Body.GetProperty("repositoryCreationTemplates").ValueKind);
    }
}
