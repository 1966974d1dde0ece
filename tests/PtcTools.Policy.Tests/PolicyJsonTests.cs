using PtcTools.Policy.Json;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests;

public class PolicyJsonTests
{
    [Theory]
    [InlineData("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [ }\n}", 3, "a bracket closes the wrong container")]
    [InlineData("{\n  \"Version\": \"2012-10-17\",\n  \"Version\": \"2008-10-17\"\n}", 3, "a duplicate key")]
    [InlineData("{\n\"Statement\": [{\"Sid\": \"A\", \"Sid\": \"B\"}]}", 2, "a duplicate key inside a statement")]
    [InlineData("{\"Version\":\"2012-10-17\"}\n{}", 2, "trailing text")]
    [InlineData("{\n  // a comment\n  \"Version\": \"2012-10-17\"}", 2, "a comment")]
    [InlineData("{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Sid\": \"A\",}\n  ]\n}", 4, "a trailing comma")]
    [InlineData("{\"Version\": 'single quotes'}", 1, "single quotes")]
    [InlineData("[]", 1, "an array at the root")]
    [InlineData("   ", 1, "empty text")]
    [InlineData("{\"Version\": \"2012-10-17\"", 1, "an unclosed object")]
    public void Malformed_text_is_PolicyJsonInvalid_with_its_line(string text, int line, string why)
    {
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyDocument.Parse(text));
        Assert.Equal("PolicyJsonInvalid", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidData, ex.Kind);
        Assert.True(line == ex.Line, $"{why}: expected line {line}, got {ex.Line} ({ex.Message})");
        Assert.True(ex.Column > 0, why);
        Assert.Contains($"line {line}, column {ex.Column}", ex.Message);
    }

    [Theory]
    [InlineData("{'Version':'2012-10-17'}", 1, 2, "a property name in single quotes")]
    [InlineData("{\"Version\": 'single quotes'}", 1, 13, "a string in single quotes")]
    [InlineData("{\"Version\":\"2012-10-17\",\n  \"Statement\":[{'Sid':\"x\"}]}", 2, 17, "a property name in single quotes on the second line")]
    [InlineData("{\"Sid\": 'it\\'s'}", 1, 9, "a single-quoted string with an escaped quote inside")]
    public void A_single_quote_is_pointed_at_where_it_opens_the_value(string text, int line, int column, string why)
    {
        // Issue 11: PTC001 on a single quote pointed past it (at the colon after the name).
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyDocument.Parse(text));
        Assert.True(line == ex.Line && column == ex.Column, $"{why}: expected line {line}, column {column}, got {ex.Line}, {ex.Column} ({ex.Message})");
        Assert.Contains("must be in double quotes", ex.Message);
    }

    [Fact]
    public void The_message_names_the_duplicate_key()
    {
        var ex = Assert.Throws<PolicyJsonException>(() => PolicyDocument.Parse("{\"Version\":\"a\",\"Version\":\"b\"}"));
        Assert.Contains("'Version'", ex.Message);
        Assert.Contains("duplicate keys are not allowed", ex.Message);
    }

    [Fact]
    public void Decimals_keep_their_digits()
    {
        Assert.Equal("{\"a\":[1.50,10,0.000]}", PolicyJson.ToCompact(PolicyJson.ParseToken("{\"a\": [1.50, 10, 0.000]}")));
    }
}
