using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>moto_server on 127.0.0.1 and a free port, started once per test class and stopped after; bounded start-up.</summary>
public sealed class MotoServer : IDisposable
{
    private readonly Process? _process;

    public MotoServer()
    {
        var exe = Find();
        if (exe is null)
        {
            return;
        }

        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _process = Process.Start(new ProcessStartInfo(exe, $"-H 127.0.0.1 -p {port}") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true });
        _process!.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Url = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (http.GetAsync(Url + "/moto-api/").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (System.Threading.Tasks.TaskCanceledException)
            {
            }

            Thread.Sleep(200);
        }

        Dispose();
        throw new TimeoutException("moto_server did not answer within 30 s.");
    }

    public string Url { get; } = string.Empty;

    /// <summary>The moto_server executable on PATH, or null (the tests that need it are then skipped).</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, OperatingSystem.IsWindows() ? "moto_server.exe" : "moto_server"))
            .FirstOrDefault(File.Exists);

    public void Reset()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.PostAsync(Url + "/moto-api/reset", null).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process?.Dispose();
    }
}

/// <summary>A fact that needs moto_server; skipped with a notice when it is not installed.</summary>
public sealed class MotoFactAttribute : FactAttribute
{
    public MotoFactAttribute()
    {
        if (MotoServer.Find() is null)
        {
            Skip = "moto_server is not on PATH (the machine image's Python provides it); the moto peer tests are skipped.";
        }
    }
}
