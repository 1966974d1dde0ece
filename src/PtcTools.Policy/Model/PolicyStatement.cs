using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Json;

namespace PtcTools.Policy.Model;

/// <summary>One statement of a policy, held losslessly, with typed views of the elements IAM defines.</summary>
public sealed class PolicyStatement : IEquatable<PolicyStatement>
{
    private readonly JObject _json;
    private string? _compact;

    internal PolicyStatement(JObject json, int index)
    {
        _json = json;
        Index = index;
        if (json is IJsonLineInfo info && info.HasLineInfo())
        {
            Line = info.LineNumber;
            Column = info.LinePosition;
        }

        IsObject = true;
    }

    private PolicyStatement(JObject json, int index, bool isObject, int line, int column)
    {
        _json = json;
        Index = index;
        IsObject = isObject;
        Line = line;
        Column = column;
    }

    /// <summary>A statement from its JSON object (copied).</summary>
    public static PolicyStatement FromJObject(JObject json) => new((JObject)json.DeepClone(), -1, true, 0, 0);

    /// <summary>A statement from JSON text.</summary>
    /// <exception cref="PolicyJsonException">The text is not a JSON object.</exception>
    public static PolicyStatement Parse(string text, object? target = null) => new(PolicyJson.ParseObject(text, target), -1);

    internal static PolicyStatement FromNonObject(JToken token, int index)
    {
        // Kept so that nothing is dropped on a round trip; lint reports it.
        var info = (IJsonLineInfo)token;
        var holder = new JObject { ["__nonObject"] = token.DeepClone() };
        return new PolicyStatement(holder, index, false, info.HasLineInfo() ? info.LineNumber : 0, info.HasLineInfo() ? info.LinePosition : 0);
    }

    /// <summary>The position in the policy's statement list (0-based), or -1 for a free-standing statement.</summary>
    public int Index { get; }

    /// <summary>False when the statement list held something other than an object here (kept as is).</summary>
    public bool IsObject { get; }

    /// <summary>The 1-based line of the statement in the source text, or 0.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the statement in the source text, or 0.</summary>
    public int Column { get; }

    /// <summary>The Sid when it is a string, else null.</summary>
    public string? Sid => StringValue("Sid");

    /// <summary>The Effect when it is a string, else null.</summary>
    public string? Effect => StringValue("Effect");

    /// <summary>The Action values (a single string counts as one).</summary>
    public IReadOnlyList<string> Action => StringList("Action");

    /// <summary>The NotAction values.</summary>
    public IReadOnlyList<string> NotAction => StringList("NotAction");

    /// <summary>The Resource values.</summary>
    public IReadOnlyList<string> Resource => StringList("Resource");

    /// <summary>The NotResource values.</summary>
    public IReadOnlyList<string> NotResource => StringList("NotResource");

    /// <summary>The Principal values as (type, value) pairs; <c>"*"</c> is ("*", "*").</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Principal => PrincipalList("Principal");

    /// <summary>The NotPrincipal values as (type, value) pairs.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> NotPrincipal => PrincipalList("NotPrincipal");

    /// <summary>The Condition block (a copy), or null.</summary>
    public JObject? Condition => _json["Condition"] is JObject c ? (JObject)c.DeepClone() : null;

    /// <summary>True when the statement has the key (case-sensitive, as IAM is).</summary>
    public bool Has(string key) => _json.ContainsKey(key);

    /// <summary>The raw value of a key (a copy), or null.</summary>
    public JToken? Get(string key) => _json[key]?.DeepClone();

    /// <summary>The keys, in order.</summary>
    public IEnumerable<string> Keys => _json.Properties().Select(p => p.Name);

    /// <summary>A copy of the JSON object (for a non-object entry, the original token).</summary>
    public JToken ToJToken() => IsObject ? _json.DeepClone() : _json["__nonObject"]!.DeepClone();

    /// <summary>A copy of the JSON object.</summary>
    public JObject ToJObject() => IsObject ? (JObject)_json.DeepClone() : throw new InvalidOperationException("This statement entry is not a JSON object.");

    /// <summary>The compact JSON of the statement.</summary>
    public string ToCompactJson() => _compact ??= PolicyJson.ToCompact(IsObject ? _json : _json["__nonObject"]!);

    /// <summary>A copy with one key set (added at the end when new, replaced in place when present).</summary>
    public PolicyStatement With(string key, JToken value)
    {
        var copy = ToJObject();
        if (copy.Property(key) is { } p)
        {
            p.Value = value.DeepClone();
        }
        else
        {
            copy.Add(key, value.DeepClone());
        }

        return new PolicyStatement(copy, Index, true, Line, Column);
    }

    /// <summary>Same JSON, key order included.</summary>
    public bool Equals(PolicyStatement? other) => other is not null && string.Equals(ToCompactJson(), other.ToCompactJson(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PolicyStatement);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToCompactJson());

    /// <summary>The compact JSON.</summary>
    public override string ToString() => ToCompactJson();

    private string? StringValue(string key) => _json[key] is JValue { Type: JTokenType.String } v ? (string?)v : null;

    private string[] StringList(string key) => Grammar.PolicyGrammar.Strings(_json[key]) ?? Array.Empty<string>();

    private IReadOnlyList<KeyValuePair<string, string>> PrincipalList(string key)
    {
        switch (_json[key])
        {
            case JValue { Type: JTokenType.String } v:
                return new[] { new KeyValuePair<string, string>((string)v! == "*" ? "*" : "AWS", (string)v!) };
            case JObject o:
                var list = new List<KeyValuePair<string, string>>();
                foreach (var p in o.Properties())
                {
                    foreach (var s in Grammar.PolicyGrammar.Strings(p.Value) ?? Array.Empty<string>())
                    {
                        list.Add(new KeyValuePair<string, string>(p.Name, s));
                    }
                }

                return list;
            default:
                return Array.Empty<KeyValuePair<string, string>>();
        }
    }
}
