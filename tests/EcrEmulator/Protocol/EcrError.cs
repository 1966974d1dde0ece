using System;

namespace EcrEmulator.Protocol;

/// <summary>An error the emulator answers with: the wire <c>__type</c>, the HTTP status and the message.</summary>
public sealed class EcrError : Exception
{
    // Coral-level errors (auth, protocol, throttling) carry a namespace as AWS sends them;
    // modelled ECR errors are bare names. Clients must sanitize both (ECR-FACTS section 2).
    private const string CoralService = "com.amazon.coral.service#";

    /// <summary>Creates an error.</summary>
    public EcrError(string type, int status, string message)
        : base(message)
    {
        Type = type;
        Status = status;
    }

    /// <summary>The value of <c>__type</c> on the wire, possibly namespaced.</summary>
    public string Type { get; }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The sanitized error code: the part after '#' and before ':'.</summary>
    public string Code => Sanitize(Type);

    /// <summary>Sanitizes a wire error type the way the JSON protocols define it.</summary>
    public static string Sanitize(string type)
    {
        var colon = type.IndexOf(':');
        if (colon >= 0)
        {
            type = type.Substring(0, colon);
        }
        var hash = type.IndexOf('#');
        return hash >= 0 ? type.Substring(hash + 1) : type;
    }

    /// <summary>A modelled InvalidParameterException.</summary>
    public static EcrError InvalidParameter(string message) => new("InvalidParameterException", 400, message);

    /// <summary>A model-constraint failure, worded as AWS's request validation words it.</summary>
    public static EcrError Validation(string message) => new("ValidationException", 400, message);

    /// <summary>The body is not JSON, or a member has the wrong JSON type.</summary>
    public static EcrError Serialization(string message) => new(CoralService + "SerializationException", 400, message);

    /// <summary>The X-Amz-Target names no operation the emulator speaks.</summary>
    public static EcrError UnknownOperation(string? message = null) => new(CoralService + "UnknownOperationException", 400, message ?? "Unknown operation");

    /// <summary>No Authorization header or presigned query.</summary>
    public static EcrError MissingAuthenticationToken() => new(CoralService + "MissingAuthenticationTokenException", 400, "Missing Authentication Token");

    /// <summary>The access key or session token is not known.</summary>
    public static EcrError UnrecognizedClient() => new(CoralService + "UnrecognizedClientException", 400, "The security token included in the request is invalid.");

    /// <summary>The signature, its scope or its date is wrong.</summary>
    public static EcrError InvalidSignature(string message) => new(CoralService + "InvalidSignatureException", 400, message);

    /// <summary>An injected throttle.</summary>
    public static EcrError Throttling() => new("com.amazon.coral.availability#ThrottlingException", 400, "Rate exceeded");

    /// <summary>An injected or unexpected server fault.</summary>
    public static EcrError Server(string message = "An internal error occurred in the emulator (injected fault).") => new("ServerException", 500, message);
}
