using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>The condition operator families of IAM.</summary>
internal enum OperatorFamily
{
    StringEquals,
    StringEqualsIgnoreCase,
    StringLike,
    NumericEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    ArnLike,
    Null,
}

/// <summary>How a condition treats a multivalued key.</summary>
internal enum SetQualifier
{
    None,
    ForAllValues,
    ForAnyValue,
}

/// <summary>A condition operator name taken apart: set qualifier, base operator, negation, IfExists.</summary>
internal readonly struct ConditionOperator
{
    private static readonly Dictionary<string, (OperatorFamily Family, bool Negated)> s_base = new(StringComparer.OrdinalIgnoreCase)
    {
        ["StringEquals"] = (OperatorFamily.StringEquals, false),
        ["StringNotEquals"] = (OperatorFamily.StringEquals, true),
        ["StringEqualsIgnoreCase"] = (OperatorFamily.StringEqualsIgnoreCase, false),
        ["StringNotEqualsIgnoreCase"] = (OperatorFamily.StringEqualsIgnoreCase, true),
        ["StringLike"] = (OperatorFamily.StringLike, false),
        ["StringNotLike"] = (OperatorFamily.StringLike, true),
        ["NumericEquals"] = (OperatorFamily.NumericEquals, false),
        ["NumericNotEquals"] = (OperatorFamily.NumericEquals, true),
        ["NumericLessThan"] = (OperatorFamily.NumericLessThan, false),
        ["NumericLessThanEquals"] = (OperatorFamily.NumericLessThanEquals, false),
        ["NumericGreaterThan"] = (OperatorFamily.NumericGreaterThan, false),
        ["NumericGreaterThanEquals"] = (OperatorFamily.NumericGreaterThanEquals, false),
        ["DateEquals"] = (OperatorFamily.DateEquals, false),
        ["DateNotEquals"] = (OperatorFamily.DateEquals, true),
        ["DateLessThan"] = (OperatorFamily.DateLessThan, false),
        ["DateLessThanEquals"] = (OperatorFamily.DateLessThanEquals, false),
        ["DateGreaterThan"] = (OperatorFamily.DateGreaterThan, false),
        ["DateGreaterThanEquals"] = (OperatorFamily.DateGreaterThanEquals, false),
        ["Bool"] = (OperatorFamily.Bool, false),
        ["BinaryEquals"] = (OperatorFamily.BinaryEquals, false),
        ["IpAddress"] = (OperatorFamily.IpAddress, false),
        ["NotIpAddress"] = (OperatorFamily.IpAddress, true),
        ["ArnEquals"] = (OperatorFamily.ArnLike, false),
        ["ArnLike"] = (OperatorFamily.ArnLike, false),
        ["ArnNotEquals"] = (OperatorFamily.ArnLike, true),
        ["ArnNotLike"] = (OperatorFamily.ArnLike, true),
        ["Null"] = (OperatorFamily.Null, false),
    };

    private ConditionOperator(OperatorFamily family, bool negated, bool ifExists, SetQualifier set)
    {
        Family = family;
        Negated = negated;
        IfExists = ifExists;
        Set = set;
    }

    /// <summary>Every base operator name, for messages.</summary>
    public static IEnumerable<string> Names => s_base.Keys;

    public OperatorFamily Family { get; }

    public bool Negated { get; }

    public bool IfExists { get; }

    public SetQualifier Set { get; }

    /// <summary>Parses <c>[ForAllValues:|ForAnyValue:]Base[IfExists]</c> (case-insensitively, as IAM does); false for an unknown operator.</summary>
    public static bool TryParse(string name, out ConditionOperator op, out string? reason)
    {
        op = default;
        reason = null;
        var rest = name;
        var set = SetQualifier.None;
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            var qualifier = name.Substring(0, colon);
            if (qualifier.Equals("ForAllValues", StringComparison.OrdinalIgnoreCase)) { set = SetQualifier.ForAllValues; }
            else if (qualifier.Equals("ForAnyValue", StringComparison.OrdinalIgnoreCase)) { set = SetQualifier.ForAnyValue; }
            else
            {
                reason = $"'{qualifier}' is not a set operator; use ForAllValues: or ForAnyValue:.";
                return false;
            }

            rest = name.Substring(colon + 1);
        }

        var ifExists = false;
        if (!s_base.ContainsKey(rest) && rest.EndsWith("IfExists", StringComparison.OrdinalIgnoreCase))
        {
            rest = rest.Substring(0, rest.Length - "IfExists".Length);
            ifExists = true;
        }

        if (!s_base.TryGetValue(rest, out var info))
        {
            var nearest = s_base.Keys.Select(k => (Name: k, Distance: EcrActions.Levenshtein(k.ToLowerInvariant(), rest.ToLowerInvariant()))).OrderBy(x => x.Distance).First();
            var hint = nearest.Distance <= 3 ? $" (did you mean {nearest.Name}?)" : string.Empty;
            reason = $"'{name}' is not a condition operator{hint}. IAM's operators are the String, Numeric, Date, Arn and IpAddress families, Bool, BinaryEquals and Null, each optionally with IfExists and a ForAllValues:/ForAnyValue: prefix.";
            return false;
        }

        if (ifExists && info.Family == OperatorFamily.Null)
        {
            reason = "'NullIfExists' is not allowed: IfExists cannot be added to the Null operator.";
            return false;
        }

        op = new ConditionOperator(info.Family, info.Negated, ifExists, set);
        return true;
    }

    /// <summary>True for the families whose values may hold policy variables.</summary>
    public bool AllowsVariables => Family is OperatorFamily.StringEquals or OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.StringLike
        or OperatorFamily.Bool or OperatorFamily.ArnLike;

    /// <summary>Parses a numeric value as IAM compares them.</summary>
    public static bool TryParseNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a date: epoch seconds, or ISO 8601 (a time without offset is UTC), to UTC ticks.</summary>
    public static bool TryParseDate(string text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length == 0)
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var epoch))
        {
            if (epoch < -62135596800L || epoch > 253402300799L)
            {
                return false;
            }

            utcTicks = DateTimeOffset.FromUnixTimeSeconds(epoch).UtcTicks;
            return true;
        }

        if (text[0] < '0' || text[0] > '9')
        {
            return false;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            utcTicks = date.UtcTicks;
            return true;
        }

        return false;
    }
}
