using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>Runs a profile's <c>credential_process</c> and reads the JSON it prints (Version 1).</summary>
public static class CredentialProcess
{
    /// <summary>Runs the command, bounded by the context's process timeout.</summary>
    /// <exception cref="PolicyException"><c>CredentialProcessFailed</c>.</exception>
    public static async Task<AwsCredentials> RunAsync(CredentialContext context, string commandLine, string description, CancellationToken cancellationToken)
    {
        var parts = Split(commandLine);
        if (parts.Count == 0)
        {
            throw new PolicyException("CredentialProcessFailed", PolicyErrorKind.InvalidData, $"{description}: credential_process is empty.", commandLine);
        }

        var start = new ProcessStartInfo(parts[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
            Arguments = string.Join(" ", parts.GetRange(1, parts.Count - 1).ConvertAll(Quote)),
        };
        context.Log($"Credentials: running the credential_process of {description}.");
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new PolicyException("CredentialProcessFailed", PolicyErrorKind.InvalidOperation, $"{description}: '{parts[0]}' could not be started: {ex.Message}", commandLine, ex);
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var exited = new TaskCompletionSource<bool>();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult(true);
        if (process.HasExited)
        {
            exited.TrySetResult(true);
        }

        using (cancellationToken.Register(() => exited.TrySetCanceled()))
        {
            var finished = await Task.WhenAny(exited.Task, Task.Delay(context.ProcessTimeout)).ConfigureAwait(false);
            if (finished != exited.Task || exited.Task.IsCanceled)
            {
                TryKill(process);
                cancellationToken.ThrowIfCancellationRequested();
                throw new PolicyException("CredentialProcessFailed", PolicyErrorKind.OperationTimeout,
                    $"{description}: the credential_process did not finish within {context.ProcessTimeout.TotalSeconds:0} s and was stopped.", commandLine);
            }
        }

        process.WaitForExit();
        var output = await stdout.ConfigureAwait(false);
        var error = (await stderr.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            var detail = error.Length == 0 ? string.Empty : ": " + (error.Length > 500 ? error.Substring(0, 500) + "…" : error);
            throw new PolicyException("CredentialProcessFailed", PolicyErrorKind.InvalidOperation, $"{description}: the credential_process exited with code {process.ExitCode}{detail}", commandLine);
        }

        var json = JsonResponse.Parse(output, "CredentialProcessFailed", commandLine);
        if ((int?)json["Version"] != 1)
        {
            throw new PolicyException("CredentialProcessFailed", PolicyErrorKind.InvalidData, $"{description}: the credential_process printed Version {json["Version"]}; only Version 1 is understood.", commandLine);
        }

        var accessKey = (string?)json["AccessKeyId"];
        var secret = (string?)json["SecretAccessKey"];
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
        {
            throw new PolicyException("CredentialProcessFailed", PolicyErrorKind.InvalidData, $"{description}: the credential_process output lacks AccessKeyId or SecretAccessKey.", commandLine);
        }

        return new AwsCredentials(accessKey!, secret!, (string?)json["SessionToken"], JsonResponse.Date(json["Expiration"]), description);
    }

    /// <summary>Splits a command line on white space, honouring double and single quotes (no shell is involved).</summary>
    public static List<string> Split(string commandLine)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < commandLine.Length && commandLine[i + 1] is '"' or '\\')
                {
                    current.Append(commandLine[++i]);
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    parts.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            parts.Add(current.ToString());
        }

        return parts;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"' }) < 0 ? argument : "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    private static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
