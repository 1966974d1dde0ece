using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Signing;
using PtcTools.Policy;

namespace PtcTools.Aws;

/// <summary>How a client reaches one AWS service: the Region, the credentials, an endpoint override, timeouts, retries and where notes go.</summary>
public class AwsClientOptions
{
    /// <summary>Creates options for a Region and credentials.</summary>
    public AwsClientOptions(string region, AwsCredentials credentials)
    {
        Region = AwsEndpoints.CheckRegion(region);
        Credentials = credentials;
    }

    /// <summary>The Region (the SigV4 signing Region of a regional service).</summary>
    public string Region { get; }

    /// <summary>The credentials to sign with.</summary>
    public AwsCredentials Credentials { get; }

    /// <summary>An endpoint override (-EndpointUrl, AWS_ENDPOINT_URL_*), or null for the partition's endpoint.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries and backoff.</summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>The transport.</summary>
    public AwsTransport Transport { get; set; } = AwsTransport.Shared;

    /// <summary>Where progress notes go (operation, attempt, status; never secrets or policy text).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The clock, replaceable in tests.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Allow plain http to a host that is not loopback (the user's -AllowUnencryptedHttp); otherwise such an endpoint is refused before anything is sent.</summary>
    public bool AllowUnencryptedHttp { get; set; }
}

/// <summary>An error an AWS service (or the way to it) returned, with PtcTools' stable error id: not a policy error, so not a <see cref="PolicyException"/>.</summary>
public class AwsServiceException : PtcToolsException
{
    /// <summary>Creates the exception.</summary>
    public AwsServiceException(string errorId, PolicyErrorKind kind, string message, string? awsCode, int statusCode, string? requestId, bool indeterminate, object? target = null, Exception? inner = null, Remedy remedy = Remedy.None)
        : base(errorId, kind, message, target, inner, remedy)
    {
        AwsCode = awsCode;
        StatusCode = statusCode;
        RequestId = requestId;
        Indeterminate = indeterminate;
    }

    /// <summary>The sanitized AWS error code, e.g. <c>NoSuchEntity</c>; null for transport failures.</summary>
    public string? AwsCode { get; }

    /// <summary>The HTTP status, or 0 when no response came.</summary>
    public int StatusCode { get; }

    /// <summary>The AWS request id, for support cases.</summary>
    public string? RequestId { get; }

    /// <summary>True when a write may or may not have happened (no answer, a timeout, a 5xx).</summary>
    public bool Indeterminate { get; }
}

/// <summary>What differs between the services on the one wire path: names, how an error answer reads, and which ids its errors get.</summary>
internal sealed class AwsServiceDescription
{
    public AwsServiceDescription(
        string label,
        string signingName,
        ServiceErrorIds errorIds,
        IReadOnlyDictionary<string, (string ErrorId, PolicyErrorKind Kind)> errors,
        Func<int, string, HttpResponseHeaders, (string Code, string? Message)> readError,
        Func<string, PolicyErrorKind, string, string?, int, string?, bool, object?, Exception?, AwsServiceException> create)
    {
        Label = label;
        SigningName = signingName;
        Ids = errorIds;
        Errors = errors;
        ReadError = readError;
        Create = create;
    }

    /// <summary>How messages name the service: ECR, IAM, Secrets Manager.</summary>
    public string Label { get; }

    /// <summary>The SigV4 service name.</summary>
    public string SigningName { get; }

    /// <summary>The ids of the errors no mapping names: EcrThrottled, IamTimeout, SecretsManagerRequestFailed.</summary>
    public ServiceErrorIds Ids { get; }

    /// <summary>The modelled error codes with their PtcTools ids.</summary>
    public IReadOnlyDictionary<string, (string ErrorId, PolicyErrorKind Kind)> Errors { get; }

    /// <summary>Reads the error code and message from an error answer.</summary>
    public Func<int, string, HttpResponseHeaders, (string Code, string? Message)> ReadError { get; }

    /// <summary>Makes the service's exception type.</summary>
    public Func<string, PolicyErrorKind, string, string?, int, string?, bool, object?, Exception?, AwsServiceException> Create { get; }

