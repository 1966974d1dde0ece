using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using EcrEmulator;

namespace EcrEmulator.Tests;

/// <summary>
/// A deliberately small SigV4 signer for ECR calls in tests (POST /, no query). It is anchored by the
/// published get-vanilla vector below; the AWS CLI tests are the independent check of the verifier.
/// </summary>
internal static class TestSigner
{
    public static string Sign(string method, string path, string query, IReadOnlyList<(string Name, string Value)> headers, byte[] body,
        TestCredential credential, string region, string service, DateTimeOffset time, out string signedHeaders)
    {
        var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate.Substring(0, 8);
        var canonicalHeaders = headers
            .GroupBy(h => h.Name.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => h.Value.Trim()))))
            .ToList();
        signedHeaders = string.Join(";", canonicalHeaders.Select(h => h.Name));
        var canonicalQuery = string.Join("&", query.Split('&', StringSplitOptions.RemoveEmptyEntries).OrderBy(p => p, StringComparer.Ordinal));
        var canonical = $"{method}\n{path}\n{canonicalQuery}\n{string.Concat(canonicalHeaders.Select(h => $"{h.Name}:{h.Value}\n"))}\n{signedHeaders}\n{Hex(SHA256.HashData(body))}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credential.SecretAccessKey), date);
        key = Hmac(Hmac(Hmac(key, region), service), "aws4_request");
        return Hex(Hmac(key, stringToSign));
    }

    public static string Authorization(string accessKey, DateTimeOffset time, string region, string service, string signedHeaders, string signature) =>
        $"AWS4-HMAC-SHA256 Credential={accessKey}/{time.UtcDateTime:yyyyMMdd}/{region}/{service}/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}";

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
