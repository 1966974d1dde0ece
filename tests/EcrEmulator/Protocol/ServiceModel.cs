using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EcrEmulator.Protocol;

/// <summary>The ECR service model (a trimmed botocore JSON model) and request validation driven by its constraints.</summary>
public sealed class ServiceModel
{
    private const string ResourceName = "EcrEmulator.ecr-2015-09-21.model.json";

    // The repository creation template operations come from a second subset of the same model (shared/reference);
    // where both define a shape or operation, the main model's is used.
    private const string TemplatesResourceName = "EcrEmulator.ecr-2015-09-21.templates.model.json";
    private static readonly Lazy<ServiceModel> s_ecr = new(LoadEmbedded);

    private readonly JsonElement[] _operations;
    private readonly JsonElement[] _shapes;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    private ServiceModel(JsonDocument document, params JsonDocument[] more)
    {
        var root = document.RootElement;
        var metadata = root.GetProperty("metadata");
        TargetPrefix = metadata.GetProperty("targetPrefix").GetString()!;
        SigningName = metadata.GetProperty("signingName").GetString()!;
        _operations = new[] { root }.Concat(more.Select(m => m.RootElement)).Select(r => r.GetProperty("operations")).ToArray();
        _shapes = new[] { root }.Concat(more.Select(m => m.RootElement)).Select(r => r.GetProperty("shapes")).ToArray();
    }

    /// <summary>The ECR model shipped inside this assembly.</summary>
    public static ServiceModel Ecr => s_ecr.Value;

    /// <summary>The X-Amz-Target prefix, <c>AmazonEC2ContainerRegistry_V20150921</c>.</summary>
    public string TargetPrefix { get; }

    /// <summary>The SigV4 signing name, <c>ecr</c>.</summary>
    public string SigningName { get; }

    /// <summary>Whether the model defines the operation.</summary>
    public bool HasOperation(string operation) => _operations.Any(o => o.TryGetProperty(operation, out _));