    /// <summary>The exception for an error answer: the mapped id, else throttling, server error or a request failure.</summary>
    public AwsServiceException FromResponse(string operation, string code, string? message, int status, string? requestId)
    {
        var (errorId, kind) = Errors.TryGetValue(code, out var mapped) ? mapped
            : AwsErrorCodes.Throttling.Contains(code) || status == 429 ? (Ids.Throttled, PolicyErrorKind.LimitsExceeded)
            : status >= 500 ? (Ids.ServerError, PolicyErrorKind.ConnectionError)
            : (Ids.RequestFailed, PolicyErrorKind.InvalidOperation);
        // The server's words reach a terminal: no control characters, and not 20 MB of them.
        var said = ServerText.Clean(message);
        var text = $"{Label} {operation} failed: {code}: {(said.Length == 0 ? "(no message)" : said)} (HTTP {status}{(string.IsNullOrEmpty(requestId) ? string.Empty : ", request id " + requestId)}).";
        return Create(errorId, kind, text, code, status, requestId, status >= 500, null, null);
    }
}

/// <summary>The ids of one service's errors that its error table does not name (throttling, server errors, timeouts, ...), from <see cref="ErrorIds"/>.</summary>
public sealed class ServiceErrorIds
{
    private ServiceErrorIds(string throttled, string serverError, string requestFailed, string timeout, string connectionFailed, string responseInvalid, string pageLimitExceeded)
    {
        Throttled = throttled;
        ServerError = serverError;
        RequestFailed = requestFailed;
        Timeout = timeout;
        ConnectionFailed = connectionFailed;
        ResponseInvalid = responseInvalid;
        PageLimitExceeded = pageLimitExceeded;
    }

    /// <summary>ECR's.</summary>
    public static ServiceErrorIds Ecr { get; } = new(ErrorIds.EcrThrottled, ErrorIds.EcrServerError, ErrorIds.EcrRequestFailed, ErrorIds.EcrTimeout, ErrorIds.EcrConnectionFailed, ErrorIds.EcrResponseInvalid, ErrorIds.EcrPageLimitExceeded);

    /// <summary>IAM's.</summary>
    public static ServiceErrorIds Iam { get; } = new(ErrorIds.IamThrottled, ErrorIds.IamServerError, ErrorIds.IamRequestFailed, ErrorIds.IamTimeout, ErrorIds.IamConnectionFailed, ErrorIds.IamResponseInvalid, ErrorIds.IamPageLimitExceeded);

    /// <summary>Secrets Manager's.</summary>
    public static ServiceErrorIds SecretsManager { get; } = new(ErrorIds.SecretsManagerThrottled, ErrorIds.SecretsManagerServerError, ErrorIds.SecretsManagerRequestFailed, ErrorIds.SecretsManagerTimeout, ErrorIds.SecretsManagerConnectionFailed, ErrorIds.SecretsManagerResponseInvalid, ErrorIds.SecretsManagerPageLimitExceeded);

    /// <summary>STS's.</summary>
    public static ServiceErrorIds Sts { get; } = new(ErrorIds.StsThrottled, ErrorIds.StsServerError, ErrorIds.StsRequestFailed, ErrorIds.StsTimeout, ErrorIds.StsConnectionFailed, ErrorIds.StsResponseInvalid, ErrorIds.StsPageLimitExceeded);

    /// <summary>Throttling or HTTP 429 after the retries.</summary>
    public string Throttled { get; }

    /// <summary>HTTP 5xx after the retries.</summary>
    public string ServerError { get; }

    /// <summary>Any other error code.</summary>
    public string RequestFailed { get; }

    /// <summary>No answer in time.</summary>
    public string Timeout { get; }

    /// <summary>The connection failed.</summary>
    public string ConnectionFailed { get; }

    /// <summary>A malformed answer.</summary>
    public string ResponseInvalid { get; }

    /// <summary>A listing whose pages do not end.</summary>
    public string PageLimitExceeded { get; }
}

