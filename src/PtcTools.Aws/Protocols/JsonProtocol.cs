using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;

namespace PtcTools.Aws.Protocols;

/// <summary>The AWS JSON 1.1 protocol (ECR, Secrets Manager): a JSON body, the operation in X-Amz-Target, errors in <c>__type</c>.</summary>
internal static class JsonProtocol
{
    /// <summary>The content type of JSON 1.1 requests.</summary>
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>Calls an operation and returns the answer's object (empty for an empty body).</summary>
    public static async Task<JObject> CallAsync(AwsServiceClient client, string targetPrefix, string operation, JObject input, CancellationToken cancellationToken, bool resendUnknownOutcome = true)
    {
        byte[] body;
        try
        {
            body = s_strictUtf8.GetBytes(input.ToString(Formatting.None));
        }
        catch (EncoderFallbackException)
        {
            // A lone UTF-16 surrogate has no UTF-8 form: the service would get a replacement character instead of the text.
            throw new PolicyException(ErrorIds.PolicyTextInvalidUnicode, PolicyErrorKind.InvalidData, $"The {operation} request holds a lone UTF-16 surrogate, which UTF-8 cannot carry; nothing was sent.", operation);
        }

        var headers = new[] { new KeyValuePair<string, string>("X-Amz-Target", targetPrefix + "." + operation) };
        var response = await client.CallAsync(operation, body, ContentType, headers, resendUnknownOutcome, cancellationToken).ConfigureAwait(false);
        if (response.Text.Trim().Length == 0)
        {
            return new JObject();
        }

        try
        {
            return ParseObject(response.Text);
        }
        catch (JsonException)
        {
            throw client.Unreadable(operation, response.Status, response.RequestId, "a body that is not a JSON object");
        }
    }

    /// <summary>The error code (sanitized: before any ':', after any '#') and message of an error answer.</summary>
    public static (string Code, string? Message) ReadError(int status, string text, HttpResponseHeaders headers)
    {
        JObject? json = null;
        if (text.Trim().Length > 0)
        {
            try
            {
                json = ParseObject(text);
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        var header = headers.TryGetValues("X-Amzn-Errortype", out var types) ? types.FirstOrDefault() : null;
        if (json is null && header is null && text.TrimStart().StartsWith("<", StringComparison.Ordinal))
        {
            // Some gateways (and moto's authorization layer) answer a JSON service in the Query protocol's XML.
            return QueryProtocol.ReadError(status, text, headers);
        }

        var code = Text(json, "__type") ?? Text(json, "code") ?? header ?? (status == 429 ? "TooManyRequestsException" : $"Http{status}");
        var message = Text(json, "message") ?? Text(json, "Message");
        return (Sanitize(code), message);
    }

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A member of an error answer, where one of the wrong type means "not given".
    private static string? Text(JObject? json, string name) => json?[name] is JValue { Type: JTokenType.String } value ? (string?)value : null;

    /// <summary>Takes the part before the first ':' and after the first '#', as the JSON protocols require.</summary>
    public static string Sanitize(string code)
    {
        var colon = code.IndexOf(':');
        if (colon >= 0)
        {
            code = code.Substring(0, colon);
        }

        var hash = code.IndexOf('#');
        return (hash >= 0 ? code.Substring(hash + 1) : code).Trim();
    }

    // Dates stay text: a policy or token that looks like a date must come back exactly as sent.
    internal static JObject ParseObject(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double };
        return JObject.Load(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
    }
}
