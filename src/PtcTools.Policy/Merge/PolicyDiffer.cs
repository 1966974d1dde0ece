using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Merge;

/// <summary>How a statement (or a top-level element) differs between two policies.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PolicyChangeKind
{
    /// <summary>Only in the difference policy.</summary>
    Added,
    /// <summary>Only in the reference policy.</summary>
    Removed,
    /// <summary>In both (same Sid) with another meaning.</summary>
    Modified,
    /// <summary>In both with the same meaning.</summary>
    Unchanged,
}

/// <summary>One difference between two policies: a statement, or a top-level element such as Version.</summary>
public sealed class PolicyChange
{
    /// <summary>The element name used for statement changes.</summary>
    public const string StatementElement = "Statement";

    internal PolicyChange(PolicyChangeKind kind, string element, PolicyStatement? reference, PolicyStatement? difference, IReadOnlyList<string> changedKeys, JToken? referenceValue = null, JToken? differenceValue = null)
    {
        Kind = kind;
        Element = element;
        Reference = reference;
        Difference = difference;
        ChangedKeys = changedKeys;
        ReferenceValue = referenceValue;
        DifferenceValue = differenceValue;
    }

    /// <summary>Added, Removed, Modified or Unchanged.</summary>
    public PolicyChangeKind Kind { get; }

    /// <summary><c>Statement</c> for a statement; otherwise the top-level key that differs (Version, Id, ...).</summary>
    public string Element { get; }

    /// <summary>The statement in the reference policy (null when added).</summary>
    public PolicyStatement? Reference { get; }

    /// <summary>The statement in the difference policy (null when removed).</summary>
    public PolicyStatement? Difference { get; }

    /// <summary>The Sid of the statement (from either side), or null.</summary>
    public string? Sid => Difference?.Sid ?? Reference?.Sid;

    /// <summary>For a modified statement, the keys whose meaning differs (Action, Resource, ...), sorted.</summary>
    public IReadOnlyList<string> ChangedKeys { get; }

    /// <summary>For a top-level element, its value in the reference policy (null when absent).</summary>
    public JToken? ReferenceValue { get; }

    /// <summary>For a top-level element, its value in the difference policy (null when absent).</summary>
    public JToken? DifferenceValue { get; }

    /// <summary>The position of the statement in the reference policy, or -1.</summary>
    public int ReferenceIndex => Reference?.Index ?? -1;

    /// <summary>The position of the statement in the difference policy, or -1.</summary>
    public int DifferenceIndex => Difference?.Index ?? -1;

    /// <summary>One line for people: what changed and where.</summary>
    public string Describe()
    {
        if (Element != StatementElement)
        {
            return $"{Element}: {Show(ReferenceValue)} -> {Show(DifferenceValue)}";
        }

        var name = Sid is { } sid ? $"'{sid}'" : "(no Sid)";
        return Kind switch
        {
            PolicyChangeKind.Added => $"{name} added at position {DifferenceIndex}",
            PolicyChangeKind.Removed => $"{name} removed from position {ReferenceIndex}",
            PolicyChangeKind.Modified => $"{name} changed in {string.Join(", ", ChangedKeys)}",
            _ => $"{name} unchanged",
        };
    }

    /// <summary>The description.</summary>
    public override string ToString() => Describe();

    private static string Show(JToken? value) => value is null ? "(absent)" : PolicyJson.ToCompact(value);
}

/// <summary>Compares two policies statement by statement, by meaning, as Set -WhatIf and Compare-PtcRegistryPolicy show it.</summary>
public static class PolicyDiffer
{
    /// <summary>The changes from <paramref name="reference"/> to <paramref name="difference"/>, unchanged statements included.</summary>
    /// <remarks>
    /// Statements with a Sid are paired by Sid (in order, when a Sid repeats); statements without one
    /// are paired by meaning. Top-level elements other than Statement that differ come first, then
    /// removed statements in reference order, then the difference policy's statements in order.
    /// </remarks>
    public static IReadOnlyList<PolicyChange> Compare(PolicyDocument reference, PolicyDocument difference)
    {
        if (reference is null)
        {
            throw new ArgumentNullException(nameof(reference));
        }

        if (difference is null)
        {
            throw new ArgumentNullException(nameof(difference));
        }

        var changes = new List<PolicyChange>();
        changes.AddRange(CompareElements(reference, difference));

        var referenceStatements = reference.Statements.ToList();
        var pairs = new PolicyStatement?[difference.Statements.Count];
        var used = new bool[referenceStatements.Count];

        for (var d = 0; d < difference.Statements.Count; d++)
        {
            if (difference.Statements[d].Sid is { } sid)
            {
                var r = FirstUnused(used, i => string.Equals(referenceStatements[i].Sid, sid, StringComparison.Ordinal));
                if (r >= 0)
                {
                    used[r] = true;
                    pairs[d] = referenceStatements[r];
                }
            }
        }

        var referenceMeanings = referenceStatements.Select(StatementMeaning.Of).ToList();
        for (var d = 0; d < difference.Statements.Count; d++)
        {
            if (difference.Statements[d].Sid is null)
            {
                var meaning = StatementMeaning.Of(difference.Statements[d]);
                var r = FirstUnused(used, i => referenceStatements[i].Sid is null && referenceMeanings[i].Equals(meaning));
                if (r >= 0)
                {
                    used[r] = true;
                    pairs[d] = referenceStatements[r];
                }
            }
        }

        for (var r = 0; r < referenceStatements.Count; r++)
        {
            if (!used[r])
            {
                changes.Add(new PolicyChange(PolicyChangeKind.Removed, PolicyChange.StatementElement, referenceStatements[r], null, Array.Empty<string>()));
            }
        }

        for (var d = 0; d < difference.Statements.Count; d++)
        {
            var after = difference.Statements[d];
            if (pairs[d] is not { } before)
            {
                changes.Add(new PolicyChange(PolicyChangeKind.Added, PolicyChange.StatementElement, null, after, Array.Empty<string>()));
                continue;
            }

            var keys = StatementMeaning.DifferingElements(before, after);
            changes.Add(new PolicyChange(keys.Count == 0 ? PolicyChangeKind.Unchanged : PolicyChangeKind.Modified, PolicyChange.StatementElement, before, after, keys));
        }

        return changes;
    }

    /// <summary>True when the two policies differ in meaning (any change other than Unchanged).</summary>
    public static bool HasChanges(PolicyDocument reference, PolicyDocument difference) =>
        Compare(reference, difference).Any(c => c.Kind != PolicyChangeKind.Unchanged);

    private static int FirstUnused(bool[] used, Func<int, bool> match)
    {
        for (var i = 0; i < used.Length; i++)
        {
            if (!used[i] && match(i))
            {
                return i;
            }
        }

        return -1;
    }

    private static IEnumerable<PolicyChange> CompareElements(PolicyDocument reference, PolicyDocument difference)
    {
        var left = reference.ToJObject();
        var right = difference.ToJObject();
        var names = left.Properties().Select(p => p.Name).Concat(right.Properties().Select(p => p.Name))
            .Where(n => n != "Statement").Distinct(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var a = left[name];
            var b = right[name];
            if (a is null || b is null || !string.Equals(PolicyJson.ToCompact(a), PolicyJson.ToCompact(b), StringComparison.Ordinal))
            {
                var kind = a is null ? PolicyChangeKind.Added : b is null ? PolicyChangeKind.Removed : PolicyChangeKind.Modified;
                yield return new PolicyChange(kind, name, null, null, Array.Empty<string>(), a, b);
            }
        }
    }
}
