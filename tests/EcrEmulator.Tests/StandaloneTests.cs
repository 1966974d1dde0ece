using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace EcrEmulator.Tests;

public class StandaloneTests
{
    private static readonly string s_dll = Path.Combine(AppContext.BaseDirectory, "EcrEmulator.dll");

    [Fact]
    public async Task It_prints_its_URL_first_serves_calls_and_stops_when_stdin_closes()
    {
        using var process = Launch("--port", "0", "--account", "444455556666", "--region", "eu-west-1");
        try
        {
            var url = await FirstLineUrlAsync(process);
            using var emulatorState = await EcrCall.Http.GetAsync(new Uri(url, "__emulator/state"));
            using var state = JsonDocument.Parse(await emulatorState.Content.ReadAsStringAsync());

            process.StandardInput.Close();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal("127.0.0.1", url.Host);
            Assert.NotEqual(0, url.Port);
            Assert.Equal("444455556666", state.RootElement.GetProperty("accountId").GetString());
            Assert.Equal("eu-west-1", state.RootElement.GetProperty("region").GetString());
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task It_stops_by_itself_after_the_exit_after_bound()
    {
        using var process = Launch("--port", "0", "--exit-after", "1", "--ignore-stdin");
        try
        {
            await FirstLineUrlAsync(process);
            var watch = Stopwatch.StartNew();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(0, process.ExitCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
            Assert.Contains("--exit-after", await process.StandardError.ReadToEndAsync(), StringComparison.Ordinal);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task It_stops_cleanly_on_SIGTERM()
    {
        using var process = Launch("--port", "0", "--ignore-stdin", "--exit-after", "60");
        try
        {
            await FirstLineUrlAsync(process);
            var kill = await ChildProcess.RunAsync("kill", new[] { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, timeout: TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(0, kill.ExitCode);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            KillIfRunning(process);
        }
    }

    [Fact]
    public async Task It_starts_from_a_seed_file()
    {
        var seed = Path.Combine(Path.GetTempPath(), $"ecr-seed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(seed, JsonSerializer.Serialize(new
        {
            policyText = RegistryPolicyTests.PtcPolicy,
            pullThroughCacheRules = new[] { new { ecrRepositoryPrefix = "ecr-public", upstreamRegistryUrl = "ecr-public.upstream.example" } },
        }));
        using var process = Launch("--port", "0", "--seed", seed, "--exit-after", "60");
        try
        {
            var url = await FirstLineUrlAsync(process);
            using var response = await EcrCall.Http.GetAsync(new Uri(url, "__emulator/state"));
            using var state = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

            Assert.Equal(RegistryPolicyTests.PtcPolicy, state.RootElement.GetProperty("policyText").GetString());
            Assert.Equal("ecr-public", state.RootElement.GetProperty("pullThroughCacheRules")[0].GetProperty("upstreamRegistry").GetString());
        }
        finally
        {
            KillIfRunning(process);
            File.Delete(seed);
        }
    }

    [Theory]
    [InlineData("--port abc", "--port needs a port number from 0 to 65535, not 'abc'")]
    [InlineData("--bogus", "Unknown argument '--bogus'")]
    [InlineData("--seed /nonexistent/seed.json", "does not exist")]
    [InlineData("--account 12345", "12 digits")]
    [InlineData("--exit-after 0", "positive")]
    [InlineData("--port", "needs a value")]
    public async Task Bad_arguments_exit_with_2_and_say_why(string arguments, string message)
    {
        var result = await ChildProcess.RunAsync(ChildProcess.DotNet, new[] { s_dll }.AsEnumerable().Concat(arguments.Split(' ')), timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Usage: EcrEmulator", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("Listening on", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_already_taken_exits_with_1_and_says_so()
    {
        using var holder = EcrCall.Start();
        var port = holder.Endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await ChildProcess.RunAsync(ChildProcess.DotNet, new[] { s_dll, "--port", port }, timeout: TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"could not listen on 127.0.0.1:{port}", result.StandardError, StringComparison.Ordinal);
    }

    private static Process Launch(params string[] arguments)
    {
        var info = new ProcessStartInfo(ChildProcess.DotNet)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(s_dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("Could not start the emulator.");
    }

    private static async Task<Uri> FirstLineUrlAsync(Process process)
    {
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(line);
        Assert.StartsWith("Listening on http://127.0.0.1:", line, StringComparison.Ordinal);
        return new Uri(line!.Substring("Listening on ".Length));
    }

    private static void KillIfRunning(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }
}
