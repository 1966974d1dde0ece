using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json.Linq;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>A profile of the shared config and credentials files: static keys, role_arn via STS, credential_process or SSO.</summary>
public sealed class ProfileCredentialSource : ICredentialSource
{
    private const int MaxRoleChain = 8;
    private readonly string? _profileName;
    private readonly string? _credentialsFile;

    /// <summary>Creates the source. A null profile name means AWS_PROFILE or "default", and a missing profile is then not an error.</summary>
    public ProfileCredentialSource(string? profileName, string? credentialsFile = null)
    {
        _profileName = profileName;
        _credentialsFile = credentialsFile;
    }

    /// <inheritdoc />
    public string Name => _profileName is null ? "shared config and credentials files (AWS_PROFILE or default)" : $"profile '{_profileName}'";

    /// <inheritdoc />
    public async Task<CredentialAttempt> ResolveAsync(CredentialContext context, CancellationToken cancellationToken)
    {
        var env = context.Environment;
        var explicitName = _profileName is not null;
        var name = _profileName ?? env.Get("AWS_PROFILE") ?? env.Get("AWS_DEFAULT_PROFILE") ?? "default";
        explicitName |= name != "default";
        var files = SharedConfigFile.Load(env.ConfigFile, env.ExpandHome(_credentialsFile) ?? env.CredentialsFile);
        if (files.Profile(name) is null)
        {
            if (explicitName)
            {
                throw new AwsClientException(ErrorIds.AwsProfileNotFound, PolicyErrorKind.ObjectNotFound,
                    $"The profile '{name}' is in neither {files.CredentialsPath} nor {files.ConfigPath}.", name, remedy: Remedy.CheckCredentials);
            }

            return CredentialAttempt.NotFound($"no profile '{name}' in {files.CredentialsPath} or {files.ConfigPath}");
        }

        var found = await ResolveProfileAsync(context, files, name, new List<string>(), cancellationToken).ConfigureAwait(false);
        if (found is null)
        {
            if (explicitName)
            {
                throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData,
                    $"The profile '{name}' has no credentials: it needs aws_access_key_id and aws_secret_access_key, role_arn with source_profile or credential_source, credential_process, or sso settings.", name);
            }

            return CredentialAttempt.NotFound($"profile '{name}' has no credential settings");
        }