/// <summary>The error codes every AWS service uses the same way.</summary>
public static class AwsErrorCodes
{
    /// <summary>Error codes that mean "slow down": retried with backoff.</summary>
    public static ISet<string> Throttling { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
        "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    /// <summary>Error codes that are transient server-side: retried.</summary>
    public static ISet<string> Transient { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable", "ServerException",
    };

    /// <summary>The codes of rejected or expired credentials, the same for every service.</summary>
    public static IReadOnlyDictionary<string, (string ErrorId, PolicyErrorKind Kind)> Credentials { get; } = new Dictionary<string, (string, PolicyErrorKind)>(StringComparer.Ordinal)
    {
        ["UnrecognizedClientException"] = (ErrorIds.AwsCredentialsRejected, PolicyErrorKind.PermissionDenied),
        ["InvalidSignatureException"] = (ErrorIds.AwsCredentialsRejected, PolicyErrorKind.PermissionDenied),
        ["SignatureDoesNotMatch"] = (ErrorIds.AwsCredentialsRejected, PolicyErrorKind.PermissionDenied),
        ["IncompleteSignature"] = (ErrorIds.AwsCredentialsRejected, PolicyErrorKind.PermissionDenied),
        ["MissingAuthenticationToken"] = (ErrorIds.AwsCredentialsRejected, PolicyErrorKind.PermissionDenied),
        ["InvalidClientTokenId"] = (ErrorIds.AwsCredentialsRejected, PolicyErrorKind.PermissionDenied),
        ["ExpiredTokenException"] = (ErrorIds.AwsCredentialsExpired, PolicyErrorKind.PermissionDenied),
        ["ExpiredToken"] = (ErrorIds.AwsCredentialsExpired, PolicyErrorKind.PermissionDenied),
    };

    /// <summary>A service's own codes followed by the shared credential codes.</summary>
    internal static IReadOnlyDictionary<string, (string ErrorId, PolicyErrorKind Kind)> With(IDictionary<string, (string ErrorId, PolicyErrorKind Kind)> own)
    {
        var all = new Dictionary<string, (string, PolicyErrorKind)>(own, StringComparer.Ordinal);
        foreach (var pair in Credentials)
        {
            if (!all.ContainsKey(pair.Key))
            {
                all[pair.Key] = pair.Value;
            }
        }

        return all;
    }
}

/// <summary>An answer with a 2xx status: the body as text and the request id.</summary>
internal sealed class AwsServiceResponse
{
    public AwsServiceResponse(int status, string text, string? requestId)
    {
        Status = status;
        Text = text;
        RequestId = requestId;
    }

    public int Status { get; }

    public string Text { get; }

    public string? RequestId { get; }
}

/// <summary>The one wire path of every PtcTools client: SigV4 signing, the shared transport, bounded retries with backoff and jitter, typed errors.</summary>
/// <remarks>
/// What comes back is bounded and cleaned here for every service: the transport caps the body, the text must be UTF-8,
/// error codes and messages lose their control characters. A call whose outcome is unknown (no answer, a timeout,
/// HTTP 5xx, an answer that cannot be read) is sent again only when the caller says it may be: a write is not.
/// </remarks>
internal sealed class AwsServiceClient
{
    /// <summary>The most pages a listing follows: 1,000 pages of up to 1,000 items is far beyond any account's quotas.</summary>
    public const int MaxPages = 1000;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly AwsClientOptions _options;
    private readonly AwsServiceDescription _service;
    private readonly string _signingRegion;

    public AwsServiceClient(AwsClientOptions options, AwsServiceDescription service, Uri endpoint, string signingRegion)
    {
        _options = options;
        _service = service;
        Endpoint = endpoint;
        _signingRegion = signingRegion;
    }

    /// <summary>The endpoint in use.</summary>
    public Uri Endpoint { get; }

    /// <summary>The service's description (label, error ids).</summary>
    public AwsServiceDescription Service => _service;

    /// <summary>Sends one operation with retries; returns the 2xx answer.</summary>
    /// <exception cref="AwsServiceException">The service refused, or the retries ran out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<AwsServiceResponse> CallAsync(string operation, byte[] body, string contentType, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        CallAsync(operation, body, contentType, headers, resendUnknownOutcome: true, cancellationToken);

