using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Linq;

namespace PtcTools.Policy.Grammar;

/// <summary>The condition operator families of IAM: what a condition compares and how.</summary>
public enum OperatorFamily
{
    /// <summary>StringEquals, StringNotEquals: exact, case-sensitive.</summary>
    StringEquals,
    /// <summary>StringEqualsIgnoreCase, StringNotEqualsIgnoreCase.</summary>
    StringEqualsIgnoreCase,
    /// <summary>StringLike, StringNotLike: case-sensitive, <c>*</c> and <c>?</c> anywhere.</summary>
    StringLike,
    /// <summary>NumericEquals, NumericNotEquals.</summary>
    NumericEquals,
    /// <summary>NumericLessThan.</summary>
    NumericLessThan,
    /// <summary>NumericLessThanEquals.</summary>
    NumericLessThanEquals,
    /// <summary>NumericGreaterThan.</summary>
    NumericGreaterThan,
    /// <summary>NumericGreaterThanEquals.</summary>
    NumericGreaterThanEquals,
    /// <summary>DateEquals, DateNotEquals.</summary>
    DateEquals,
    /// <summary>DateLessThan.</summary>
    DateLessThan,
    /// <summary>DateLessThanEquals.</summary>
    DateLessThanEquals,
    /// <summary>DateGreaterThan.</summary>
    DateGreaterThan,
    /// <summary>DateGreaterThanEquals.</summary>
    DateGreaterThanEquals,
    /// <summary>Bool.</summary>
    Bool,
    /// <summary>BinaryEquals (base64 text).</summary>
    BinaryEquals,
    /// <summary>IpAddress, NotIpAddress.</summary>
    IpAddress,
    /// <summary>ArnEquals, ArnLike, ArnNotEquals, ArnNotLike (the two spellings behave alike).</summary>
    ArnLike,
    /// <summary>Null: whether the key is absent.</summary>
    Null,
}

/// <summary>How a condition treats a multivalued key.</summary>
public enum SetQualifier
{
    /// <summary>No qualifier: the key must be single-valued.</summary>
    None,
    /// <summary><c>ForAllValues:</c>: every request value must match (true for an absent or empty key).</summary>
    ForAllValues,
    /// <summary><c>ForAnyValue:</c>: at least one request value must match (false for an absent or empty key).</summary>
    ForAnyValue,
}

