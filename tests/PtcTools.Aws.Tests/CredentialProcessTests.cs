using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Policy;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>Issue 18, items 5, 6 and 8: a credential_process is bounded in time and size whatever its children do, and its stderr is shown masked.</summary>
public sealed class CredentialProcessTests : IDisposable
{
    private const string Answer = "{\"Version\": 1, \"AccessKeyId\": \"AKIAPROCESSEXAMPLE01\", \"SecretAccessKey\": \"process-secret\"}";
    private readonly FakeHome _home = new();

    public void Dispose() => _home.Dispose();

    // A POSIX shell script as the profile's credential_process; CI runs on Linux.
    private string Script(string body)
    {
        var script = Path.Combine(_home.Root, "creds-" + Guid.NewGuid().ToString("N").Substring(0, 6) + ".sh");
        File.WriteAllText(script, "#!/bin/sh\n" + body + "\n");
        TargetPlatform.MakeExecutable(script);

        _home.Config($"[profile tool]\ncredential_process = {script}\n");
        return script;
    }

    private Task<AwsCredentials> Resolve(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var context = _home.Context();
        context.ProcessTimeout = timeout ?? TimeSpan.FromSeconds(20);
        return new CredentialChain(new[] { new ProfileCredentialSource("tool") }).ResolveAsync(context, cancellationToken);
    }

    [Fact]
    public async Task A_child_that_keeps_stdout_open_after_the_process_exits_does_not_hold_up_the_answer()
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        Script($"echo '{Answer}'\nsleep 30 &\nexit 0");
        var watch = Stopwatch.StartNew();

        var found = await Resolve();

        Assert.Equal("AKIAPROCESSEXAMPLE01", found.AccessKeyId);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task The_timeout_stops_the_process_and_the_processes_it_started()
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        var pidFile = Path.Combine(_home.Root, "child.pid");
        Script($"sleep 60 &\necho $! > '{pidFile}'\nwait");
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => Resolve(TimeSpan.FromMilliseconds(800)));

        Assert.Equal("CredentialProcessFailed", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.OperationTimeout, ex.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        var child = int.Parse(File.ReadAllText(pidFile).Trim());
        Assert.True(Gone(child), $"the child {child} still runs");
    }

    [Fact]
    public async Task Cancelling_stops_a_process_whose_child_holds_stdout_open()
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        Script("sleep 60 &\nsleep 60");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Resolve(TimeSpan.FromSeconds(60), cancel.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Output_over_the_bound_is_refused_and_the_process_stopped()
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        Script("head -c 3000000 /dev/zero | tr '\\0' 'a'\nsleep 60");
        var watch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => Resolve());

        Assert.Equal("CredentialProcessOutputTooLarge", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.LimitsExceeded, ex.Kind);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Stderr_is_shown_with_likely_secrets_masked()
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        Script("echo 'login failed for AKIAIOSFODNN7EXAMPLE' >&2\n" +
               "echo 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' >&2\n" +
               "echo '{\"SessionToken\":\"FwoGZXIvYXdzEBYaDHfake/token+value==\"}' >&2\n" +
               "echo 'password=hunter2 and then \\033[31mred\\033[0m' >&2\nexit 2");

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => Resolve());

        Assert.Equal("CredentialProcessFailed", ex.ErrorId);
        Assert.Contains("code 2", ex.Message);
        Assert.Contains("login failed for", ex.Message);
        foreach (var secret in new[] { "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI", "FwoGZXIvYXdzEBYaDHfake", "hunter2" })
        {
            Assert.DoesNotContain(secret, ex.Message);
        }

        Assert.Contains("aws_secret_access_key = ****", ex.Message);
        Assert.DoesNotContain('\u001b', ex.Message);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("\"abc\"")]
    [InlineData("1.5")]
    [InlineData("1e300")]
    [InlineData("{}")]
    [InlineData("2")]
    public async Task A_Version_that_is_not_the_number_1_is_a_named_error(string version)
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        Script($"echo '{{\"Version\": {version}, \"AccessKeyId\": \"AKIAPROCESSEXAMPLE01\", \"SecretAccessKey\": \"s\"}}'");

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => Resolve());

        Assert.Equal("CredentialProcessFailed", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidData, ex.Kind);
        Assert.Contains("only Version 1", ex.Message);
    }

    [Theory]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": {\"a\":1}, \"SecretAccessKey\": \"s\"}", "'AccessKeyId' is an object")]
    [InlineData("{\"Version\": 1, \"AccessKeyId\": \"AKIAX\", \"SecretAccessKey\": \"s\", \"Expiration\": 1e300}", "'Expiration' is 1E+300")]
    [InlineData("[1]", "not a JSON object")]
    public async Task Malformed_output_is_a_named_error(string output, string reason)
    {
        if (TargetPlatform.IsWindows)
        {
            return;
        }

        Script($"echo '{output}'");

        var ex = await Assert.ThrowsAsync<AwsClientException>(() => Resolve());

        Assert.Equal("CredentialProcessFailed", ex.ErrorId);
        Assert.Contains(reason, ex.Message);
    }

    private static bool Gone(int pid)
    {
        // Killed processes are reaped by init; allow it a moment.
        for (var i = 0; i < 50; i++)
        {
            if (!Directory.Exists($"/proc/{pid}") || File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] == "Z")
            {
                return true;
            }

            Thread.Sleep(100);
        }

        return false;
    }
}
