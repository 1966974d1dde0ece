using System;
using System.IO;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace PtcTools.Policy.Json;

/// <summary>Reads and writes policy JSON the way IAM and ECR see it: strict, lossless, with positions.</summary>
public static class PolicyJson
{
    private static readonly JsonLoadSettings s_loadSettings = new()
    {
        DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error,
        LineInfoHandling = LineInfoHandling.Load,
        CommentHandling = CommentHandling.Load,
    };

    private static readonly Regex s_positionSuffix = new(@"\s*(Path '[^']*'(, line \d+, position \d+)?|line \d+, position \d+)\.?\s*$", RegexOptions.Compiled);

    /// <summary>Parses JSON text into a token tree, rejecting duplicate keys, comments and trailing text.</summary>
    /// <remarks>Dates stay text (<c>DateParseHandling.None</c>) and decimals keep their digits, so printing gives back the same values.</remarks>
    /// <exception cref="PolicyJsonException">The text is not one well-formed JSON value.</exception>
    public static JToken ParseToken(string text, object? target = null)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        if (text.Trim().Length == 0)
        {
            throw new PolicyJsonException("the text is empty; a policy is a JSON object such as {\"Version\":\"2012-10-17\",\"Statement\":[]}.", 1, 1, null, target);
        }

        RejectTrailingCommas(text, target);
        RejectLoneSurrogates(text, target);
        using var reader = new StrictJsonTextReader(text)
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
            MaxDepth = 64,
        };
        JToken token;
        try
        {
            token = JToken.ReadFrom(reader, s_loadSettings);
            while (reader.Read())
            {
                if (reader.TokenType != JsonToken.Comment)
                {
                    throw new PolicyJsonException("there is more text after the end of the JSON value.", reader.LineNumber, reader.LinePosition, reader.Path, target);
                }

                throw CommentError(reader.LineNumber, reader.LinePosition, reader.Path, target);
            }
        }
        catch (JsonReaderException ex)
        {
            throw new PolicyJsonException(Reason(ex.Message), ex.LineNumber, Math.Max(1, ex.LinePosition), ex.Path, target, ex);
        }

        foreach (var t in token is JContainer c ? c.DescendantsAndSelf() : new[] { token })
        {
            if (t.Type == JTokenType.Comment)
            {
                var info = (IJsonLineInfo)t;
                throw CommentError(info.LineNumber, info.LinePosition, t.Parent?.Path, target);
            }
        }

        return token;
    }

    /// <summary>Decodes a policy document that is percent-encoded, as IAM's APIs return them (GetRolePolicy, GetPolicyVersion, GetRole); other text is returned as is.</summary>
    /// <remarks>JSON text never starts with '%', so a leading '%' (after white space) means the text is encoded.</remarks>
    public static string DecodeIfUrlEncoded(string text) =>
        text.TrimStart().StartsWith("%", StringComparison.Ordinal) ? Uri.UnescapeDataString(text.Trim().Replace('+', ' ')) : text;

    /// <summary>Parses JSON text whose root must be an object (a policy document).</summary>
    /// <exception cref="PolicyJsonException">The text is not a JSON object.</exception>
    public static JObject ParseObject(string text, object? target = null)
    {
        var token = ParseToken(text, target);
        if (token is JObject obj)
        {
            return obj;
        }

        var info = (IJsonLineInfo)token;
        throw new PolicyJsonException($"a policy must be a JSON object ({{...}}), not {Describe(token.Type)}.", info.LineNumber, info.LinePosition, "$", target);
    }

    /// <summary>The compact form ECR stores: no insignificant white space.</summary>
    public static string ToCompact(JToken token) => token.ToString(Formatting.None);

    /// <summary>An indented form for people and files.</summary>
    public static string ToIndented(JToken token) => token.ToString(Formatting.Indented).Replace("\r\n", "\n");

    /// <summary>A word for a JSON type, for error messages.</summary>
    public static string Describe(JTokenType type) => type switch
    {
        JTokenType.Object => "an object",
        JTokenType.Array => "an array",
        JTokenType.String => "a string",
        JTokenType.Integer or JTokenType.Float => "a number",
        JTokenType.Boolean => "a boolean",
        JTokenType.Null => "null",
        _ => type.ToString().ToLowerInvariant(),
    };

    // Json.NET accepts [1,] and {"a":1,}; IAM does not.
    private static void RejectTrailingCommas(string text, object? target)
    {
        int line = 1, column = 0, commaLine = 0, commaColumn = 0;
        var inString = false;
        var pendingComma = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') { line++; column = 0; continue; }
            column++;
            if (inString)
            {
                if (c == '\\') { i++; column++; }
                else if (c == '"') { inString = false; }
                continue;
            }

            if (char.IsWhiteSpace(c)) { continue; }
            if (pendingComma && (c == '}' || c == ']'))
            {
                throw new PolicyJsonException("a comma is followed by '" + c + "'; trailing commas are not allowed in JSON.", commaLine, commaColumn, null, target);
            }

            pendingComma = c == ',';
            if (pendingComma) { commaLine = line; commaColumn = column; }
            if (c == '"') { inString = true; }
        }
    }

    // Half a UTF-16 surrogate pair, raw or as a \uD800 escape, is no character: Json.NET turns an escaped one into
    // U+FFFD and UTF-8 cannot hold a raw one, so the text could not be kept as it is. It is refused where it stands.
    private static void RejectLoneSurrogates(string text, object? target)
    {
        int line = 1, column = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') { line++; column = 0; continue; }
            column++;
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                throw LoneSurrogate(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture), line, column, target);
            }

            if (!inString)
            {
                inString = c == '"';
                continue;
            }

            if (c == '"')
            {
                inString = false;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                if (text[i + 1] == 'u' && Escaped(text, i) is { } unit && char.IsSurrogate(unit))
                {
                    if (char.IsHighSurrogate(unit) && i + 7 < text.Length && text[i + 6] == '\\' && text[i + 7] == 'u' && Escaped(text, i + 6) is { } low && char.IsLowSurrogate(low))
                    {
                        i += 11;
                        column += 11;
                        continue;
                    }

                    throw LoneSurrogate(((int)unit).ToString("x4", System.Globalization.CultureInfo.InvariantCulture), line, column, target);
                }

                i++;
                column++;
            }
        }
    }

    private static char? Escaped(string text, int backslash) =>
        backslash + 5 < text.Length && int.TryParse(text.Substring(backslash + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var code) ? (char)code : null;

    private static PolicyJsonException LoneSurrogate(string code, int line, int column, object? target) =>
        new($"\\u{code} is half of a UTF-16 surrogate pair, no character: it could not be written back as it is (it would become U+FFFD). Remove it, or give the whole pair.", line, column, null, target);

    // Json.NET is lenient where IAM is not: it takes single quotes, unquoted names, NaN and comments.
    private sealed class StrictJsonTextReader : JsonTextReader
    {
        private readonly string _text;

        public StrictJsonTextReader(string text)
            : base(new StringReader(text))
        {
            _text = text;
        }

        public override bool Read()
        {
            var more = base.Read();
            switch (TokenType)
            {
                case JsonToken.String or JsonToken.PropertyName when QuoteChar != '"':
                    // The reader stands after the token (and a property name's colon): point at the quote that opens it.
                    throw new JsonReaderException((TokenType == JsonToken.String ? "strings must be in double quotes" : "property names must be in double quotes") + ".", Path, LineNumber, OpeningQuoteColumn(), null);
                case JsonToken.Comment:
                    throw Error("comments are not allowed in a policy; IAM and ECR reject them");
                case JsonToken.Undefined:
                    throw Error("'undefined' is not a JSON value");
                case JsonToken.Float when Value is double d && (double.IsNaN(d) || double.IsInfinity(d)):
                    throw Error("NaN and Infinity are not JSON numbers");
            }

            return more;
        }

        private JsonReaderException Error(string reason) => new(reason + ".", Path, LineNumber, LinePosition, null);

        // The column of the unescaped quote that opens the token just read, on the reader's line; the reader's own column when it is not there.
        private int OpeningQuoteColumn()
        {
            var lineStart = 0;
            for (var line = 1; line < LineNumber && lineStart < _text.Length; lineStart++)
            {
                if (_text[lineStart] == '\n' || (_text[lineStart] == '\r' && (lineStart + 1 == _text.Length || _text[lineStart + 1] != '\n')))
                {
                    line++;
                }
            }

            var i = Math.Min(lineStart + LinePosition - 1, _text.Length - 1);
            while (i >= lineStart && _text[i] != QuoteChar)
            {
                i--;
            }

            for (i--; i >= lineStart; i--)
            {
                if (_text[i] == QuoteChar && !Escaped(i))
                {
                    return i - lineStart + 1;
                }
            }

            return LinePosition;
        }

        private bool Escaped(int quote)
        {
            var backslashes = 0;
            for (var j = quote - 1; j >= 0 && _text[j] == '\\'; j--)
            {
                backslashes++;
            }

            return backslashes % 2 == 1;
        }
    }

    private static PolicyJsonException CommentError(int line, int column, string? path, object? target) =>
        new("comments are not allowed in a policy; IAM and ECR reject them.", line, column, path, target);

    private static string Reason(string message)
    {
        var reason = s_positionSuffix.Replace(message, string.Empty).Trim();
        if (reason.EndsWith(".", StringComparison.Ordinal))
        {
            reason = reason.Substring(0, reason.Length - 1);
        }

        if (reason.StartsWith("Property with the name", StringComparison.Ordinal))
        {
            reason += "; duplicate keys are not allowed in a policy";
        }

        return reason.Length == 0 ? "malformed JSON." : char.ToLowerInvariant(reason[0]) + reason.Substring(1) + ".";
    }
}
