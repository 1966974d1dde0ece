using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Analysis;

/// <summary>
/// The repository classes of a set of Resource/NotResource values in one registry: the registry's partition, Region
/// and account are fixed, so each value decides on <c>repository/NAME</c> alone; names follow ECR's naming rule.
/// </summary>
/// <remarks>
/// A value is read as IAM documents it: <c>*</c> and <c>?</c> anywhere in the resource part, <c>*</c> spanning
/// <c>/</c>, a trailing <c>*</c> of a segment spanning colons. Rather than decide how a value's first five segments
/// line up with the registry's, every suffix of the value that can start the resource part after them (after a
/// colon or a <c>?</c>, or at a <c>*</c>) is a predicate: whichever way the segments line up, the value's verdict
/// is a combination of those, so the classes are exact for every such reading, the engine's included.
/// </remarks>
internal static class ResourceSpace
{
    public const string Prefix = "repository/";

    public static List<string>? Tails(IEnumerable<(string Text, bool Variables)> values, UnknownLog unknowns)
    {
        var predicates = new List<Nfa>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (text, variables) in values)
        {
            if (text == "*")
            {
                continue;
            }

            var tokens = GlobToken.Read(text, true, variables);
            for (var i = 1; i <= tokens.Count; i++)
            {
                var startsHere = (i < tokens.Count && tokens[i].Kind == GlobTokenKind.Star)
                    || tokens[i - 1].Kind == GlobTokenKind.Question
                    || (tokens[i - 1].Kind == GlobTokenKind.Char && tokens[i - 1].Char == ':');
                if (!startsHere)
                {
                    continue;
                }

                var suffix = tokens.Skip(i).ToList();
                if (GlobToken.HasVariable(suffix))
                {
                    // The caller reports the statement as Unknown; the rest of the suffix still splits names.
                    suffix = suffix.TakeWhile(t => t.Kind != GlobTokenKind.Variable).Append(new GlobToken(GlobTokenKind.Star, '*', null)).ToList();
                }

                var key = string.Concat(suffix.Select(t => t.Kind switch { GlobTokenKind.Star => "\u0001", GlobTokenKind.Question => "\u0002", _ => t.Char.ToString() }));
                if (seen.Add(key))
                {
                    predicates.Add(new NfaBuilder().Glob(suffix, CharTest.Any, CharTest.Any).Build());
                }
            }
        }

        var classes = StringSpace.Partition(Domain(), predicates);
        if (classes is null)
        {
            unknowns.Add(null, "The repositories have too many classes to partition exactly.");
            return null;
        }

        return classes.Select(c => c.Witness).OrderBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToList();
    }

    // "repository/" and a name as ECR allows it: [a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*, 2 characters at least.
    private static Nfa Domain()
    {
        var b = new NfaBuilder().Text(Prefix);
        var start = b.Current;
        var first = b.NewState();
        var run = b.NewState();
        var dot = b.NewState();
        var under1 = b.NewState();
        var under2 = b.NewState();
        var dash = b.NewState();
        var slash = b.NewState();
        var alnum = CharTest.LowerAlnum;
        b.Edge(start, alnum, first);
        foreach (var from in new[] { first, run })
        {
            b.Edge(from, alnum, run);
            b.Edge(from, CharTest.Exact('.'), dot);
            b.Edge(from, CharTest.Exact('_'), under1);
            b.Edge(from, CharTest.Exact('-'), dash);
            b.Edge(from, CharTest.Exact('/'), slash);
        }

        b.Edge(dot, alnum, run);
        b.Edge(under1, alnum, run);
        b.Edge(under1, CharTest.Exact('_'), under2);
        b.Edge(under2, alnum, run);
        b.Edge(dash, CharTest.Exact('-'), dash);
        b.Edge(dash, alnum, run);
        b.Edge(slash, alnum, run);
        return b.MoveTo(run).Build();
    }

    /// <summary>True when the name is one ECR allows (for checks of the domain).</summary>
    public static bool IsRepositoryName(string name) => name.Length is >= 2 and <= 256 && RepositoryArn.RepositoryNamePattern.IsMatch(name);
}
