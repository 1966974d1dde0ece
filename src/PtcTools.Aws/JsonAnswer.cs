using System;
using System.Globalization;
using System.IO;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Json;

namespace PtcTools.Aws;

/// <summary>Reads the fields of a JSON answer by their expected type; a field of another type is a named error, never a .NET cast exception.</summary>
public sealed class JsonAnswer
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Func<string, PtcToolsException> _fail;

    /// <summary>Creates a reader whose failures <paramref name="fail"/> turns into the caller's named error (it gets the reason).</summary>
    public JsonAnswer(Func<string, PtcToolsException> fail) => _fail = fail;

    /// <summary>Decodes an answer body as UTF-8, refusing bytes that are not UTF-8 instead of replacing them.</summary>
    public string Decode(byte[] body)
    {
        try
        {
            return s_strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw _fail("the answer is not valid UTF-8");
        }
    }

    /// <summary>Parses an answer that must be a JSON object. Dates stay text and numbers are doubles.</summary>
    public JObject Object(string text)
    {
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double, MaxDepth = 64 };
            var token = JToken.ReadFrom(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
            return token as JObject ?? throw _fail($"the answer is {PolicyJson.Describe(token.Type)}, not a JSON object");
        }
        catch (JsonException)
        {
            throw _fail("the answer is not a JSON object");
        }
    }

    /// <summary>A string field; null when absent or JSON null.</summary>
    public string? String(JObject json, string name)
    {
        var token = json[name];
        return token is null || token.Type == JTokenType.Null ? null
            : token.Type == JTokenType.String ? (string?)token
            : throw _fail($"'{name}' is {PolicyJson.Describe(token.Type)}, not a string");
    }

    /// <summary>An object field; null when absent or JSON null.</summary>
    public JObject? ObjectField(JObject json, string name)
    {
        var token = json[name];
        return token is null || token.Type == JTokenType.Null ? null
            : token as JObject ?? throw _fail($"'{name}' is {PolicyJson.Describe(token.Type)}, not an object");
    }

    /// <summary>A list field whose items are all objects; null when absent or JSON null.</summary>
    public JObject[]? Objects(JObject json, string name)
    {
        var token = json[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token is not JArray array)
        {
            throw _fail($"'{name}' is {PolicyJson.Describe(token.Type)}, not a list");
        }

        var items = new JObject[array.Count];
        for (var i = 0; i < array.Count; i++)
        {
            items[i] = array[i] as JObject ?? throw _fail($"'{name}[{i}]' is {PolicyJson.Describe(array[i].Type)}, not an object");
        }

        return items;
    }

    /// <summary>A whole number field within <paramref name="min"/>..<paramref name="max"/>; null when absent or JSON null.</summary>
    public long? Integer(JObject json, string name, long min = long.MinValue, long max = long.MaxValue)
    {
        var token = json[name];
        if (token is null || token.Type == JTokenType.Null)
        {
            return null;
        }

        if (token.Type == JTokenType.Integer && ((JValue)token).Value is long value && value >= min && value <= max)
        {
            return value;
        }

        throw _fail($"'{name}' is {(token.Type == JTokenType.Integer || token.Type == JTokenType.Float ? "the number " + token.ToString(Formatting.None) : PolicyJson.Describe(token.Type))}, not a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>A timestamp: epoch seconds (JSON 1.1, possibly with a fraction) or ISO 8601 text; null when absent or JSON null.</summary>
    public DateTimeOffset? Timestamp(JObject json, string name)
    {
        var token = json[name];
        switch (token?.Type)
        {
            case null or JTokenType.Null:
                return null;
            case JTokenType.Integer or JTokenType.Float:
                var number = ((JValue)token).Value switch { long l => l, double d => d, decimal m => (double)m, _ => double.NaN };
                var milliseconds = Math.Round(number * 1000);
                // DateTimeOffset spans the years 1 to 9999; anything else (1e300, NaN, Infinity) is no time.
                if (double.IsNaN(milliseconds) || milliseconds < -62135596800000d || milliseconds > 253402300799999d)
                {
                    throw _fail($"'{name}' is {token.ToString(Formatting.None)}, not a time (epoch seconds between the years 1 and 9999)");
                }

                return DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds);
            case JTokenType.String:
                return DateTimeOffset.TryParse((string?)token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                    ? parsed
                    : throw _fail($"'{name}' is the text '{ServerText.Clean((string?)token, 64)}', not a time");
            default:
                throw _fail($"'{name}' is {PolicyJson.Describe(token.Type)}, not a time");
        }
    }
}
