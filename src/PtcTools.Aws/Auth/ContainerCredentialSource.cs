using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>The ECS (and EKS Pod Identity) container credentials endpoint.</summary>
public sealed class ContainerCredentialSource : ICredentialSource
{
    /// <summary>The link-local host of the ECS credentials endpoint.</summary>
    public const string EcsHost = "http://169.254.170.2";

    /// <inheritdoc />
    public string Name => "ECS container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI)";

    /// <inheritdoc />
    public async Task<CredentialAttempt> ResolveAsync(CredentialContext context, CancellationToken cancellationToken)
    {
        var env = context.Environment;
        Uri uri;
        if (env.Get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") is { } relative)
        {
            uri = new Uri(EcsHost + (relative.StartsWith("/", StringComparison.Ordinal) ? relative : "/" + relative));
        }
        else if (env.Get("AWS_CONTAINER_CREDENTIALS_FULL_URI") is { } full)
        {
            if (!Uri.TryCreate(full, UriKind.Absolute, out uri!) || !IsAllowed(uri))
            {
                throw new AwsClientException(ErrorIds.ContainerCredentialsFailed, PolicyErrorKind.InvalidArgument,
                    $"AWS_CONTAINER_CREDENTIALS_FULL_URI '{full}' must be https, or http to a loopback or the ECS/EKS link-local address.", full);
            }
        }
        else
        {
            return CredentialAttempt.NotFound("not set");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, uri);

        // The ECS and EKS endpoints are link-local plain http by design; IsAllowed admits nothing else unencrypted
        // (a relative URI such as "@host/x" would otherwise move the request to another host).
        if (IsAllowed(uri))
        {
            AwsTransport.PermitUnencrypted(request);
        }
        var token = env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") is { } tokenFile ? File.ReadAllText(tokenFile).Trim() : env.Get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        context.Log($"Credentials: asking the container endpoint {uri.GetLeftPart(UriPartial.Path)}.");
        string body;
        try
        {
            using var response = await context.Transport.SendAsync(request, context.EndpointTimeout, cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new AwsClientException(ErrorIds.ContainerCredentialsFailed, PolicyErrorKind.PermissionDenied, $"The container credentials endpoint answered HTTP {(int)response.StatusCode}.", uri.GetLeftPart(UriPartial.Path));
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException)
        {
            throw new AwsClientException(ErrorIds.ContainerCredentialsFailed, PolicyErrorKind.ConnectionError, $"The container credentials endpoint {uri.GetLeftPart(UriPartial.Path)} could not be reached: {ServerText.Clean(ex.Message)}", uri.GetLeftPart(UriPartial.Path), ex);
        }

        var json = JsonResponse.Parse(body, ErrorIds.ContainerCredentialsFailed, uri.GetLeftPart(UriPartial.Path));
        var accessKey = json.String("AccessKeyId");
        var secret = json.String("SecretAccessKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
        {
            throw new AwsClientException(ErrorIds.ContainerCredentialsFailed, PolicyErrorKind.InvalidData, "The container credentials endpoint's answer lacks AccessKeyId or SecretAccessKey.", uri.GetLeftPart(UriPartial.Path));
        }

        return CredentialAttempt.Found(new AwsCredentials(accessKey!, secret!, json.String("Token"), json.Date("Expiration"), "ECS container credentials"));
    }

    private static bool IsAllowed(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps ||
        (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || uri.Host is "169.254.170.2" or "169.254.170.23" or "[fd00:ec2::23]"));
}
