using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace PtcTools.Policy.Tests.Export;

/// <summary>The exported templates against the resource's own CloudFormation schema (TestData/cloudformation, copied with its source note).</summary>
public sealed class ResourceSchemaTests
{
    private static readonly JsonNode s_schema = JsonNode.Parse(File.ReadAllText(Path.Combine(TestFiles.Root, "cloudformation", "aws-ecr-registrypolicy.json")))!;

    private static EvaluationResults Validate(JsonNode properties)
    {
        // The resource schema is a JSON Schema with CloudFormation's own keywords beside it (typeName, handlers, ...).
        var schema = JsonSchema.FromText(s_schema.ToJsonString());
        return schema.Evaluate(properties, new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    [Theory]
    [InlineData("json")]
    [InlineData("yaml")]
    public void The_registry_policy_resource_matches_the_resource_schema(string format)
    {
        var template = RolloutTests.Template(out _);
        var text = format == "json" ? template.ToJson() : YamlSubsetReader.Read(template.ToYaml()).ToString();
        var root = JsonNode.Parse(text)!;
        var resource = root["Resources"]!["RegistryPolicy"]!;
        Assert.Equal((string?)s_schema["typeName"], (string?)resource["Type"]);
        var properties = resource["Properties"]!;
        var results = Validate(properties);
        Assert.True(results.IsValid, string.Join("; ", (results.Details ?? new System.Collections.Generic.List<EvaluationResults>()).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value))));
        // PolicyText is an object in a template, not a string.
        Assert.IsType<JsonObject>(properties["PolicyText"]);
        // Read-only properties are CloudFormation's to set.
        foreach (var readOnly in s_schema["readOnlyProperties"]!.AsArray().Select(p => ((string)p!).Split('/').Last()))
        {
            Assert.Null(properties[readOnly]);
        }
    }

    [Theory]
    [InlineData("{\"PolicyText\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"}")]
    [InlineData("{}")]
    [InlineData("{\"PolicyText\":{},\"Extra\":1}")]
    public void The_schema_check_refuses_what_CloudFormation_would(string properties)
    {
        Assert.False(Validate(JsonNode.Parse(properties)!).IsValid);
    }
}
