using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;

namespace EcrEmulator.Tests;

/// <summary>The outcome of a finished child process.</summary>
internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>Runs child processes with a hard time bound; a process that overstays is killed with its children.</summary>
internal static class ChildProcess
{
    public static string DotNet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string?>? environment = null,
        TimeSpan? timeout = null, bool clearAwsEnvironment = false)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        if (clearAwsEnvironment)
        {
            foreach (var name in new List<string>(info.Environment.Keys))
            {
                if (name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase))
                {
                    info.Environment.Remove(name);
                }
            }
        }
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromSeconds(90);
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', info.ArgumentList)} did not finish within {limit.TotalSeconds} s and was killed.");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
