using System;
using System.Collections.Generic;
using System.IO;

namespace PtcTools.Aws.Auth;

/// <summary>What the credential and Region chains read from the machine: variables and the home folder, replaceable in tests.</summary>
public sealed class AwsEnvironment
{
    private readonly Func<string, string?> _variables;

    /// <summary>Creates an environment over a variable lookup and a home folder.</summary>
    public AwsEnvironment(Func<string, string?> variables, string homeDirectory)
    {
        _variables = variables;
        HomeDirectory = homeDirectory;
    }

    /// <summary>The process environment and the user's home folder.</summary>
    public static AwsEnvironment Process { get; } = new(Environment.GetEnvironmentVariable, DefaultHome());

    /// <summary>An environment made of the given variables only (tests).</summary>
    public static AwsEnvironment FromDictionary(IDictionary<string, string> variables, string homeDirectory) =>
        new(name => variables.TryGetValue(name, out var value) ? value : null, homeDirectory);

    /// <summary>The user's home folder, where <c>.aws</c> lives.</summary>
    public string HomeDirectory { get; }

    /// <summary>A variable's value, or null when it is unset or empty.</summary>
    public string? Get(string name)
    {
        var value = _variables(name);
        return string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
    }

    /// <summary>The shared credentials file: <c>AWS_SHARED_CREDENTIALS_FILE</c> or <c>~/.aws/credentials</c>.</summary>
    public string CredentialsFile => ExpandHome(Get("AWS_SHARED_CREDENTIALS_FILE")) ?? Path.Combine(HomeDirectory, ".aws", "credentials");

    /// <summary>The shared config file: <c>AWS_CONFIG_FILE</c> or <c>~/.aws/config</c>.</summary>
    public string ConfigFile => ExpandHome(Get("AWS_CONFIG_FILE")) ?? Path.Combine(HomeDirectory, ".aws", "config");

    /// <summary>The SSO token cache folder.</summary>
    public string SsoCacheDirectory => Path.Combine(HomeDirectory, ".aws", "sso", "cache");

    /// <summary>Replaces a leading <c>~</c> with the home folder.</summary>
    public string? ExpandHome(string? path)
    {
        if (path is null)
        {
            return null;
        }

        return path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal)
            ? Path.Combine(HomeDirectory, path.Substring(Math.Min(2, path.Length)))
            : path;
    }

    private static string DefaultHome()
    {
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home))
        {
            home = Environment.GetEnvironmentVariable("USERPROFILE");
        }

        return string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home!;
    }
}
