using System;
using System.Diagnostics.CodeAnalysis;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>Runs a profile's <c>credential_process</c> and reads the JSON it prints (Version 1).</summary>
public static class CredentialProcess
{
    /// <summary>The most bytes of standard output read: the answer is a few hundred bytes.</summary>
    public const int MaxOutputBytes = 1024 * 1024;

    /// <summary>The most bytes of standard error kept for the message (the rest is read and dropped).</summary>
    public const int MaxErrorBytes = 64 * 1024;

    // After the process exits, how long a child that inherited its standard output may keep it open.
    private static readonly TimeSpan s_exitGrace = TimeSpan.FromSeconds(1);
    private static readonly char[] s_quoteWhenAny = { ' ', '\t', '"' };

    private static readonly Regex[] s_secrets =
    {
        // name: value and name=value where the name says secret, token, password or key
        new(@"(?i)((?:secret|token|password|passwd|pwd|credential|session|(?:access|private|api)[_-]?key)[\w-]*[""']?\s*[:=]\s*[""']?)[^\s""',;&]+", RegexOptions.Compiled),
        // AWS access key ids
        new(@"\b(?:AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|AIPA|APKA|ABIA|ACCA)[A-Z0-9]{12,}\b", RegexOptions.Compiled),
        // JSON web tokens
        new(@"\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*", RegexOptions.Compiled),
        // long opaque strings with letters and digits (secret keys, session tokens)
        new(@"(?=[A-Za-z0-9+/=_-]*[0-9])(?=[A-Za-z0-9+/=_-]*[A-Za-z])[A-Za-z0-9+/=_-]{24,}", RegexOptions.Compiled),
    };

