using System;
using System.Text;
using EcrEmulator.Protocol;

namespace EcrEmulator.Operations;

/// <summary>The opaque nextToken of the emulator's paged operations: the last key of a page, behind a kind marker.</summary>
internal static class PageToken
{
    /// <summary>The token for the page after <paramref name="lastKey"/>.</summary>
    public static string Encode(string kind, string lastKey) => Convert.ToBase64String(Encoding.UTF8.GetBytes(kind + "-after:" + lastKey));

    /// <summary>The last key a token names; a token of another kind or not one at all is InvalidParameterException.</summary>
    public static string Decode(string kind, string token)
    {
        var marker = kind + "-after:";
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith(marker, StringComparison.Ordinal))
            {
                return text.Substring(marker.Length);
            }
        }
        catch (FormatException)
        {
            // falls through to the error below
        }
        throw EcrError.InvalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'Invalid NextToken'");
    }
}
