using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Numerics;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;

namespace PtcTools.Policy.Analysis;

/// <summary>
/// The values one request context key takes in the partition: absent, one value per class its conditions tell apart
/// (string patterns by automaton, numbers and dates by the intervals between the constants, IP addresses by the
/// blocks' boundaries, one unreadable value), and for a multivalued key every set of those classes.
/// </summary>
internal static class ContextSpace
{
    /// <summary>Keys whose value is a list in AWS requests (Service Authorization Reference: ArrayOfString).</summary>
    private static readonly HashSet<string> s_multivalued = new(StringComparer.OrdinalIgnoreCase)
    {
        "aws:TagKeys", "aws:PrincipalOrgPaths", "aws:CalledVia", "aws:PrincipalServiceNamesList", "aws:SourceOrgPaths", "aws:ResourceOrgPaths",
    };

    /// <summary>The most value classes a multivalued key may have for every subset of them to be tried (2^6 lists).</summary>
    public const int MaxSetClasses = 6;

    private const string Unreadable = "ptc-not-a-value";

    /// <summary>The values for the key; null in the list stands for "absent".</summary>
    public static List<ContextValue?> Values(string key, IReadOnlyList<(StatementFacts Statement, ConditionFact Condition)> conditions, IReadOnlyList<string> extraLiterals, IReadOnlyList<string> extraPrefixes, UnknownLog unknowns)
    {
        var families = conditions.Select(c => Group(c.Condition.Family)).Where(g => g != ValueGroup.Presence).Distinct().ToList();
        var singles = new List<string>();
        if (families.Count > 1)
        {
            var first = conditions.First(c => Group(c.Condition.Family) != families[0]);
            unknowns.Add(first.Statement, $"the key {key} is compared as {string.Join(" and as ", families.Select(f => f.ToString().ToLowerInvariant()))} values; the analysis does not partition one key read two ways.");
        }

        foreach (var family in families.DefaultIfEmpty(ValueGroup.Presence))
        {
            var group = conditions.Where(c => Group(c.Condition.Family) == family).ToList();
            switch (family)
            {
                case ValueGroup.String:
                    singles.AddRange(StringValues(key, group, extraLiterals, extraPrefixes, unknowns));
                    break;
                case ValueGroup.Number:
                    singles.AddRange(NumberValues(group));
                    break;
                case ValueGroup.Date:
                    singles.AddRange(DateValues(group));
                    break;
                case ValueGroup.Address:
                    singles.AddRange(AddressValues(group));
                    break;
                default:
                    singles.Add("x");
                    break;
            }
        }

        singles = singles.Distinct(StringComparer.Ordinal).ToList();
        var values = new List<ContextValue?> { null };
        var lists = s_multivalued.Contains(key) || conditions.Any(c => c.Condition.Set != SetQualifier.None);
        if (!s_multivalued.Contains(key))
        {
            values.AddRange(singles.Select(ContextValue.Of));
        }

        if (lists)
        {
            if (singles.Count > MaxSetClasses)
            {
                unknowns.Add(conditions[0].Statement, $"the multivalued key {key} has {singles.Count} value classes; every set of them (2^{singles.Count}) is more than the analysis tries, so only single values, the empty list and the whole list are tried.");
                values.Add(ContextValue.OfMany(Array.Empty<string>()));
                values.AddRange(singles.Select(s => ContextValue.OfMany(new[] { s })));
                values.Add(ContextValue.OfMany(singles));
            }
            else
            {
                for (var mask = 0; mask < 1 << singles.Count; mask++)
                {
                    values.Add(ContextValue.OfMany(singles.Where((_, i) => (mask & (1 << i)) != 0).ToArray()));
                }
            }
        }

        return values;
    }

    private enum ValueGroup
    {
        Presence,
        String,
        Number,
        Date,
        Address,
    }

    private static ValueGroup Group(OperatorFamily family) => family switch
    {
        OperatorFamily.Null => ValueGroup.Presence,
        OperatorFamily.NumericEquals or OperatorFamily.NumericLessThan or OperatorFamily.NumericLessThanEquals or OperatorFamily.NumericGreaterThan or OperatorFamily.NumericGreaterThanEquals => ValueGroup.Number,
        OperatorFamily.DateEquals or OperatorFamily.DateLessThan or OperatorFamily.DateLessThanEquals or OperatorFamily.DateGreaterThan or OperatorFamily.DateGreaterThanEquals => ValueGroup.Date,
        OperatorFamily.IpAddress => ValueGroup.Address,
        _ => ValueGroup.String,
    };

