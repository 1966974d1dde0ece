using System;
using System.Collections;
using System.Collections.Generic;
using PtcTools.Policy;

namespace PtcTools.Transforms;

/// <summary>Takes a policy file piped line by line (Get-Content without -Raw) as one policy, as ConvertFrom-Json does.</summary>
/// <remarks>
/// When the first piped value is a string that is not a whole policy, it and the strings after it are
/// collected; at the end they are one text, or, if some of them are whole policies after all, each on its own.
/// </remarks>
public sealed class PipedPolicyLines
{
    private List<string>? _lines;
    private bool _first = true;

    /// <summary>True when the value was collected as a line, so the cmdlet does nothing more with it now.</summary>
    public bool Take(object? value, bool expectingInput)
    {
        var text = PSValue.Unwrap(value) as string;
        var first = _first;
        _first = false;
        if (_lines is not null)
        {
            if (text is null)
            {
                return false;
            }

            _lines.Add(text);
            return true;
        }

        if (!first || !expectingInput || text is null || IsPolicy(text))
        {
            return false;
        }

        _lines = new List<string> { text };
        return true;
    }

    /// <summary>The texts to process at the end: the lines joined, or each line when some are whole policies; none when nothing was collected.</summary>
    public IReadOnlyList<string> Texts()
    {
        if (_lines is null)
        {
            return Array.Empty<string>();
        }

        var joined = string.Join("\n", _lines);
        return IsPolicy(joined) || !_lines.Exists(IsPolicy) ? new[] { joined } : _lines;
    }

    /// <summary>The lines of one policy given as a list of strings (<c>-Policy (Get-Content policy.json)</c> without -Raw), joined; null when an item is not text or there are none.</summary>
    public static string? Join(IEnumerable items)
    {
        var lines = new List<string>();
        foreach (var item in items)
        {
            if (PSValue.Unwrap(item) is not string line)
            {
                return null;
            }

            lines.Add(line);
        }

        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    private static bool IsPolicy(string text)
    {
        try
        {
            PolicyInput.ToDocument(text);
            return true;
        }
        catch (PtcToolsException)
        {
            return false;
        }
    }
}
