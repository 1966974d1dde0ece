using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Protocols;
using PtcTools.Policy;

namespace PtcTools.Aws.SecretsManager;

/// <summary>A secret's metadata as DescribeSecret returns it; never its value.</summary>
public sealed class SecretDescription
{
    /// <summary>Creates the description.</summary>
    public SecretDescription(string arn, string name, string? kmsKeyId, DateTimeOffset? deletedDate, string? primaryRegion)
    {
        Arn = arn;
        Name = name;
        KmsKeyId = kmsKeyId;
        DeletedDate = deletedDate;
        PrimaryRegion = primaryRegion;
    }

    /// <summary>The secret's ARN.</summary>
    public string Arn { get; }

    /// <summary>The secret's name.</summary>
    public string Name { get; }

    /// <summary>The customer managed KMS key, or null for the AWS managed key aws/secretsmanager.</summary>
    public string? KmsKeyId { get; }

    /// <summary>When the secret is scheduled to be deleted, or null.</summary>
    public DateTimeOffset? DeletedDate { get; }

    /// <summary>The Region the secret is in, when the answer says.</summary>
    public string? PrimaryRegion { get; }
}

/// <summary>Secrets Manager's DescribeSecret over JSON 1.1 with SigV4: metadata only. PtcTools never asks for a secret's value.</summary>
public sealed class SecretsManagerClient
{
    /// <summary>The JSON 1.1 target prefix of Secrets Manager.</summary>
    public const string TargetPrefix = "secretsmanager";

    private static readonly AwsServiceDescription s_service = new(
        "Secrets Manager",
        "secretsmanager",
        ServiceErrorIds.SecretsManager,
        AwsErrorCodes.With(new Dictionary<string, (string, PolicyErrorKind)>(StringComparer.Ordinal)
        {
            ["ResourceNotFoundException"] = (ErrorIds.SecretNotFound, PolicyErrorKind.ObjectNotFound),
            ["AccessDeniedException"] = (ErrorIds.SecretsManagerAccessDenied, PolicyErrorKind.PermissionDenied),
            ["AccessDenied"] = (ErrorIds.SecretsManagerAccessDenied, PolicyErrorKind.PermissionDenied),
            ["InvalidParameterException"] = (ErrorIds.SecretsManagerInvalidParameter, PolicyErrorKind.InvalidArgument),
            ["InvalidRequestException"] = (ErrorIds.SecretsManagerInvalidRequest, PolicyErrorKind.InvalidOperation),
            ["InternalServiceError"] = (ErrorIds.SecretsManagerServerError, PolicyErrorKind.ConnectionError),
        }),
        JsonProtocol.ReadError,
        (id, kind, message, code, status, requestId, indeterminate, target, inner) => new AwsServiceException(id, kind, message, code, status, requestId, indeterminate, target, inner));

    private readonly AwsServiceClient _client;

    /// <summary>Creates a client for a Region.</summary>
    public SecretsManagerClient(AwsClientOptions options)
    {
        _client = new AwsServiceClient(options, s_service, AwsEndpoints.SecretsManager(options.Region, options.EndpointUrl), options.Region);
    }

    /// <summary>The endpoint in use.</summary>
    public Uri Endpoint => _client.Endpoint;

    /// <summary>DescribeSecret: the secret's name, ARN, KMS key and deletion date.</summary>
    /// <exception cref="AwsServiceException"><c>SecretNotFound</c>, <c>SecretsManagerAccessDenied</c>, throttling after retries, transport failures.</exception>
    public async Task<SecretDescription> DescribeSecretAsync(string secretId, CancellationToken cancellationToken)
    {
        var json = await JsonProtocol.CallAsync(_client, TargetPrefix, "DescribeSecret", new JObject { ["SecretId"] = secretId }, cancellationToken).ConfigureAwait(false);
        var answer = _client.Answer("DescribeSecret");
        return new SecretDescription(
            answer.String(json, "ARN") ?? secretId,
            answer.String(json, "Name") ?? string.Empty,
            answer.String(json, "KmsKeyId"),
            answer.Timestamp(json, "DeletedDate"),
            answer.String(json, "PrimaryRegion"));
    }
}
