using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Merge;

public class StatementMeaningTests
{
    private const string Base = "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}";

    [Theory]
    [InlineData("action order", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:BatchImportUpstreamImage\",\"ecr:CreateRepository\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("action case", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ECR:createrepository\",\"ecr:BatchImportUpstreamIMAGE\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("an account id for its root ARN", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("a one-element array for a string", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::111122223333:root\"]},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":[\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"]}")]
    [InlineData("key order", "{\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\",\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Effect\":\"Allow\",\"Sid\":\"A\"}")]
    [InlineData("a duplicated action", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\",\"ecr:createrepository\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("another Sid", "{\"Sid\":\"B\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    public void Statements_mean_the_same_despite(string difference, string other)
    {
        Assert.True(StatementMeaning.Same(PolicyStatement.Parse(Base), PolicyStatement.Parse(other)), difference);
        Assert.Empty(StatementMeaning.DifferingElements(PolicyStatement.Parse(Base), PolicyStatement.Parse(other)));
    }

    [Theory]
    [InlineData("another effect", "Effect", "{\"Sid\":\"A\",\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("a missing action", "Action", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"ecr:CreateRepository\",\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("resource case", "Resource", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ECR-public/*\"}")]
    [InlineData("a role for the account", "Principal", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:role/ci\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("the root in another partition", "Principal", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws-cn:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("an unknown key", "X-Owner", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\",\"X-Owner\":\"team-a\"}")]
    [InlineData("NotResource for Resource", "NotResource, Resource", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"NotResource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\"}")]
    [InlineData("a condition", "Condition", "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":[\"ecr:CreateRepository\",\"ecr:BatchImportUpstreamImage\"],\"Resource\":\"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}")]
    public void Statements_differ_in_meaning_with(string difference, string elements, string other)
    {
        Assert.False(StatementMeaning.Same(PolicyStatement.Parse(Base), PolicyStatement.Parse(other)), difference);
        Assert.Equal(elements, string.Join(", ", StatementMeaning.DifferingElements(PolicyStatement.Parse(Base), PolicyStatement.Parse(other))));
    }

    [Theory]
    [InlineData("{\"X\":{\"a\":1,\"b\":2}}", "{\"X\":{\"b\":2,\"a\":1}}", false)]
    [InlineData("{\"X\":1.50}", "{\"X\":1.5}", false)]
    [InlineData("{\"X\":[1,2]}", "{\"X\":[2,1]}", false)]
    [InlineData("{\"X\":\"1\"}", "{\"X\":1}", false)]
    [InlineData("{\"X\":[true,null]}", "{\"X\":[true,null]}", true)]
    [InlineData("{\"Condition\":{\"StringEquals\":{\"k\":[\"a\",\"b\"]}}}", "{\"Condition\":{\"StringEquals\":{\"k\":[\"b\",\"a\"]}}}", true)]
    [InlineData("{\"Condition\":{\"StringEquals\":{\"k\":\"a\"}}}", "{\"Condition\":{\"StringEquals\":{\"k\":[\"a\"]}}}", true)]
    [InlineData("{\"Condition\":{\"StringEquals\":{\"k\":\"a\"}}}", "{\"Condition\":{\"StringLike\":{\"k\":\"a\"}}}", false)]
    [InlineData("{\"Principal\":\"*\"}", "{\"Principal\":{\"AWS\":\"*\"}}", false)]
    [InlineData("{\"Action\":\"ecr:*\"}", "{\"Action\":{\"odd\":\"ecr:*\"}}", false)]
    public void Unknown_keys_and_odd_values_are_compared_exactly(string a, string b, bool same) =>
        Assert.Equal(same, StatementMeaning.Same(PolicyStatement.Parse(a), PolicyStatement.Parse(b)));
}
