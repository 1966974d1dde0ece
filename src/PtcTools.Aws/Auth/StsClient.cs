using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Signing;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>STS AssumeRole over the Query protocol, signed with SigV4: what a <c>role_arn</c> profile needs.</summary>
public static class StsClient
{
    /// <summary>Calls AssumeRole and returns the temporary credentials.</summary>
    /// <exception cref="AwsClientException"><c>AssumeRoleFailed</c> with STS's code and message.</exception>
    public static async Task<AwsCredentials> AssumeRoleAsync(
        CredentialContext context, AwsCredentials source, string region, Uri endpoint, string roleArn, string sessionName,
        string? externalId, int? durationSeconds, string description, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "AssumeRole"),
            new("Version", "2011-06-15"),
            new("RoleArn", roleArn),
            new("RoleSessionName", sessionName),
        };
        if (externalId is not null)
        {
            form.Add(new("ExternalId", externalId));
        }

        if (durationSeconds is not null)
        {
            form.Add(new("DurationSeconds", durationSeconds.Value.ToString(CultureInfo.InvariantCulture)));
        }

        var body = Encoding.UTF8.GetBytes(string.Join("&", form.Select(p => SigV4Signer.Encode(p.Key) + "=" + SigV4Signer.Encode(p.Value))));
        const string contentType = "application/x-www-form-urlencoded; charset=utf-8";
        var host = endpoint.IsDefaultPort ? endpoint.Host : endpoint.Authority;
        var signed = SigV4Signer.Sign(
            new SignableRequest("POST", host, endpoint.AbsolutePath, null, new[] { new KeyValuePair<string, string>("Content-Type", contentType) }, body),
            source, region, "sts", DateTimeOffset.UtcNow);

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.AmzDate);
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
        if (signed.SecurityToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", signed.SecurityToken);
        }

        if (context.AllowUnencryptedHttp)
        {
            AwsTransport.PermitUnencrypted(request);
        }

        context.Log($"Credentials: AssumeRole {roleArn} at {endpoint} with {source}.");
        string text;
        int status;
        try
        {
            using var response = await context.Transport.SendAsync(request, context.EndpointTimeout, cancellationToken).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            status = (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or System.IO.IOException)
        {
            throw new AwsClientException(ErrorIds.AssumeRoleFailed, PolicyErrorKind.ConnectionError, $"{description}: STS at {endpoint} could not be reached: {ServerText.Clean(ex.Message)}", roleArn, ex);
        }

        XDocument xml;
        try
        {
            xml = XDocument.Parse(text);
        }
        catch (System.Xml.XmlException ex)
        {
            throw new AwsClientException(ErrorIds.AssumeRoleFailed, PolicyErrorKind.InvalidData, $"{description}: STS answered HTTP {status} with a body that is not XML.", roleArn, ex);
        }

        if (status != 200)
        {
            var code = ServerText.Clean(xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value ?? "Unknown", 200);
            var message = ServerText.Clean(xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value);
            throw new AwsClientException(ErrorIds.AssumeRoleFailed, PolicyErrorKind.PermissionDenied, $"{description}: STS refused AssumeRole for {roleArn} (HTTP {status}, {code}): {message}", roleArn);
        }

        var credentials = xml.Descendants().FirstOrDefault(e => e.Name.LocalName == "Credentials");
        string? Field(string name) => credentials?.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
        var accessKey = Field("AccessKeyId");
        var secret = Field("SecretAccessKey");
        if (accessKey is null || secret is null)
        {
            throw new AwsClientException(ErrorIds.AssumeRoleFailed, PolicyErrorKind.InvalidData, $"{description}: the AssumeRole response has no Credentials.", roleArn);
        }

        DateTimeOffset? expiration = DateTimeOffset.TryParse(Field("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e) ? e : null;
        return new AwsCredentials(accessKey, secret, Field("SessionToken"), expiration, description);
    }

    /// <summary>The STS endpoint: <c>AWS_ENDPOINT_URL_STS</c>, then <c>AWS_ENDPOINT_URL</c>, then the regional one.</summary>
    public static Uri Endpoint(AwsEnvironment environment, string region) =>
        AwsEndpoints.Sts(region, environment.Get("AWS_ENDPOINT_URL_STS") ?? environment.Get("AWS_ENDPOINT_URL"));
}
