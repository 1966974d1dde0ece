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
