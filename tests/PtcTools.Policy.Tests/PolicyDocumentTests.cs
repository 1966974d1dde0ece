using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests;

public class PolicyDocumentTests
{
    public static TheoryData<string> ExampleNames()
    {
        var data = new TheoryData<string>();
        foreach (var row in TestFiles.Examples()) { data.Add((string)row[0]); }
        return data;
    }

    [Theory]
    [MemberData(nameof(ExampleNames))]
    public void Parse_then_print_gives_the_same_document(string file)
    {
        var text = TestFiles.Read("examples", file);
        var document = PolicyDocument.Parse(text);
        var reparsed = PolicyDocument.Parse(document.ToCompactJson());

        Assert.Equal(document, reparsed);
        Assert.True(JToken.DeepEquals(JObject.Parse(text), JObject.Parse(document.ToCompactJson())));
        Assert.Equal(PathsInOrder(JObject.Parse(text)), PathsInOrder(JObject.Parse(document.ToCompactJson())));
        Assert.Equal(document.ToCompactJson(), PolicyDocument.Parse(document.ToIndentedJson()).ToCompactJson());
    }

    [Theory]
    [InlineData("aws-ptc-sample.json")]
    [InlineData("aws-e2e-upstream.json")]
    [InlineData("aws-replication-all.json")]
    [InlineData("bench-policy.json")]
    public void The_compact_text_is_the_source_without_white_space(string file)
    {
        var text = TestFiles.Read("examples", file);
        Assert.Equal(TestFiles.StripWhitespace(text), PolicyDocument.Parse(text).ToCompactJson());
    }

    [Fact]
    public void Odd_values_unknown_keys_and_a_single_statement_object_survive()
    {
        var document = PolicyDocument.Parse(TestFiles.Read("examples", "odd-values.json"));
        var compact = document.ToCompactJson();

        Assert.StartsWith("{\"Id\":\"first-key-is-not-version\",\"Version\":\"2012-10-17\",\"X-Owner\":", compact);
        Assert.Contains("2.50", compact);
        Assert.Contains("\"aws:CurrentTime\":\"2027-01-31T23:59:59Z\"", compact);
        Assert.Contains("\"StringEqualz\"", compact);
        Assert.Contains("\"Unknown\":[[],{}]", compact);
        Assert.Contains("\"Statement\":{\"Sid\":\"Single\"", compact);
        Assert.True(document.HasSingleStatementObject);
        var statement = Assert.Single(document.Statements);
        Assert.Equal("Deny", statement.Effect);
        Assert.Equal(new[] { "ecr:Describe*" }, statement.NotAction);
        Assert.Equal(2, statement.NotPrincipal.Count);
    }

    [Fact]
    public void A_version_that_looks_like_a_date_stays_text()
    {
        var document = PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        Assert.Equal("2012-10-17", document.Version);
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", document.ToCompactJson());
    }

    [Fact]
    public void Statements_carry_their_position_in_the_source()
    {
        var document = PolicyDocument.Parse("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"A\"},\n    {\"Sid\": \"B\"}\n  ]\n}");
        Assert.Equal(new[] { 4, 5 }, document.Statements.Select(s => s.Line));
        Assert.Equal(new[] { 0, 1 }, document.Statements.Select(s => s.Index));
    }

    [Fact]
    public void WithStatements_keeps_every_other_key_in_place()
    {
        var document = PolicyDocument.Parse("{\"Id\":\"x\",\"Statement\":[{\"Sid\":\"A\"}],\"Version\":\"2012-10-17\",\"Z\":1}");
        var changed = document.WithStatements(document.Statements.Concat(new[] { PolicyStatement.Parse("{\"Sid\":\"B\"}") }));
        Assert.Equal("{\"Id\":\"x\",\"Statement\":[{\"Sid\":\"A\"},{\"Sid\":\"B\"}],\"Version\":\"2012-10-17\",\"Z\":1}", changed.ToCompactJson());
        Assert.Equal("{\"Id\":\"x\",\"Statement\":[{\"Sid\":\"A\"}],\"Version\":\"2012-10-17\",\"Z\":1}", document.ToCompactJson());
    }

    [Fact]
    public void The_empty_document_is_where_a_new_policy_starts_and_lint_refuses_to_write_it_as_it_is()
    {
        // CreateEmpty is the document Add-PtcRegistryStatement builds on where no policy exists yet. ECR rejects a
        // registry policy without statements (docs/rules/PTC004.md), so written as it is it must be an Error.
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", PolicyDocument.CreateEmpty().ToCompactJson());
        Assert.Empty(PolicyDocument.CreateEmpty().Statements);
        var finding = Assert.Single(PolicyLinter.Lint(PolicyDocument.CreateEmpty(), new LintOptions()), f => f.RuleId == "PTC004");
        Assert.Equal(FindingSeverity.Error, finding.Severity);
    }

    private static string[] PathsInOrder(JToken token) =>
        token is JContainer c ? c.DescendantsAndSelf().Select(t => t.Path).ToArray() : new[] { token.Path };
}