        return CredentialAttempt.Found(found);
    }

    /// <summary>The Region a profile names, or null.</summary>
    public static string? RegionOf(AwsEnvironment environment, string? profileName, string? credentialsFile = null)
    {
        var name = profileName ?? environment.Get("AWS_PROFILE") ?? environment.Get("AWS_DEFAULT_PROFILE") ?? "default";
        var files = SharedConfigFile.Load(environment.ConfigFile, environment.ExpandHome(credentialsFile) ?? environment.CredentialsFile);
        return files.Profile(name) is { } p && p.TryGetValue("region", out var region) && region.Length > 0 ? region : null;
    }

    private static async Task<AwsCredentials?> ResolveProfileAsync(CredentialContext context, SharedConfigFile files, string name, List<string> chain, CancellationToken ct)
    {
        var profile = files.Profile(name) ?? throw new AwsClientException(ErrorIds.AwsProfileNotFound, PolicyErrorKind.ObjectNotFound,
            $"The profile '{name}' named by source_profile of '{chain[chain.Count - 1]}' does not exist.", name);
        string? Get(string key) => profile.TryGetValue(key, out var v) && v.Length > 0 ? v : null;

        var staticKeys = Get("aws_access_key_id") is { } ak && Get("aws_secret_access_key") is { } sk
            ? new AwsCredentials(ak, sk, Get("aws_session_token"), null, $"profile '{name}' (static keys)")
            : null;

        if (Get("role_arn") is { } roleArn)
        {
            // A source_profile that names itself uses its own static keys (the AWS CLI's rule).
            if (chain.Contains(name) || chain.Count >= MaxRoleChain)
            {
                if (staticKeys is not null && chain.Count > 0 && chain[chain.Count - 1] == name)
                {
                    return staticKeys;
                }

                throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData,
                    $"The profiles form a loop or a chain deeper than {MaxRoleChain}: {string.Join(" -> ", chain)} -> {name}.", name);
            }

            chain.Add(name);
            AwsCredentials? source;
            if (Get("source_profile") is { } sourceProfile)
            {
                source = await ResolveProfileAsync(context, files, sourceProfile, chain, ct).ConfigureAwait(false)
                    ?? throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData, $"The source_profile '{sourceProfile}' of profile '{name}' has no credentials.", name);
            }
            else if (Get("credential_source") is { } credentialSource)
            {
                ICredentialSource inner = credentialSource switch
                {
                    "Environment" => new EnvironmentCredentialSource(),
                    "EcsContainer" => new ContainerCredentialSource(),
                    "Ec2InstanceMetadata" => new InstanceMetadataCredentialSource(),
                    _ => throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData,
                        $"The credential_source '{credentialSource}' of profile '{name}' is not Environment, EcsContainer or Ec2InstanceMetadata.", name),
                };
                var attempt = await inner.ResolveAsync(context, ct).ConfigureAwait(false);
                source = attempt.Credentials ?? throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData,
                    $"The credential_source '{credentialSource}' of profile '{name}' gave no credentials: {attempt.Reason}.", name);
            }
            else
            {
                throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData, $"The profile '{name}' has role_arn but neither source_profile nor credential_source.", name);
            }

            var region = Get("region") ?? context.Region ?? "us-east-1";
            int? duration = Get("duration_seconds") is { } d && int.TryParse(d, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
            var sessionName = Get("role_session_name") ?? "ptctools-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture);
            return await StsClient.AssumeRoleAsync(context, source, region, StsClient.Endpoint(context.Environment, region), roleArn, sessionName,
                Get("external_id"), duration, $"profile '{name}' (role_arn)", ct).ConfigureAwait(false);
        }

        if (Get("sso_session") is not null || Get("sso_start_url") is not null || Get("sso_account_id") is not null)
        {
            return await SsoAsync(context, files, name, profile, ct).ConfigureAwait(false);
        }

        if (Get("credential_process") is { } command)
        {
            return await CredentialProcess.RunAsync(context, command, $"profile '{name}' (credential_process)", ct).ConfigureAwait(false);
        }

        return staticKeys;
    }

    private static async Task<AwsCredentials> SsoAsync(CredentialContext context, SharedConfigFile files, string name, IReadOnlyDictionary<string, string> profile, CancellationToken ct)
    {
        string? Get(IReadOnlyDictionary<string, string>? values, string key) => values is not null && values.TryGetValue(key, out var v) && v.Length > 0 ? v : null;
        string cacheKey;
        string? region;
        if (Get(profile, "sso_session") is { } sessionName)
        {
            var session = files.SsoSession(sessionName) ?? throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData,
                $"The profile '{name}' names sso_session '{sessionName}', but there is no [sso-session {sessionName}] section in {files.ConfigPath}.", name);
            cacheKey = sessionName;
            region = Get(session, "sso_region");
        }
        else
        {
            cacheKey = Get(profile, "sso_start_url") ?? throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData, $"The profile '{name}' lacks sso_start_url or sso_session.", name);
            region = Get(profile, "sso_region");
        }

        var accountId = Get(profile, "sso_account_id");
        var roleName = Get(profile, "sso_role_name");
        if (region is null || accountId is null || roleName is null)
        {
            throw new AwsClientException(ErrorIds.AwsProfileInvalid, PolicyErrorKind.InvalidData, $"The SSO profile '{name}' needs sso_region, sso_account_id and sso_role_name.", name);
        }

        var cacheFile = Path.Combine(context.Environment.SsoCacheDirectory, Sha1Hex(cacheKey) + ".json");
        if (!File.Exists(cacheFile))
        {
            throw new AwsClientException(ErrorIds.SsoTokenMissing, PolicyErrorKind.PermissionDenied,
                $"The SSO profile '{name}' has no cached token ({cacheFile}). Run 'aws sso login --profile {name}' first.", name);
        }

        JObject cached;
        try
        {
            cached = JObject.Parse(File.ReadAllText(cacheFile));
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            throw new AwsClientException(ErrorIds.SsoTokenMissing, PolicyErrorKind.InvalidData, $"The SSO token cache {cacheFile} is not valid JSON. Run 'aws sso login --profile {name}'.", name, ex);
        }

        var token = (string?)cached["accessToken"];
        var expiresAt = (string?)cached["expiresAt"];
        if (token is null || !DateTimeOffset.TryParse(expiresAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires) || expires <= DateTimeOffset.UtcNow)
        {
            throw new AwsClientException(ErrorIds.SsoTokenExpired, PolicyErrorKind.PermissionDenied,
                $"The SSO token of profile '{name}' has expired or is incomplete ({cacheFile}). Run 'aws sso login --profile {name}'.", name);
        }

        var endpoint = AwsEndpoints.SsoPortal(region, context.Environment.Get("AWS_ENDPOINT_URL_SSO") ?? context.Environment.Get("AWS_ENDPOINT_URL"));
        var uri = new Uri(endpoint, "federation/credentials?account_id=" + Uri.EscapeDataString(accountId) + "&role_name=" + Uri.EscapeDataString(roleName));
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("x-amz-sso_bearer_token", token);
        if (context.AllowUnencryptedHttp)
        {
            AwsTransport.PermitUnencrypted(request);
        }
        context.Log($"Credentials: SSO GetRoleCredentials for account {accountId}, role {roleName} at {endpoint}.");
        string body;
        int status;
        try
        {
            using var response = await context.Transport.SendAsync(request, context.EndpointTimeout, ct).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or IOException)
        {
            throw new AwsClientException(ErrorIds.SsoGetRoleCredentialsFailed, PolicyErrorKind.ConnectionError, $"The SSO portal {endpoint} could not be reached: {ex.Message}", name, ex);
        }

        if (status != 200)
        {
            throw new AwsClientException(ErrorIds.SsoGetRoleCredentialsFailed, PolicyErrorKind.PermissionDenied,
                $"The SSO portal refused GetRoleCredentials for profile '{name}' (HTTP {status}). Run 'aws sso login --profile {name}' if the session ended.", name);
        }

        var json = JsonResponse.Parse(body, ErrorIds.SsoGetRoleCredentialsFailed, name);
        var role = json.Object("roleCredentials");
        var accessKey = role is null ? null : json.String(role, "accessKeyId");
        var secret = role is null ? null : json.String(role, "secretAccessKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
        {
            throw new AwsClientException(ErrorIds.SsoGetRoleCredentialsFailed, PolicyErrorKind.InvalidData, $"The SSO portal's answer for profile '{name}' has no roleCredentials.", name);
        }

        // GetRoleCredentials gives the expiration in epoch milliseconds.
        var milliseconds = json.Integer(role!, "expiration", -62135596800000L, 253402300799999L);
        DateTimeOffset? expiration = milliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new AwsCredentials(accessKey!, secret!, json.String(role!, "sessionToken"), expiration, $"profile '{name}' (SSO)");
    }

    private static string Sha1Hex(string value)
    {
        return Signing.SigV4Signer.Hex(FipsSafeHash.Sha1(Encoding.UTF8.GetBytes(value)));
    }
}
