using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace PtcTools.Aws.Tests;

/// <summary>A request as the fake saw it.</summary>
public sealed record SeenRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>What the fake answers.</summary>
public sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Drop = false, TimeSpan? Delay = null)
{
    /// <summary>Send the body without Content-Length, ended by closing the connection (so its size is only known by reading it).</summary>
    public bool Unsized { get; init; }

    /// <summary>Raw body bytes instead of <see cref="Body"/> (for bytes that are not UTF-8).</summary>
    public byte[]? RawBody { get; init; }

    public static FakeResponse Json(string body, int status = 200) => new(status, body, new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1" });

    public static FakeResponse Error(int status, string type, string message) =>
        new(status, $"{{\"__type\":\"{type}\",\"message\":\"{message}\"}}", new Dictionary<string, string> { ["Content-Type"] = "application/x-amz-json-1.1", ["x-amzn-RequestId"] = "req-" + type });

    /// <summary>Close the connection without an answer (a transport error).</summary>
    public static FakeResponse Dropped() => new(0, string.Empty, Drop: true);
}

/// <summary>A loopback HTTP server on 127.0.0.1 and a free port, answering with a handler; every request is recorded.</summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<SeenRequest, FakeResponse> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackServer(Func<SeenRequest, FakeResponse> handler)
    {
        _handler = handler;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(); // Dispose stops the listener, which ends the wait (portable to net472)
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => Serve(client));
        }
    }

    // A minimal HTTP/1.1 server: one request per connection, Content-Length bodies only.
    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var headerBytes = new List<byte>();
            var buffer = new byte[1];
            while (!EndsWithBlankLine(headerBytes))
            {
                if (await stream.ReadAsync(buffer, 0, 1, _stop.Token) == 0)
                {
                    return;
                }

                headerBytes.Add(buffer[0]);
            }

            var lines = Encoding.ASCII.GetString(headerBytes.ToArray()).Split(new[] { "\r\n" }, StringSplitOptions.RemoveEmptyEntries);
            var first = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':');
                var name = line.Substring(0, colon).Trim();
                var value = line.Substring(colon + 1).Trim();
                headers[name] = headers.TryGetValue(name, out var existing) ? existing + "," + value : value;
            }

            var length = headers.TryGetValue("Content-Length", out var l) ? int.Parse(l) : 0;
            var body = new byte[length];
            var read = 0;
            while (read < length)
            {
                var n = await stream.ReadAsync(body, read, length - read, _stop.Token);
                if (n == 0)
                {
                    return;
                }

                read += n;
            }

            var target = first[1];
            var q = target.IndexOf('?');
            var seen = new SeenRequest(first[0], q < 0 ? target : target.Substring(0, q), q < 0 ? string.Empty : target.Substring(q + 1), headers, Encoding.UTF8.GetString(body));
            Requests.Enqueue(seen);
            var response = _handler(seen);
            if (response.Delay is { } delay)
            {
                await Task.Delay(delay, _stop.Token);
            }

            if (response.Drop)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                return;
            }

            var payload = response.RawBody ?? Encoding.UTF8.GetBytes(response.Body);
            var head = new StringBuilder($"HTTP/1.1 {response.Status} X\r\n{(response.Unsized ? string.Empty : $"Content-Length: {payload.Length}\r\n")}Connection: close\r\n");
            foreach (var h in response.Headers ?? new Dictionary<string, string>())
            {
                head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
            }

            head.Append("\r\n");
            var headBytes = Encoding.ASCII.GetBytes(head.ToString());
            await stream.WriteAsync(headBytes, 0, headBytes.Length, _stop.Token);
            await stream.WriteAsync(payload, 0, payload.Length, _stop.Token);
            await stream.FlushAsync(_stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[bytes.Count - 4] == '\r' && bytes[bytes.Count - 3] == '\n' && bytes[bytes.Count - 2] == '\r' && bytes[bytes.Count - 1] == '\n';
}
