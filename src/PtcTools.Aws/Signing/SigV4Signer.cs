using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using PtcTools.Aws.Auth;
using PtcTools.Policy;

namespace PtcTools.Aws.Signing;

/// <summary>A request to sign: method, host, unencoded path, query pairs, headers and body.</summary>
public sealed class SignableRequest
{
    /// <summary>Creates a request.</summary>
    public SignableRequest(string method, string host, string path, IEnumerable<KeyValuePair<string, string>>? query, IEnumerable<KeyValuePair<string, string>>? headers, byte[]? body)
    {
        Method = method;
        Host = host;
        Path = string.IsNullOrEmpty(path) ? "/" : path;
        Query = (query ?? Enumerable.Empty<KeyValuePair<string, string>>()).ToList();
        Headers = (headers ?? Enumerable.Empty<KeyValuePair<string, string>>()).ToList();
        Body = body ?? Array.Empty<byte>();
    }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>The host (with the port when it is not the scheme's default).</summary>
    public string Host { get; }

    /// <summary>The path as text, not yet percent-encoded.</summary>
    public string Path { get; }

    /// <summary>The query parameters, not yet percent-encoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Query { get; }

    /// <summary>The headers to sign, in any order; repeated names are joined with commas.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The payload.</summary>
    public byte[] Body { get; }
}

/// <summary>What signing produced: the headers to add and the intermediate strings (for tests and debugging, never secret).</summary>
public sealed class SigV4Result
{
    internal SigV4Result(string amzDate, string authorization, string canonicalRequest, string stringToSign, string signature, string signedHeaders, string? securityToken)
    {
        AmzDate = amzDate;
        Authorization = authorization;
        CanonicalRequest = canonicalRequest;
        StringToSign = stringToSign;
        Signature = signature;
        SignedHeaders = signedHeaders;
        SecurityToken = securityToken;
    }

    /// <summary>The <c>X-Amz-Date</c> header value.</summary>
    public string AmzDate { get; }

    /// <summary>The <c>Authorization</c> header value.</summary>
    public string Authorization { get; }

    /// <summary>The canonical request that was hashed.</summary>
    public string CanonicalRequest { get; }

    /// <summary>The string to sign.</summary>
    public string StringToSign { get; }

    /// <summary>The hex signature.</summary>
    public string Signature { get; }

    /// <summary>The semicolon-separated signed header names.</summary>
    public string SignedHeaders { get; }

    /// <summary>The <c>X-Amz-Security-Token</c> header value, when the credentials have a session token.</summary>
    public string? SecurityToken { get; }
}

/// <summary>AWS Signature Version 4 (header form), as the AWS SDKs compute it.</summary>
public static class SigV4Signer
{
    /// <summary>The algorithm name in the Authorization header.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Signs a request: adds <c>host</c>, <c>x-amz-date</c> and, with a session token, <c>x-amz-security-token</c> to the signed headers.</summary>
    public static SigV4Result Sign(SignableRequest request, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (credentials is null)
        {
            throw new ArgumentNullException(nameof(credentials));
        }

        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate.Substring(0, 8);
        var headers = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string name, string value)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!headers.TryGetValue(key, out var values))
            {
                headers[key] = values = new List<string>();
            }

            values.Add(TrimValue(value));
        }

        var hasHost = false;
        foreach (var header in request.Headers)
        {
            if (string.Equals(header.Key, "x-amz-date", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(header.Key, "authorization", StringComparison.OrdinalIgnoreCase) ||
                string.Equals(header.Key, "x-amz-security-token", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            hasHost |= string.Equals(header.Key, "host", StringComparison.OrdinalIgnoreCase);
            Add(header.Key, header.Value);
        }

        if (!hasHost)
        {
            Add("host", request.Host);
        }

        Add("x-amz-date", amzDate);
        if (!string.IsNullOrEmpty(credentials.SessionToken))
        {
            Add("x-amz-security-token", credentials.SessionToken!);
        }

        var signedHeaders = string.Join(";", headers.Keys);
        var canonical = new StringBuilder()
            .Append(request.Method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalPath(request.Path)).Append('\n')
            .Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var pair in headers)
        {
            canonical.Append(pair.Key).Append(':').Append(string.Join(",", pair.Value)).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(Sha256(request.Body)));
        var canonicalRequest = canonical.ToString();

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(Sha256(Encoding.UTF8.GetBytes(canonicalRequest)))}";
        var key = SigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Hex(Hmac(key, stringToSign));
        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Result(amzDate, authorization, canonicalRequest, stringToSign, signature, signedHeaders, string.IsNullOrEmpty(credentials.SessionToken) ? null : credentials.SessionToken);
    }

    /// <summary>The SigV4 signing key: HMAC chain over date, Region, service and "aws4_request".</summary>
    public static byte[] SigningKey(string secretAccessKey, string date, string region, string service)
    {
        var kDate = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        var kRegion = Hmac(kDate, region);
        var kService = Hmac(kRegion, service);
        return Hmac(kService, "aws4_request");
    }

    /// <summary>The canonical path: dot segments and repeated slashes removed, each segment percent-encoded once.</summary>
    public static string CanonicalPath(string path)
    {
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(Encode(segment));
        }

        var result = "/" + string.Join("/", segments);
        return path.EndsWith("/", StringComparison.Ordinal) && segments.Count > 0 ? result + "/" : result;
    }

    /// <summary>The canonical query: pairs percent-encoded, then sorted by name and value.</summary>
    public static string CanonicalQuery(IEnumerable<KeyValuePair<string, string>> query) =>
        string.Join("&", query
            .Select(p => (Name: Encode(p.Key), Value: Encode(p.Value ?? string.Empty)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

    /// <summary>RFC 3986 percent-encoding of everything but the unreserved characters, with upper-case hex.</summary>
    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Lower-case hex of bytes.</summary>
    public static string Hex(byte[] bytes)
    {
        var builder = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            builder.Append(b.ToString("x2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    /// <summary>SHA-256 of bytes.</summary>
    public static byte[] Sha256(byte[] data) => FipsSafeHash.Sha256(data);

    // Header values: leading and trailing space trimmed, inner runs of spaces collapsed to one.
    private static string TrimValue(string value)
    {
        var builder = new StringBuilder(value.Length);
        var space = false;
        foreach (var c in value.Trim())
        {
            if (c is ' ' or '\t' or '\n' or '\r')
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => FipsSafeHash.HmacSha256(key, Encoding.UTF8.GetBytes(data));
}
