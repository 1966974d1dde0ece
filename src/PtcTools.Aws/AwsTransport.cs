using System;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;

namespace PtcTools.Aws;

/// <summary>The one HTTP client every PtcTools call to AWS goes through: TLS 1.2 or newer, no proxy surprises, per-request timeouts.</summary>
public sealed class AwsTransport : IDisposable
{
    private static readonly Lazy<AwsTransport> s_shared = new(() => new AwsTransport(CreateHandler()));
    private readonly HttpClient _client;

    /// <summary>Creates a transport over a handler (tests may pass their own).</summary>
    public AwsTransport(HttpMessageHandler handler)
    {
        // Timeouts are per request (see SendAsync); the client-wide one would also cut off cancellation.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The process-wide transport.</summary>
    public static AwsTransport Shared => s_shared.Value;

    /// <summary>Sends a request; the response is buffered. A timeout throws <see cref="TimeoutException"/>, a user cancellation <see cref="OperationCanceledException"/>.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token).ConfigureAwait(false);
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeoutSource.IsCancellationRequested)
        {
            throw new TimeoutException($"No response from {request.RequestUri?.GetLeftPart(UriPartial.Authority)} within {timeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>The TLS versions to require on a runtime: .NET Framework defaults may still allow TLS 1.0, so it gets TLS 1.2 (and 1.3 where known) explicitly.</summary>
    public static SslProtocols ProtocolsFor(string frameworkDescription) =>
        frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase)
            ? SslProtocols.Tls12 | (SslProtocols)12288
            : SslProtocols.None;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static HttpMessageHandler CreateHandler()
    {
        var handler = new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            AllowAutoRedirect = false,
        };
        var protocols = ProtocolsFor(RuntimeInformation.FrameworkDescription);
        if (protocols != SslProtocols.None)
        {
            try
            {
                handler.SslProtocols = protocols;
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or NotSupportedException or ArgumentException)
            {
                // Older .NET Framework builds: fall back to the process-wide switch, adding TLS 1.2 without removing what others need.
                ServicePointManager.SecurityProtocol |= SecurityProtocolType.Tls12;
            }
        }

        return handler;
    }
}
