using System.Linq;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Merge;

public class StatementMergerTests
{
    private const string Policy = "{\"Id\":\"keep\",\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Replication\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":[\"ecr:ReplicateImage\",\"ecr:CreateRepository\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\",\"X-Note\":1.50},{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchImportUpstreamImage\",\"Resource\":\"*\"}],\"X-Top\":[null]}";

    private static PolicyStatement S(string json) => PolicyStatement.Parse(json);

    [Theory]
    [InlineData("the same text", "{\"Sid\":\"Replication\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":[\"ecr:ReplicateImage\",\"ecr:CreateRepository\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\",\"X-Note\":1.50}")]
    [InlineData("the same meaning", "{\"Sid\":\"Replication\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::444455556666:root\"]},\"Action\":[\"ecr:createrepository\",\"ecr:ReplicateImage\"],\"Resource\":[\"arn:aws:ecr:us-east-1:111122223333:repository/*\"],\"X-Note\":1.50}")]
    [InlineData("a Sid-less duplicate", "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"ECR:BatchImportUpstreamImage\"],\"Resource\":[\"*\"]}")]
    [InlineData("a Sid-less twin of a statement with Sid", "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":[\"ecr:ReplicateImage\",\"ecr:CreateRepository\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/*\",\"X-Note\":1.50}")]
    public void Adding_what_is_there_changes_nothing(string @case, string statement)
    {
        var policy = PolicyDocument.Parse(Policy);
        var result = StatementMerger.Add(policy, new[] { S(statement) });
        Assert.False(result.Changed, @case);
        Assert.Equal(MergeAction.Unchanged, Assert.Single(result.Outcomes).Action);
        Assert.Equal(Policy, result.Document.ToCompactJson());
    }

    [Fact]
    public void A_new_statement_is_appended_and_everything_else_is_kept_byte_for_byte()
    {
        var result = StatementMerger.Add(PolicyDocument.Parse(Policy), new[] { S("{\"Sid\":\"New\",\"Effect\":\"Allow\"}") });
        Assert.True(result.Changed);
        Assert.Equal(Policy.Replace("],\"X-Top\"", ",{\"Sid\":\"New\",\"Effect\":\"Allow\"}],\"X-Top\""), result.Document.ToCompactJson());
        Assert.Equal(2, Assert.Single(result.Outcomes).Index);
    }

    [Fact]
    public void The_same_sid_with_another_meaning_is_a_conflict()
    {
        var ex = Assert.Throws<PolicyException>(() => StatementMerger.Add(PolicyDocument.Parse(Policy), new[] { S("{\"Sid\":\"Replication\",\"Effect\":\"Deny\"}") }));
        Assert.Equal("StatementSidConflict", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.ResourceExists, ex.Kind);
        Assert.Contains("'Replication'", ex.Message);
        // The way out is to replace it on purpose (the module words it as -Force), not a parameter the domain knows.
        Assert.Equal(Remedy.ReplaceStatementWithSameSid, ex.Remedy);
    }

    [Fact]
    public void Force_replaces_a_conflicting_statement_in_place()
    {
        var replacement = "{\"Sid\":\"Replication\",\"Effect\":\"Deny\"}";
        var result = StatementMerger.Add(PolicyDocument.Parse(Policy), new[] { S(replacement) }, force: true);
        var outcome = Assert.Single(result.Outcomes);
        Assert.Equal(MergeAction.Replaced, outcome.Action);
        Assert.Equal(0, outcome.Index);
        Assert.Equal(replacement, result.Document.Statements[0].ToCompactJson());
        Assert.Equal(PolicyDocument.Parse(Policy).Statements[1], result.Document.Statements[1]);
        Assert.StartsWith("{\"Id\":\"keep\",\"Version\":\"2012-10-17\",\"Statement\":[", result.Document.ToCompactJson());
        Assert.EndsWith("],\"X-Top\":[null]}", result.Document.ToCompactJson());
    }

    [Fact]
    public void A_single_statement_object_becomes_an_array_when_one_is_added()
    {
        var single = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":{\"Sid\":\"A\"}}");
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"A\"},{\"Sid\":\"B\"}]}", StatementMerger.Add(single, new[] { S("{\"Sid\":\"B\"}") }).Document.ToCompactJson());
    }

    [Theory]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":\"oops\"}", "PolicyStatementElementInvalid")]
    [InlineData("{\"Version\":\"2012-10-17\",\"Statement\":7}", "PolicyStatementElementInvalid")]
    public void A_statement_element_that_holds_no_statements_is_not_overwritten(string policy, string errorId)
    {
        var ex = Assert.Throws<PolicyException>(() => StatementMerger.Add(PolicyDocument.Parse(policy), new[] { S("{\"Sid\":\"B\"}") }));
        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidData, ex.Kind);
    }

    [Fact]
    public void Entries_that_are_not_objects_are_kept_when_adding()
    {
        var odd = PolicyDocument.Parse("{\"Statement\":[\"junk\",{\"Sid\":\"A\"},[1]]}");
        Assert.Equal("{\"Statement\":[\"junk\",{\"Sid\":\"A\"},[1],{\"Sid\":\"B\"}]}", StatementMerger.Add(odd, new[] { S("{\"Sid\":\"B\"}") }).Document.ToCompactJson());
    }

    [Fact]
    public void A_policy_without_statement_element_gets_one()
    {
        var bare = PolicyDocument.Parse("{\"Version\":\"2012-10-17\"}");
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"B\"}]}", StatementMerger.Add(bare, new[] { S("{\"Sid\":\"B\"}") }).Document.ToCompactJson());
    }

    [Fact]
    public void A_result_over_the_limit_is_refused_naming_size_and_limit()
    {
        var big = S("{\"Sid\":\"Big\",\"Effect\":\"Allow\",\"Resource\":\"" + new string('a', 10200) + "\"}");
        var ex = Assert.Throws<PolicyException>(() => StatementMerger.Add(PolicyDocument.Parse(Policy), new[] { big }));
        Assert.Equal("PolicyTextTooLong", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.LimitsExceeded, ex.Kind);
        Assert.Contains("limit of 10240 ", ex.Message);
        Assert.Contains(PolicyDocument.Parse(Policy).WithStatements(PolicyDocument.Parse(Policy).Statements.Concat(new[] { big })).CompactLength.ToString(System.Globalization.CultureInfo.InvariantCulture) + " characters", ex.Message);
    }

    [Fact]
    public void A_result_of_exactly_the_limit_is_accepted()
    {
        var empty = PolicyDocument.CreateEmpty();
        var overhead = StatementMerger.Add(empty, new[] { S("{\"Sid\":\"A\",\"R\":\"\"}") }).Document.CompactLength;
        var fits = S("{\"Sid\":\"A\",\"R\":\"" + new string('a', PolicyDocument.MaxRegistryPolicyLength - overhead) + "\"}");
        Assert.Equal(PolicyDocument.MaxRegistryPolicyLength, StatementMerger.Add(empty, new[] { fits }).Document.CompactLength);
    }

    [Theory]
    [InlineData(new[] { "Replication" }, 1, "")]
    [InlineData(new[] { "Repl*" }, 1, "")]
    [InlineData(new[] { "replication" }, 0, "replication")]
    [InlineData(new[] { "Nope", "Rep?ication" }, 1, "Nope")]
    [InlineData(new[] { "*" }, 1, "")]
    public void Removal_by_sid_uses_case_sensitive_wildcards(string[] patterns, int removed, string unmatched)
    {
        var result = StatementMerger.Remove(PolicyDocument.Parse(Policy), patterns);
        Assert.Equal(removed, result.Removed.Count);
        Assert.Equal(unmatched, string.Join(",", result.UnmatchedSids));
        Assert.Equal(2 - removed, result.Document.Statements.Count);
    }

    [Fact]
    public void Removal_by_statement_goes_by_meaning()
    {
        var result = StatementMerger.Remove(PolicyDocument.Parse(Policy), null, new[]
        {
            S("{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"ecr:batchimportupstreamimage\"],\"Resource\":\"*\"}"),
            S("{\"Sid\":\"Other\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:BatchImportUpstreamImage\",\"Resource\":\"*\"}"),
        });
        Assert.Single(result.Removed);
        Assert.Equal("Other", Assert.Single(result.UnmatchedStatements).Sid);
        Assert.Equal("{\"Id\":\"keep\",\"Version\":\"2012-10-17\",\"Statement\":[" + PolicyDocument.Parse(Policy).Statements[0].ToCompactJson() + "],\"X-Top\":[null]}", result.Document.ToCompactJson());
    }

    [Fact]
    public void Removing_nothing_returns_the_same_document()
    {
        var policy = PolicyDocument.Parse(Policy);
        Assert.Same(policy, StatementMerger.Remove(policy, new[] { "Missing" }).Document);
    }
}
