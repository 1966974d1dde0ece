using System.Globalization;
using System.Text;

namespace PtcTools.Aws;

/// <summary>Makes text that came from a server or a child process safe to print: no control characters, bounded length.</summary>
/// <remarks>
/// A message is shown in a terminal: escape sequences (ESC, CSI), carriage returns and bidirectional
/// overrides could rewrite what the user sees, and a 20 MB message would flood the console.
/// </remarks>
public static class ServerText
{
    /// <summary>The default bound on a message, in characters.</summary>
    public const int MaxMessageLength = 1000;

    /// <summary>Replaces control characters (C0, DEL, C1, bidirectional controls) with spaces, folds runs of white space, and cuts the text at <paramref name="maxLength"/> characters saying how much was left out.</summary>
    public static string Clean(string? text, int maxLength = MaxMessageLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(System.Math.Min(text!.Length, maxLength + 1));
        var space = false;
        var kept = 0;
        var i = 0;
        for (; i < text.Length && kept < maxLength; i++)
        {
            var c = text[i];
            if (IsUnsafe(c) || char.IsWhiteSpace(c))
            {
                if (!space && builder.Length > 0)
                {
                    builder.Append(' ');
                    kept++;
                }

                space = true;
                continue;
            }

            // A surrogate pair is kept whole or not at all; a lone surrogate is not text.
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[++i]);
                    kept++;
                }

                space = false;
                continue;
            }

            if (char.IsLowSurrogate(c))
            {
                continue;
            }

            builder.Append(c);
            kept++;
            space = false;
        }

        var result = builder.ToString().TrimEnd();
        if (i < text.Length)
        {
            result += string.Format(CultureInfo.InvariantCulture, "… ({0} more characters)", text.Length - i);
        }

        return result;
    }

    /// <summary>True for a character that must not reach a terminal: C0 and C1 controls, DEL, and the Unicode bidirectional and zero-width controls.</summary>
    public static bool IsUnsafe(char c) =>
        c < ' ' || (c >= '\u007f' && c <= '\u009f') ||
        (c >= '\u200b' && c <= '\u200f') || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') ||
        c == '\u061c' || c == '\ufeff';
}
