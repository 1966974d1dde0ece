using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace PtcTools.Tests;

public sealed class ConvertFromPtcRegistryPolicyBindingTests : System.IDisposable
{
    private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    private readonly PowerShellHost _host = new();

    [Theory]
    [InlineData("$text | ConvertFrom-PtcRegistryPolicy", "a string by value")]
    [InlineData("ConvertFrom-PtcRegistryPolicy $text", "a string by position")]
    [InlineData("ConvertFrom-PtcRegistryPolicy -PolicyText $text", "a string by name")]
    [InlineData("ConvertFrom-PtcRegistryPolicy -InputObject $text", "the alias InputObject")]
    [InlineData("[pscustomobject]@{ RegistryId = '111122223333'; PolicyText = $text } | ConvertFrom-PtcRegistryPolicy", "PolicyText by property name")]
    [InlineData("$text | ConvertFrom-PtcRegistryPolicy | ConvertFrom-PtcRegistryPolicy", "its own output")]
    [InlineData("$text | ConvertFrom-Json | ConvertFrom-PtcRegistryPolicy", "a ConvertFrom-Json object")]
    [InlineData("[ordered]@{ Version = '2012-10-17'; Statement = @() } | ConvertFrom-PtcRegistryPolicy", "an ordered hashtable")]
    public void Binds_the_policy_from(string script, string how)
    {
        var (output, errors) = _host.Run(script, new Dictionary<string, object?> { ["text"] = Policy });
        Assert.True(errors.Count == 0, how + ": " + string.Join("; ", errors.Select(e => e.ToString())));
        var policy = Assert.IsType<PtcRegistryPolicy>(Assert.Single(output).BaseObject);
        Assert.Equal(Policy, policy.PolicyText);
    }

    [Fact]
    public void An_array_of_texts_gives_one_policy_each()
    {
        var (output, errors) = _host.Run("$text, $text | ConvertFrom-PtcRegistryPolicy", new Dictionary<string, object?> { ["text"] = Policy });
        Assert.Empty(errors);
        Assert.Equal(2, output.Count);
    }

    [Fact]
    public void Malformed_json_is_a_non_terminating_error_with_a_stable_id()
    {
        var (output, errors) = _host.Run("'{\"a\":' | ConvertFrom-PtcRegistryPolicy");
        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.Equal("PolicyJsonInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("{\"a\":", error.TargetObject);
    }

    public void Dispose() => _host.Dispose();
}
