using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PtcTools.Policy.Analysis;

/// <summary>What a character must be to take an automaton edge: one character (optionally in either case) or a class.</summary>
internal sealed class CharTest
{
    private static readonly Regex s_nameChar = new(@"^[\w+=,.@-]$", RegexOptions.CultureInvariant);

    private readonly Func<char, bool>? _class;
    private readonly sbyte[] _memo;

    private CharTest(char c, char other, Func<char, bool>? test, string name)
    {
        _memo = test is null ? Array.Empty<sbyte>() : new sbyte[char.MaxValue + 1];
        Char = c;
        Other = other;
        _class = test;
        Name = name;
    }

    /// <summary>Any character.</summary>
    public static CharTest Any { get; } = Class("any", _ => true);

    /// <summary>Any character but ':' (inside one ARN segment).</summary>
    public static CharTest NotColon { get; } = Class("[^:]", c => c != ':');

    /// <summary>Any character but '/' (inside one path segment).</summary>
    public static CharTest NotSlash { get; } = Class("[^/]", c => c != '/');

    /// <summary>An ASCII digit (account ids).</summary>
    public static CharTest Digit { get; } = Class("[0-9]", c => c >= '0' && c <= '9');

    /// <summary>A lowercase ASCII letter or digit (repository names, lowercased action names).</summary>
    public static CharTest LowerAlnum { get; } = Class("[a-z0-9]", c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));

    /// <summary>A character of an IAM user, role or session name: <c>[\w+=,.@-]</c>.</summary>
    public static CharTest NameChar { get; } = Class("[\\w+=,.@-]", c => s_nameChar.IsMatch(c.ToString()));

    /// <summary>A character of an IAM path: printable ASCII.</summary>
    public static CharTest PathChar { get; } = Class("[\\x21-\\x7E]", c => c >= '\x21' && c <= '\x7E');

    public char Char { get; }

    public char Other { get; }

    public string Name { get; }

    public bool IsClass => _class is not null;

    public static CharTest Exact(char c) => new(c, c, null, c.ToString());

    public static CharTest EitherCase(char c)
    {
        var lower = char.ToLowerInvariant(c);
        var upper = char.ToUpperInvariant(c);
        return new CharTest(lower, upper, null, c.ToString());
    }

    public static CharTest Class(string name, Func<char, bool> test) => new('\0', '\0', test, name);

    public bool Matches(char c)
    {
        if (_class is null)
        {
            return c == Char || c == Other;
        }

        // Class tests are remembered per character: the explorer asks the same few characters again and again.
        var known = _memo[c];
        if (known == 0)
        {
            _memo[c] = known = _class(c) ? (sbyte)1 : (sbyte)-1;
        }

        return known > 0;
    }

    public override string ToString() => Name;
}

/// <summary>A nondeterministic automaton with epsilon edges, built by <see cref="NfaBuilder"/>: one start state, one accepting state.</summary>
internal sealed class Nfa
{
    internal List<List<KeyValuePair<CharTest, int>>> Edges { get; } = new();

    internal List<List<int>> Epsilons { get; } = new();

    public int Start { get; internal set; }

    public int Accept { get; internal set; }

    public int Count => Edges.Count;

    internal int NewState()
    {
        Edges.Add(new List<KeyValuePair<CharTest, int>>());
        Epsilons.Add(new List<int>());
        return Edges.Count - 1;
    }

    /// <summary>True when the automaton accepts the text (for tests and checks; the explorer does not use it).</summary>
    public bool Accepts(string text)
    {
        var current = Close(new HashSet<int> { Start });
        foreach (var c in text)
        {
            var next = new HashSet<int>();
            foreach (var s in current)
            {
                foreach (var edge in Edges[s])
                {
                    if (edge.Key.Matches(c))
                    {
                        next.Add(edge.Value);
                    }
                }
            }

            current = Close(next);
            if (current.Count == 0)
            {
                return false;
            }
        }

        return current.Contains(Accept);
    }

    private HashSet<int> Close(HashSet<int> states)
    {
        var stack = new Stack<int>(states);
        while (stack.Count > 0)
        {
            foreach (var t in Epsilons[stack.Pop()])
            {
                if (states.Add(t))
                {
                    stack.Push(t);
                }
            }
        }

        return states;
    }
}

