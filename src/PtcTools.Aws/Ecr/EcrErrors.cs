using System;
using System.Collections.Generic;
using PtcTools.Policy;

namespace PtcTools.Aws.Ecr;

/// <summary>An error ECR (or the way to it) returned, with PtcTools' stable error id.</summary>
public sealed class EcrException : AwsServiceException
{
    /// <summary>Creates the exception.</summary>
    public EcrException(string errorId, PolicyErrorKind kind, string message, string? awsCode, int statusCode, string? requestId, bool indeterminate, object? target = null, Exception? inner = null)
        : base(errorId, kind, message, awsCode, statusCode, requestId, indeterminate, target, inner)
    {
    }
}

/// <summary>The documented mapping from ECR's modelled errors to PtcTools error ids.</summary>
public static class EcrErrors
{
    /// <summary>Each modelled AWS error code with its PtcTools id and kind (the credential codes are shared by every service).</summary>
    public static IReadOnlyDictionary<string, (string ErrorId, PolicyErrorKind Kind)> Map { get; } = AwsErrorCodes.With(new Dictionary<string, (string, PolicyErrorKind)>(StringComparer.Ordinal)
    {
        ["RegistryPolicyNotFoundException"] = (ErrorIds.RegistryPolicyNotFound, PolicyErrorKind.ObjectNotFound),
        ["InvalidParameterException"] = (ErrorIds.EcrInvalidParameter, PolicyErrorKind.InvalidArgument),
        ["ValidationException"] = (ErrorIds.EcrValidationFailed, PolicyErrorKind.InvalidArgument),
        ["ServerException"] = (ErrorIds.EcrServerError, PolicyErrorKind.ConnectionError),
        ["PullThroughCacheRuleNotFoundException"] = (ErrorIds.PullThroughCacheRuleNotFound, PolicyErrorKind.ObjectNotFound),
        ["PullThroughCacheRuleAlreadyExistsException"] = (ErrorIds.PullThroughCacheRuleExists, PolicyErrorKind.ResourceExists),
        ["UnsupportedUpstreamRegistryException"] = (ErrorIds.UnsupportedUpstreamRegistry, PolicyErrorKind.InvalidArgument),
        ["LimitExceededException"] = (ErrorIds.EcrLimitExceeded, PolicyErrorKind.LimitsExceeded),
        ["SecretNotFoundException"] = (ErrorIds.UpstreamSecretNotFound, PolicyErrorKind.ObjectNotFound),
        ["UnableToAccessSecretException"] = (ErrorIds.UpstreamSecretAccessDenied, PolicyErrorKind.PermissionDenied),
        ["UnableToDecryptSecretValueException"] = (ErrorIds.UpstreamSecretDecryptFailed, PolicyErrorKind.PermissionDenied),
        ["TemplateAlreadyExistsException"] = (ErrorIds.RepositoryCreationTemplateExists, PolicyErrorKind.ResourceExists),
        ["AccessDeniedException"] = (ErrorIds.EcrAccessDenied, PolicyErrorKind.PermissionDenied),
    });

    /// <summary>Error codes that mean "slow down": retried with backoff.</summary>
    public static ISet<string> Throttling => AwsErrorCodes.Throttling;

    /// <summary>Error codes that are transient server-side: retried.</summary>
    public static ISet<string> Transient => AwsErrorCodes.Transient;
}
