using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace EcrEmulator.Protocol;

/// <summary>The parts of an HTTP request that SigV4 covers.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="RawPath">The path exactly as sent (still percent-encoded).</param>
/// <param name="RawQuery">The query string exactly as sent, without '?'.</param>
/// <param name="Headers">Every header: name to the values received, in order.</param>
/// <param name="Body">The request body.</param>
public sealed record SignedRequest(string Method, string RawPath, string RawQuery, IReadOnlyDictionary<string, IReadOnlyList<string>> Headers, byte[] Body);

/// <summary>
/// Verifies AWS Signature Version 4 (header form) the way AWS services do. Written from the SigV4
/// documentation independently of PtcTools.Aws, so the two implementations meet on the wire.
/// </summary>
public sealed class SigV4Verifier
{
    private const string Algorithm = "AWS4-HMAC-SHA256";
    private readonly Func<string, TestCredential?> _credentials;
    private readonly Func<string, bool> _servesRegion;
    private readonly string _service;
    private readonly TimeSpan _skew;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Creates a verifier for one Region and service.</summary>
    public SigV4Verifier(IEnumerable<TestCredential> credentials, string region, string service, TimeSpan skew, Func<DateTimeOffset> clock)
        : this(Lookup(credentials), r => string.Equals(r, region, StringComparison.Ordinal), service, skew, clock)
    {
    }

    /// <summary>Creates a verifier for the Regions <paramref name="servesRegion"/> accepts, with credentials looked up by access key id.</summary>
    public SigV4Verifier(Func<string, TestCredential?> credentials, Func<string, bool> servesRegion, string service, TimeSpan skew, Func<DateTimeOffset> clock)
    {
        _credentials = credentials;
        _servesRegion = servesRegion;
        _service = service;
        _skew = skew;
        _clock = clock;
    }

    /// <summary>Returns the credential that signed the request, or throws the error AWS would answer with.</summary>
    public TestCredential Verify(SignedRequest request) => Authenticate(request).Credential;

