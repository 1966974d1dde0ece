using System;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>Parses the small JSON answers of credential endpoints and processes; a malformed one is the source's named error, never a cast exception.</summary>
internal sealed class JsonResponse
{
    private readonly JsonAnswer _answer;

    private JsonResponse(JObject json, JsonAnswer answer)
    {
        Json = json;
        _answer = answer;
    }

    /// <summary>The answer.</summary>
    public JObject Json { get; }

    /// <summary>Parses an answer that must be a JSON object; failures are <paramref name="errorId"/> (InvalidData) about <paramref name="what"/>.</summary>
    public static JsonResponse Parse(string body, string errorId, object? target, string what = "The answer")
    {
        var answer = new JsonAnswer(reason => new AwsClientException(errorId, PolicyErrorKind.InvalidData, $"{what} is malformed: {reason}.", target));
        return new JsonResponse(answer.Object(body), answer);
    }

    /// <summary>A string field, or null when absent.</summary>
    public string? String(string name) => _answer.String(Json, name);

    /// <summary>A string field of a nested object, or null when absent.</summary>
    public string? String(JObject json, string name) => _answer.String(json, name);

    /// <summary>An object field, or null when absent.</summary>
    public JObject? Object(string name) => _answer.ObjectField(Json, name);

    /// <summary>A whole number field in a range, or null when absent.</summary>
    public long? Integer(string name, long min, long max) => _answer.Integer(Json, name, min, max);

    /// <summary>A whole number field of a nested object in a range, or null when absent.</summary>
    public long? Integer(JObject json, string name, long min, long max) => _answer.Integer(json, name, min, max);

    /// <summary>An ISO 8601 (or epoch seconds) time field, or null when absent.</summary>
    public DateTimeOffset? Date(string name) => _answer.Timestamp(Json, name);
}
