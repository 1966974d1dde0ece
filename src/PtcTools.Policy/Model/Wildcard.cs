
namespace PtcTools.Policy.Model;

/// <summary>IAM wildcard matching: <c>*</c> any run of characters (including none), <c>?</c> any one character.</summary>
public static class Wildcard
{
    private static readonly char[] s_wildcards = { '*', '?' };

    /// <summary>True when the text matches the pattern. Linear time, no allocation.</summary>
    public static bool IsMatch(string pattern, string text, bool ignoreCase)
    {
        int p = 0, t = 0, starP = -1, starT = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>True when the text has a <c>*</c> or <c>?</c>.</summary>
    public static bool HasWildcard(string text) => IndexOfWildcard(text) >= 0;

    /// <summary>Where the first <c>*</c> or <c>?</c> is, or -1.</summary>
    public static int IndexOfWildcard(string text) => text.IndexOfAny(s_wildcards);

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
