using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using EcrEmulator;
using EcrEmulator.Protocol;
using Xunit;

namespace EcrEmulator.Tests;

public class SignatureTests
{
    private static readonly TestCredential s_exampleKey = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static readonly DateTimeOffset s_vectorTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "get-vanilla")]
    [InlineData("Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", "get-vanilla-query-order-key-case")]
    public void The_verifier_accepts_the_published_SigV4_test_vectors(string query, string signature, string vector)
    {
        var verifier = new SigV4Verifier(new[] { s_exampleKey }, "us-east-1", "service", TimeSpan.FromMinutes(15), () => s_vectorTime);
        var request = VectorRequest(query, signature);

        Assert.True(verifier.Verify(request) == s_exampleKey, vector);
    }

    [Fact]
    public void The_verifier_refuses_a_published_vector_with_one_digit_changed()
    {
        var verifier = new SigV4Verifier(new[] { s_exampleKey }, "us-east-1", "service", TimeSpan.FromMinutes(15), () => s_vectorTime);
        var request = VectorRequest(string.Empty, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf32");

        var error = Assert.Throws<EcrError>(() => verifier.Verify(request));
        Assert.Equal("InvalidSignatureException", error.Code);
    }

    [Fact]
    public void The_test_signer_reproduces_the_published_get_vanilla_signature()
    {
        var headers = new List<(string, string)> { ("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z") };
        var signature = TestSigner.Sign("GET", "/", string.Empty, headers, Array.Empty<byte>(), s_exampleKey, "us-east-1", "service", s_vectorTime, out var signed);

        Assert.Equal("host;x-amz-date", signed);
        Assert.Equal("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", signature);
    }

    [Fact]
    public async Task A_call_signed_with_the_test_key_succeeds()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "GetAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\"}");

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(TestCredential.Default.AccessKeyId, emulator.Requests.Entries[0].AccessKeyId);
    }

    [Fact]
    public async Task A_call_signed_with_the_session_key_and_its_token_succeeds()
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "DescribeRegistry", "{}", new EcrCallOptions { Credential = TestCredential.Session });

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(TestCredential.Session.AccessKeyId, emulator.Requests.Entries[0].AccessKeyId);
    }

    public static TheoryData<string, EcrCallOptions, string, string> Refusals()
    {
        var now = DateTimeOffset.UtcNow;
        return new TheoryData<string, EcrCallOptions, string, string>
        {
            { "a wrong secret", new EcrCallOptions { SecretOverride = "not-the-secret" }, "InvalidSignatureException", "signature we calculated does not match" },
            { "an unknown access key", new EcrCallOptions { Credential = new TestCredential("AKIDUNKNOWNEXAMPLE", "whatever") }, "UnrecognizedClientException", "security token included in the request is invalid" },
            { "no Authorization header", new EcrCallOptions { Sign = false }, "MissingAuthenticationTokenException", "Missing Authentication Token" },
            { "a date 16 minutes old", new EcrCallOptions { Time = now.AddMinutes(-16) }, "InvalidSignatureException", "Signature expired" },
            { "a date 16 minutes ahead", new EcrCallOptions { Time = now.AddMinutes(16) }, "InvalidSignatureException", "Signature not yet current" },
            { "another Region in the scope", new EcrCallOptions { Region = "eu-west-1" }, "InvalidSignatureException", "scoped to a valid region, not 'eu-west-1'" },
            { "another service in the scope", new EcrCallOptions { Service = "ecr-public" }, "InvalidSignatureException", "scoped to correct service: 'ecr'" },
            { "the session key without its token", new EcrCallOptions { Credential = TestCredential.Session with { SessionToken = null } }, "UnrecognizedClientException", "security token" },
            { "the session key with a wrong token", new EcrCallOptions { Credential = TestCredential.Session with { SessionToken = "forged" } }, "UnrecognizedClientException", "security token" },
            { "a token with a long-term key", new EcrCallOptions { Credential = TestCredential.Default with { SessionToken = "unexpected" } }, "UnrecognizedClientException", "security token" },
            { "Host left out of the signed headers", new EcrCallOptions { SignHost = false }, "InvalidSignatureException", "'Host' must be a 'SignedHeader'" },
            {
                "a body changed after signing",
                new EcrCallOptions { AfterSigning = r => r.Content = new System.Net.Http.StringContent("{\"name\":\"REGISTRY_POLICY_SCOPE\"} ", null, "application/x-amz-json-1.1") },
                "InvalidSignatureException", "does not match"
            },
            {
                "a signed header changed after signing",
                new EcrCallOptions { AfterSigning = r => { r.Headers.Remove("X-Amz-Target"); r.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921.DescribeRegistry"); } },
                "InvalidSignatureException", "does not match"
            },
        };
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_call_is_refused_with_the_AWS_error_for(string why, EcrCallOptions options, string code, string messagePart)
    {
        using var emulator = EcrCall.Start();
        var answer = await EcrCall.SendAsync(emulator, "GetAccountSetting", "{\"name\":\"REGISTRY_POLICY_SCOPE\"}", options);

        Assert.True(answer.Status == HttpStatusCode.BadRequest, $"{why}: status {(int)answer.Status}");
        Assert.Equal(code, answer.ErrorCode);
        Assert.Contains(messagePart, answer.Message, StringComparison.Ordinal);
        Assert.Equal(code, emulator.Requests.Entries[0].ErrorCode);
    }

    [Fact]
    public async Task The_clock_skew_is_measured_against_the_emulators_clock()
    {
        var fixedNow = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
        using var emulator = EcrCall.Start(o => o.Clock = () => fixedNow);

        var within = await EcrCall.SendAsync(emulator, "DescribeRegistry", "{}", new EcrCallOptions { Time = fixedNow.AddMinutes(-14) });
        var outside = await EcrCall.SendAsync(emulator, "DescribeRegistry", "{}", new EcrCallOptions { Time = fixedNow.AddMinutes(-15).AddSeconds(-1) });

        Assert.Equal(HttpStatusCode.OK, within.Status);
        Assert.Equal("InvalidSignatureException", outside.ErrorCode);
        Assert.Contains("20300102T024904Z is now earlier than 20300102T024905Z", outside.Message, StringComparison.Ordinal);
    }

    private static SignedRequest VectorRequest(string query, string signature)
    {
        var headers = new Dictionary<string, IReadOnlyList<string>>
        {
            ["host"] = new[] { "example.amazonaws.com" },
            ["x-amz-date"] = new[] { "20150830T123600Z" },
            ["authorization"] = new[] { $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}" },
        };
        return new SignedRequest("GET", "/", query, headers, Array.Empty<byte>());
    }
}
