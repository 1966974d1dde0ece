using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>EC2 instance metadata (IMDSv2 only: a session token first, then the role's credentials).</summary>
public sealed class InstanceMetadataCredentialSource : ICredentialSource
{
    /// <summary>The default IMDS endpoint.</summary>
    public const string DefaultEndpoint = "http://169.254.169.254";

    /// <inheritdoc />
    public string Name => "EC2 instance metadata (IMDSv2)";

    /// <inheritdoc />
    public async Task<CredentialAttempt> ResolveAsync(CredentialContext context, CancellationToken cancellationToken)
    {
        if (string.Equals(context.Environment.Get("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return CredentialAttempt.NotFound("disabled by AWS_EC2_METADATA_DISABLED");
        }

        var client = new InstanceMetadataClient(context);
        var token = await client.TokenAsync(cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return CredentialAttempt.NotFound($"{client.Endpoint} did not answer (not on EC2)");
        }

        var roles = await client.GetAsync("latest/meta-data/iam/security-credentials/", token, cancellationToken).ConfigureAwait(false);
        var role = roles?.Split('\n')[0].Trim();
        if (string.IsNullOrEmpty(role))
        {
            return CredentialAttempt.NotFound("the instance has no IAM role");
        }

        var body = await client.GetAsync("latest/meta-data/iam/security-credentials/" + Uri.EscapeDataString(role), token, cancellationToken).ConfigureAwait(false)
            ?? throw new AwsClientException(ErrorIds.InstanceMetadataCredentialsFailed, PolicyErrorKind.ConnectionError, $"The instance metadata service gave no credentials for role '{role}'.", role);
        var json = JsonResponse.Parse(body, ErrorIds.InstanceMetadataCredentialsFailed, role);
        var accessKey = json.String("AccessKeyId");
        var secret = json.String("SecretAccessKey");
        var code = json.String("Code");
        if (code is not null && code != "Success" || string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
        {
            throw new AwsClientException(ErrorIds.InstanceMetadataCredentialsFailed, PolicyErrorKind.PermissionDenied, $"The instance metadata service refused credentials for role '{role}' (Code {ServerText.Clean(code, 100)}).", role);
        }

        return CredentialAttempt.Found(new AwsCredentials(accessKey!, secret!, json.String("Token"), json.Date("Expiration"), $"EC2 instance metadata (role {role})"));
    }
}

/// <summary>A small IMDSv2 client: PUT for a session token, GET with it; short timeouts since off EC2 nothing answers.</summary>
public sealed class InstanceMetadataClient
{
    private readonly CredentialContext _context;

    /// <summary>Creates the client; <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> overrides the endpoint.</summary>
    public InstanceMetadataClient(CredentialContext context)
    {
        _context = context;
        var endpoint = context.Environment.Get("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? InstanceMetadataCredentialSource.DefaultEndpoint;
        Endpoint = new Uri(endpoint.EndsWith("/", StringComparison.Ordinal) ? endpoint : endpoint + "/");
    }

    /// <summary>The endpoint.</summary>
    public Uri Endpoint { get; }

    // IMDS is plain http on a link-local address by design (it never leaves the host); another http host is not.
    private void PermitLinkLocal(HttpRequestMessage request)
    {
        if (Endpoint.Host is "169.254.169.254" or "[fd00:ec2::254]")
        {
            AwsTransport.PermitUnencrypted(request);
        }
    }

    /// <summary>A session token, or null when the service does not answer.</summary>
    public async Task<string?> TokenAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Endpoint, "latest/api/token"));
        PermitLinkLocal(request);
        request.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token-ttl-seconds", "21600");
        try
        {
            using var response = await _context.Transport.SendAsync(request, _context.MetadataTimeout, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadAsStringAsync().ConfigureAwait(false)).Trim() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException)
        {
            return null;
        }
    }

    /// <summary>A metadata path's text, or null when it is not there.</summary>
    public async Task<string?> GetAsync(string path, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, path));
        PermitLinkLocal(request);
        request.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        try
        {
            using var response = await _context.Transport.SendAsync(request, _context.MetadataTimeout, cancellationToken).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync().ConfigureAwait(false) : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException)
        {
            throw new AwsClientException(ErrorIds.InstanceMetadataCredentialsFailed, PolicyErrorKind.ConnectionError, $"The instance metadata service stopped answering: {ex.Message}", path, ex);
        }
    }
}
