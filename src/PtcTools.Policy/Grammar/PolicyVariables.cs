using System.Collections.Generic;

namespace PtcTools.Policy.Grammar;

/// <summary>Policy variables (<c>${key}</c>, <c>${key, 'default'}</c>) found in a value, and what Access Analyzer calls each way of writing one wrong.</summary>
/// <remarks>IAM page "IAM policy elements: Variables and tags"; Access Analyzer's checks MISSING_BRACE_IN_VARIABLE,
/// EMPTY_VARIABLE, MISSING_QUOTE_IN_VARIABLE, UNSUPPORTED_SPACE_IN_VARIABLE and UNSUPPORTED_SYMBOL_IN_VARIABLE.</remarks>
public static class PolicyVariables
{
    /// <summary>True when the text holds <c>${</c>: a policy variable under Version 2012-10-17, literal text otherwise.</summary>
    public static bool Has(string text) => text.IndexOf("${", System.StringComparison.Ordinal) >= 0;

    /// <summary>The variables of a text: the key (without default) and the whole <c>${...}</c>; the special <c>${*}</c>, <c>${?}</c> and <c>${$}</c> are left out.</summary>
    public static IEnumerable<(string Key, string Whole)> Find(string text)
    {
        for (var i = text.IndexOf("${", System.StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 2, System.StringComparison.Ordinal))
        {
            var end = text.IndexOf('}', i + 2);
            if (end < 0)
            {
                yield break;
            }

            var inner = text.Substring(i + 2, end - i - 2);
            if (inner is not ("*" or "?" or "$"))
            {
                var comma = inner.IndexOf(',');
                yield return ((comma < 0 ? inner : inner.Substring(0, comma)).Trim(), text.Substring(i, end - i + 1));
            }
        }
    }

    /// <summary>The Access Analyzer code for the first variable IAM cannot read (a missing closing brace, an empty variable, a default not in single quotes), or null.</summary>
    public static string? MalformedCode(string text)
    {
        for (var i = text.IndexOf("${", System.StringComparison.Ordinal); i >= 0; i = text.IndexOf("${", i + 2, System.StringComparison.Ordinal))
        {
            var end = text.IndexOf('}', i + 2);
            if (end < 0)
            {
                return "MISSING_BRACE_IN_VARIABLE";
            }

            var inner = text.Substring(i + 2, end - i - 2);
            var comma = inner.IndexOf(',');
            if ((comma < 0 ? inner : inner.Substring(0, comma)).Trim().Length == 0)
            {
                return "EMPTY_VARIABLE";
            }

            if (comma >= 0)
            {
                var rest = inner.Substring(comma + 1).Trim();
                if (rest.Length < 2 || rest[0] != '\'' || rest[rest.Length - 1] != '\'')
                {
                    return "MISSING_QUOTE_IN_VARIABLE";
                }
            }
        }

        return null;
    }

    /// <summary>What is odd about a variable's key that IAM still reads (a space, a symbol no key has), with its Access Analyzer code, or null.</summary>
    public static (string Code, string Why)? Oddity(string key)
    {
        if (key.IndexOf(' ') >= 0)
        {
            return ("UNSUPPORTED_SPACE_IN_VARIABLE", "has a space in its name");
        }

        foreach (var c in key)
        {
            if (!(char.IsLetterOrDigit(c) || c is ':' or '/' or '_' or '-' or '.' or '+' or '=' or '@'))
            {
                return ("UNSUPPORTED_SYMBOL_IN_VARIABLE", $"has the symbol '{c}', which no condition key has");
            }
        }

        return null;
    }
}