/// <summary>Builds an <see cref="Nfa"/> as a sequence of pieces from a current state.</summary>
internal sealed class NfaBuilder
{
    private readonly Nfa _nfa;

    public NfaBuilder()
    {
        _nfa = new Nfa();
        Current = _nfa.NewState();
        _nfa.Start = Current;
    }

    private NfaBuilder(Nfa nfa, int start)
    {
        _nfa = nfa;
        Current = start;
    }

    public int Current { get; private set; }

    public int NewState() => _nfa.NewState();

    public void Edge(int from, CharTest test, int to) => _nfa.Edges[from].Add(new KeyValuePair<CharTest, int>(test, to));

    public void Epsilon(int from, int to) => _nfa.Epsilons[from].Add(to);

    public NfaBuilder MoveTo(int state)
    {
        Current = state;
        return this;
    }

    public NfaBuilder One(CharTest test)
    {
        var next = NewState();
        Edge(Current, test, next);
        Current = next;
        return this;
    }

    public NfaBuilder Text(string text, bool ignoreCase = false)
    {
        foreach (var c in text)
        {
            One(ignoreCase ? CharTest.EitherCase(c) : CharTest.Exact(c));
        }

        return this;
    }

    /// <summary>Zero or more characters that pass the test.</summary>
    public NfaBuilder Many(CharTest test)
    {
        var loop = NewState();
        Epsilon(Current, loop);
        Edge(loop, test, loop);
        Current = loop;
        return this;
    }

    /// <summary>One or more characters that pass the test.</summary>
    public NfaBuilder OneOrMore(CharTest test) => One(test).Many(test);

    public NfaBuilder Repeat(CharTest test, int count)
    {
        for (var i = 0; i < count; i++)
        {
            One(test);
        }

        return this;
    }

    /// <summary>A glob: literal characters, <c>*</c> as any run of <paramref name="star"/> characters and <c>?</c> as one <paramref name="question"/> character.</summary>
    public NfaBuilder Glob(IEnumerable<GlobToken> tokens, CharTest star, CharTest question, bool ignoreCase = false)
    {
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case GlobTokenKind.Star:
                    Many(star);
                    break;
                case GlobTokenKind.Question:
                    One(question);
                    break;
                default:
                    One(ignoreCase ? CharTest.EitherCase(token.Char) : CharTest.Exact(token.Char));
                    break;
            }
        }

        return this;
    }

    /// <summary>Several alternatives from the current state, joined after them.</summary>
    public NfaBuilder Either(params Action<NfaBuilder>[] branches)
    {
        var join = NewState();
        foreach (var branch in branches)
        {
            var start = NewState();
            Epsilon(Current, start);
            var sub = new NfaBuilder(_nfa, start);
            branch(sub);
            Epsilon(sub.Current, join);
        }

        Current = join;
        return this;
    }

    public Nfa Build()
    {
        _nfa.Accept = Current;
        return _nfa;
    }
}

/// <summary>What a policy string holds, read as IAM reads it: literal characters, wildcards and policy variables.</summary>
internal enum GlobTokenKind
{
    Char,
    Star,
    Question,
    Variable,
}

/// <summary>One token of a policy string.</summary>
internal readonly struct GlobToken
{
    public GlobToken(GlobTokenKind kind, char c, string? variable)
    {
        Kind = kind;
        Char = c;
        Variable = variable;
    }

    public GlobTokenKind Kind { get; }

    public char Char { get; }

    public string? Variable { get; }

    /// <summary>Splits a policy string as the engine's templates do: <c>${*}</c>, <c>${?}</c> and <c>${$}</c> are literal, other <c>${...}</c> are variables (when substituted at all).</summary>
    public static List<GlobToken> Read(string text, bool wildcards, bool variables)
    {
        var tokens = new List<GlobToken>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (variables && c == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                var end = text.IndexOf('}', i + 2);
                if (end > 0)
                {
                    var inner = text.Substring(i + 2, end - i - 2);
                    if (inner is "*" or "?" or "$")
                    {
                        tokens.Add(new GlobToken(GlobTokenKind.Char, inner[0], null));
                    }
                    else
                    {
                        tokens.Add(new GlobToken(GlobTokenKind.Variable, '\0', inner));
                    }

                    i = end;
                    continue;
                }
            }

            if (wildcards && c == '*')
            {
                tokens.Add(new GlobToken(GlobTokenKind.Star, c, null));
            }
            else if (wildcards && c == '?')
            {
                tokens.Add(new GlobToken(GlobTokenKind.Question, c, null));
            }
            else
            {
                tokens.Add(new GlobToken(GlobTokenKind.Char, c, null));
            }
        }

        return tokens;
    }

    public static bool HasVariable(IEnumerable<GlobToken> tokens) => tokens.Any(t => t.Kind == GlobTokenKind.Variable);
}

