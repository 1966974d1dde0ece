using System.Collections.Generic;

namespace PtcTools.Policy.Grammar;

/// <summary>ARN text split into its colon-separated segments, the one splitter for Resource values, Arn condition values and requests.</summary>
internal static class ArnText
{
    /// <summary>Splits at colons outside <c>${...}</c>, into at most six parts: <c>arn</c>, partition, service, Region, account, and the resource part (which keeps its own colons).</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>(6);
        var start = 0;
        var depth = 0;
        for (var i = 0; i < text.Length && parts.Count < 5; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                depth++;
                i++;
            }
            else if (text[i] == '}' && depth > 0)
            {
                depth--;
            }
            else if (text[i] == ':' && depth == 0)
            {
                parts.Add(text.Substring(start, i - start));
                start = i + 1;
            }
        }

        parts.Add(text.Substring(start));
        return parts;
    }
}
