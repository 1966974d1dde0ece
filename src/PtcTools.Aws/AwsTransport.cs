using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

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

    /// <summary>The default bound on a response body: far above any answer PtcTools reads, far below what would exhaust memory.</summary>
    public const int DefaultMaxResponseBytes = 16 * 1024 * 1024;

    private const string UnencryptedPermitKey = "PtcTools.UnencryptedHttpPermitted";

    /// <summary>The most bytes a response body may have (after decompression); a longer one is <c>AwsResponseTooLarge</c>.</summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Marks a request as allowed to go over plain http to a host that is not loopback (a user's explicit switch, or a link-local metadata endpoint).</summary>
    public static void PermitUnencrypted(HttpRequestMessage request) => request.Properties[UnencryptedPermitKey] = true;

    /// <summary>True when a URL is plain http to a host other than loopback, where a request and its answer cross a network unencrypted.</summary>
    public static bool IsUnencryptedRemote(Uri uri) => string.Equals(uri.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) && !uri.IsLoopback;

    /// <summary>Sends a request; the response is buffered, at most <see cref="MaxResponseBytes"/>. A timeout throws <see cref="TimeoutException"/>, a user cancellation <see cref="OperationCanceledException"/>.</summary>
    /// <exception cref="AwsClientException"><c>AwsEndpointNotEncrypted</c> (nothing was sent) or <c>AwsResponseTooLarge</c>.</exception>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri ?? throw new ArgumentException("The request has no URL.", nameof(request));
        if (IsUnencryptedRemote(uri) && !(request.Properties.TryGetValue(UnencryptedPermitKey, out var permitted) && permitted is true))
        {
            var authority = uri.GetLeftPart(UriPartial.Authority);
            throw new AwsClientException(ErrorIds.AwsEndpointNotEncrypted, PolicyErrorKind.InvalidArgument,
                $"{authority} is plain http to a host that is not loopback: the signed request and the answer (policies, temporary credentials) would cross the network unencrypted. Nothing was sent. " +
                "Use an https endpoint or a loopback address (127.0.0.1, ::1, localhost), or allow unencrypted http to send anyway.", authority, remedy: Remedy.AllowUnencryptedHttp);
        }

        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            await BufferAsync(response, uri, linked.Token).ConfigureAwait(false);
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeoutSource.IsCancellationRequested)
        {
            response?.Dispose();
            throw new TimeoutException($"No response from {uri.GetLeftPart(UriPartial.Authority)} within {timeout.TotalSeconds:0.#} s.");
        }
        catch
        {
            response?.Dispose();
            throw;
        }
    }

    // Reads the body into memory, refusing more than the bound before it is all in memory.
    private async Task BufferAsync(HttpResponseMessage response, Uri uri, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content is null)
        {
            return;
        }

        var limit = MaxResponseBytes;
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw TooLarge(uri, declared.ToString("N0", CultureInfo.InvariantCulture) + " bytes", limit);
        }

        using var stream = await content.ReadAsStreamAsync().ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw TooLarge(uri, "more than " + limit.ToString("N0", CultureInfo.InvariantCulture) + " bytes", limit);
            }

            buffer.Write(chunk, 0, read);
        }

        var buffered = new ByteArrayContent(buffer.ToArray());
        foreach (var header in content.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content = buffered;
        content.Dispose();
    }

    private static AwsClientException TooLarge(Uri uri, string size, int limit) =>
        new(ErrorIds.AwsResponseTooLarge, PolicyErrorKind.LimitsExceeded,
            $"{uri.GetLeftPart(UriPartial.Authority)} answered with {size}; PtcTools reads at most {limit.ToString("N0", CultureInfo.InvariantCulture)} bytes, far more than any answer it expects. The answer was not read.",
            uri.GetLeftPart(UriPartial.Authority));

    /// <summary>The TLS versions to require on a runtime: .NET Framework defaults may still allow TLS 1.0, so it gets TLS 1.2 (and 1.3 where known) explicitly.</summary>
    [SuppressMessage("Security", "CA5397", Justification = "The .NET Framework may still default to TLS 1.0; the fixed set applies there only, and None (the OS's choice) everywhere else.")]
    public static SslProtocols ProtocolsFor(string frameworkDescription) =>
        frameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase)
            ? SslProtocols.Tls12 | Tls13
            : SslProtocols.None;

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private static HttpClientHandler CreateHandler(out string? tlsNote)
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
