using System;
using System.Collections.Generic;
using System.Linq;

namespace PtcTools.Policy.Lint;

/// <summary>The IAM condition operators, with the IfExists suffix and the ForAllValues/ForAnyValue set prefixes.</summary>
public static class ConditionOperators
{
    private static readonly string[] s_base =
    {
        "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike",
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
        "Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
    };

    private static readonly HashSet<string> s_baseSet = new(s_base, StringComparer.Ordinal);

    /// <summary>The operators without prefix or suffix, as IAM spells them.</summary>
    public static IReadOnlyList<string> BaseOperators => s_base;

    /// <summary>True when the operator is one IAM knows: a base operator, optionally with IfExists (not Null) and a set prefix.</summary>
    public static bool IsKnown(string name) => Split(name, out _, out var baseName, out var ifExists) && s_baseSet.Contains(baseName) && !(ifExists && baseName == "Null");

    /// <summary>The base operator without set prefix or IfExists suffix.</summary>
    public static string BaseOf(string name) => Split(name, out _, out var baseName, out _) ? baseName : name;

    /// <summary>True for operators that match when a value is absent or different (StringNotEquals, ArnNotLike, NotIpAddress, ...).</summary>
    public static bool IsNegated(string name) => BaseOf(name).IndexOf("Not", StringComparison.Ordinal) >= 0;

    /// <summary>True when the operator ends with IfExists.</summary>
    public static bool HasIfExists(string name) => name.EndsWith("IfExists", StringComparison.Ordinal);

    /// <summary>The nearest known spelling of a misspelt operator, or null.</summary>
    public static string? Suggest(string name)
    {
        Split(name, out var prefix, out var baseName, out var ifExists, ignoreCase: true);
        var exact = s_base.FirstOrDefault(b => string.Equals(b, baseName, StringComparison.OrdinalIgnoreCase));
        var best = exact ?? s_base.Select(b => (Name: b, Distance: Distance(b.ToLowerInvariant(), baseName.ToLowerInvariant())))
            .Where(x => x.Distance <= 3).OrderBy(x => x.Distance).Select(x => x.Name).FirstOrDefault();
        if (best is null)
        {
            return null;
        }

        var fixedPrefix = prefix.Length == 0 ? string.Empty : prefix.StartsWith("ForAll", StringComparison.OrdinalIgnoreCase) ? "ForAllValues:" : "ForAnyValue:";
        return fixedPrefix + best + (ifExists && best != "Null" ? "IfExists" : string.Empty);
    }

    private static bool Split(string name, out string prefix, out string baseName, out bool ifExists, bool ignoreCase = false)
    {
        prefix = string.Empty;
        baseName = name;
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            prefix = name.Substring(0, colon + 1);
            baseName = name.Substring(colon + 1);
        }

        ifExists = baseName.EndsWith("IfExists", ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal) && baseName.Length > "IfExists".Length;
        if (ifExists)
        {
            baseName = baseName.Substring(0, baseName.Length - "IfExists".Length);
        }

        return prefix is "" or "ForAllValues:" or "ForAnyValue:";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) { d[i, 0] = i; }
        for (var j = 0; j <= b.Length; j++) { d[0, j] = j; }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
