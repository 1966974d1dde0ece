using System;
using System.Collections.Generic;

namespace PtcTools.Policy.Evaluation;

/// <summary>A policy string compiled for matching: literal text, IAM wildcards and policy variables (<c>${key}</c>).</summary>
/// <remarks>
/// Variables are substituted only under Version 2012-10-17; otherwise <c>${...}</c> is literal text.
/// <c>${*}</c>, <c>${?}</c> and <c>${$}</c> stand for the literal characters, never wildcards. A variable
/// whose key is absent (or multivalued) and has no default makes the value match nothing. Matching walks
/// the tokens against the text in place: nothing is concatenated, nothing is allocated.
/// </remarks>
internal sealed class PolicyTemplate
{
    private readonly Token[] _tokens;
    private readonly bool _hasVariables;
    private readonly bool _literal;

    private PolicyTemplate(string text, Token[] tokens, bool hasVariables)
    {
        Text = text;
        _tokens = tokens;
        _hasVariables = hasVariables;
        _literal = IsLiteral;
    }

    private enum TokenKind
    {
        Text,
        Star,
        Question,
        Variable,
    }

    /// <summary>The policy text.</summary>
    public string Text { get; }

    /// <summary>True when the template is one piece of literal text (no wildcard, no variable): matching is string equality.</summary>
    public bool IsLiteral => _tokens.Length == 0 || (_tokens.Length == 1 && _tokens[0].Kind == TokenKind.Text && _tokens[0].Value == Text);

    /// <summary>True when the text holds at least one policy variable (that is substituted).</summary>
    public bool HasVariables => _hasVariables;

