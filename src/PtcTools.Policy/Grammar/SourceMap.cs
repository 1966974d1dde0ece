using System;
using System.Collections.Generic;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace PtcTools.Policy.Grammar;

/// <summary>Turns Newtonsoft's token positions (where a token ends) into where the token starts in the original text.</summary>
/// <remarks>
/// Json.NET records the position after it read a token: the bracket of an object or array, the
/// colon after a property name, the closing quote of a string. A user wants the caret on the
/// first character of the offending element, so this walks back in the text to find it.
/// </remarks>
internal sealed class SourceMap
{
    private readonly string? _text;
    private readonly List<int> _lineStarts = new() { 0 };

    public SourceMap(string? text)
    {
        _text = text;
        if (text is null)
        {
            return;
        }

        // Line breaks as Json.NET counts them: \n, \r\n and a lone \r.
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                _lineStarts.Add(i + 1);
            }
            else if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>The 1-based line and column where the token starts, or (0, 0) when unknown.</summary>
    public (int Line, int Column) Start(JToken? token)
    {
        if (token is not IJsonLineInfo info || !info.HasLineInfo())
        {
            return (0, 0);
        }

        var line = info.LineNumber;
        var column = info.LinePosition;
        if (_text is null || line < 1 || line > _lineStarts.Count || token is JContainer and not JProperty)
        {
            return (line, Math.Max(1, column));
        }

        var end = Math.Min(_lineStarts[line - 1] + column - 1, _text.Length - 1);
        var start = token switch
        {
            JProperty => StringStartBefore(end - 1),
            JValue { Type: JTokenType.String } => StringStartBefore(end),
            _ => ScalarStart(end),
        };
        return start < 0 ? (line, Math.Max(1, column)) : Position(start);
    }

    private (int Line, int Column) Position(int offset)
    {
        var index = _lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return (index + 1, offset - _lineStarts[index] + 1);
    }

    // From at or before the closing quote, back to the opening quote of the string.
    private int StringStartBefore(int from)
    {
        var i = from;
        while (i >= 0 && _text![i] != '"')
        {
            i--;
        }

        for (i--; i >= 0; i--)
        {
            if (_text![i] == '"' && !IsEscaped(i))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsEscaped(int quote)
    {
        var backslashes = 0;
        for (var i = quote - 1; i >= 0 && _text![i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private int ScalarStart(int end)
    {
        var i = end;
        while (i > 0 && " \t\r\n,:[{".IndexOf(_text![i - 1]) < 0)
        {
            i--;
        }

        return i;
    }
}