    private static IEnumerable<string> StringValues(string key, List<(StatementFacts Statement, ConditionFact Condition)> group, IReadOnlyList<string> extraLiterals, IReadOnlyList<string> extraPrefixes, UnknownLog unknowns)
    {
        var predicates = new List<Nfa>();
        var arnReadable = false;
        foreach (var (statement, condition) in group)
        {
            foreach (var value in condition.Values)
            {
                var wildcards = condition.Family is OperatorFamily.StringLike or OperatorFamily.ArnLike;
                var tokens = GlobToken.Read(value, wildcards, condition.Variables);
                if (GlobToken.HasVariable(tokens))
                {
                    unknowns.Add(statement, $"the condition {condition.Describe()} holds a policy variable; values that depend on another value are not partitioned exactly.");
                    continue;
                }

                var ignoreCase = condition.Family is OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.Bool;
                predicates.Add(new NfaBuilder().Glob(tokens, CharTest.Any, CharTest.Any, ignoreCase).Build());
                if (condition.Family == OperatorFamily.ArnLike)
                {
                    arnReadable = true;
                    if (PrincipalSpace.ArnSegments(value) is { } parts)
                    {
                        predicates.Add(PrincipalSpace.ArnPerSegment(parts, condition.Variables));
                    }
                }

                if (condition.Family == OperatorFamily.Bool)
                {
                    predicates.Add(new NfaBuilder().Text("true", ignoreCase: true).Build());
                    predicates.Add(new NfaBuilder().Text("false", ignoreCase: true).Build());
                }
            }
        }

        if (arnReadable)
        {
            // The Arn operators read a value only when it starts with "arn:" and has five colons.
            var b = new NfaBuilder().Text("arn:");
            for (var i = 0; i < 4; i++)
            {
                b.Many(CharTest.NotColon).Text(":");
            }

            predicates.Add(b.Many(CharTest.Any).Build());
        }

        foreach (var literal in extraLiterals)
        {
            predicates.Add(new NfaBuilder().Text(literal).Build());
        }

        foreach (var prefix in extraPrefixes)
        {
            predicates.Add(new NfaBuilder().Text(prefix).Many(CharTest.Any).Build());
        }

        var classes = StringSpace.Partition(new NfaBuilder().Many(CharTest.Any).Build(), predicates);
        if (classes is null)
        {
            unknowns.Add(group[0].Statement, $"the values of {key} have too many classes to partition exactly.");
            return group.SelectMany(c => c.Condition.Values).Append(Unreadable);
        }

        return classes.Select(c => c.Witness);
    }

    private static List<string> NumberValues(List<(StatementFacts Statement, ConditionFact Condition)> group)
    {
        var constants = new SortedSet<decimal>();
        foreach (var value in group.SelectMany(c => c.Condition.Values))
        {
            if (ConditionOperator.TryParseNumber(value, out var n))
            {
                constants.Add(n);
            }
        }

        var result = new List<string> { Unreadable };
        decimal? previous = null;
        foreach (var c in constants)
        {
            if (previous is null)
            {
                result.Add(Show(c - 1));
            }
            else
            {
                var middle = (previous.Value + c) / 2;
                if (middle != previous.Value && middle != c)
                {
                    result.Add(Show(middle));
                }
            }

            result.Add(Show(c));
            previous = c;
        }

        result.Add(previous is null ? "0" : Show(previous.Value + 1));
        return result;

        static string Show(decimal d) => d.ToString(CultureInfo.InvariantCulture);
    }

    private static List<string> DateValues(List<(StatementFacts Statement, ConditionFact Condition)> group)
    {
        var constants = new SortedSet<long>();
        foreach (var value in group.SelectMany(c => c.Condition.Values))
        {
            if (ConditionOperator.TryParseDate(value, out var ticks))
            {
                constants.Add(ticks);
            }
        }

        var result = new List<string> { Unreadable };
        long? previous = null;
        foreach (var c in constants)
        {
            if (previous is null)
            {
                if (c > DateTime.MinValue.Ticks)
                {
                    result.Add(Show(c - 1));
                }
            }
            else if (c - previous.Value > 1)
            {
                result.Add(Show(previous.Value + ((c - previous.Value) / 2)));
            }

            result.Add(Show(c));
            previous = c;
        }

        if (previous is null)
        {
            result.Add("2000-01-01T00:00:00Z");
        }
        else if (previous.Value < DateTime.MaxValue.Ticks)
        {
            result.Add(Show(previous.Value + 1));
        }

        return result;

        static string Show(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    // Every block splits the address line at its first address and one past its last; one address per piece, per family.
    private static List<string> AddressValues(List<(StatementFacts Statement, ConditionFact Condition)> group)
    {
        var networks = new List<IpNetwork>();
        var v4 = new SortedSet<BigInteger> { BigInteger.Zero };
        var v6 = new SortedSet<BigInteger> { BigInteger.Zero };
        foreach (var value in group.SelectMany(c => c.Condition.Values))
        {
            if (!IpNetwork.TryParse(value, out var network))
            {
                continue;
            }

            networks.Add(network);
            var bits = network.IsV6 ? 128 : 32;
            var address = network.IsV6 ? (new BigInteger(network.High) << 64) | new BigInteger(network.Low) : new BigInteger(network.Low);
            var size = BigInteger.One << (bits - network.Prefix);
            var first = address - (address % size);
            var set = network.IsV6 ? v6 : v4;
            set.Add(first);
            var after = first + size;
            if (after < BigInteger.One << bits)
            {
                set.Add(after);
            }
        }

        // Pieces with the same blocks around them decide alike: one address per family and set of blocks.
        var result = new List<string> { Unreadable };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var candidates = v4.Select(a => string.Join(".", Enumerable.Range(0, 4).Select(i => ((a >> (8 * (3 - i))) & 0xFF).ToString(CultureInfo.InvariantCulture))))
            .Concat(v6.Select(a => string.Join(":", Enumerable.Range(0, 8).Select(i => ((int)((a >> (16 * (7 - i))) & 0xFFFF)).ToString("x", CultureInfo.InvariantCulture)))));
        foreach (var text in candidates)
        {
            if (!IpNetwork.TryParse(text, out var address))
            {
                continue;
            }

            var key = (address.IsV6 ? "6" : "4") + new string(networks.Select(n => n.Contains(address) ? '1' : '0').ToArray());
            if (seen.Add(key))
            {
                result.Add(text);
            }
        }

        return result;
    }
}