    /// <summary>The names of the errors the model lists for an operation.</summary>
    public IReadOnlyList<string> ErrorsOf(string operation) =>
        Operation(operation).GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("shape").GetString()!).ToList();

    /// <summary>A shape's numeric or string trait, e.g. <c>Trait("RegistryPolicyText", "max")</c>.</summary>
    public JsonElement? Trait(string shape, string trait) =>
        Shape(shape).TryGetProperty(trait, out var value) ? value : null;

    /// <summary>The enum values of a string shape.</summary>
    public IReadOnlyList<string> EnumOf(string shape) =>
        Shape(shape).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();

    /// <summary>
    /// Checks an operation's input against the model: JSON types (SerializationException), then required
    /// members, lengths, ranges, patterns and enums, all reported at once (ValidationException).
    /// </summary>
    public void ValidateInput(string operation, JsonElement input)
    {
        var shapeName = Operation(operation).GetProperty("input").GetProperty("shape").GetString()!;
        if (input.ValueKind != JsonValueKind.Object)
        {
            throw EcrError.Serialization("Start of structure or map found where not expected.");
        }
        var problems = new List<string>();
        ValidateValue(shapeName, input, path: null, problems);
        if (problems.Count > 0)
        {
            var count = problems.Count == 1 ? "1 validation error detected: " : $"{problems.Count} validation errors detected: ";
            throw EcrError.Validation(count + string.Join("; ", problems));
        }
    }

    private void ValidateValue(string shapeName, JsonElement value, string? path, List<string> problems)
    {
        var shape = Shape(shapeName);
        var type = shape.GetProperty("type").GetString();
        if (value.ValueKind == JsonValueKind.Null)
        {
            return; // an explicit null reads as an absent member
        }
        switch (type)
        {
            case "structure":
                ValidateStructure(shape, value, path, problems);
                break;
            case "list":
                ValidateList(shape, value, path!, problems);
                break;
            case "string":
                ValidateString(shape, value, path!, problems);
                break;
            case "integer":
            case "long":
                ValidateInteger(shape, value, path!, problems);
                break;
            case "boolean":
                if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw WrongType(path!, "a boolean");
                }
                break;
            case "timestamp":
                if (value.ValueKind != JsonValueKind.Number)
                {
                    throw WrongType(path!, "a timestamp in epoch seconds");
                }
                break;
            default:
                throw new InvalidOperationException($"The model shape '{shapeName}' has type '{type}', which the emulator does not validate.");
        }
    }

    private void ValidateStructure(JsonElement shape, JsonElement value, string? path, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path ?? "input", "a structure");
        }
        var members = shape.GetProperty("members");
        if (shape.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!value.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
                {
                    problems.Add($"Value null at '{Join(path, name)}' failed to satisfy constraint: Member must not be null");
                }
            }
        }
        // Unknown members are ignored, as AWS services do, so newer clients keep working.
        foreach (var member in members.EnumerateObject())
        {
            if (value.TryGetProperty(member.Name, out var memberValue))
            {
                ValidateValue(member.Value.GetProperty("shape").GetString()!, memberValue, Join(path, member.Name), problems);
            }
        }
    }

    private void ValidateList(JsonElement shape, JsonElement value, string path, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(path, "a list");
        }
        var count = value.GetArrayLength();
        CheckLength(shape, count, $"Value '[{string.Join(", ", value.EnumerateArray().Select(Display))}]'", path, problems);
        var memberShape = shape.GetProperty("member").GetProperty("shape").GetString()!;
        var index = 1;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Null)
            {
                problems.Add($"Value null at '{path}.{index}.member' failed to satisfy constraint: Member must not be null");
            }
            else
            {
                ValidateValue(memberShape, item, $"{path}.{index}.member", problems);
            }
            index++;
        }
    }

    private void ValidateString(JsonElement shape, JsonElement value, string path, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(path, "a string");
        }
        var text = value.GetString()!;
        var shown = $"Value '{Shorten(text)}'";
        // Smithy counts a string's length in Unicode scalar values, not UTF-16 units.
        CheckLength(shape, text.EnumerateRunes().Count(), shown, path, problems);
        if (shape.TryGetProperty("pattern", out var pattern) && !Matches(pattern.GetString()!, text))
        {
            problems.Add($"{shown} at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern.GetString()}");
        }
        if (shape.TryGetProperty("enum", out var values))
        {
            var allowed = values.EnumerateArray().Select(v => v.GetString()!).ToList();
            if (!allowed.Contains(text, StringComparer.Ordinal))
            {
                problems.Add($"{shown} at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
            }
        }
    }

    private static void ValidateInteger(JsonElement shape, JsonElement value, string path, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw WrongType(path, "an integer");
        }
        if (shape.TryGetProperty("min", out var min) && number < min.GetInt64())
        {
            problems.Add($"Value '{number}' at '{path}' failed to satisfy constraint: Member must have value greater than or equal to {min.GetInt64()}");
        }
        if (shape.TryGetProperty("max", out var max) && number > max.GetInt64())
        {
            problems.Add($"Value '{number}' at '{path}' failed to satisfy constraint: Member must have value less than or equal to {max.GetInt64()}");
        }
    }

    private static void CheckLength(JsonElement shape, long length, string shown, string path, List<string> problems)
    {
        if (shape.TryGetProperty("min", out var min) && length < min.GetInt64())
        {
            problems.Add($"{shown} at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min.GetInt64()}");
        }
        if (shape.TryGetProperty("max", out var max) && length > max.GetInt64())
        {
            problems.Add($"{shown} at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max.GetInt64()}");
        }
    }

    private bool Matches(string pattern, string text)
    {
        Regex? regex;
        lock (_patterns)
        {
            if (!_patterns.TryGetValue(pattern, out regex))
            {
                // Model patterns are matched against the whole value, the way AWS's validators apply them.
                regex = new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                _patterns[pattern] = regex;
            }
        }
        return regex.IsMatch(text);
    }

    private static EcrError WrongType(string path, string expected) =>
        EcrError.Serialization($"The value at '{path}' must be {expected}.");

    private static string Join(string? path, string name) => path is null ? name : path + "." + name;

    private static string Display(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? Shorten(element.GetString()!) : element.GetRawText();

    private static string Shorten(string text) => text.Length <= 256 ? text : text.Substring(0, 256) + "...";

    private JsonElement Operation(string name) => Find(_operations, name, "operation");

    private JsonElement Shape(string name) => Find(_shapes, name, "shape");

    private static JsonElement Find(JsonElement[] tables, string name, string what)
    {
        foreach (var table in tables)
        {
            if (table.TryGetProperty(name, out var found))
            {
                return found;
            }
        }
        throw new KeyNotFoundException($"The service model has no {what} '{name}'.");
    }

    private static ServiceModel LoadEmbedded() => new(Load(ResourceName), Load(TemplatesResourceName));

    private static JsonDocument Load(string resource)
    {
        using var stream = typeof(ServiceModel).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is missing from the emulator assembly.");
        return JsonDocument.Parse(stream);
    }
}