/// <summary>A condition operator name taken apart, <c>[ForAllValues:|ForAnyValue:]Base[IfExists]</c>: the one grammar of operators for lint and evaluation.</summary>
/// <remarks>
/// Operator names are case-sensitive, as IAM reads them: the IAM reference spells every operator in one
/// case, says only context key names are case-insensitive, and IAM refuses a policy with
/// <c>stringEquals</c> ("Invalid Condition type"). See docs/decisions.md (issue 10).
/// </remarks>
public readonly struct ConditionOperator
{
    private const string IfExistsSuffix = "IfExists";

    private static readonly (string Name, OperatorFamily Family, bool Negated)[] s_base =
    {
        ("StringEquals", OperatorFamily.StringEquals, false),
        ("StringNotEquals", OperatorFamily.StringEquals, true),
        ("StringEqualsIgnoreCase", OperatorFamily.StringEqualsIgnoreCase, false),
        ("StringNotEqualsIgnoreCase", OperatorFamily.StringEqualsIgnoreCase, true),
        ("StringLike", OperatorFamily.StringLike, false),
        ("StringNotLike", OperatorFamily.StringLike, true),
        ("NumericEquals", OperatorFamily.NumericEquals, false),
        ("NumericNotEquals", OperatorFamily.NumericEquals, true),
        ("NumericLessThan", OperatorFamily.NumericLessThan, false),
        ("NumericLessThanEquals", OperatorFamily.NumericLessThanEquals, false),
        ("NumericGreaterThan", OperatorFamily.NumericGreaterThan, false),
        ("NumericGreaterThanEquals", OperatorFamily.NumericGreaterThanEquals, false),
        ("DateEquals", OperatorFamily.DateEquals, false),
        ("DateNotEquals", OperatorFamily.DateEquals, true),
        ("DateLessThan", OperatorFamily.DateLessThan, false),
        ("DateLessThanEquals", OperatorFamily.DateLessThanEquals, false),
        ("DateGreaterThan", OperatorFamily.DateGreaterThan, false),
        ("DateGreaterThanEquals", OperatorFamily.DateGreaterThanEquals, false),
        ("Bool", OperatorFamily.Bool, false),
        ("BinaryEquals", OperatorFamily.BinaryEquals, false),
        ("IpAddress", OperatorFamily.IpAddress, false),
        ("NotIpAddress", OperatorFamily.IpAddress, true),
        ("ArnEquals", OperatorFamily.ArnLike, false),
        ("ArnLike", OperatorFamily.ArnLike, false),
        ("ArnNotEquals", OperatorFamily.ArnLike, true),
        ("ArnNotLike", OperatorFamily.ArnLike, true),
        ("Null", OperatorFamily.Null, false),
    };

    private static readonly Dictionary<string, (OperatorFamily Family, bool Negated)> s_byName =
        s_base.ToDictionary(b => b.Name, b => (b.Family, b.Negated), StringComparer.Ordinal);

    private ConditionOperator(string name, string baseName, OperatorFamily family, bool negated, bool ifExists, SetQualifier set)
    {
        Name = name;
        BaseName = baseName;
        Family = family;
        Negated = negated;
        IfExists = ifExists;
        Set = set;
    }

    /// <summary>The operators without prefix or suffix, as IAM spells them.</summary>
    public static IReadOnlyList<string> BaseOperators { get; } = s_base.Select(b => b.Name).ToArray();

    /// <summary>The operator as written.</summary>
    public string Name { get; }

    /// <summary>The base operator, without set qualifier and IfExists (<c>StringNotEquals</c>).</summary>
    public string BaseName { get; }

    /// <summary>What the operator compares and how.</summary>
    public OperatorFamily Family { get; }

    /// <summary>True for operators that match when the value is different (StringNotEquals, ArnNotLike, NotIpAddress, ...).</summary>
    public bool Negated { get; }

    /// <summary>True when the operator ends with IfExists.</summary>
    public bool IfExists { get; }

    /// <summary>The set qualifier.</summary>
    public SetQualifier Set { get; }

    /// <summary>True for the families whose values may hold policy variables (string, ARN and Bool operators).</summary>
    public bool AllowsVariables => Family is OperatorFamily.StringEquals or OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.StringLike
        or OperatorFamily.Bool or OperatorFamily.ArnLike;

    /// <summary>True for the numeric families.</summary>
    public bool IsNumeric => Family is OperatorFamily.NumericEquals or OperatorFamily.NumericLessThan or OperatorFamily.NumericLessThanEquals
        or OperatorFamily.NumericGreaterThan or OperatorFamily.NumericGreaterThanEquals;

    /// <summary>True for the date families.</summary>
    public bool IsDate => Family is OperatorFamily.DateEquals or OperatorFamily.DateLessThan or OperatorFamily.DateLessThanEquals
        or OperatorFamily.DateGreaterThan or OperatorFamily.DateGreaterThanEquals;

    /// <summary>True for the string families (StringEquals, StringEqualsIgnoreCase, StringLike and their negations).</summary>
    public bool IsString => Family is OperatorFamily.StringEquals or OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.StringLike;

    /// <summary>Parses an operator name, case-sensitively; on failure says why and, when one is near, which operator was meant.</summary>
    public static bool TryParse(string name, out ConditionOperator op, [NotNullWhen(false)] out string? reason)
    {
        op = default;
        if (!Split(name, out var set, out var baseName, out var ifExists, out var qualifier))
        {
            reason = $"'{qualifier}' is not a set operator; use ForAllValues: or ForAnyValue:{Hint(name)}";
            return false;
        }

        if (!s_byName.TryGetValue(baseName, out var info))
        {
            var suggestion = Suggest(name);
            reason = suggestion is not null && string.Equals(suggestion, name, StringComparison.OrdinalIgnoreCase)
                ? $"'{name}' is not a condition operator: operator names are case-sensitive, so IAM rejects the policy. Write {suggestion}."
                : $"'{name}' is not a condition operator IAM knows, so IAM rejects the policy." +
                  (suggestion is null ? " Use one such as StringEquals, StringLike, ArnLike or Bool." : $" Did you mean {suggestion}?");
            return false;
        }

        if (ifExists && info.Family == OperatorFamily.Null)
        {
            reason = $"'{name}' is not allowed: IfExists cannot be added to the Null operator (Null itself tests whether the key exists).";
            return false;
        }

        if (set != SetQualifier.None && info.Family == OperatorFamily.Null)
        {
            reason = $"'{name}' is not allowed: Null tests whether the key is in the request at all, and the set operators ForAllValues:/ForAnyValue: compare the key's values, so the two cannot be combined. Use Null on its own beside the set condition.";
            return false;
        }

        op = new ConditionOperator(name, baseName, info.Family, info.Negated, ifExists, set);
        reason = null;
        return true;
    }

    /// <summary>The nearest correct spelling of a misspelt operator (case, typos, qualifier), or null.</summary>
    public static string? Suggest(string name)
    {
        SplitLoose(name, out var prefix, out var baseName, out var ifExists);
        var best = BaseOperators.FirstOrDefault(b => string.Equals(b, baseName, StringComparison.OrdinalIgnoreCase))
            ?? PolicyGrammar.Nearest(baseName, BaseOperators, maxDistance: 3);
        if (best is null)
        {
            return null;
        }

        var fixedPrefix = prefix.Length == 0 ? string.Empty : prefix.StartsWith("ForAll", StringComparison.OrdinalIgnoreCase) ? "ForAllValues:" : "ForAnyValue:";
        if (best == "Null")
        {
            fixedPrefix = string.Empty;
            ifExists = false;
        }

        return fixedPrefix + best + (ifExists ? IfExistsSuffix : string.Empty);
    }

    /// <summary>Parses a numeric value as IAM compares them (invariant culture, sign, decimals, exponent).</summary>
    public static bool TryParseNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value);

    /// <summary>Parses a date to UTC ticks: epoch seconds (a fraction allowed, kept to the tick), or ISO 8601 (a time without offset is UTC).</summary>
    public static bool TryParseDate(string text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length == 0)
        {
            return false;
        }

        if (IsEpoch(text))
        {
            if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
                || seconds < -62135596800m || seconds > 253402300799m)
            {
                return false;
            }

            utcTicks = DateTimeOffset.FromUnixTimeSeconds(0).UtcTicks + (long)decimal.Round(seconds * TimeSpan.TicksPerSecond, MidpointRounding.AwayFromZero);
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

    /// <summary>True for <c>true</c> or <c>false</c> in any case, the values Bool and Null take.</summary>
    public static bool IsBool(string text) => text.Equals("true", StringComparison.OrdinalIgnoreCase) || text.Equals("false", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for base64 text, the values BinaryEquals takes.</summary>
    public static bool IsBase64(string text)
    {
        try
        {
            Convert.FromBase64String(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The operator as written.</summary>
    public override string ToString() => Name ?? string.Empty;

    // Epoch seconds: an optional sign, digits, and optionally a dot and more digits; nothing else.
    private static bool IsEpoch(string text)
    {
        var i = text[0] is '-' or '+' ? 1 : 0;
        var digits = 0;
        while (i < text.Length && text[i] >= '0' && text[i] <= '9')
        {
            i++;
            digits++;
        }

        if (i < text.Length && text[i] == '.' && digits > 0)
        {
            i++;
            var fraction = 0;
            while (i < text.Length && text[i] >= '0' && text[i] <= '9')
            {
                i++;
                fraction++;
            }

            return fraction > 0 && i == text.Length;
        }

        return digits > 0 && i == text.Length;
    }

    private static string Hint(string name) => Suggest(name) is { } s ? $" (did you mean {s}?)." : ".";

    private static bool Split(string name, out SetQualifier set, out string baseName, out bool ifExists, out string qualifier)
    {
        set = SetQualifier.None;
        baseName = name;
        qualifier = string.Empty;
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            qualifier = name.Substring(0, colon);
            baseName = name.Substring(colon + 1);
            if (qualifier == "ForAllValues")
            {
                set = SetQualifier.ForAllValues;
            }
            else if (qualifier == "ForAnyValue")
            {
                set = SetQualifier.ForAnyValue;
            }
            else
            {
                ifExists = false;
                return false;
            }
        }

        ifExists = !s_byName.ContainsKey(baseName) && baseName.EndsWith(IfExistsSuffix, StringComparison.Ordinal) && baseName.Length > IfExistsSuffix.Length;
        if (ifExists)
        {
            baseName = baseName.Substring(0, baseName.Length - IfExistsSuffix.Length);
        }

        return true;
    }

    // For suggestions: the qualifier, base and suffix whatever their case.
    private static void SplitLoose(string name, out string prefix, out string baseName, out bool ifExists)
    {
        prefix = string.Empty;
        baseName = name;
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            prefix = name.Substring(0, colon + 1);
            baseName = name.Substring(colon + 1);
        }

        ifExists = baseName.EndsWith(IfExistsSuffix, StringComparison.OrdinalIgnoreCase) && baseName.Length > IfExistsSuffix.Length
            && !BaseOperators.Contains(baseName, StringComparer.OrdinalIgnoreCase);
        if (ifExists)
        {
            baseName = baseName.Substring(0, baseName.Length - IfExistsSuffix.Length);
        }
    }
}