/// <summary>
/// Partitions a set of strings (a domain automaton) by which predicate automata accept them, exactly: every
/// combination of accept/reject that some string of the domain realises is found, with the shortest such string.
/// </summary>
/// <remarks>
/// The product of the automata is explored breadth-first over an alphabet of the characters the automata name plus
/// one stand-in for each kind of character they do not name; two strings that reach the same product state agree on
/// every predicate for every continuation, so visiting each product state once finds every realisable combination.
/// </remarks>
internal static class StringSpace
{
    // Preferred stand-ins first, so witnesses read as placeholders ("x", "9") rather than punctuation.
    private static readonly int[] s_none = Array.Empty<int>();

    private static readonly char[] s_pool = "xyzqwkj9870".ToCharArray()
        .Concat(Enumerable.Range(0x20, 0x5F).Select(i => (char)i))
        .Concat(new[] { '\u00e9', '\u20ac' })
        .ToArray();

    /// <summary>One class: a shortest string of the domain and which predicates accept it.</summary>
    public sealed class Class
    {
        public Class(string witness, bool[] accepted)
        {
            Witness = witness;
            Accepted = accepted;
        }

        public string Witness { get; }

        public bool[] Accepted { get; }
    }

    /// <summary>Every class of the domain under the predicates; null when more than <paramref name="maxStates"/> product states would be needed.</summary>
    public static List<Class>? Partition(Nfa domain, IReadOnlyList<Nfa> predicates, int maxStates = 200_000)
    {
        var automata = new List<Nfa> { domain };
        automata.AddRange(predicates);
        var offsets = new int[automata.Count];
        var total = 0;
        for (var i = 0; i < automata.Count; i++)
        {
            offsets[i] = total;
            total += automata[i].Count;
        }

        // Global state numbering; each state's epsilon closure as a sorted list.
        var edges = new KeyValuePair<CharTest, int>[total][];
        var closures = new int[total][];
        var owner = new int[total];
        for (var i = 0; i < automata.Count; i++)
        {
            var nfa = automata[i];
            for (var s = 0; s < nfa.Count; s++)
            {
                owner[offsets[i] + s] = i;
                edges[offsets[i] + s] = nfa.Edges[s].Select(e => new KeyValuePair<CharTest, int>(e.Key, offsets[i] + e.Value)).ToArray();
                var closure = new List<int> { offsets[i] + s };
                var stack = new Stack<int>();
                stack.Push(s);
                while (stack.Count > 0)
                {
                    foreach (var t in nfa.Epsilons[stack.Pop()])
                    {
                        if (!closure.Contains(offsets[i] + t))
                        {
                            closure.Add(offsets[i] + t);
                            stack.Push(t);
                        }
                    }
                }

                closure.Sort();
                closures[offsets[i] + s] = closure.ToArray();
            }
        }

        var alphabet = Alphabet(automata);
        var moves = new int[]?[]?[total];
        var mark = new int[total];
        var generation = 0;
        var scratch = new List<int>();
        var domainAccept = offsets[0] + domain.Accept;
        var accepts = new int[predicates.Count];
        for (var p = 0; p < predicates.Count; p++)
        {
            accepts[p] = offsets[p + 1] + automata[p + 1].Accept;
        }

        generation++;
        for (var i = 0; i < automata.Count; i++)
        {
            foreach (var t in closures[offsets[i] + automata[i].Start])
            {
                if (mark[t] != generation)
                {
                    mark[t] = generation;
                    scratch.Add(t);
                }
            }
        }

        scratch.Sort();
        var start = scratch.ToArray();
        var seen = new HashSet<Key>();
        var classes = new Dictionary<Key, Class>();
        var queue = new Queue<KeyValuePair<int[], string>>();
        seen.Add(new Key(start));
        queue.Enqueue(new KeyValuePair<int[], string>(start, string.Empty));
        while (queue.Count > 0)
        {
            var item = queue.Dequeue();
            var state = item.Key;
            var text = item.Value;
            if (Array.BinarySearch(state, domainAccept) >= 0)
            {
                var accepted = new bool[predicates.Count];
                var vector = new int[(predicates.Count + 31) / 32];
                for (var p = 0; p < predicates.Count; p++)
                {
                    accepted[p] = Array.BinarySearch(state, accepts[p]) >= 0;
                    if (accepted[p])
                    {
                        vector[p >> 5] |= 1 << (p & 31);
                    }
                }

                var key = new Key(vector);
                if (!classes.ContainsKey(key))
                {
                    classes[key] = new Class(text, accepted);
                }
            }

            for (var k = 0; k < alphabet.Count; k++)
            {
                generation++;
                scratch.Clear();
                var inDomain = false;
                foreach (var s in state)
                {
                    var row = moves[s] ??= new int[]?[alphabet.Count];
                    var move = row[k];
                    if (move is null)
                    {
                        move = s_none;
                        foreach (var edge in edges[s])
                        {
                            if (edge.Key.Matches(alphabet[k]))
                            {
                                move = move.Length == 0 ? closures[edge.Value] : move.Union(closures[edge.Value]).ToArray();
                            }
                        }

                        row[k] = move;
                    }

                    foreach (var t in move)
                    {
                        if (mark[t] != generation)
                        {
                            mark[t] = generation;
                            scratch.Add(t);
                            inDomain |= owner[t] == 0;
                        }
                    }
                }

                if (!inDomain)
                {
                    continue;
                }

                scratch.Sort();
                var next = scratch.ToArray();
                if (seen.Add(new Key(next)))
                {
                    if (seen.Count > maxStates)
                    {
                        return null;
                    }

                    queue.Enqueue(new KeyValuePair<int[], string>(next, text + alphabet[k]));
                }
            }
        }

        return classes.Values.ToList();
    }

