using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace PtcTools.Completers;

/// <summary>Turns candidate values into completion results, quoting where PowerShell needs it.</summary>
internal static class CompletionText
{
    private static readonly char[] s_needQuotes = { ' ', '$', '`', '\'', '"', '(', ')', '{', '}', ';', ',', '@', '#', '&', '|', '*', '?', '[', ']' };

    public static IEnumerable<CompletionResult> Complete(IEnumerable<string> candidates, string wordToComplete, Func<string, string>? tooltip = null)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return candidates
            .Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase) || (word.Length > 0 && WildcardPattern.ContainsWildcardCharacters(word) && new WildcardPattern(word, WildcardOptions.IgnoreCase).IsMatch(c)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, tooltip?.Invoke(c) ?? c));
    }

    private static string Quote(string value) =>
        value.IndexOfAny(s_needQuotes) >= 0
            ? "'" + value.Replace("'", "''") + "'"
            : value;
}
