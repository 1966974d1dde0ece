using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PtcTools.Tests;

public sealed class AwsCmdletBindingTests : IDisposable
{
    private const string Policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}]}";
    private readonly PowerShellHost _host = new();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptctools-binding-" + Guid.NewGuid().ToString("N"));

    public AwsCmdletBindingTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        _host.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("Set-PtcRegistryPolicy", "Ecr")]
    [InlineData("Get-PtcRegistryPolicy", "Ecr")]
    [InlineData("Remove-PtcRegistryPolicy", "Ecr")]
    public void The_default_parameter_set_is_ECR(string command, string set)
    {
        var (output, errors) = _host.Run($"(Get-Command {command}).DefaultParameterSet");
        Assert.Empty(errors);
        Assert.Equal(set, Assert.Single(output).BaseObject);
    }

    [Theory]
    [InlineData("$policy | Set-PtcRegistryPolicy -BackupPath $backups", "a PtcRegistryPolicy by value goes back to its file")]
    [InlineData("Set-PtcRegistryPolicy $policy -BackupPath $backups", "a PtcRegistryPolicy by position")]
    [InlineData("Set-PtcRegistryPolicy -InputObject $policy -BackupPath $backups", "the alias InputObject")]
    [InlineData("Set-PtcRegistryPolicy -Policy $policy -BackupPath $backups", "the alias Policy")]
    public void Set_binds_a_policy_read_from_a_file_and_writes_it_back_there(string script, string how)
    {
        var file = Path.Combine(_folder, "policy.json");
        File.WriteAllText(file, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        var variables = new Dictionary<string, object?> { ["file"] = file, ["backups"] = Path.Combine(_folder, "b"), ["text"] = Policy };
        var (_, setup) = _host.Run("$policy = Get-PtcRegistryPolicy -LiteralPath $file; $policy = ($text | ConvertFrom-PtcRegistryPolicy); $policy.Path = $file; $policy.SourceText = (Get-Content -LiteralPath $file -Raw)", variables);
        Assert.Empty(setup);

        var (output, errors) = _host.Run(script, variables);

        Assert.True(errors.Count == 0, how + ": " + string.Join("; ", errors.Select(e => e.ToString())));
        var result = Assert.IsType<PtcRegistryPolicyWriteResult>(Assert.Single(output).BaseObject);
        Assert.Equal("Updated", result.Status);
        Assert.Equal(file, result.Path);
    }

    [Fact]
    public void Get_binds_PSPath_from_Get_ChildItem_to_LiteralPath()
    {
        File.WriteAllText(Path.Combine(_folder, "one.json"), Policy);
        File.WriteAllText(Path.Combine(_folder, "two.json"), Policy);
        var (output, errors) = _host.Run("Get-ChildItem -LiteralPath $folder -Filter *.json | Get-PtcRegistryPolicy", new Dictionary<string, object?> { ["folder"] = _folder });
        Assert.Empty(errors);
        Assert.Equal(2, output.Count);
        Assert.All(output, o => Assert.True(((PtcRegistryPolicy)o.BaseObject).Exists));
    }

    [Fact]
    public void Remove_without_confirmation_preference_change_asks_first_so_a_non_interactive_host_does_nothing()
    {
        var file = Path.Combine(_folder, "policy.json");
        File.WriteAllText(file, Policy);

        // ConfirmImpact High with the default $ConfirmPreference (High) prompts; this host cannot, so it fails and nothing is removed.
        var (output, errors) = _host.Run("Remove-PtcRegistryPolicy -LiteralPath $file -BackupPath $backups", new Dictionary<string, object?> { ["file"] = file, ["backups"] = Path.Combine(_folder, "b") });

        Assert.Empty(output);
        var error = Assert.Single(errors);
        Assert.Equal("HostFunctionNotImplemented,PtcTools.Commands.RemovePtcRegistryPolicyCommand", error.FullyQualifiedErrorId);
        Assert.True(File.Exists(file));
        Assert.Equal(Policy, File.ReadAllText(file));
        Assert.False(Directory.Exists(Path.Combine(_folder, "b")), "nothing was backed up: the removal never started");
    }
}
