using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace PtcTools.Tests;

public sealed class ComposeBindingTests : System.IDisposable
{
    private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    private readonly PowerShellHost _host = new();

    [Theory]
    [InlineData("New-PtcPolicyStatement -Principal '444455556666' @common", "a quoted account id", null)]
    [InlineData("New-PtcPolicyStatement -Principal 444455556666 @common", "a bare account id (a number)", null)]
    [InlineData("New-PtcPolicyStatement 444455556666 @common", "a principal by position", null)]
    [InlineData("'444455556666' | New-PtcPolicyStatement @common", "a principal by value", null)]
    [InlineData("[pscustomobject]@{ Arn = 'arn:aws:iam::444455556666:root' } | New-PtcPolicyStatement @common", "Arn by property name", null)]
    [InlineData("New-PtcPolicyStatement -Arn 'arn:aws:iam::444455556666:root' @common", "the alias Arn", null)]
    [InlineData("New-PtcPolicyStatement -Principal ([pscustomobject]@{ Arn = '444455556666' }) @common", "an object with Arn as the argument", null)]
    [InlineData("New-PtcPolicyStatement -Principal ([System.Uri]::new('http://x/')) @common; New-PtcPolicyStatement -Principal 444455556666 @common", "a .NET object without Arn, refused, then a good one", "PrincipalInvalid")]
    public void New_binds_the_principal_from(string script, string how, string? refusedWith)
    {
        var (output, errors) = _host.Run("$common = @{ Region = 'us-east-1'; RegistryId = '111122223333' }; " + script);
        Assert.Equal(refusedWith is null ? Array.Empty<string>() : new[] { refusedWith + ",PtcTools.Commands.NewPtcPolicyStatementCommand" }, errors.Select(e => e.FullyQualifiedErrorId).ToArray());
        var statement = Assert.IsType<PtcPolicyStatement>(Assert.Single(output).BaseObject);
        Assert.True(statement.Principal.SequenceEqual(new[] { "arn:aws:iam::444455556666:root" }), how);
    }

    [Theory]
    [InlineData("$s | Add-PtcRegistryStatement", "New")]
    [InlineData("$s | Add-PtcRegistryStatement -Policy $p", "Policy")]
    [InlineData("Add-PtcRegistryStatement $s -Policy $p", "Policy")]
    [InlineData("$p | ConvertFrom-PtcRegistryPolicy | Add-PtcRegistryStatement -Statement $s", "Policy")]
    [InlineData("[pscustomobject]@{ PolicyText = $p; RegistryId = '111122223333' } | Add-PtcRegistryStatement -Statement $s", "Policy")]
    public void Add_takes_statements_and_policy_from_where_they_are_given(string script, string set)
    {
        var (output, errors) = _host.Run(
            "$s = New-PtcPolicyStatement -Principal '444455556666' -Region us-east-1 -RegistryId 111122223333 -Sid S1; " + script,
            new Dictionary<string, object?> { ["p"] = Policy });
        Assert.True(errors.Count == 0, set + ": " + string.Join("; ", errors.Select(e => e.ToString())));
        var policy = Assert.IsType<PtcRegistryPolicy>(Assert.Single(output).BaseObject);
        Assert.Equal("S1", Assert.Single(policy.Statement).Sid);
    }

    [Fact]
    public void A_piped_policy_is_never_taken_for_a_statement()
    {
        var (output, errors) = _host.Run("$p | ConvertFrom-PtcRegistryPolicy | Add-PtcRegistryStatement -Statement '{\"Sid\":\"A\"}'", new Dictionary<string, object?> { ["p"] = Policy });
        Assert.Empty(errors);
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\"}]}", Assert.IsType<PtcRegistryPolicy>(Assert.Single(output).BaseObject).PolicyText);
    }

    [Theory]
    [InlineData("$p | Remove-PtcRegistryStatement -Sid A")]
    [InlineData("Remove-PtcRegistryStatement $p -Sid A")]
    [InlineData("[pscustomobject]@{ PolicyText = $p } | Remove-PtcRegistryStatement -Sid A")]
    public void Remove_takes_the_policy_by_value_position_or_property(string script)
    {
        var (output, errors) = _host.Run(script, new Dictionary<string, object?> { ["p"] = "{\"Statement\":[{\"Sid\":\"A\"},{\"Sid\":\"B\"}]}" });
        Assert.Empty(errors);
        Assert.Equal("{\"Statement\":[{\"Sid\":\"B\"}]}", Assert.IsType<PtcRegistryPolicy>(Assert.Single(output).BaseObject).PolicyText);
    }

    [Theory]
    [InlineData("Compare-PtcRegistryPolicy $a $b")]
    [InlineData("$b | Compare-PtcRegistryPolicy $a")]
    [InlineData("[pscustomobject]@{ PolicyText = $b } | Compare-PtcRegistryPolicy -ReferencePolicy $a")]
    public void Compare_takes_the_difference_policy_by_position_value_or_property(string script)
    {
        var (output, errors) = _host.Run(script, new Dictionary<string, object?> { ["a"] = Policy, ["b"] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"N\"}]}" });
        Assert.Empty(errors);
        var change = Assert.IsType<PtcPolicyChange>(Assert.Single(output).BaseObject);
        Assert.Equal(("Added", "N"), (change.Change.ToString(), change.Sid));
    }

    public void Dispose() => _host.Dispose();
}
