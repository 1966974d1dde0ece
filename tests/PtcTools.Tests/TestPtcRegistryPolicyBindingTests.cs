using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Lint;
using Xunit;

namespace PtcTools.Tests;

public sealed class TestPtcRegistryPolicyBindingTests : System.IDisposable
{
    // One unknown action (PTC016) and nothing else.
    private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Ptc\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImages\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}]}";
    private readonly PowerShellHost _host = new();

    [Theory]
    [InlineData("$text | Test-PtcRegistryPolicy", "a string by value")]
    [InlineData("Test-PtcRegistryPolicy $text", "a string by position")]
    [InlineData("Test-PtcRegistryPolicy -PolicyText $text", "a string by name")]
    [InlineData("Test-PtcRegistryPolicy -Policy $text", "the alias Policy")]
    [InlineData("Test-PtcRegistryPolicy -InputObject $text", "the alias InputObject")]
    [InlineData("[pscustomobject]@{ RegistryId = '111122223333'; PolicyText = $text } | Test-PtcRegistryPolicy", "PolicyText by property name")]
    [InlineData("$text | ConvertFrom-PtcRegistryPolicy | Test-PtcRegistryPolicy", "a PtcRegistryPolicy")]
    [InlineData("$text | ConvertFrom-Json | Test-PtcRegistryPolicy", "a ConvertFrom-Json object")]
    public void Binds_the_policy_from(string script, string how)
    {
        var (output, errors) = _host.Run(script, new Dictionary<string, object?> { ["text"] = Policy });
        Assert.True(errors.Count == 0, how + ": " + string.Join("; ", errors.Select(e => e.ToString())));
        var finding = Assert.IsType<PtcPolicyFinding>(Assert.Single(output).BaseObject);
        Assert.Equal("PTC016", finding.RuleId);
    }

    [Theory]
    [InlineData("RegistryId = '444455556666'", "PTC102")]
    [InlineData("Region = 'eu-west-1'", "PTC102")]
    [InlineData("Scope = 'V1'; PolicyText = $text -replace 'ecr:CreateRepository', 'ecr:BatchGetImage'", "PTC012")]
    public void Takes_registry_facts_by_property_name(string property, string ruleId)
    {
        var script = "[pscustomobject]@{ PolicyText = $text; " + property + " } | Test-PtcRegistryPolicy -ExcludeRule PTC016";
        var (output, errors) = _host.Run(script.Replace("PolicyText = $text; Scope", "Scope"), new Dictionary<string, object?> { ["text"] = Policy });
        Assert.Empty(errors);
        Assert.Contains(output.Select(o => (PtcPolicyFinding)o.BaseObject), f => f.RuleId == ruleId);
    }

    [Fact]
    public void Quiet_answers_once_per_policy()
    {
        var (output, errors) = _host.Run("$text, ($text -replace 'Images', 'Image') | Test-PtcRegistryPolicy -Quiet", new Dictionary<string, object?> { ["text"] = Policy });
        Assert.Empty(errors);
        Assert.Equal(new object[] { false, true }, output.Select(o => o.BaseObject).ToArray());
    }

    [Fact]
    public void Severity_is_an_enum_parameter_that_takes_its_names()
    {
        var variables = new Dictionary<string, object?> { ["text"] = Policy };
        var (output, errors) = _host.Run("$text -replace '\\{\"Version\":\"2012-10-17\",', '{' | Test-PtcRegistryPolicy -Severity Warning", variables);
        Assert.Empty(errors);
        Assert.Equal(new[] { FindingSeverity.Error }, output.Select(o => ((PtcPolicyFinding)o.BaseObject).Severity).ToArray());
        var (all, allErrors) = _host.Run("$text -replace '\\{\"Version\":\"2012-10-17\",', '{' | Test-PtcRegistryPolicy -Severity Information", variables);
        Assert.Empty(allErrors);
        Assert.Contains(all.Select(o => (PtcPolicyFinding)o.BaseObject), f => f.RuleId == "PTC201");
        var (_, bad) = _host.Run("$text | Test-PtcRegistryPolicy -Severity Fatal", variables);
        Assert.Contains("Information", Assert.Single(bad).ToString());
    }

    public void Dispose() => _host.Dispose();
}
