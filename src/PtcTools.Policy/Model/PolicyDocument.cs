using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Json;

namespace PtcTools.Policy.Model;

/// <summary>A policy document held losslessly: every key, its order and its value survive a round trip.</summary>
/// <remarks>
/// Instances are immutable: the tree is private and every change returns a new document. What the
/// module does not understand (unknown keys, odd values) is carried along untouched.
/// </remarks>
public sealed class PolicyDocument : IEquatable<PolicyDocument>
{
    /// <summary>The policy language version every AWS example uses; policy variables need it.</summary>
    public const string CurrentVersion = "2012-10-17";

    /// <summary>ECR's limit on the registry policy text, in characters as sent.</summary>
    public const int MaxRegistryPolicyLength = 10240;

    private readonly JObject _root;
    private readonly PolicyStatement[] _statements;
    private string? _compact;

    // True when the document was written with a single statement object, or derives from one that was:
    // removing what was added then gives back the object form, not a one-element array.
    private readonly bool _singleForm;

    private PolicyDocument(JObject root, string? sourceText, bool derivedFromSingle = false)
    {
        _root = root;
        SourceText = sourceText;
        _statements = ReadStatements(root);
        _singleForm = derivedFromSingle || root["Statement"] is JObject;
    }

    /// <summary>A new, empty policy: <c>{"Version":"2012-10-17","Statement":[]}</c>.</summary>
    public static PolicyDocument CreateEmpty() =>
        new(new JObject(new JProperty("Version", CurrentVersion), new JProperty("Statement", new JArray())), null);

    /// <summary>Parses policy JSON text.</summary>
    /// <exception cref="PolicyJsonException">The text is not a well-formed JSON object.</exception>
    public static PolicyDocument Parse(string text, object? target = null) => new(PolicyJson.ParseObject(text, target), text);

    /// <summary>Wraps a tree just parsed from <paramref name="text"/>; the caller hands it over, so it is not copied.</summary>
    internal static PolicyDocument FromParsed(JObject root, string text) => new(root, text);

    /// <summary>Wraps a token tree (copied, so later changes to it do not leak in).</summary>
    public static PolicyDocument FromJObject(JObject root) => new((JObject)root.DeepClone(), null);

    /// <summary>The text the document was parsed from, when it was parsed; positions refer to it.</summary>
    public string? SourceText { get; }

    /// <summary>The <c>Version</c> element when it is a string, else null.</summary>
    public string? Version => (_root["Version"] as JValue)?.Type == JTokenType.String ? (string?)_root["Version"] : null;

    /// <summary>The <c>Id</c> element when it is a string, else null.</summary>
    public string? Id => (_root["Id"] as JValue)?.Type == JTokenType.String ? (string?)_root["Id"] : null;

    /// <summary>The statements, in order. A single statement object counts as a list of one.</summary>
    public IReadOnlyList<PolicyStatement> Statements => _statements;

    /// <summary>True when <c>Statement</c> is present and is a single object rather than an array.</summary>
    public bool HasSingleStatementObject => _root["Statement"] is JObject;

    /// <summary>True when the document has a <c>Statement</c> key.</summary>
    public bool HasStatementElement => _root.ContainsKey("Statement");

    /// <summary>The compact JSON text, as ECR stores it.</summary>
    public string ToCompactJson() => _compact ??= PolicyJson.ToCompact(_root);

    /// <summary>The indented JSON text, for files and reviews.</summary>
    public string ToIndentedJson() => PolicyJson.ToIndented(_root);

    /// <summary>The length of the compact text, which ECR compares with its 10240-character limit.</summary>
    public int CompactLength => ToCompactJson().Length;

    /// <summary>A copy of the whole tree.</summary>
    public JObject ToJObject() => (JObject)_root.DeepClone();

    /// <summary>The value of a top-level key (a copy), or null.</summary>
    public JToken? GetElement(string name) => _root[name]?.DeepClone();

    /// <summary>A new document with the given statements in place of the current ones; every other key keeps its place and value.</summary>
    /// <remarks>A single statement object (in this document or the one it derives from) stays an object when exactly one statement remains; otherwise the element is an array.</remarks>
    public PolicyDocument WithStatements(IEnumerable<PolicyStatement> statements)
    {
        var list = statements.ToList();
        var root = (JObject)_root.DeepClone();
        // ToJToken, not ToJObject: entries that are not objects are kept as they are, never dropped.
        JToken value = _singleForm && list.Count == 1 && list[0].IsObject
            ? list[0].ToJObject()
            : new JArray(list.Select(s => (object)s.ToJToken()).ToArray());
        if (root.Property("Statement") is { } existing)
        {
            existing.Value = value;
        }
        else
        {
            root.Add("Statement", value);
        }

        return new PolicyDocument(root, null, _singleForm);
    }

    /// <summary>True when both documents hold the same JSON, key order included.</summary>
    public bool Equals(PolicyDocument? other) =>
        other is not null && string.Equals(ToCompactJson(), other.ToCompactJson(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PolicyDocument);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCompactJson());

    /// <summary>The compact JSON.</summary>
    public override string ToString() => ToCompactJson();

    private static PolicyStatement[] ReadStatements(JObject root)
    {
        var element = root["Statement"];
        return element switch
        {
            JObject single => new[] { new PolicyStatement(single, 0) },
            JArray array => array.Select((t, i) => t is JObject o ? new PolicyStatement(o, i) : PolicyStatement.FromNonObject(t, i)).ToArray(),
            _ => Array.Empty<PolicyStatement>(),
        };
    }
}
