using System;
using System.Collections.Generic;
using PtcTools.Policy;

namespace PtcTools.Aws.Ecr;

/// <summary>An error ECR (or the way to it) returned, with PtcTools' stable error id.</summary>
public sealed class EcrException : PolicyException
{
    /// <summary>Creates the exception.</summary>
    public EcrException(string errorId, PolicyErrorKind kind, string message, string? awsCode, int statusCode, string? requestId, bool indeterminate, object? target = null, Exception? inner = null)
        : base(errorId, kind, message, target, inner)
    {
        AwsCode = awsCode;
        StatusCode = statusCode;
        RequestId = requestId;
        Indeterminate = indeterminate;
    }

    /// <summary>The sanitized <c>__type</c> of the AWS error, e.g. <c>RegistryPolicyNotFoundException</c>; null for transport failures.</summary>
    public string? AwsCode { get; }

    /// <summary>The HTTP status, or 0 when no response came.</summary>
    public int StatusCode { get; }

    /// <summary>The AWS request id, for support cases.</summary>
    public string? RequestId { get; }

    /// <summary>True when a write may or may not have happened (no answer, a timeout, a 5xx).</summary>
    public bool Indeterminate { get; }
}

/// <summary>The documented mapping from ECR's modelled errors to PtcTools error ids.</summary>
public static class EcrErrors
{
    /// <summary>Each modelled AWS error code with its PtcTools id and kind.</summary>
    public static IReadOnlyDictionary<string, (string ErrorId, PolicyErrorKind Kind)> Map { get; } = new Dictionary<string, (string, PolicyErrorKind)>(StringComparer.Ordinal)
    {
        ["RegistryPolicyNotFoundException"] = ("RegistryPolicyNotFound", PolicyErrorKind.ObjectNotFound),
        ["InvalidParameterException"] = ("EcrInvalidParameter", PolicyErrorKind.InvalidArgument),
        ["ValidationException"] = ("EcrValidationFailed", PolicyErrorKind.InvalidArgument),
        ["ServerException"] = ("EcrServerError", PolicyErrorKind.ConnectionError),
        ["PullThroughCacheRuleNotFoundException"] = ("PullThroughCacheRuleNotFound", PolicyErrorKind.ObjectNotFound),
        ["PullThroughCacheRuleAlreadyExistsException"] = ("PullThroughCacheRuleExists", PolicyErrorKind.ResourceExists),
        ["UnsupportedUpstreamRegistryException"] = ("UnsupportedUpstreamRegistry", PolicyErrorKind.InvalidArgument),
        ["LimitExceededException"] = ("EcrLimitExceeded", PolicyErrorKind.LimitsExceeded),
        ["SecretNotFoundException"] = ("UpstreamSecretNotFound", PolicyErrorKind.ObjectNotFound),
        ["UnableToAccessSecretException"] = ("UpstreamSecretAccessDenied", PolicyErrorKind.PermissionDenied),
        ["UnableToDecryptSecretValueException"] = ("UpstreamSecretDecryptFailed", PolicyErrorKind.PermissionDenied),
        ["AccessDeniedException"] = ("EcrAccessDenied", PolicyErrorKind.PermissionDenied),
        ["UnrecognizedClientException"] = ("AwsCredentialsRejected", PolicyErrorKind.PermissionDenied),
        ["InvalidSignatureException"] = ("AwsCredentialsRejected", PolicyErrorKind.PermissionDenied),
        ["IncompleteSignature"] = ("AwsCredentialsRejected", PolicyErrorKind.PermissionDenied),
        ["MissingAuthenticationToken"] = ("AwsCredentialsRejected", PolicyErrorKind.PermissionDenied),
        ["ExpiredTokenException"] = ("AwsCredentialsExpired", PolicyErrorKind.PermissionDenied),
        ["InvalidClientTokenId"] = ("AwsCredentialsRejected", PolicyErrorKind.PermissionDenied),
    };

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

    /// <summary>Takes the part before the first ':' and after the first '#', as the JSON protocols require.</summary>
    public static string Sanitize(string code)
    {
        var colon = code.IndexOf(':');
        if (colon >= 0)
        {
            code = code.Substring(0, colon);
        }

        var hash = code.IndexOf('#');
        return (hash >= 0 ? code.Substring(hash + 1) : code).Trim();
    }

    /// <summary>The exception for an error response.</summary>
    public static EcrException FromResponse(string operation, string code, string? message, int status, string? requestId)
    {
        var (errorId, kind) = Map.TryGetValue(code, out var mapped) ? mapped
            : Throttling.Contains(code) || status == 429 ? ("EcrThrottled", PolicyErrorKind.LimitsExceeded)
            : status >= 500 ? ("EcrServerError", PolicyErrorKind.ConnectionError)
            : ("EcrRequestFailed", PolicyErrorKind.InvalidOperation);
        var text = $"ECR {operation} failed: {code}: {(string.IsNullOrEmpty(message) ? "(no message)" : message)} (HTTP {status}{(requestId is null ? string.Empty : ", request id " + requestId)}).";
        return new EcrException(errorId, kind, text, code, status, requestId, indeterminate: status >= 500);
    }
}
