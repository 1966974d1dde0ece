using System.Linq;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Merge;

public class PolicyDifferTests
{
    private static PolicyDocument P(params string[] statements) => PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements) + "]}");

    private static string Summary(PolicyDocument a, PolicyDocument b) =>
        string.Join("; ", PolicyDiffer.Compare(a, b).Select(c => $"{c.Kind} {c.Sid ?? "-"}{(c.ChangedKeys.Count > 0 ? " " + string.Join(",", c.ChangedKeys) : string.Empty)}"));

    [Theory]
    [InlineData("{\"Sid\":\"A\",\"Action\":[\"ecr:X\",\"ecr:Y\"]}", "{\"Sid\":\"A\",\"Action\":[\"ECR:y\",\"ecr:X\"]}", "Unchanged A")]
    [InlineData("{\"Sid\":\"A\",\"Principal\":{\"AWS\":\"123456789012\"}}", "{\"Sid\":\"A\",\"Principal\":{\"AWS\":[\"arn:aws:iam::123456789012:root\"]}}", "Unchanged A")]
    [InlineData("{\"Sid\":\"A\",\"Action\":\"ecr:X\"}", "{\"Sid\":\"A\",\"Action\":[\"ecr:X\"]}", "Unchanged A")]
    [InlineData("{\"Sid\":\"A\",\"Action\":\"ecr:X\"}", "{\"Sid\":\"A\",\"Action\":\"ecr:Z\"}", "Modified A Action")]
    [InlineData("{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Resource\":\"r1\"}", "{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Resource\":\"r2\"}", "Modified A Effect,Resource")]
    [InlineData("{\"Sid\":\"A\"}", "{\"Sid\":\"B\"}", "Removed A; Added B")]
    [InlineData("{\"Action\":\"ecr:X\"}", "{\"Action\":[\"ECR:X\"]}", "Unchanged -")]
    [InlineData("{\"Action\":\"ecr:X\"}", "{\"Action\":\"ecr:Y\"}", "Removed -; Added -")]
    public void Statements_are_judged_by_meaning(string before, string after, string expected) =>
        Assert.Equal(expected, Summary(P(before), P(after)));

    [Fact]
    public void Sidless_statements_pair_by_meaning_whatever_their_order()
    {
        var a = P("{\"Action\":\"ecr:X\"}", "{\"Action\":\"ecr:Y\"}");
        var b = P("{\"Action\":\"ecr:Y\"}", "{\"Action\":\"ecr:X\"}", "{\"Sid\":\"N\"}");
        Assert.Equal("Unchanged -; Unchanged -; Added N", Summary(a, b));
        Assert.False(PolicyDiffer.HasChanges(a, P("{\"Action\":[\"ecr:y\"]}", "{\"Action\":\"ecr:X\"}")));
    }

    [Fact]
    public void Positions_on_both_sides_are_reported()
    {
        var change = PolicyDiffer.Compare(P("{\"Sid\":\"A\"}", "{\"Sid\":\"B\",\"Effect\":\"Allow\"}"), P("{\"Sid\":\"B\",\"Effect\":\"Deny\"}")).Single(c => c.Sid == "B");
        Assert.Equal((1, 0), (change.ReferenceIndex, change.DifferenceIndex));
        Assert.Equal("'B' changed in Effect", change.Describe());
    }

    [Fact]
    public void Top_level_elements_other_than_statements_are_reported_too()
    {
        var a = PolicyDocument.Parse("{\"Version\":\"2008-10-17\",\"Statement\":[]}");
        var b = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Id\":\"x\",\"Statement\":[]}");
        var changes = PolicyDiffer.Compare(a, b);
        Assert.Equal(new[] { "Modified Version", "Added Id" }, changes.Select(c => $"{c.Kind} {c.Element}"));
        Assert.Equal("Version: \"2008-10-17\" -> \"2012-10-17\"", changes[0].Describe());
    }

    [Fact]
    public void Identical_policies_have_no_changes() =>
        Assert.False(PolicyDiffer.HasChanges(P("{\"Sid\":\"A\"}"), P("{\"Sid\":\"A\"}")));
}