    // The characters the automata name, and one stand-in for every combination of classes an unnamed character can be in.
    private static List<char> Alphabet(IEnumerable<Nfa> automata)
    {
        var named = new HashSet<char>();
        var classes = new List<CharTest>();
        foreach (var nfa in automata)
        {
            foreach (var list in nfa.Edges)
            {
                foreach (var edge in list)
                {
                    if (edge.Key.IsClass)
                    {
                        if (!classes.Contains(edge.Key))
                        {
                            classes.Add(edge.Key);
                        }
                    }
                    else
                    {
                        named.Add(edge.Key.Char);
                        named.Add(edge.Key.Other);
                    }
                }
            }
        }

        var alphabet = new List<char>();
        var signatures = new HashSet<string>();
        foreach (var c in s_pool)
        {
            if (named.Contains(c))
            {
                continue;
            }

            var signature = new StringBuilder();
            foreach (var test in classes)
            {
                signature.Append(test.Matches(c) ? '1' : '0');
            }

            if (signature.ToString().IndexOf('1') >= 0 && signatures.Add(signature.ToString()))
            {
                alphabet.Add(c);
            }
        }

        alphabet.AddRange(named.OrderBy(c => c));
        return alphabet;
    }

    private readonly struct Key : IEquatable<Key>
    {
        private readonly int[] _bits;
        private readonly int _hash;

        public Key(int[] bits)
        {
            _bits = bits;
            var h = 17;
            foreach (var b in bits)
            {
                h = unchecked((h * 31) + b);
            }

            _hash = h;
        }

        public bool Equals(Key other)
        {
            if (_bits.Length != other._bits.Length)
            {
                return false;
            }

            for (var i = 0; i < _bits.Length; i++)
            {
                if (_bits[i] != other._bits[i])
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => obj is Key k && Equals(k);

        public override int GetHashCode() => _hash;
    }
}
