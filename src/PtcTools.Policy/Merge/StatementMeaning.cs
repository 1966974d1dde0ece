using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Merge;

/// <summary>The semantic normal form of a statement: two statements with the same meaning grant the same thing.</summary>
/// <remarks>
/// What does not count: key order, the Sid, action case and order, duplicates in a list, a string
/// versus a one-element array, an account id versus its root ARN, principal, resource and condition
/// value order. Everything else counts and is compared losslessly: unknown keys and their values, number
/// spelling, Effect, condition operators and keys.
/// </remarks>
public sealed class StatementMeaning : IEquatable<StatementMeaning>
{
    private StatementMeaning(string key, IReadOnlyDictionary<string, string> elements)
    {
        Key = key;
        Elements = elements;
    }

    /// <summary>The canonical text: equal for statements with the same meaning, different otherwise.</summary>
    public string Key { get; }

    /// <summary>The canonical text of each top-level key except Sid, to name which elements differ.</summary>
    public IReadOnlyDictionary<string, string> Elements { get; }

    /// <summary>The meaning of a statement.</summary>
    public static StatementMeaning Of(PolicyStatement statement)
    {
        if (!statement.IsObject)
        {
            var raw = "!" + statement.ToCompactJson();
            return new StatementMeaning(raw, new Dictionary<string, string> { ["(entry)"] = raw });
        }

        var json = statement.ToJObject();
        var elements = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in json.Properties())
        {
            if (property.Name == "Sid")
            {
                continue;
            }

            elements[property.Name] = PolicyJson.ToCompact(Canonical(property.Name, property.Value));
        }

        var key = string.Join(",", elements.Select(e => PolicyJson.ToCompact(new JValue(e.Key)) + ":" + e.Value));
        return new StatementMeaning("{" + key + "}", elements);
    }

    /// <summary>True when two statements mean the same.</summary>
    public static bool Same(PolicyStatement a, PolicyStatement b) => Of(a).Equals(Of(b));

    /// <summary>The names of the top-level keys whose meaning differs between two statements (Sid excluded), sorted.</summary>
    public static IReadOnlyList<string> DifferingElements(PolicyStatement a, PolicyStatement b)
    {
        var x = Of(a).Elements;
        var y = Of(b).Elements;
        return x.Keys.Union(y.Keys, StringComparer.Ordinal)
            .Where(k => !x.TryGetValue(k, out var vx) || !y.TryGetValue(k, out var vy) || !string.Equals(vx, vy, StringComparison.Ordinal))
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToArray();
    }

    /// <inheritdoc />
    public bool Equals(StatementMeaning? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as StatementMeaning);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    /// <summary>The canonical text.</summary>
    public override string ToString() => Key;

    private static JToken Canonical(string name, JToken value)
    {
        if (PolicyGrammar.ActionElements.Contains(name, StringComparer.Ordinal))
        {
            return StringSet(value, s => s.ToLowerInvariant());
        }

        if (PolicyGrammar.ResourceElements.Contains(name, StringComparer.Ordinal))
        {
            return StringSet(value, s => s);
        }

        if (PolicyGrammar.PrincipalElements.Contains(name, StringComparer.Ordinal))
        {
            return CanonicalPrincipal(value);
        }

        if (name == "Condition" && value is JObject condition)
        {
            return CanonicalCondition(condition);
        }

        // Unknown keys and unexpected shapes count exactly as written.
        return value.DeepClone();
    }

    // A string or an array of strings is a set; anything else is kept exactly (and so compared exactly).
    private static JToken StringSet(JToken value, Func<string, string> normalize)
    {
        var strings = PolicyGrammar.Strings(value);
        if (strings is null)
        {
            return new JArray("!raw", value.DeepClone());
        }

        return new JArray(strings.Select(normalize).Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToArray());
    }

    private static JToken CanonicalPrincipal(JToken value)
    {
        if (value is JValue { Type: JTokenType.String } star && (string?)star == "*")
        {
            return new JValue("*");
        }

        if (value is not JObject principal)
        {
            return new JArray("!raw", value.DeepClone());
        }

        var result = new JObject();
        foreach (var property in principal.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var strings = PolicyGrammar.Strings(property.Value);
            if (strings is null)
            {
                result.Add(property.Name, new JArray("!raw", property.Value.DeepClone()));
                continue;
            }

            var type = property.Name;
            var keys = strings.Select(s => PrincipalId.TryParse(s, type, out var id, out _, out _) ? id.EquivalenceKey : "!" + s);
            result.Add(property.Name, new JArray(keys.Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToArray()));
        }

        return result;
    }

    private static JToken CanonicalCondition(JObject condition)
    {
        var result = new JObject();
        foreach (var op in condition.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (op.Value is not JObject keys)
            {
                result.Add(op.Name, new JArray("!raw", op.Value.DeepClone()));
                continue;
            }

            var canonicalKeys = new JObject();
            foreach (var key in keys.Properties().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                // Condition values are alternatives: their order and a one-element array do not count.
                canonicalKeys.Add(key.Name, key.Value is JArray or JValue { Type: JTokenType.String }
                    ? ValueSet(key.Value)
                    : new JArray("!raw", key.Value.DeepClone()));
            }

            result.Add(op.Name, canonicalKeys);
        }

        return result;
    }

    private static JToken ValueSet(JToken value)
    {
        var items = value is JArray array ? array.ToList() : new List<JToken> { value };
        return new JArray(items.Select(PolicyJson.ToCompact).Distinct(StringComparer.Ordinal).OrderBy(s => s, StringComparer.Ordinal).ToArray());
    }
}