    /// <summary>Compiles text; <paramref name="wildcards"/> says whether * and ? are wildcards, <paramref name="variables"/> whether ${...} is substituted.</summary>
    /// <exception cref="FormatException">A <c>${</c> has no closing brace, or a default value is malformed.</exception>
    public static PolicyTemplate Compile(string text, bool wildcards, bool variables)
    {
        var tokens = new List<Token>();
        var literal = new System.Text.StringBuilder();
        var hasVariables = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (variables && c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end < 0)
                {
                    throw new FormatException($"'{text}' has '${{' without a closing '}}'.");
                }

                var inner = text.Substring(i + 2, end - i - 2);
                if (inner is "*" or "?" or "$")
                {
                    literal.Append(inner);
                }
                else
                {
                    Flush(tokens, literal);
                    tokens.Add(ParseVariable(text, inner));
                    hasVariables = true;
                }

                i = end;
            }
            else if (wildcards && (c == '*' || c == '?'))
            {
                Flush(tokens, literal);
                tokens.Add(new Token(c == '*' ? TokenKind.Star : TokenKind.Question, null, null));
            }
            else
            {
                literal.Append(c);
            }
        }

        Flush(tokens, literal);
        return new PolicyTemplate(text, tokens.ToArray(), hasVariables);
    }

    /// <summary>Splits an ARN pattern into its six colon-separated parts, not splitting inside <c>${...}</c>; null when there are fewer than six.</summary>
    public static string[]? SplitArn(string text)
    {
        var parts = new string[6];
        var start = 0;
        var n = 0;
        var depth = 0;
        for (var i = 0; i < text.Length && n < 5; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{') { depth++; i++; }
            else if (text[i] == '}' && depth > 0) { depth--; }
            else if (text[i] == ':' && depth == 0)
            {
                parts[n++] = text.Substring(start, i - start);
                start = i + 1;
            }
        }

        if (n < 5)
        {
            return null;
        }

        parts[5] = text.Substring(start);
        return parts;
    }

    /// <summary>True when <paramref name="text"/> from <paramref name="start"/> to its end matches the template.</summary>
    public bool Matches(string text, int start, AccessRequest request, bool ignoreCase) => Matches(text, start, text.Length, request, ignoreCase);

    /// <summary>True when the characters of <paramref name="text"/> in [<paramref name="start"/>, <paramref name="end"/>) match the template.</summary>
    public bool Matches(string text, int start, int end, AccessRequest request, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (_literal)
        {
            return end - start == Text.Length && string.Compare(text, start, Text, 0, Text.Length, comparison) == 0;
        }

        if (_hasVariables)
        {
            foreach (var token in _tokens)
            {
                if (token.Kind == TokenKind.Variable && Resolve(token, request) is null)
                {
                    return false;
                }
            }
        }

        int t = 0, pos = start, starToken = -1, starPos = 0;
        var tokens = _tokens;
        while (true)
        {
            if (t < tokens.Length)
            {
                var token = tokens[t];
                if (token.Kind == TokenKind.Star)
                {
                    starToken = t++;
                    starPos = pos;
                    continue;
                }

                if (token.Kind == TokenKind.Question)
                {
                    if (pos < end)
                    {
                        pos++;
                        t++;
                        continue;
                    }
                }
                else
                {
                    var s = token.Kind == TokenKind.Text ? token.Value! : Resolve(token, request)!;
                    if (pos + s.Length <= end && string.Compare(text, pos, s, 0, s.Length, comparison) == 0)
                    {
                        pos += s.Length;
                        t++;
                        continue;
                    }
                }
            }
            else if (pos == end)
            {
                return true;
            }

            if (starToken < 0 || starPos >= end)
            {
                return false;
            }

            pos = ++starPos;
            t = starToken + 1;
        }
    }

    /// <summary>True when every variable has a value (or a default) in the request; allocation-free.</summary>
    public bool CanResolve(AccessRequest request)
    {
        if (_hasVariables)
        {
            foreach (var token in _tokens)
            {
                if (token.Kind == TokenKind.Variable && Resolve(token, request) is null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The text with variables substituted (for explanations); null when a variable has no value.</summary>
    public string? Resolve(AccessRequest request)
    {
        if (!_hasVariables)
        {
            return Text;
        }

        var sb = new System.Text.StringBuilder();
        foreach (var token in _tokens)
        {
            var s = token.Kind switch
            {
                TokenKind.Star => "*",
                TokenKind.Question => "?",
                TokenKind.Variable => Resolve(token, request),
                _ => token.Value,
            };
            if (s is null)
            {
                return null;
            }

            sb.Append(s);
        }

        return sb.ToString();
    }

    private static string? Resolve(Token token, AccessRequest request)
    {
        var value = request.GetContext(token.Value!);
        return value?.Single ?? token.Default;
    }

    private static Token ParseVariable(string text, string inner)
    {
        // ${aws:PrincipalTag/team, 'company-wide'}: a key, then optionally a comma and a quoted default.
        var comma = inner.IndexOf(',');
        var key = (comma < 0 ? inner : inner.Substring(0, comma)).Trim();
        string? fallback = null;
        if (comma >= 0)
        {
            var rest = inner.Substring(comma + 1).Trim();
            if (rest.Length < 2 || rest[0] != '\'' || rest[rest.Length - 1] != '\'')
            {
                throw new FormatException($"'{text}' has a default value that is not in single quotes: ${{key, 'default'}}.");
            }

            fallback = rest.Substring(1, rest.Length - 2);
        }

        if (key.Length == 0)
        {
            throw new FormatException($"'{text}' has an empty policy variable.");
        }

        return new Token(TokenKind.Variable, key, fallback);
    }

    private static void Flush(List<Token> tokens, System.Text.StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            tokens.Add(new Token(TokenKind.Text, literal.ToString(), null));
            literal.Clear();
        }
    }

    private readonly struct Token
    {
        public Token(TokenKind kind, string? value, string? fallback)
        {
            Kind = kind;
            Value = value;
            Default = fallback;
        }

        public TokenKind Kind { get; }

        public string? Value { get; }

        public string? Default { get; }
    }
}
