using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace PtcTools.Policy.Grammar;

/// <summary>The vocabulary of the IAM policy language, defined once: element names, the Sid and service-principal shapes, the "text or list of texts" value form, and how a misspelling is matched to the nearest word.</summary>
/// <remarks>The reader (<see cref="GrammarReader"/>), the linter, the compiler and the merger all take these from here.</remarks>
public static class PolicyGrammar
{
    /// <summary>The policy language version every AWS example uses; policy variables need it.</summary>
    public const string CurrentVersion = "2012-10-17";

    /// <summary>The old version, in which <c>${...}</c> is plain text.</summary>
    public const string LegacyVersion = "2008-10-17";

    private static readonly Regex s_sid = new("^[A-Za-z0-9]*$", RegexOptions.CultureInvariant);
    private static readonly Regex s_uniqueId = new("^(AIDA|AROA)[A-Z0-9]{12,}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_servicePrincipal = new(@"^[a-z0-9][a-z0-9.-]*\.(amazonaws\.com|amazonaws\.com\.cn|amazon\.com)$", RegexOptions.CultureInvariant);

    /// <summary>The top-level elements of a policy document (names are case-sensitive).</summary>
    public static IReadOnlyList<string> DocumentElements { get; } = new[] { "Version", "Id", "Statement" };

    /// <summary>The elements of a statement (names are case-sensitive).</summary>
    public static IReadOnlyList<string> StatementElements { get; } = new[] { "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition" };

    /// <summary>The two principal elements.</summary>
    public static IReadOnlyList<string> PrincipalElements { get; } = new[] { "Principal", "NotPrincipal" };

    /// <summary>The two action elements.</summary>
    public static IReadOnlyList<string> ActionElements { get; } = new[] { "Action", "NotAction" };

    /// <summary>The two resource elements.</summary>
    public static IReadOnlyList<string> ResourceElements { get; } = new[] { "Resource", "NotResource" };

    /// <summary>True for an element a statement may hold.</summary>
    public static bool IsStatementElement(string name) => StatementElements.Contains(name, StringComparer.Ordinal);

    /// <summary>True for a top-level element of a policy document.</summary>
    public static bool IsDocumentElement(string name) => DocumentElements.Contains(name, StringComparer.Ordinal);

    /// <summary>True when a Sid has only the characters IAM allows: ASCII letters and digits (empty included).</summary>
    public static bool IsSidText(string? sid) => sid is not null && s_sid.IsMatch(sid);

    /// <summary>The Sid with every character IAM does not allow removed.</summary>
    public static string CleanSid(string sid) => Regex.Replace(sid, "[^A-Za-z0-9]", string.Empty);

    /// <summary>True when the text has the shape of an AWS service principal, such as <c>pullthroughcache.ecr.amazonaws.com</c>.</summary>
    public static bool IsServicePrincipal(string? text) => text is not null && s_servicePrincipal.IsMatch(text);

    /// <summary>"user" or "role" when the text is an IAM unique id (AIDA... for a user, AROA... for a role, IAM identifiers page), else null.</summary>
    public static string? UniqueIdKind(string? text) =>
        text is null || !s_uniqueId.IsMatch(text) ? null : text.StartsWith("AROA", StringComparison.Ordinal) ? "role" : "user";

    /// <summary>A value IAM reads as "text or a list of texts": the texts, or null when the value has another shape (a number, an object, a list holding something else).</summary>
    /// <remarks>An empty list gives an empty array; callers that need at least one value say so.</remarks>
    public static string[]? Strings(JToken? value) => value switch
    {
        JValue { Type: JTokenType.String } v => new[] { (string)v! },
        JArray a when a.All(t => t.Type == JTokenType.String) => a.Select(t => (string)t!).ToArray(),
        _ => null,
    };

    /// <summary>The Levenshtein distance between two texts (ordinal).</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    /// <summary>The candidate nearest to a misspelt word (case-insensitively), or null when none is within <paramref name="maxDistance"/>.</summary>
    /// <remarks>A candidate equal but for case wins; otherwise the smallest edit distance, ties in candidate order.</remarks>
    public static string? Nearest(string word, IEnumerable<string> candidates, int maxDistance = 3)
    {
        var lower = word.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(lower, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return bestDistance <= maxDistance ? best : null;
    }
}