    /// <summary>Returns the credential that signed the request and the Region it was signed for, or throws the error AWS would answer with.</summary>
    public (TestCredential Credential, string Region) Authenticate(SignedRequest request)
    {
        var authorization = Header(request, "authorization");
        if (authorization is null)
        {
            throw EcrError.MissingAuthenticationToken();
        }
        var (accessKey, scope, signedHeaders, signature) = ParseAuthorization(authorization);

        if (_credentials(accessKey) is not { } credential)
        {
            throw EcrError.UnrecognizedClient();
        }
        var token = Header(request, "x-amz-security-token");
        if (!string.Equals(token, credential.SessionToken, StringComparison.Ordinal))
        {
            throw EcrError.UnrecognizedClient();
        }

        var scopeParts = scope.Split('/');
        if (scopeParts.Length != 4)
        {
            throw EcrError.InvalidSignature($"Credential should be scoped to a valid region, not '{scope}'. ");
        }
        var (scopeDate, scopeRegion, scopeService, terminator) = (scopeParts[0], scopeParts[1], scopeParts[2], scopeParts[3]);
        if (!_servesRegion(scopeRegion))
        {
            throw EcrError.InvalidSignature($"Credential should be scoped to a valid region, not '{scopeRegion}'. ");
        }
        if (!string.Equals(scopeService, _service, StringComparison.Ordinal))
        {
            throw EcrError.InvalidSignature($"Credential should be scoped to correct service: '{_service}'. ");
        }
        if (!string.Equals(terminator, "aws4_request", StringComparison.Ordinal))
        {
            throw EcrError.InvalidSignature($"Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'. ");
        }

        var amzDate = Header(request, "x-amz-date") ?? throw EcrError.InvalidSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var signedAt))
        {
            throw EcrError.InvalidSignature($"X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", not '{amzDate}'.");
        }
        if (!string.Equals(scopeDate, amzDate.Substring(0, 8), StringComparison.Ordinal))
        {
            throw EcrError.InvalidSignature($"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{scopeDate}' != '{amzDate.Substring(0, 8)}', from '{amzDate}'.");
        }
        var now = _clock();
        if (signedAt < now - _skew)
        {
            throw EcrError.InvalidSignature($"Signature expired: {amzDate} is now earlier than {Format(now - _skew)} ({Format(now)} - {_skew.TotalMinutes:0} min.)");
        }
        if (signedAt > now + _skew)
        {
            throw EcrError.InvalidSignature($"Signature not yet current: {amzDate} is still later than {Format(now + _skew)} ({Format(now)} + {_skew.TotalMinutes:0} min.)");
        }

        var headerNames = signedHeaders.Split(';');
        if (!headerNames.Contains("host", StringComparer.Ordinal))
        {
            throw EcrError.InvalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");
        }
        foreach (var name in headerNames.Where(n => n.StartsWith("x-amz-", StringComparison.Ordinal) || n == "content-type"))
        {
            if (Header(request, name) is null)
            {
                throw EcrError.InvalidSignature($"The signed header '{name}' is missing from the request.");
            }
        }

        var canonicalRequest = CanonicalRequest(request, headerNames, signedHeaders);
        var stringToSign = string.Join("\n", Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var expected = Hex(Hmac(SigningKey(credential.SecretAccessKey, scopeDate, scopeRegion), stringToSign));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
        {
            throw EcrError.InvalidSignature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return (credential, scopeRegion);
    }

    private static Func<string, TestCredential?> Lookup(IEnumerable<TestCredential> credentials)
    {
        var byKey = credentials.ToDictionary(c => c.AccessKeyId, StringComparer.Ordinal);
        return key => byKey.TryGetValue(key, out var credential) ? credential : null;
    }

    /// <summary>The canonical request of SigV4 step 1, exposed so tests can show what was compared.</summary>
    public static string CanonicalRequest(SignedRequest request, IReadOnlyList<string> headerNames, string signedHeaders)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalUri(request.RawPath)).Append('\n');
        builder.Append(CanonicalQuery(request.RawQuery)).Append('\n');
        foreach (var name in headerNames)
        {
            builder.Append(name).Append(':').Append(CanonicalHeaderValue(request, name)).Append('\n');
        }
        builder.Append('\n').Append(signedHeaders).Append('\n');
        builder.Append(Hex(SHA256.HashData(request.Body)));
        return builder.ToString();
    }

    private static (string AccessKey, string Scope, string SignedHeaders, string Signature) ParseAuthorization(string authorization)
    {
        if (!authorization.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            throw EcrError.InvalidSignature($"Authorization header requires the '{Algorithm}' algorithm; got '{authorization.Split(' ')[0]}'.");
        }
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in authorization.Substring(Algorithm.Length + 1).Split(','))
        {
            var pair = part.Trim();
            var eq = pair.IndexOf('=');
            if (eq > 0)
            {
                fields[pair.Substring(0, eq)] = pair.Substring(eq + 1);
            }
        }
        foreach (var required in new[] { "Credential", "SignedHeaders", "Signature" })
        {
            if (!fields.ContainsKey(required))
            {
                throw EcrError.InvalidSignature($"Authorization header requires '{required}' parameter. Authorization={authorization.Split(' ')[0]} ...");
            }
        }
        var credential = fields["Credential"];
        var slash = credential.IndexOf('/');
        if (slash <= 0)
        {
            throw EcrError.InvalidSignature($"Credential should be scoped to a valid region, not '{credential}'. ");
        }
        return (credential.Substring(0, slash), credential.Substring(slash + 1), fields["SignedHeaders"], fields["Signature"]);
    }

    private static string CanonicalUri(string rawPath)
    {
        if (rawPath.Length == 0)
        {
            return "/";
        }
        // Services other than S3 encode the already-encoded path once more, segment by segment.
        return string.Join("/", rawPath.Split('/').Select(segment => UriEncode(segment)));
    }

    private static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return string.Empty;
        }
        var pairs = rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var eq = pair.IndexOf('=');
            var key = eq < 0 ? pair : pair.Substring(0, eq);
            var value = eq < 0 ? string.Empty : pair.Substring(eq + 1);
            return (Key: UriEncode(Uri.UnescapeDataString(key)), Value: UriEncode(Uri.UnescapeDataString(value)));
        });
        return string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));
    }

    private static string CanonicalHeaderValue(SignedRequest request, string name)
    {
        var values = request.Headers.TryGetValue(name, out var found) ? found : Array.Empty<string>();
        // Trim each value and squeeze runs of spaces, then join repeated headers with commas.
        return string.Join(",", values.Select(v => string.Join(" ", v.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))));
    }

    private static string? Header(SignedRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(",", values) : null;

    private static string UriEncode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '.' or '~')
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

    private byte[] SigningKey(string secret, string date, string region)
    {
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secret), date);
        key = Hmac(key, region);
        key = Hmac(key, _service);
        return Hmac(key, "aws4_request");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
