using System;
using System.IO;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>
/// Issue 15 item 4: paths the .NET Framework refuses (Windows PowerShell 5.1) are PolicyPathInvalid,
/// named before anything is touched, instead of raw ArgumentException, NotSupportedException or PathTooLongException.
/// </summary>
public sealed class PolicyPathTests
{
    [Theory]
    [InlineData(@"C:\policies\a""b.json", "'\"'")]
    [InlineData(@"C:\policies\a<b.json", "'<'")]
    [InlineData(@"C:\policies\a>b.json", "'>'")]
    [InlineData(@"C:\policies\a|b.json", "'|'")]
    [InlineData("C:\\policies\\a\tb.json", "U+0009")]
    [InlineData(@"C:\policies\policy.json:backup", "':' that is not a drive's")]
    [InlineData(@"policy:json", "':' that is not a drive's")]
    [InlineData("", "empty")]
    public void A_path_the_NET_Framework_refuses_is_PolicyPathInvalid_naming_the_rule(string path, string named)
    {
        var ex = Assert.Throws<PolicyException>(() => FileRegistryPolicyStore.FullPath(path, frameworkRules: true));

        Assert.Equal("PolicyPathInvalid", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal(path, ex.Target);
        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_of_260_characters_or_more_is_refused_under_the_NET_Framework_rules()
    {
        var path = @"C:\" + new string('p', 252) + ".json"; // 260 characters
        Assert.Equal(260, path.Length);

        var ex = Assert.Throws<PolicyException>(() => FileRegistryPolicyStore.FullPath(path, frameworkRules: true));

        Assert.Equal("PolicyPathInvalid", ex.ErrorId);
        Assert.Contains("at most 259", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_path_whose_full_form_is_too_long_is_refused_under_the_NET_Framework_rules()
    {
        var relative = new string('r', 250) + ".json"; // 255 characters; the current folder makes it longer

        var ex = Assert.Throws<PolicyException>(() => FileRegistryPolicyStore.FullPath(relative, frameworkRules: true));

        Assert.Equal("PolicyPathInvalid", ex.ErrorId);
        Assert.Contains("full form", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"C:\policies\registry-policy.json")]
    [InlineData(@"\\?\C:\policies\registry-policy.json")]
    [InlineData(@"policies\registry-policy.json")]
    public void Ordinary_Windows_paths_pass_the_NET_Framework_rules(string path)
    {
        // Only the rules are applied here: on Linux GetFullPath makes any such text a relative path.
        var full = FileRegistryPolicyStore.FullPath(path, frameworkRules: true);
        Assert.False(string.IsNullOrEmpty(full));
    }

    [Fact]
    public void A_path_holding_U_0000_is_PolicyPathInvalid_on_every_runtime()
    {
        var ex = Assert.Throws<PolicyException>(() => new FileRegistryPolicyStore("policy\0.json"));

        Assert.Equal("PolicyPathInvalid", ex.ErrorId);
        Assert.Contains("U+0000", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\0", ex.Message, StringComparison.Ordinal);
    }

    [PosixFact("Windows refuses these characters in a file name")]
    public void Characters_Linux_allows_stay_allowed_there()
    {
        var store = new FileRegistryPolicyStore("/tmp/a|b<c>:d.json");
        Assert.Equal("/tmp/a|b<c>:d.json", store.Path);
    }
}