    /// <summary>Sends one operation; throttling is always retried, a call whose outcome is unknown only when <paramref name="resendUnknownOutcome"/>.</summary>
    /// <remarks>A write must not be resent blindly: it may have landed, and another writer may have written since.</remarks>
    public async Task<AwsServiceResponse> CallAsync(string operation, byte[] body, string contentType, IReadOnlyList<KeyValuePair<string, string>> headers, bool resendUnknownOutcome, CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AwsServiceException failure;
            try
            {
                return await SendOnceAsync(operation, body, contentType, headers, cancellationToken).ConfigureAwait(false);
            }
            catch (AwsServiceException ex) when (IsRetryable(ex))
            {
                failure = ex;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or TimeoutException)
            {
                var timeout = ex is TimeoutException;
                failure = _service.Create(timeout ? _service.Ids.Timeout : _service.Ids.ConnectionFailed, timeout ? PolicyErrorKind.OperationTimeout : PolicyErrorKind.ConnectionError,
                    $"{_service.Label} {operation} at {Endpoint} failed: {ServerText.Clean(Describe(ex))}", null, 0, null, true, Endpoint.ToString(), ex);
            }

            // Throttling means "not done"; anything else may have been applied and is the caller's to check.
            if (!resendUnknownOutcome && failure.Indeterminate)
            {
                throw failure;
            }

            if (attempt >= retry.MaxAttempts)
            {
                throw _service.Create(failure.ErrorId, failure.Kind, $"{failure.Message} Gave up after {attempt} attempts.", failure.AwsCode, failure.StatusCode, failure.RequestId, failure.Indeterminate, failure.Target, failure.InnerException ?? failure);
            }

            var delay = retry.Delay(attempt);
            Log($"{_service.Label} {operation}: attempt {attempt} of {retry.MaxAttempts} failed ({failure.AwsCode ?? failure.ErrorId}); retrying in {delay.TotalMilliseconds:0} ms.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An exception of the service's type for an answer the protocol cannot read (<c>EcrResponseInvalid</c>, <c>IamResponseInvalid</c>, ...); a write it answered may have landed.</summary>
    public AwsServiceException Unreadable(string operation, int status, string? requestId, string what) =>
        _service.Create(_service.Ids.ResponseInvalid, PolicyErrorKind.InvalidData, $"{_service.Label} {operation} answered HTTP {status} with {what}.", null, status, requestId, true, Endpoint.ToString(), null);

    /// <summary>A reader of a 2xx answer's fields by type: a field of another type is <see cref="Unreadable"/>, never a cast exception.</summary>
    public JsonAnswer Answer(string operation) => new(reason => Unreadable(operation, 200, null, $"a malformed body: {reason}"));

    /// <summary>An exception of the service's type for a listing whose pages do not end (<c>EcrPageLimitExceeded</c>, ...).</summary>
    public AwsServiceException TooManyPages(string operation, string what) =>
        _service.Create(_service.Ids.PageLimitExceeded, PolicyErrorKind.LimitsExceeded, $"{_service.Label} {operation} {what}, so the listing was stopped.", null, 200, null, false, Endpoint.ToString(), null);

    private static bool IsRetryable(AwsServiceException ex) =>
        ex.StatusCode == 429 || ex.StatusCode >= 500 || (ex.AwsCode is { } code && (AwsErrorCodes.Throttling.Contains(code) || AwsErrorCodes.Transient.Contains(code)));

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return message;
    }

    private async Task<AwsServiceResponse> SendOnceAsync(string operation, byte[] body, string contentType, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var host = Endpoint.IsDefaultPort ? Endpoint.Host : Endpoint.Authority;
        var signedHeaders = new List<KeyValuePair<string, string>> { new("Content-Type", contentType) };
        signedHeaders.AddRange(headers);
        var signed = SigV4Signer.Sign(new SignableRequest("POST", host, Endpoint.AbsolutePath, null, signedHeaders, body), _options.Credentials, _signingRegion, _service.SigningName, _options.Clock());

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach (var header in headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.AmzDate);
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
        request.Headers.TryAddWithoutValidation("User-Agent", "PtcTools/" + typeof(AwsServiceClient).Assembly.GetName().Version);
        if (signed.SecurityToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", signed.SecurityToken);
        }

        if (_options.AllowUnencryptedHttp)
        {
            AwsTransport.PermitUnencrypted(request);
        }

        Log($"{_service.Label} {operation} -> {Endpoint} ({_signingRegion}).");
        HttpResponseMessage response;
        try
        {
            response = await _options.Transport.SendAsync(request, _options.AttemptTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsClientException ex) when (ex.ErrorId == ErrorIds.AwsResponseTooLarge)
        {
            // The call may have been served (a write landed); only its answer is refused.
            throw _service.Create(ex.ErrorId, ex.Kind, $"{_service.Label} {operation}: {ex.Message}", null, 0, null, true, ex.Target, ex);
        }

        using var _ = response;
        var status = (int)response.StatusCode;
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ServerText.Clean(ids.FirstOrDefault(), 100) : null;
        Log($"{_service.Label} {operation} <- HTTP {status}{(string.IsNullOrEmpty(requestId) ? string.Empty : " request id " + requestId)}.");
        var bytes = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        var success = status is >= 200 and < 300;
        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            text = success ? throw Unreadable(operation, status, requestId, "a body that is not valid UTF-8") : string.Empty;
        }

        if (success)
        {
            return new AwsServiceResponse(status, text, requestId);
        }

        var (code, message) = _service.ReadError(status, text, response.Headers);
        throw _service.FromResponse(operation, ServerText.Clean(code, 200), message, status, requestId);
    }

    private void Log(string message) => _options.Log?.Invoke(message);
}
