using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Analysis;

/// <summary>The automaton explorer against brute force: for random glob sets, the classes it finds are exactly those that strings realise.</summary>
public class StringSpaceTests
{
    [Fact]
    public void The_classes_of_random_glob_sets_are_exactly_those_short_strings_realise()
    {
        var random = new Random(7);
        const string letters = "ab/";
        var strings = new List<string> { string.Empty };
        for (var length = 1; length <= 7; length++)
        {
            strings.AddRange(strings.Where(s => s.Length == length - 1).SelectMany(s => letters.Select(c => s + c)).ToList());
        }

        for (var round = 0; round < 300; round++)
        {
            var patterns = Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pattern(random)).ToList();
            var predicates = patterns.Select(p => new NfaBuilder().Glob(GlobToken.Read(p, true, false), CharTest.Any, CharTest.Any).Build()).ToList();
            var classes = StringSpace.Partition(new NfaBuilder().Many(CharTest.Any).Build(), predicates)!;

            // Each witness is in the class the explorer says (checked by the engine's own wildcard matcher).
            foreach (var c in classes)
            {
                for (var i = 0; i < patterns.Count; i++)
                {
                    Assert.True(c.Accepted[i] == Wildcard.IsMatch(patterns[i], c.Witness, ignoreCase: false), $"'{c.Witness}' against '{patterns[i]}'");
                }
            }

            // Every combination a short string realises is found, and nothing else (the patterns are short enough for length 7).
            string Vector(Func<int, bool> accepted) => new string(patterns.Select((_, i) => accepted(i) ? '1' : '0').ToArray());
            var realised = strings.Select(s => Vector(i => Wildcard.IsMatch(patterns[i], s, ignoreCase: false))).Distinct().OrderBy(v => v).ToList();
            var found = classes.Select(c => Vector(i => c.Accepted[i])).Distinct().OrderBy(v => v).ToList();
            Assert.True(realised.SequenceEqual(found), $"patterns {string.Join(" ", patterns)}: brute force {string.Join(",", realised)}, explorer {string.Join(",", found)}");
        }
    }

    [Fact]
    public void A_repository_name_witness_follows_ECR_naming_rules()
    {
        var tails = ResourceSpace.Tails(new[] { ("arn:aws:ecr:us-east-1:111122223333:repository/a*", false), ("arn:aws:ecr:us-east-1:111122223333:*/b", false) }, new UnknownLog())!;
        Assert.All(tails, t => Assert.True(ResourceSpace.IsRepositoryName(t.Substring(ResourceSpace.Prefix.Length)), t));
        Assert.Contains(tails, t => t.StartsWith("repository/a", StringComparison.Ordinal) && t.EndsWith("/b", StringComparison.Ordinal));
    }

    private static string Pattern(Random random)
    {
        const string letters = "ab/*?";
        return new string(Enumerable.Range(0, random.Next(1, 4)).Select(_ => letters[random.Next(letters.Length)]).ToArray());
    }
}
