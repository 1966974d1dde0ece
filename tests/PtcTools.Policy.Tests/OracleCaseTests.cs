using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Testing;
using Xunit;

namespace PtcTools.Policy.Tests;

/// <summary>The 70 hand-written cases of the reference oracle: PtcTools agrees with its answers except where AWS says otherwise.</summary>
public class OracleCaseTests
{
    /// <summary>Where the oracle differs from AWS, what AWS does and the rule that says so.</summary>
    public static readonly IReadOnlyDictionary<string, (string Decision, string Rule)> Divergences = new Dictionary<string, (string, string)>
    {
        ["notprincipal-other-principal-denied"] = ("ExplicitlyDenied", "IAM NotPrincipal: a Deny applies to every principal not listed; listing the account ARN exempts the account principal, not the account's other roles and users (oracle README)."),
        ["no-version"] = ("ImplicitlyDenied", "IAM Version element: without \"Version\":\"2012-10-17\" policy variables are literal text, so repository/${aws:username} names a repository literally called that (oracle README)."),
        ["malformed-policy-unknown-operator"] = ("Error", "IAM Condition grammar: an unknown operator (StringEqualz) makes AWS reject the policy (oracle README)."),
        ["unknown-neg-operator"] = ("Error", "IAM Condition grammar: an unknown operator (NotARealOperator) makes AWS reject the policy (oracle README)."),
        ["rp-statement-without-principal"] = ("Error", "IAM Principal element: a resource-based policy statement must have Principal or NotPrincipal; ECR rejects it (oracle README)."),
        ["principal-wildcard-arn"] = ("Error", "IAM Principal element: no partial wildcards in a principal ARN (arn:aws:iam::111122223333:role/*); AWS rejects the policy (ECR-FACTS section 6, Principal)."),
        ["unknown-action"] = ("Allowed", "IAM evaluates the action string it is given; ecr:* matches ecr:CreateRepositoryy. The oracle's action catalogue is a snapshot (oracle README); Test-PtcPermission warns about unknown ECR actions instead."),
        ["resource-type-segment-wildcard"] = ("Allowed", "IAM Resource element (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html): * \"can expand to replace everything within a segment, including characters like a forward slash\", so repo*/app matches repository/app. The oracle keeps the text before the first / literal."),
        ["unknown-service"] = ("Allowed", "IAM evaluates the action string it is given; \"Action\":\"*\" matches ecrx:CreateRepository. The oracle refuses actions outside its catalogue (oracle README)."),
    };

    public static IEnumerable<object[]> AgreedCases() =>
        Lines("cases.jsonl").Select(l => (string)JObject.Parse(l)["id"]!).Where(id => !Divergences.ContainsKey(id)).Select(id => new object[] { id });

    public static IEnumerable<object[]> DivergentCases() => Divergences.Keys.OrderBy(k => k, StringComparer.Ordinal).Select(id => new object[] { id });

    [Theory]
    [MemberData(nameof(AgreedCases))]
    public void An_oracle_case_gets_the_oracle_answer(string id)
    {
        var evaluated = new OracleFormat().Read(Line("cases.jsonl", id));
        var actual = evaluated.Decide();
        var oracle = OracleAnswer(id);
        Assert.True(oracle == actual, $"{id}: the oracle says {oracle}, PtcTools {actual}{(evaluated.Error is { } e ? " (" + e.ErrorId + ": " + e.Message + ")" : string.Empty)}");
    }

    [Theory]
    [MemberData(nameof(DivergentCases))]
    public void Where_the_oracle_differs_from_AWS_the_AWS_rule_decides(string id)
    {
        var (aws, rule) = Divergences[id];
        Assert.NotEqual(aws, OracleAnswer(id));
        Assert.False(string.IsNullOrWhiteSpace(rule));

        var evaluated = new OracleFormat().Read(Line("cases.jsonl", id));
        Assert.Equal(aws, evaluated.Decide());
        if (aws == "Error")
        {
            Assert.Equal("PolicyInvalidForEvaluation", evaluated.Error!.ErrorId);
            Assert.Matches(@"^Statement \d+ (\(Sid '[^']+'\) )?of the registry policy cannot be evaluated: ", evaluated.Error.Message);
        }
    }

    private static string OracleAnswer(string id) => (string)JObject.Parse(Line("expected.jsonl", id))["decision"]!;

    private static string[] Lines(string file) => File.ReadAllLines(Path.Combine(TestFiles.Root, "oracle", file)).Where(l => l.Trim().Length > 0).ToArray();

    private static string Line(string file, string id) => Lines(file).Single(l => (string)JObject.Parse(l)["id"]! == id);
}
