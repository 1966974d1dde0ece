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
    public static List<Class>? Partition(Nfa domain, IReadOnlyList<Nfa> predicates, int maxStates = 200_000) => PartitionCore(domain, predicates, maxStates);

    private static List<Class>? PartitionCore(Nfa domain, IReadOnlyList<Nfa> predicates, int maxStates)
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

        // Global state numbering: which automaton owns each state; each state's epsilon closure (as a sorted list) and
        // whether from it every continuation is accepted (the '*' loop at the end of a glob, which settles its
        // predicate) are worked out when the state is first reached: most states of most predicates never are.
        var owner = new int[total];
        var local = new int[total];
        for (var i = 0; i < automata.Count; i++)
        {
            for (var s = 0; s < automata[i].Count; s++)
            {
                owner[offsets[i] + s] = i;
                local[offsets[i] + s] = s;
            }
        }

        var closures = new int[]?[total];
        var forever = new sbyte[total];
        int[] Closure(int state)
        {
            var known = closures[state];
            if (known is not null)
            {
                return known;
            }

            var nfa = automata[owner[state]];
            var offset = offsets[owner[state]];
            var closure = new List<int> { state };
            var stack = new Stack<int>();
            stack.Push(local[state]);
            while (stack.Count > 0)
            {
                foreach (var t in nfa.Epsilons[stack.Pop()])
                {
                    if (!closure.Contains(offset + t))
                    {
                        closure.Add(offset + t);
                        stack.Push(t);
                    }
                }
            }

            closure.Sort();
            return closures[state] = closure.ToArray();
        }

        bool Forever(int state)
        {
            if (forever[state] == 0)
            {
                var i = owner[state];
                var s = local[state];
                var always = i > 0 && Array.BinarySearch(Closure(state), offsets[i] + automata[i].Accept) >= 0
                    && automata[i].Edges[s].Any(e => e.Value == s && ReferenceEquals(e.Key, CharTest.Any));
                forever[state] = always ? (sbyte)1 : (sbyte)-1;
            }

            return forever[state] > 0;
        }

        var alphabet = Alphabet(automata);
        var moves = new int[]?[]?[total];
        int[] Move(int s, int k)
        {
            var row = moves[s] ??= new int[]?[alphabet.Count];
            var move = row[k];
            if (move is null)
            {
                move = s_none;
                var offset = offsets[owner[s]];
                foreach (var edge in automata[owner[s]].Edges[local[s]])
                {
                    if (edge.Key.Matches(alphabet[k]))
                    {
                        var target = Closure(offset + edge.Value);
                        move = move.Length == 0 ? target : move.Union(target).OrderBy(x => x).ToArray();
                    }
                }

                row[k] = move;
            }

            return move;
        }

        var accepts = new int[predicates.Count];
        for (var p = 0; p < predicates.Count; p++)
        {
            accepts[p] = offsets[p + 1] + automata[p + 1].Accept;
        }

        var vectorWords = (predicates.Count + 63) / 64;
        var mark = new int[total];
        var generation = 0;
        var scratch = new List<int>();

        // Nodes: the unsettled part of a configuration, interned; their transitions are computed once per letter.
        var nodes = new List<int[]>();
        var transitions = new List<Transition[]>();
        var vectors = new List<ulong[]>();
        var vectorIds = new Dictionary<VectorKey, int>();

        // Interns a vector; the array may be a scratch buffer (a new vector is copied).
        int Vector(ulong[] bits)
        {
            if (!vectorIds.TryGetValue(new VectorKey(bits), out var id))
            {
                var copy = (ulong[])bits.Clone();
                id = vectors.Count;
                vectors.Add(copy);
                vectorIds[new VectorKey(copy)] = id;
            }

            return id;
        }

        // Splits a closed state set into its unsettled states and the predicates it settles as accepted; a
        // predicate with no state left is settled as rejected and simply drops out. Nodes are interned by content
        // (hash buckets over the node list) so that a configuration seen before allocates nothing.
        var buckets = new Dictionary<int, int>();
        var nextInBucket = new List<int>();
        var kept = new List<int>();
        (int Node, ulong[]? Settled) Settle(List<int> states)
        {
            states.Sort();
            ulong[]? settled = null;
            kept.Clear();
            var hash = 17;
            var i = 0;
            while (i < states.Count)
            {
                var who = owner[states[i]];
                var j = i;
                var always = false;
                while (j < states.Count && owner[states[j]] == who)
                {
                    always |= Forever(states[j]);
                    j++;
                }

                if (always)
                {
                    settled ??= new ulong[vectorWords];
                    settled[(who - 1) >> 6] |= 1UL << ((who - 1) & 63);
                }
                else
                {
                    for (var m = i; m < j; m++)
                    {
                        kept.Add(states[m]);
                        hash = unchecked((hash * 31) + states[m]);
                    }
                }

                i = j;
            }

            var found = buckets.TryGetValue(hash, out var node) ? node : -1;
            while (found >= 0 && !SameStates(nodes[found], kept))
            {
                found = nextInBucket[found];
            }

            if (found < 0)
            {
                found = nodes.Count;
                nodes.Add(kept.ToArray());
                transitions.Add(new Transition[alphabet.Count]);
                nextInBucket.Add(buckets.TryGetValue(hash, out var head) ? head : -1);
                buckets[hash] = found;
            }

            return (found, settled);
        }

        Transition Step(int node, int k)
        {
            var known = transitions[node][k];
            if (known.Computed)
            {
                return known;
            }

            generation++;
            scratch.Clear();
            var inDomain = false;
            foreach (var s in nodes[node])
            {
                foreach (var t in Move(s, k))
                {
                    if (mark[t] != generation)
                    {
                        mark[t] = generation;
                        scratch.Add(t);
                        inDomain |= owner[t] == 0;
                    }
                }

                // The domain's states come first (the lowest numbers): a letter the domain cannot take ends here.
                if (owner[s] != 0 && !inDomain)
                {
                    break;
                }
            }

            Transition result;
            if (!inDomain)
            {
                result = new Transition(-1, null);
            }
            else
            {
                var (next, settled) = Settle(scratch);
                result = new Transition(next, settled);
            }

            transitions[node][k] = result;
            return result;
        }

        generation++;
        scratch.Clear();
        for (var i = 0; i < automata.Count; i++)
        {
            foreach (var t in Closure(offsets[i] + automata[i].Start))
            {
                if (mark[t] != generation)
                {
                    mark[t] = generation;
                    scratch.Add(t);
                }
            }
        }

        var (startNode, startSettled) = Settle(scratch);
        startSettled ??= new ulong[vectorWords];
        var domainAccept = offsets[0] + domain.Accept;
        var seen = new HashSet<long>();
        var classes = new Dictionary<VectorKey, Class>();

        // Each string the search reaches is its parent's plus one letter: kept as a trail, spelled out only for a new class.
        var trailParent = new List<int> { -1 };
        var trailLetter = new List<char> { '\0' };
        string Spell(int at)
        {
            var letters = new List<char>();
            for (; at > 0; at = trailParent[at])
            {
                letters.Add(trailLetter[at]);
            }

            letters.Reverse();
            return new string(letters.ToArray());
        }

        var queue = new Queue<(int Node, int Vector, int Trail)>();
        var startVector = Vector(startSettled);
        seen.Add(((long)startNode << 32) | (uint)startVector);
        queue.Enqueue((startNode, startVector, 0));
        var bits = new ulong[vectorWords];
        var merged = new ulong[vectorWords];
        while (queue.Count > 0)
        {
            var (node, vector, trail) = queue.Dequeue();
            var states = nodes[node];
            if (Array.BinarySearch(states, domainAccept) >= 0)
            {
                Array.Copy(vectors[vector], bits, vectorWords);
                for (var p = 0; p < predicates.Count; p++)
                {
                    if (Array.BinarySearch(states, accepts[p]) >= 0)
                    {
                        bits[p >> 6] |= 1UL << (p & 63);
                    }
                }

                var key = new VectorKey(bits);
                if (!classes.ContainsKey(key))
                {
                    var accepted = new bool[predicates.Count];
                    for (var p = 0; p < predicates.Count; p++)
                    {
                        accepted[p] = (bits[p >> 6] & (1UL << (p & 63))) != 0;
                    }

                    classes[new VectorKey((ulong[])bits.Clone())] = new Class(Spell(trail), accepted);
                }
            }

            for (var k = 0; k < alphabet.Count; k++)
            {
                var step = Step(node, k);
                if (step.Node < 0)
                {
                    continue;
                }

                var nextVector = vector;
                if (step.Settled is { } settled)
                {
                    var current = vectors[vector];
                    for (var w = 0; w < vectorWords; w++)
                    {
                        merged[w] = current[w] | settled[w];
                    }

                    nextVector = Vector(merged);
                }

                if (seen.Add(((long)step.Node << 32) | (uint)nextVector))
                {
                    if (seen.Count > maxStates)
                    {
                        return null;
                    }

                    trailParent.Add(trail);
                    trailLetter.Add(alphabet[k]);
                    queue.Enqueue((step.Node, nextVector, trailParent.Count - 1));
                }
            }
        }

        Log?.Invoke($"pairs={seen.Count} nodes={nodes.Count} letters={alphabet.Count} total={total} preds={predicates.Count} classes={classes.Count}");
        return classes.Values.ToList();
    }

    private static bool SameStates(int[] node, List<int> states)
    {
        if (node.Length != states.Count)
        {
            return false;
        }

        for (var i = 0; i < node.Length; i++)
        {
            if (node[i] != states[i])
            {
                return false;
            }
        }

        return true;
    }

    private readonly struct Transition
    {
        public Transition(int node, ulong[]? settled)
        {
            Node = node;
            Settled = settled;
            Computed = true;
        }

        public int Node { get; }

        public ulong[]? Settled { get; }

        public bool Computed { get; }
    }

    private readonly struct VectorKey : IEquatable<VectorKey>
    {
        private readonly ulong[] _bits;
        private readonly int _hash;

        public VectorKey(ulong[] bits)
        {
            _bits = bits;
            var h = 17L;
            foreach (var b in bits)
            {
                h = (h * 31) ^ (long)b ^ (long)(b >> 29);
            }

            _hash = (int)h ^ (int)(h >> 32);
        }

        public bool Equals(VectorKey other)
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

        public override bool Equals(object? obj) => obj is VectorKey k && Equals(k);

        public override int GetHashCode() => _hash;
    }

    internal static Action<string>? Log;

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
}
