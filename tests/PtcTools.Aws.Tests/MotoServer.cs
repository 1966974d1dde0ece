using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using PtcTools.Testing;
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
            .Select(d => Path.Combine(d, TargetPlatform.IsWindows ? "moto_server.exe" : "moto_server"))
            .FirstOrDefault(File.Exists);

    /// <summary>Sets moto up with a Query action (IAM), unsigned: moto routes by the service in the Authorization scope and checks no signature until <see cref="EnforceSignatures"/>.</summary>
    public string Query(string service, string action, params (string Key, string Value)[] parameters)
    {
        var form = string.Join("&", new[] { ("Action", action), ("Version", service == "sts" ? "2011-06-15" : "2010-05-08") }.Concat(parameters)
            .Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2)));
        return Send(service, new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), null);
    }

    /// <summary>Sets moto up with a JSON 1.1 operation (Secrets Manager), unsigned.</summary>
    public string Json(string service, string target, string body)
    {
        var content = new StringContent(body, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.1");
        return Send(service, content, target);
    }

    /// <summary>From the next request on, moto checks each request's signature against the access keys its IAM holds, and its IAM policies (moto's /moto-api/reset-auth).</summary>
    public void EnforceSignatures() => PostControl("/moto-api/reset-auth", "0");

    /// <summary>Back to moto's default: no authentication.</summary>
    public void RelaxSignatures() => PostControl("/moto-api/reset-auth", "inf");

    private string Send(string service, HttpContent content, string? target)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Post, Url + "/") { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", $"AWS4-HMAC-SHA256 Credential=AKIAMOTOSETUP/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=00");
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        using var response = http.SendAsync(request).GetAwaiter().GetResult();
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"moto refused the setup call {target ?? service}: HTTP {(int)response.StatusCode} {text}");
        }

        return text;
    }

    private void PostControl(string path, string body)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.PostAsync(Url + path, new StringContent(body)).GetAwaiter().GetResult().EnsureSuccessStatusCode();
    }

    public void Reset()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.PostAsync(Url + "/moto-api/reset", null).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            TargetPlatform.KillTree(_process);
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
