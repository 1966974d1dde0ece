using System;
using System.Collections.Generic;
using System.Text;

namespace PtcTools.Policy.Evaluation;

/// <summary>A policy string compiled for matching: literal text, IAM wildcards and policy variables (<c>${key}</c>); a string condition value, or an ARN pattern as IAM matches Resource values and the Arn operators.</summary>
/// <remarks>
/// <para>Variables are substituted only where the caller says (Version 2012-10-17 and an element that
/// takes them); otherwise <c>${...}</c> is literal text. <c>${*}</c>, <c>${?}</c> and <c>${$}</c> stand for
/// the literal characters, never wildcards. A variable whose key is absent (or multivalued) and has no
/// default makes the value match nothing.</para>
/// <para>ARN patterns, from the IAM Resource element page: <c>*</c> and <c>?</c> may be used within each colon-separated
/// segment; <c>*</c> "can expand to replace everything within a segment, including characters like a
/// forward slash (/)"; and if <c>*</c> "is the last character of a resource ARN segment, it can expand to
/// match beyond the colon boundaries". So a wildcard anywhere in the resource part matches across
/// <c>/</c> (<c>*/web</c>, <c>repo*/app/*</c>, <c>?epository/x</c>), and a trailing <c>*</c> stands for the
/// segments after it (<c>arn:aws:ecr:*</c>, <c>arn:aws:ecr:us-east-1:*</c>). A wildcard inside a segment
/// before the resource part does not cross a colon. The resource part (after the fifth colon) keeps its
/// own colons as ordinary characters.</para>
/// <para>Matching ignores case before a position the caller gives (the whole text for StringEqualsIgnoreCase,
/// the part before the resource part for Resource, nothing for the Arn operators) and walks the tokens
/// against the text in place: nothing is allocated.</para>
/// </remarks>
internal sealed class PolicyTemplate
{
    private readonly Token[] _tokens;
    private readonly int _firstVariable;
    private readonly Shape _shape;

    private PolicyTemplate(string text, Token[] tokens)
    {
        Text = text;
        _tokens = tokens;
        _firstVariable = Array.FindIndex(tokens, t => t.Kind == Kind.Variable);
        _shape = tokens.Length == 0 || (tokens.Length == 1 && tokens[0].Kind == Kind.Text) ? Shape.Literal
            : tokens.Length == 2 && tokens[0].Kind == Kind.Text && tokens[1].Kind == Kind.Star && tokens[1].Crossing ? Shape.Prefix
            : Shape.General;
    }

    private enum Kind
    {
        Text,
        Star,
        Question,
        Variable,
    }

    private enum Shape
    {
        Literal,
        Prefix,
        General,
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>True when the pattern holds a policy variable that is substituted.</summary>
    public bool HasVariables => _firstVariable >= 0;

    /// <summary>True when the pattern is one piece of literal text (no wildcard, no variable).</summary>
    public bool IsLiteral => _shape == Shape.Literal;

    /// <summary>Compiles a string condition value; <paramref name="wildcards"/> says whether * and ? are wildcards (StringLike), <paramref name="variables"/> whether ${...} is substituted.</summary>
    /// <exception cref="FormatException">A <c>${</c> has no closing brace, or a variable is malformed.</exception>
    public static PolicyTemplate Compile(string text, bool wildcards, bool variables) => Build(text, variables, variablesBeforeResource: true, wildcards, arn: false);

    /// <summary>Compiles an ARN pattern.</summary>
    /// <param name="text">The pattern.</param>
    /// <param name="variables">Whether <c>${...}</c> is a policy variable (Version 2012-10-17 and an element that takes them).</param>
    /// <param name="variablesBeforeResource">Whether variables are also substituted before the fifth colon (conditions: yes; Resource: only in the resource part).</param>
    /// <exception cref="FormatException">A <c>${</c> has no closing brace, or a variable is malformed.</exception>
    public static PolicyTemplate CompileArn(string text, bool variables, bool variablesBeforeResource) => Build(text, variables, variablesBeforeResource, wildcards: true, arn: true);

    private static PolicyTemplate Build(string text, bool variables, bool variablesBeforeResource, bool wildcards, bool arn)
    {
        var tokens = new List<Token>();
        var literal = new StringBuilder();
        var colons = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var inResource = !arn || colons >= 5;
            if (c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (variables && (inResource || variablesBeforeResource))
                {
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
                        var (key, fallback) = ParseVariable(text, inner);
                        tokens.Add(new Token(Kind.Variable, key, fallback, false));
                    }

                    i = end;
                    continue;
                }

                // Literal text; a colon inside ${...} does not separate segments (as ArnText splits).
                var stop = end < 0 ? text.Length - 1 : end;
                literal.Append(text, i, stop - i + 1);
                i = stop;
                continue;
            }

            switch (c)
            {
                case '*' or '?' when !wildcards:
                    literal.Append(c);
                    break;
                case '*':
                    Flush(tokens, literal);
                    tokens.Add(new Token(Kind.Star, null, null, inResource || i + 1 == text.Length || text[i + 1] == ':'));
                    break;
                case '?':
                    Flush(tokens, literal);
                    tokens.Add(new Token(Kind.Question, null, null, inResource));
                    break;
                default:
                    if (c == ':')
                    {
                        colons++;
                    }

                    literal.Append(c);
                    break;
            }
        }

