using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Signing;
using Xunit;

namespace PtcTools.Aws.Tests;

public sealed class SigV4SignerTests
{
    private static readonly JsonDocument s_suite = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "sigv4-test-suite.json")));

    public static TheoryData<string> SuiteCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in s_suite.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SuiteCases))]
    public void Signing_a_test_suite_request_gives_the_published_canonical_request_and_signature(string name)
    {
        var root = s_suite.RootElement;
        var c = root.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        static List<KeyValuePair<string, string>> Pairs(JsonElement array) =>
            array.EnumerateArray().Select(p => new KeyValuePair<string, string>(p[0].GetString()!, p[1].GetString()!)).ToList();
        var token = c.GetProperty("token").ValueKind == JsonValueKind.Null ? null : c.GetProperty("token").GetString();
        var credentials = new AwsCredentials(root.GetProperty("accessKeyId").GetString()!, root.GetProperty("secretAccessKey").GetString()!, token);
        var request = new SignableRequest(c.GetProperty("method").GetString()!, "example.amazonaws.com", c.GetProperty("path").GetString()!,
            Pairs(c.GetProperty("query")), Pairs(c.GetProperty("headers")), Array.Empty<byte>());

        var result = SigV4Signer.Sign(request, credentials, root.GetProperty("region").GetString()!, root.GetProperty("service").GetString()!, DateTimeOffset.Parse(root.GetProperty("time").GetString()!));

        Assert.Equal(c.GetProperty("canonicalRequest").GetString(), result.CanonicalRequest);
        Assert.Equal(c.GetProperty("signature").GetString(), result.Signature);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=", result.Authorization);
    }

    [Fact]
    public void The_signing_key_matches_the_AWS_documentation_example()
    {
        // From the AWS documentation's "deriving a signing key" example (20120215, us-east-1, iam).
        var key = SigV4Signer.SigningKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
        Assert.Equal("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d", SigV4Signer.Hex(key));
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var i = 1; i <= 40; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_generated_ECR_request_is_signed_exactly_as_AWSSDK_Core_signs_it(int seed)
    {
        var random = new Random(seed);
        var regions = new[] { "us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "ap-southeast-2" };
        var region = regions[random.Next(regions.Length)];
        var operations = new[] { "GetRegistryPolicy", "PutRegistryPolicy", "DeleteRegistryPolicy", "DescribePullThroughCacheRules", "GetAccountSetting" };
        var body = RandomJson(random);
        var accessKey = "AKIA" + RandomText(random, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567");
        var secret = RandomText(random, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
        var token = random.Next(2) == 0 ? null : RandomText(random, 64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");
        var signedAt = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.Next(200_000_000));
        var host = region.StartsWith("cn-", StringComparison.Ordinal) ? $"api.ecr.{region}.amazonaws.com.cn" : $"api.ecr.{region}.amazonaws.com";
        var target = "AmazonEC2ContainerRegistry_V20150921." + operations[random.Next(operations.Length)];
        (string, string)? extraHeader = random.Next(2) == 0 ? null : ("X-Test-Header", "  spaced   value " + random.Next());

        // The oracle: AWSSDK.Core's own SigV4 signer over its own request type.
        var sdkRequest = new DefaultRequest(new OracleRequest(), "ECR")
        {
            Endpoint = new Uri("https://" + host),
            ResourcePath = "/",
            HttpMethod = "POST",
            Content = Encoding.UTF8.GetBytes(body),
            AuthenticationRegion = region,
        };
        sdkRequest.Headers["Content-Type"] = "application/x-amz-json-1.1";
        sdkRequest.Headers["X-Amz-Target"] = target;
        if (extraHeader is { } h)
        {
            sdkRequest.Headers[h.Item1] = h.Item2;
        }

        if (token is not null)
        {
            sdkRequest.Headers["X-Amz-Security-Token"] = token;
        }

        var config = new OracleConfig { AuthenticationRegion = region, AuthenticationServiceName = "ecr" };
        var expected = new AWS4Signer().SignRequest(sdkRequest, config, null, accessKey, secret, signedAt);

        // Ours, given the same headers the SDK signed (it may add x-amz-content-sha256).
        var headers = sdkRequest.Headers
            .Where(p => !string.Equals(p.Key, "Authorization", StringComparison.OrdinalIgnoreCase))
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList();
        var ours = SigV4Signer.Sign(new SignableRequest("POST", host, "/", null, headers, Encoding.UTF8.GetBytes(body)),
            new AwsCredentials(accessKey, secret, token), region, "ecr", new DateTimeOffset(signedAt));

        Assert.Equal(expected.SignedHeaders, ours.SignedHeaders);
        Assert.Equal(expected.Signature, ours.Signature);
        Assert.Equal(expected.ForAuthorizationHeader, ours.Authorization);
    }

    [Theory]
    [InlineData("/a/./b/../c//", "/a/c/")]
    [InlineData("/", "/")]
    [InlineData("", "/")]
    [InlineData("/x y/z:1", "/x%20y/z%3A1")]
    public void Canonical_paths_are_normalized_and_encoded_once(string path, string expected)
    {
        Assert.Equal(expected, SigV4Signer.CanonicalPath(path.Length == 0 ? "/" : path));
    }

    [Fact]
    public void The_result_never_carries_the_secret_key()
    {
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "TOKEN-SECRET-VALUE");
        var result = SigV4Signer.Sign(new SignableRequest("POST", "h", "/", null, null, null), credentials, "us-east-1", "ecr", DateTimeOffset.UtcNow);
        Assert.DoesNotContain("wJalrXUtnFEMI", result.Authorization + result.CanonicalRequest + result.StringToSign);
        Assert.DoesNotContain("wJalrXUtnFEMI", credentials.ToString());
        Assert.DoesNotContain("TOKEN-SECRET", credentials.ToString());
        Assert.DoesNotContain("AKIDEXAMPLE", credentials.ToString());
    }

    private static string RandomText(Random random, int length, string alphabet) =>
        new(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    private static string RandomJson(Random random)
    {
        var kind = random.Next(4);
        return kind switch
        {
            0 => "{}",
            1 => "{\"name\":\"REGISTRY_POLICY_SCOPE\"}",
            2 => "{\"maxResults\":" + random.Next(1, 1000) + ",\"nextToken\":\"" + RandomText(random, 20, "abcXYZ019+/=") + "\"}",
            _ => "{\"policyText\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Sid\\\":\\\"é" + random.Next() + "\\\"}]}\"}",
        };
    }

    private sealed class OracleRequest : AmazonWebServiceRequest
    {
    }

    private sealed class OracleConfig : ClientConfig
    {
        public OracleConfig()
            : base(new Amazon.Runtime.Internal.DefaultConfigurationProvider(new List<DefaultConfiguration> { new() { Name = DefaultConfigurationMode.Standard } }))
        {
        }

        public override string RegionEndpointServiceName => "ecr";

        public override string ServiceVersion => "2015-09-21";

        public override string UserAgent => "oracle";

        public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters) =>
            new("https://example.invalid");
    }
}
