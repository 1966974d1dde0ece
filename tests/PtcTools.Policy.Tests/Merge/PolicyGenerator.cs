using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Tests.Merge;

/// <summary>A seeded generator of policies and statements with every shape the merger must survive.</summary>
internal sealed class PolicyGenerator
{
    private static readonly string[] s_actions = { "ecr:CreateRepository", "ecr:BatchImportUpstreamImage", "ecr:ReplicateImage", "ecr:BatchGetImage", "ecr:Describe*", "ecr:*" };
    private static readonly string[] s_principals = { "111122223333", "arn:aws:iam::111122223333:root", "arn:aws:iam::444455556666:role/ci", "arn:aws:iam::444455556666:user/a/b/c", "*" };
    private readonly Random _random;
    private int _sidCounter;

    public PolicyGenerator(int seed) => _random = new Random(seed);

    public PolicyDocument Policy()
    {
        var root = new JObject();
        var keys = new List<string> { "Version", "Statement" };
        if (Chance(0.3)) { keys.Add("Id"); }
        if (Chance(0.3)) { keys.Add("X-Owner"); }
        foreach (var key in keys.OrderBy(_ => _random.Next()))
        {
            root.Add(key, key switch
            {
                "Version" => Chance(0.9) ? "2012-10-17" : "2008-10-17",
                "Id" => "policy-" + _random.Next(100),
                "Statement" => Statements(),
                _ => Value(2),
            });
        }

        return PolicyDocument.Parse(root.ToString(Newtonsoft.Json.Formatting.None));
    }

    /// <summary>A statement with a Sid that no generated policy uses, or none.</summary>
    public PolicyStatement NewStatement(bool withSid) => PolicyStatement.FromJObject(Statement(withSid ? "New" + _random.Next(1000000).ToString(CultureInfo.InvariantCulture) : null, allowOdd: false));

    /// <summary>A fair coin.</summary>
    public bool Coin() => Chance(0.5);

    private JToken Statements()
    {
        // IAM also accepts a single statement object; lint reports entries that are not objects, merge must keep them.
        if (Chance(0.1))
        {
            return Statement("S" + _sidCounter++.ToString(CultureInfo.InvariantCulture), allowOdd: true);
        }

        var count = _random.Next(0, 6);
        var array = new JArray();
        for (var i = 0; i < count; i++)
        {
            array.Add(Chance(0.05) ? Value(1) : Statement(Chance(0.7) ? "S" + _sidCounter++.ToString(CultureInfo.InvariantCulture) : null, allowOdd: true));
        }

        return array;
    }

    private JObject Statement(string? sid, bool allowOdd)
    {
        var o = new JObject();
        var parts = new List<Action>();
        if (sid is not null) { parts.Add(() => o.Add("Sid", sid)); }
        parts.Add(() => o.Add("Effect", Chance(0.85) ? "Allow" : "Deny"));
        parts.Add(() => o.Add(Chance(0.9) ? "Principal" : "NotPrincipal", Principal()));
        parts.Add(() => o.Add(Chance(0.9) ? "Action" : "NotAction", StringOrArray(Pick(s_actions, 1, 3).Select(a => Chance(0.2) ? a.ToUpperInvariant() : a).ToArray())));
        parts.Add(() => o.Add("Resource", StringOrArray(Pick(new[] { "*", "arn:aws:ecr:us-east-1:111122223333:repository/*", "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*" }, 1, 2))));
        if (Chance(0.3)) { parts.Add(() => o.Add("Condition", new JObject { ["StringEquals"] = new JObject { ["aws:PrincipalOrgID"] = StringOrArray(Pick(new[] { "o-aaaaaaaaaa", "o-bbbbbbbbbb" }, 1, 2)) } })); }
        if (allowOdd && Chance(0.3)) { parts.Add(() => o.Add("X-Unknown", Value(3))); }
        foreach (var part in parts.OrderBy(_ => _random.Next()))
        {
            part();
        }

        return o;
    }

    private JToken Principal() => Chance(0.2)
        ? new JValue("*")
        : new JObject { ["AWS"] = StringOrArray(Pick(s_principals.Where(p => p != "*").ToArray(), 1, 3)) };

    private JToken StringOrArray(string[] values) => values.Length == 1 && Chance(0.5) ? new JValue(values[0]) : new JArray(values);

    private string[] Pick(string[] from, int min, int max) =>
        from.OrderBy(_ => _random.Next()).Take(_random.Next(min, max + 1)).ToArray();

    private JToken Value(int depth) => _random.Next(depth <= 0 ? 5 : 7) switch
    {
        0 => new JValue("text-" + _random.Next(100)),
        1 => new JValue(_random.Next(-5, 1000)),
        2 => JToken.Parse(_random.Next(100).ToString(CultureInfo.InvariantCulture) + ".50"),
        3 => new JValue(Chance(0.5)),
        4 => JValue.CreateNull(),
        5 => new JArray(Enumerable.Range(0, _random.Next(3)).Select(_ => Value(depth - 1)).ToArray()),
        _ => new JObject(Enumerable.Range(0, _random.Next(3)).Select(i => new JProperty("k" + i, Value(depth - 1)))),
    };

    private bool Chance(double p) => _random.NextDouble() < p;
}