        Flush(tokens, literal);
        return new PolicyTemplate(text, tokens.ToArray());
    }

    /// <summary>True when the whole text matches a string condition value, optionally ignoring case.</summary>
    public bool Matches(string text, AccessRequest request, bool ignoreCase) => Matches(text, ignoreCase ? text.Length : 0, request);

    /// <summary>True when the whole text matches; characters before <paramref name="ignoreCaseBefore"/> compare ignoring case (for a Resource, where the text's resource part starts).</summary>
    public bool Matches(string text, int ignoreCaseBefore, AccessRequest request)
    {
        switch (_shape)
        {
            case Shape.Literal:
                var literal = _tokens.Length == 0 ? string.Empty : _tokens[0].Value!;
                return text.Length == literal.Length && Same(text, 0, literal, ignoreCaseBefore);
            case Shape.Prefix:
                var prefix = _tokens[0].Value!;
                return text.Length >= prefix.Length && Same(text, 0, prefix, ignoreCaseBefore);
            default:
                if (_firstVariable >= 0 && !CanResolve(request))
                {
                    return false;
                }

                return Match(0, 0, _tokens.Length, false, text, ignoreCaseBefore, request);
        }
    }

    /// <summary>True when every variable has a value (or a default) in the request; allocation-free.</summary>
    public bool CanResolve(AccessRequest request)
    {
        if (_firstVariable < 0)
        {
            return true;
        }

        foreach (var token in _tokens)
        {
            if (token.Kind == Kind.Variable && Resolve(token, request) is null)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when the part before the first variable already cannot match: whatever the variables hold, the text is outside the pattern.</summary>
    public bool RulesOut(string text, int ignoreCaseBefore, AccessRequest request) =>
        !Match(0, 0, _firstVariable < 0 ? _tokens.Length : _firstVariable, _firstVariable >= 0, text, ignoreCaseBefore, request);

    /// <summary>The pattern with its variables substituted, for explanations; null when one has no value.</summary>
    public string? Resolve(AccessRequest request)
    {
        if (_firstVariable < 0)
        {
            return Text;
        }

        var sb = new StringBuilder();
        foreach (var token in _tokens)
        {
            var s = token.Kind switch
            {
                Kind.Star => "*",
                Kind.Question => "?",
                Kind.Variable => Resolve(token, request),
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

    /// <summary>Reads the inside of <c>${...}</c>: a key, then optionally a comma and a default in single quotes.</summary>
    /// <exception cref="FormatException">The default is not quoted, or the key is empty.</exception>
    internal static (string Key, string? Default) ParseVariable(string text, string inner)
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

        return (key, fallback);
    }

    private static void Flush(List<Token> tokens, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            tokens.Add(new Token(Kind.Text, literal.ToString(), null, false));
            literal.Clear();
        }
    }

    // Tokens [t, end) against text from pos; after them the text must end, or anything may follow (tail).
    private bool Match(int t, int pos, int end, bool tail, string text, int ignoreCaseBefore, AccessRequest request)
    {
        while (true)
        {
            if (t == end)
            {
                return tail || pos == text.Length;
            }

            var token = _tokens[t];
            switch (token.Kind)
            {
                case Kind.Text:
                case Kind.Variable:
                    var s = token.Kind == Kind.Text ? token.Value! : Resolve(token, request);
                    if (s is null || pos + s.Length > text.Length || !Same(text, pos, s, ignoreCaseBefore))
                    {
                        return false;
                    }

                    pos += s.Length;
                    t++;
                    continue;
                case Kind.Question:
                    if (pos >= text.Length || (!token.Crossing && text[pos] == ':'))
                    {
                        return false;
                    }

                    pos++;
                    t++;
                    continue;
                default:
                    if (t + 1 == end && !tail)
                    {
                        return token.Crossing || text.IndexOf(':', pos) < 0;
                    }

                    for (var k = pos; k <= text.Length; k++)
                    {
                        if (Match(t + 1, k, end, tail, text, ignoreCaseBefore, request))
                        {
                            return true;
                        }

                        if (k < text.Length && !token.Crossing && text[k] == ':')
                        {
                            return false;
                        }
                    }

                    return false;
            }
        }
    }

    // The characters of s at text[pos]: those from ignoreCaseBefore on (for an ARN the resource part, the
    // most telling) first and case-sensitively, then those before it ignoring case.
    private static bool Same(string text, int pos, string s, int ignoreCaseBefore)
    {
        var head = Math.Max(0, Math.Min(s.Length, ignoreCaseBefore - pos));
        if (head < s.Length && string.CompareOrdinal(text, pos + head, s, head, s.Length - head) != 0)
        {
            return false;
        }

        return head == 0 || string.Compare(text, pos, s, 0, head, StringComparison.OrdinalIgnoreCase) == 0;
    }

    private readonly struct Token
    {
        public Token(Kind kind, string? value, string? fallback, bool crossing)
        {
            Kind = kind;
            Value = value;
            Default = fallback;
            Crossing = crossing;
        }

        public Kind Kind { get; }

        public string? Value { get; }

        public string? Default { get; }

        // A wildcard that may match a colon: in the resource part, or a * that ends its segment.
        public bool Crossing { get; }
    }
}
