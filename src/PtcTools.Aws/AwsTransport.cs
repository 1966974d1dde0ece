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
    // SslProtocols.Tls13 (12288) is not in netstandard2.0's enum.
    private const SslProtocols Tls13 = (SslProtocols)12288;

    // SecurityProtocolType.SystemDefault (0, .NET Framework 4.7+) is not in netstandard2.0's enum either.
    private const SecurityProtocolType SystemDefault = 0;
    private static readonly Lazy<AwsTransport> s_shared = new(() =>
    {
        var handler = CreateHandler(out var note);
        return new AwsTransport(handler) { TlsNote = note };
    });

    private readonly HttpClient _client;

    /// <summary>Creates a transport over a handler (tests may pass their own).</summary>
    public AwsTransport(HttpMessageHandler handler)
    {
        // Timeouts are per request (see SendAsync); the client-wide one would also cut off cancellation.
        _client = new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>What creating this transport did about TLS that a user may want to know (a verbose line), or null.</summary>
    public string? TlsNote { get; private set; }

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
            ? SslProtocols.Tls12 | Tls13
            : SslProtocols.None;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static HttpMessageHandler CreateHandler(out string? tlsNote)
    {
        var handler = new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            AllowAutoRedirect = false,
        };
        tlsNote = null;
        var protocols = ProtocolsFor(RuntimeInformation.FrameworkDescription);
        if (protocols != SslProtocols.None)
        {
            tlsNote = RequireTls12(
                p => handler.SslProtocols = p,
                () => ServicePointManager.SecurityProtocol,
                p => ServicePointManager.SecurityProtocol = p);
        }

        return handler;
    }

    /// <summary>
    /// Makes this transport's connections use TLS 1.2 or newer on .NET Framework, touching the process-wide
    /// <see cref="ServicePointManager.SecurityProtocol"/> only when nothing else reaches TLS 1.2; returns what
    /// it did (for a verbose line), or null when the handler took the pin alone.
    /// </summary>
    /// <remarks>
    /// The handler's own SslProtocols is tried first (TLS 1.2 and 1.3, then 1.2 alone: builds that do not
    /// know 1.3 refuse the pair). When the handler cannot pin at all, the process setting decides:
    /// SystemDefault lets the operating system choose (TLS 1.2 where the system allows it, as Microsoft's TLS
    /// guidance for the .NET Framework recommends) and is left alone, since setting it would pin every
    /// other module in the process too; a list that already holds TLS 1.2 or 1.3 is left alone; only a list
    /// without either (Windows PowerShell 5.1's "Ssl3, Tls" on a machine without SchUseStrongCrypto) gets
    /// TLS 1.2 added, keeping what it had.
    /// </remarks>
    internal static string? RequireTls12(Action<SslProtocols> pinHandler, Func<SecurityProtocolType> readProcess, Action<SecurityProtocolType> writeProcess)
    {
        foreach (var protocols in new[] { SslProtocols.Tls12 | Tls13, SslProtocols.Tls12 })
        {
            try
            {
                pinHandler(protocols);
                return protocols == SslProtocols.Tls12
                    ? "TLS: this .NET Framework does not know TLS 1.3; AWS connections of PtcTools require TLS 1.2 (the process-wide setting is unchanged)."
                    : null;
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or NotSupportedException or ArgumentException)
            {
                // Try the next, narrower pin; then the process setting.
            }
        }

        var current = readProcess();
        if (ProcessProtocolsToSet(current) is not { } wanted)
        {
            return $"TLS: the HTTP handler cannot pin a protocol here; the process-wide ServicePointManager.SecurityProtocol ({current}) already allows TLS 1.2 and is unchanged.";
        }

        writeProcess(wanted);
        return $"TLS: the HTTP handler cannot pin a protocol here and ServicePointManager.SecurityProtocol was '{current}', which cannot reach TLS 1.2; PtcTools changed it to '{wanted}' for this process (other modules in this session see it too).";
    }

    /// <summary>The process-wide protocols to set so TLS 1.2 is reachable, or null to leave <paramref name="current"/> as it is.</summary>
    public static SecurityProtocolType? ProcessProtocolsToSet(SecurityProtocolType current)
    {
        const SecurityProtocolType tls12OrNewer = SecurityProtocolType.Tls12 | (SecurityProtocolType)Tls13;
        if (current == SystemDefault || (current & tls12OrNewer) != 0)
        {
            return null; // the operating system chooses, or TLS 1.2 or 1.3 is already allowed
        }

        return current | SecurityProtocolType.Tls12;
    }
}
