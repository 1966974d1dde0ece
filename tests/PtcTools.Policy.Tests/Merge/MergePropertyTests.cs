using System;
using System.Linq;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Merge;

/// <summary>Laws of merging, checked over generated policies (seeded, so a failure names its seed and case).</summary>
public class MergePropertyTests
{
    private const int CasesPerSeed = 150;

    // A third of the cases: the generator makes policies with and without Sids and mostly new statements.
    private const int MinimumExercised = CasesPerSeed / 3;

    public static TheoryData<int> Seeds() => new() { 1, 2, 3, 4, 5 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Adding_is_idempotent(int seed) => ForAll(seed, (generator, policy) =>
    {
        var statement = generator.NewStatement(withSid: generator.Coin());
        var once = StatementMerger.Add(policy, new[] { statement }).Document;
        var twice = StatementMerger.Add(once, new[] { statement });
        Assert.False(twice.Changed);
        Assert.Equal(once.ToCompactJson(), twice.Document.ToCompactJson());
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Removing_a_new_statement_after_adding_it_gives_the_policy_back(int seed) => ForAll(seed, (generator, policy) =>
    {
        var statement = generator.NewStatement(withSid: true);
        var added = StatementMerger.Add(policy, new[] { statement }).Document;
        var bySid = StatementMerger.Remove(added, new[] { statement.Sid! }).Document;
        var byStatement = StatementMerger.Remove(added, null, new[] { statement }).Document;
        Assert.Equal(policy.ToCompactJson(), bySid.ToCompactJson());
        Assert.Equal(policy.ToCompactJson(), byStatement.ToCompactJson());
        if (policy.HasSingleStatementObject)
        {
            Assert.True(bySid.HasSingleStatementObject);
        }
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Removing_a_new_statement_without_sid_after_adding_it_gives_the_policy_back(int seed) => ForSome(seed, MinimumExercised, (generator, policy) =>
    {
        var statement = generator.NewStatement(withSid: false);
        if (policy.Statements.Any(s => StatementMeaning.Same(s, statement)))
        {
            return false; // not new: adding it is a no-op, covered by idempotence
        }

        var added = StatementMerger.Add(policy, new[] { statement });
        Assert.True(added.Changed);
        Assert.Equal(policy.ToCompactJson(), StatementMerger.Remove(added.Document, null, new[] { statement }).Document.ToCompactJson());
        return true;
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Parsing_what_was_printed_gives_the_same_policy(int seed) => ForAll(seed, (generator, policy) =>
    {
        Assert.Equal(policy, PolicyDocument.Parse(policy.ToCompactJson()));
        Assert.Equal(policy, PolicyDocument.Parse(policy.ToIndentedJson()));
        var merged = StatementMerger.Add(policy, new[] { generator.NewStatement(withSid: true) }).Document;
        Assert.Equal(merged, PolicyDocument.Parse(merged.ToIndentedJson()));
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Merging_never_changes_a_statement_it_was_not_given(int seed) => ForAll(seed, (generator, policy) =>
    {
        var statement = generator.NewStatement(withSid: true);
        var merged = StatementMerger.Add(policy, new[] { statement }).Document;
        Assert.Equal(policy.Statements.Count + 1, merged.Statements.Count);
        for (var i = 0; i < policy.Statements.Count; i++)
        {
            Assert.Equal(policy.Statements[i].ToCompactJson(), merged.Statements[i].ToCompactJson());
        }

        Assert.Equal(statement.ToCompactJson(), merged.Statements[policy.Statements.Count].ToCompactJson());
        Assert.Equal(
            policy.ToJObject().Properties().Select(p => p.Name),
            merged.ToJObject().Properties().Select(p => p.Name));
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Forcing_a_replacement_changes_only_the_statement_with_that_sid(int seed) => ForSome(seed, MinimumExercised, (generator, policy) =>
    {
        var target = policy.Statements.Select((s, i) => (s, i)).FirstOrDefault(x => x.s.Sid is not null);
        if (target.s is null)
        {
            return false; // no statement with a Sid to replace
        }

        var replacement = generator.NewStatement(withSid: true).With("Sid", target.s.Sid!);
        var merged = StatementMerger.Add(policy, new[] { replacement }, force: true).Document;
        for (var i = 0; i < policy.Statements.Count; i++)
        {
            var expected = i == target.i ? replacement.ToCompactJson() : policy.Statements[i].ToCompactJson();
            Assert.Equal(expected, merged.Statements[i].ToCompactJson());
        }

        return true;
    });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_differ_sees_exactly_the_added_statement(int seed) => ForAll(seed, (generator, policy) =>
    {
        var statement = generator.NewStatement(withSid: true);
        var merged = StatementMerger.Add(policy, new[] { statement }).Document;
        var changes = PolicyDiffer.Compare(policy, merged);
        Assert.Equal(statement.Sid, Assert.Single(changes, c => c.Kind != PolicyChangeKind.Unchanged).Sid);
        Assert.Equal(PolicyChangeKind.Added, changes.Single(c => c.Kind != PolicyChangeKind.Unchanged).Kind);
        Assert.False(PolicyDiffer.HasChanges(policy, PolicyDocument.Parse(policy.ToIndentedJson())));
    });

    [Fact]
    public void A_law_that_no_case_exercises_fails()
    {
        var error = Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => ForSome(1, MinimumExercised, (_, _) => false));
        Assert.Contains($"0 of {CasesPerSeed} cases", error.Message);
    }

    private static void ForAll(int seed, Action<PolicyGenerator, PolicyDocument> law) =>
        ForSome(seed, CasesPerSeed, (generator, policy) =>
        {
            law(generator, policy);
            return true;
        });

    // A law whose premise a case may not meet returns false for that case; the law must still be exercised by at
    // least `minimum` cases of the seed, or it could hold vacuously.
    private static void ForSome(int seed, int minimum, Func<PolicyGenerator, PolicyDocument, bool> law)
    {
        var generator = new PolicyGenerator(seed);
        var exercised = 0;
        for (var i = 0; i < CasesPerSeed; i++)
        {
            var policy = generator.Policy();
            try
            {
                if (law(generator, policy))
                {
                    exercised++;
                }
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"Seed {seed}, case {i}: {ex.GetType().Name}: {ex.Message}\nPolicy: {policy.ToCompactJson()}");
            }
        }

        if (exercised < minimum)
        {
            throw new Xunit.Sdk.XunitException($"Seed {seed}: the law was exercised by {exercised} of {CasesPerSeed} cases; at least {minimum} must meet its premise, or it holds vacuously.");
        }
    }
}
