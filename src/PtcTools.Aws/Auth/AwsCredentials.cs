using System;

namespace PtcTools.Aws.Auth;

/// <summary>An access key pair with an optional session token, and where it came from.</summary>
/// <remarks>ToString never shows the secret or the token, so the object is safe in logs and error messages.</remarks>
public sealed class AwsCredentials
{
    /// <summary>Creates credentials.</summary>
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, DateTimeOffset? expiration = null, string source = "explicit")
    {
        if (string.IsNullOrWhiteSpace(accessKeyId))
        {
            throw new ArgumentException("The access key id is empty.", nameof(accessKeyId));
        }

        if (string.IsNullOrWhiteSpace(secretAccessKey))
        {
            throw new ArgumentException("The secret access key is empty.", nameof(secretAccessKey));
        }

        AccessKeyId = accessKeyId.Trim();
        SecretAccessKey = secretAccessKey.Trim();
        SessionToken = string.IsNullOrWhiteSpace(sessionToken) ? null : sessionToken!.Trim();
        Expiration = expiration;
        Source = source;
    }

    /// <summary>The access key id (not secret).</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials, or null.</summary>
    public string? SessionToken { get; }

    /// <summary>When temporary credentials expire, when known.</summary>
    public DateTimeOffset? Expiration { get; }

    /// <summary>Which source of the chain gave them, e.g. "profile 'dev' (role_arn)".</summary>
    public string Source { get; }

    /// <summary>The access key id with its middle masked, e.g. <c>AKIA…MPLE</c>.</summary>
    public string MaskedAccessKeyId => Mask(AccessKeyId);

    /// <summary>True when they expire within the given margin.</summary>
    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => Expiration is { } e && e - now <= margin;

    /// <summary>A description without secrets.</summary>
    public override string ToString() => $"{MaskedAccessKeyId} from {Source}";

    /// <summary>Masks all but the first and last four characters.</summary>
    public static string Mask(string value) => value.Length <= 8 ? new string('*', value.Length) : value.Substring(0, 4) + "…" + value.Substring(value.Length - 4);
}
