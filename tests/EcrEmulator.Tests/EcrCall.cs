using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EcrEmulator;

namespace EcrEmulator.Tests;

/// <summary>The answer to one ECR call: status, body, headers.</summary>
internal sealed record EcrAnswer(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers, string ContentType)
{
    /// <summary>The sanitized error code from __type, or null on success.</summary>
    public string? ErrorCode => Body.TryGetProperty("__type", out var type) ? EcrEmulator.Protocol.EcrError.Sanitize(type.GetString()!) : null;

    public string Message => Body.TryGetProperty("message", out var m) ? m.GetString() ?? string.Empty : string.Empty;

    public string? String(string name) => Body.TryGetProperty(name, out var value) ? value.GetString() : null;
}

/// <summary>How a test call is built; every part can be bent to provoke one error.</summary>
public sealed record EcrCallOptions
{
    public TestCredential Credential { get; init; } = TestCredential.Default;
    public string? SecretOverride { get; init; }
    public string? Region { get; init; }
    public string Service { get; init; } = "ecr";
    public DateTimeOffset? Time { get; init; }
    public string ContentType { get; init; } = "application/x-amz-json-1.1";
    public string? Target { get; init; }
    public bool Sign { get; init; } = true;
    public bool SignHost { get; init; } = true;
    public Action<HttpRequestMessage>? AfterSigning { get; init; }
}

/// <summary>Sends signed ECR calls to an emulator with a fresh HttpClient per emulator.</summary>
internal static class EcrCall
{
    private static readonly HttpClient s_http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static HttpClient Http => s_http;

    public static Task<EcrAnswer> SendAsync(EcrEmulatorServer emulator, string operation, string body = "{}", EcrCallOptions? options = null)
    {
        options ??= new EcrCallOptions();
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, emulator.Endpoint) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(options.ContentType);
        var target = options.Target ?? "AmazonEC2ContainerRegistry_V20150921." + operation;
        if (target.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }
        if (options.Sign)
        {
            var time = options.Time ?? emulator.Options.Clock();
            var amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
            var headers = new List<(string, string)>
            {
                ("content-type", options.ContentType),
                ("x-amz-date", amzDate),
            };
            if (target.Length > 0)
            {
                headers.Add(("x-amz-target", target));
            }
            if (options.SignHost)
            {
                headers.Add(("host", emulator.Endpoint.Authority));
            }
            if (options.Credential.SessionToken is { } token)
            {
                request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", token);
                headers.Add(("x-amz-security-token", token));
            }
            var region = options.Region ?? emulator.Options.Region;
            var signer = options.SecretOverride is null ? options.Credential : options.Credential with { SecretAccessKey = options.SecretOverride };
            var signature = TestSigner.Sign("POST", "/", string.Empty, headers, bytes, signer, region, options.Service, time, out var signed);
            request.Headers.TryAddWithoutValidation("Authorization",
                TestSigner.Authorization(options.Credential.AccessKeyId, time, region, options.Service, signed, signature));
        }
        options.AfterSigning?.Invoke(request);
        return SendRawAsync(request);
    }

    public static async Task<EcrAnswer> SendRawAsync(HttpRequestMessage request)
    {
        using var response = await s_http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return new EcrAnswer(response.StatusCode, document.RootElement.Clone(), response.Headers, response.Content.Headers.ContentType?.MediaType ?? string.Empty);
    }

    /// <summary>Calls an operation and insists it succeeded.</summary>
    public static async Task<EcrAnswer> OkAsync(EcrEmulatorServer emulator, string operation, string body = "{}")
    {
        var answer = await SendAsync(emulator, operation, body);
        if (answer.Status != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{operation} failed: {(int)answer.Status} {answer.ErrorCode}: {answer.Message}");
        }
        return answer;
    }

    /// <summary>A JSON string literal for the body of a call.</summary>
    public static string Json(string value) => JsonSerializer.Serialize(value);

    public static EcrEmulatorServer Start(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions();
        configure?.Invoke(options);
        return EcrEmulatorServer.Start(options);
    }
}
