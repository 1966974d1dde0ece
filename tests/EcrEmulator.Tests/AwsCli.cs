using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;
using Xunit.Sdk;

namespace EcrEmulator.Tests;

/// <summary>An AWS CLI found on this machine.</summary>
internal sealed record AwsCliInstall(string Path, int Major, string Version);

/// <summary>
/// Finds the AWS CLIs here: v1 from the image's Python (on PATH) and v2 from Debian's awscli package
/// (/usr/bin/aws, which .ci/run installs when apt is reachable). They are the independent peers of the emulator.
/// </summary>
internal static class AwsCli
{
    private static readonly Lazy<IReadOnlyList<AwsCliInstall>> s_found = new(Discover);

    public static IReadOnlyList<AwsCliInstall> Found => s_found.Value;

    public static AwsCliInstall? Find(int major) => Found.FirstOrDefault(c => c.Major == major);

    /// <summary>Runs the CLI against the emulator with the test keys and nothing from the user's AWS setup.</summary>
    public static async Task<ProcessResult> RunAsync(AwsCliInstall cli, EcrEmulatorServer emulator, string[] arguments,
        string? secret = null, string? sessionToken = null, string accessKey = "AKIDPTCTOOLSEXAMPLE")
    {
        // Empty config and credentials files of its own, so nothing of the machine's AWS setup leaks in.
        var empty = Path.Combine(Path.GetTempPath(), "ptctools-aws-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(empty);
        var config = Path.Combine(empty, "config");
        var credentials = Path.Combine(empty, "credentials");
        File.WriteAllText(config, string.Empty);
        File.WriteAllText(credentials, string.Empty);
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = accessKey,
            ["AWS_SECRET_ACCESS_KEY"] = secret ?? emulator.Options.Credentials.First(c => c.AccessKeyId == accessKey).SecretAccessKey,
            ["AWS_CONFIG_FILE"] = config,
            ["AWS_SHARED_CREDENTIALS_FILE"] = credentials,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_DEFAULT_REGION"] = emulator.Options.Region,
            ["AWS_PAGER"] = string.Empty,
            ["AWS_CLI_AUTO_PROMPT"] = "off",
        };
        if (sessionToken is not null)
        {
            environment["AWS_SESSION_TOKEN"] = sessionToken;
        }
        var all = new[] { "ecr" }.Concat(arguments).Concat(new[] { "--endpoint-url", emulator.Endpoint.ToString().TrimEnd('/'), "--output", "json" });
        try
        {
            return await ChildProcess.RunAsync(cli.Path, all, environment, TimeSpan.FromSeconds(120), clearAwsEnvironment: true);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    private static IReadOnlyList<AwsCliInstall> Discover()
    {
        var candidates = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "aws"))
            .Append("/usr/bin/aws")
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var found = new List<AwsCliInstall>();
        foreach (var path in candidates)
        {
            try
            {
                var result = ChildProcess.RunAsync(path, new[] { "--version" }, timeout: TimeSpan.FromSeconds(60), clearAwsEnvironment: true).GetAwaiter().GetResult();
                var match = Regex.Match(result.StandardOutput + result.StandardError, @"aws-cli/(\d+)\.[\w.]+");
                if (result.ExitCode == 0 && match.Success && found.All(f => f.Major != int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    found.Add(new AwsCliInstall(path, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Value));
                }
            }
            catch (Exception ex) when (ex is TimeoutException or System.ComponentModel.Win32Exception)
            {
                // not a working CLI; the tests below report what was found
            }
        }
        return found;
    }
}

/// <summary>One row per major version of the AWS CLI found here (none found fails the theory).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class AwsCliVersionsAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => AwsCli.Found.Select(c => new object[] { c.Major });
}

/// <summary>A fact that is skipped, saying so, when Debian's awscli (v2) is not installed.</summary>
internal sealed class AwsCliV2FactAttribute : FactAttribute
{
    public AwsCliV2FactAttribute()
    {
        if (AwsCli.Find(2) is null)
        {
            Skip = "Debian's awscli (v2) is not installed (apt was unreachable?): the AWS CLI tests ran with v1 only.";
        }
    }
}