    /// <summary>Runs the command, bounded by the context's process timeout and the caller's cancellation, whatever its children do.</summary>
    /// <exception cref="AwsClientException"><c>CredentialProcessFailed</c>, or <c>CredentialProcessOutputTooLarge</c>.</exception>
    public static async Task<AwsCredentials> RunAsync(CredentialContext context, string commandLine, string description, CancellationToken cancellationToken)
    {
        var parts = Split(commandLine);
        if (parts.Count == 0)
        {
            throw new AwsClientException(ErrorIds.CredentialProcessFailed, PolicyErrorKind.InvalidData, $"{description}: credential_process is empty.", commandLine);
        }

        var start = new ProcessStartInfo(parts[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            CreateNoWindow = true,
            Arguments = string.Join(" ", parts.GetRange(1, parts.Count - 1).ConvertAll(Quote)),
        };
        context.Log($"Credentials: running the credential_process of {description}.");
        using var process = new Process { StartInfo = start };
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult(true);
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new AwsClientException(ErrorIds.CredentialProcessFailed, PolicyErrorKind.InvalidOperation, $"{description}: '{parts[0]}' could not be started: {ex.Message}", commandLine, ex);
        }

        if (process.HasExited)
        {
            exited.TrySetResult(true);
        }

        var stdout = new CappedReader(process.StandardOutput.BaseStream, MaxOutputBytes, drain: false);
        var stderr = new CappedReader(process.StandardError.BaseStream, MaxErrorBytes, drain: true);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(context.ProcessTimeout);
        var stopped = Task.Delay(Timeout.Infinite, bound.Token);
        try
        {
            // The answer is complete when the process has exited and its output is closed; a child that keeps the
            // output open after the process exited gets a short grace, then what was printed is taken as the answer.
            var first = await Task.WhenAny(Task.WhenAll(exited.Task, stdout.Completion), exited.Task, stdout.Overflowed, stopped).ConfigureAwait(false);
            if (first == exited.Task && !stdout.Completion.IsCompleted)
            {
                first = await Task.WhenAny(stdout.Completion, stdout.Overflowed, Task.Delay(s_exitGrace, CancellationToken.None), stopped).ConfigureAwait(false);
            }

            if (first == stdout.Overflowed || stdout.Overflowed.IsCompleted)
            {
                ProcessTree.Kill(process);
                throw new AwsClientException(ErrorIds.CredentialProcessOutputTooLarge, PolicyErrorKind.LimitsExceeded,
                    $"{description}: the credential_process printed more than {MaxOutputBytes / 1024} KB; its answer is a few hundred bytes of JSON. It was stopped.", commandLine);
            }

            if (first == stopped || !exited.Task.IsCompleted)
            {
                ProcessTree.Kill(process);
                cancellationToken.ThrowIfCancellationRequested();
                throw new AwsClientException(ErrorIds.CredentialProcessFailed, PolicyErrorKind.OperationTimeout,
                    $"{description}: the credential_process did not finish within {context.ProcessTimeout.TotalSeconds:0} s and was stopped with the processes it started.", commandLine);
            }
        }
        finally
        {
            bound.Cancel();
        }

        await Task.WhenAny(stderr.Completion, Task.Delay(s_exitGrace, CancellationToken.None)).ConfigureAwait(false);
        var output = Encoding.UTF8.GetString(stdout.Snapshot());
        if (process.ExitCode != 0)
        {
            var error = Mask(Encoding.UTF8.GetString(stderr.Snapshot()));
            var detail = error.Length == 0 ? string.Empty : ": " + error;
            throw new AwsClientException(ErrorIds.CredentialProcessFailed, PolicyErrorKind.InvalidOperation, $"{description}: the credential_process exited with code {process.ExitCode}{detail}", commandLine);
        }

        var json = JsonResponse.Parse(output, ErrorIds.CredentialProcessFailed, commandLine, $"{description}: the credential_process output");
        if (json.Json["Version"] is not JValue { Type: JTokenType.Integer, Value: 1L })
        {
            var version = json.Json["Version"]?.ToString(Newtonsoft.Json.Formatting.None) ?? "none";
            throw new AwsClientException(ErrorIds.CredentialProcessFailed, PolicyErrorKind.InvalidData, $"{description}: the credential_process printed Version {ServerText.Clean(version, 40)}; only Version 1 (the number) is understood.", commandLine);
        }

        var accessKey = json.String("AccessKeyId");
        var secret = json.String("SecretAccessKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
        {
            throw new AwsClientException(ErrorIds.CredentialProcessFailed, PolicyErrorKind.InvalidData, $"{description}: the credential_process output lacks AccessKeyId or SecretAccessKey.", commandLine);
        }

        return new AwsCredentials(accessKey!, secret!, json.String("SessionToken"), json.Date("Expiration"), description);
    }

    /// <summary>What a credential_process wrote to standard error, fit to show: likely secrets masked, control characters removed, at most 500 characters.</summary>
    public static string Mask(string text)
    {
        foreach (var pattern in s_secrets)
        {
            text = pattern.Replace(text, m => m.Groups.Count > 1 && m.Groups[1].Success ? m.Groups[1].Value + "****" : "****");
        }

        return ServerText.Clean(text, 500);
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
        argument.Length > 0 && argument.IndexOfAny(s_quoteWhenAny) < 0 ? argument : "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    // Reads a stream to its end into memory, at most a bound; beyond it either stops (output) or drops the rest (errors).
    [SuppressMessage("Reliability", "CA1001", Justification = "A MemoryStream holds no unmanaged resource, and its bytes are read after the process ends.")]
    private sealed class CappedReader
    {
        private readonly MemoryStream _buffer = new();
        private readonly TaskCompletionSource<bool> _overflowed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CappedReader(Stream stream, int limit, bool drain)
        {
            Completion = Task.Run(() => ReadAsync(stream, limit, drain));
        }

        public Task Completion { get; }

        public Task Overflowed => _overflowed.Task;

        public byte[] Snapshot()
        {
            lock (_buffer)
            {
                return _buffer.ToArray();
            }
        }

        private async Task ReadAsync(Stream stream, int limit, bool drain)
        {
            var chunk = new byte[8192];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk, 0, chunk.Length).ConfigureAwait(false)) > 0)
                {
                    lock (_buffer)
                    {
                        var room = (int)Math.Max(0, limit - _buffer.Length);
                        _buffer.Write(chunk, 0, Math.Min(room, read));
                        if (read > room && !drain)
                        {
                            _overflowed.TrySetResult(true);
                            return;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The pipe went away with the process.
            }
        }
    }
}
