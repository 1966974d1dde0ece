using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PtcTools.Testing;
using Xunit;
using Xunit.Abstractions;

namespace PtcTools.Policy.Tests;

/// <summary>A Fact that is skipped, with the reason printed, when the shared oracle folder or node is not there.</summary>
public sealed class OracleFactAttribute : FactAttribute
{
    public OracleFactAttribute()
    {
        if (Oracle.Unavailable() is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Runs the reference oracle (../shared/oracle/run-oracle.sh) on JSON Lines; located relative to the repository.</summary>
internal static class Oracle
{
    public static string? Script => SharedFolder.Find() is { } shared ? Path.Combine(shared, "oracle", "run-oracle.sh") : null;

    public static string? Unavailable()
    {
        if (Script is null)
        {
            return "Differential test skipped: the shared oracle folder (../shared/oracle next to the repository, or $PTC_SHARED) is not there.";
        }

        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (node is null || !node.WaitForExit(15000) || node.ExitCode != 0)
            {
                return "Differential test skipped: node does not run here.";
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "Differential test skipped: node is not installed.";
        }

        return null;
    }

    /// <summary>The oracle's decision per id.</summary>
    public static Dictionary<string, string> Decide(IEnumerable<string> lines)
    {
        var info = new ProcessStartInfo("bash", $"\"{Script}\" --fast-collator")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in lines)
        {
            process.StandardInput.WriteLine(line);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(180_000))
        {
#if NETFRAMEWORK
            process.Kill(); // .NET Framework cannot end a process tree; bash runs node in the foreground, so node ends with it.
#else
            process.Kill(entireProcessTree: true);
#endif
            throw new TimeoutException("The oracle did not answer within 3 minutes.");
        }

        Assert.True(process.ExitCode == 0, "The oracle failed: " + stderr.Result);
        return stdout.Result.Split('\n').Where(l => l.Trim().Length > 0).Select(JObject.Parse)
            .ToDictionary(o => o["id"]!.ToString(), o => (string)o["decision"]! + (o["error"] is { } e ? " (" + e + ")" : string.Empty));
    }
}

/// <summary>Generated requests and policies (fixed seed) decided by PtcTools and by the oracle: every decision must agree.</summary>
public class DifferentialTests
{
    private const int Seed = 20261130;
    private const int Count = 2500;
    private readonly ITestOutputHelper _output;

    public DifferentialTests(ITestOutputHelper output) => _output = output;

    [OracleFact]
    public void Generated_cases_get_the_same_decision_as_the_oracle()
    {
        var cases = new CaseGenerator(Seed).Generate(Count).ToList();
        var watch = Stopwatch.StartNew();
        var oracle = Oracle.Decide(cases.Select(c => c.ToString(Formatting.None)));
        _output.WriteLine($"The oracle decided {oracle.Count} generated cases in {watch.Elapsed.TotalSeconds:F1} s.");

        var format = new OracleFormat();
        var differences = new List<string>();
        var tally = new Dictionary<string, int>();
        foreach (var c in cases)
        {
            var id = c["id"]!.ToString();
            var ours = format.Read(c).Decide();
            tally[ours] = tally.TryGetValue(ours, out var n) ? n + 1 : 1;
            if (!oracle.TryGetValue(id, out var theirs) || theirs != ours)
            {
                differences.Add($"{id}: PtcTools {ours}, oracle {theirs ?? "no answer"}: {c.ToString(Formatting.None)}");
            }
        }

        _output.WriteLine("PtcTools decided: " + string.Join(", ", tally.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}")));
        Assert.True(differences.Count == 0, $"{differences.Count} of {cases.Count} decisions differ:\n" + string.Join("\n", differences.Take(10)));

        // A generator that only produced one kind of answer would prove little.
        Assert.True(tally.Keys.Count(k => k != "Error") == 3, "The generated cases should produce Allowed, ExplicitlyDenied and ImplicitlyDenied.");
        Assert.All(tally.Where(t => t.Key != "Error"), t => Assert.True(t.Value >= Count / 20, $"{t.Key} only {t.Value} times"));
    }

    [Fact]
    public void The_generator_is_deterministic_for_a_seed()
    {
        var first = new CaseGenerator(Seed).Generate(50).Select(c => c.ToString(Formatting.None)).ToList();
        var second = new CaseGenerator(Seed).Generate(50).Select(c => c.ToString(Formatting.None)).ToList();
        Assert.Equal(first, second);
        Assert.NotEqual(first, new CaseGenerator(Seed + 1).Generate(50).Select(c => c.ToString(Formatting.None)).ToList());
    }
}

/// <summary>Random registry policies, identity policies, boundaries, SCPs and requests over a small ECR world, in the oracle's input format.</summary>
/// <remarks>It stays inside what both simulators model the same way (see OracleCaseTests.Divergences for where they differ).</remarks>
internal sealed class CaseGenerator
{
    private const string A = "111122223333";
    private const string B = "444455556666";
    private const string C = "777788889999";
    private static readonly string[] s_accounts = { A, B, C };
    private static readonly string[] s_roles = { "Builder", "ci-deploy", "ci-test", "Replicator" };
    private static readonly string[] s_actions =
    {
        "ecr:CreateRepository", "ecr:BatchImportUpstreamImage", "ecr:ReplicateImage", "ecr:BatchGetImage",
        "ecr:GetDownloadUrlForLayer", "ecr:PutImage", "ecr:DeleteRepository", "ecr:TagResource", "ecr:DescribeImages",
    };

    private static readonly string[] s_actionPatterns = { "ecr:*", "ecr:Batch*", "ecr:Create*", "ecr:*Image", "ecr:BatchImportUpstreamImag?", "ECR:createrepository", "*", "ecr:Delete*", "ecr:Put*" };
    private static readonly string[] s_repositories = { "ecr-public/nginx", "ecr-public/library/nginx", "docker-hub/redis", "team-a/app", "app", "private/app", "nginx", "ngxnx" };

    private readonly Random _random;

    public CaseGenerator(int seed) => _random = new Random(seed);

    public IEnumerable<JObject> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var request = new JObject
            {
                ["id"] = "gen-" + i,
                ["identityPolicies"] = new JArray(Enumerable.Range(0, Pick(0, 1, 1, 2)).Select(_ => (object)Policy(resource: false))),
                ["resourcePolicy"] = Chance(0.9) ? Policy(resource: true) : JValue.CreateNull(),
                ["principal"] = RequestPrincipal(),
                ["action"] = Pick(s_actions),
                ["resource"] = $"arn:aws:ecr:{Pick("us-east-1", "us-east-1", "eu-west-1")}:{Pick(A, A, B)}:repository/{Pick(s_repositories)}",
                ["context"] = Context(),
            };
            if (Chance(0.12))
            {
                request["permissionBoundaries"] = new JArray(Policy(resource: false));
            }

            if (Chance(0.12))
            {
                request["serviceControlPolicies"] = new JArray(Policy(resource: false, scp: true));
            }

            yield return request;
        }
    }

    private JObject Policy(bool resource, bool scp = false)
    {
        var statements = new JArray();
        var n = scp ? 1 : Pick(1, 1, 2, 2, 3, 4);
        for (var i = 0; i < n; i++)
        {
            var allow = scp || Chance(resource ? 0.7 : 0.75);
            var s = new JObject();
            if (Chance(0.5))
            {
                s["Sid"] = "S" + i;
            }

            s["Effect"] = allow ? "Allow" : "Deny";
            if (resource)
            {
                if (!allow && Chance(0.15))
                {
                    s["NotPrincipal"] = new JObject { ["AWS"] = Strings(Pick(1, 2), () => PrincipalArn(exactOnly: true)) };
                }
                else
                {
                    s["Principal"] = Principal();
                }
            }

            if (!scp && Chance(0.15))
            {
                s["NotAction"] = Strings(Pick(1, 2), () => Pick(Chance(0.5) ? s_actions : s_actionPatterns.Where(p => p != "*").ToArray()));
            }
            else
            {
                s["Action"] = scp ? (JToken)Pick("*", "ecr:*", "ecr:Batch*", "ecr:Get*") : Strings(Pick(1, 1, 2, 3), () => Pick(Chance(0.5) ? s_actions : s_actionPatterns));
            }

            if (!scp && Chance(0.12))
            {
                s["NotResource"] = Strings(1, ResourcePattern);
            }
            else
            {
                s["Resource"] = scp ? "*" : Strings(Pick(1, 1, 2), ResourcePattern);
            }

            if (!scp && Chance(0.45))
            {
                s["Condition"] = Condition();
            }

            statements.Add(s);
        }

        return new JObject { ["Version"] = "2012-10-17", ["Statement"] = statements };
    }

    private JToken Principal()
    {
        switch (Pick(0, 1, 2, 3, 3, 4, 5))
        {
            case 0:
                return "*";
            case 1:
                return new JObject { ["AWS"] = "*" };
            case 2:
                return new JObject { ["AWS"] = Chance(0.5) ? Pick(s_accounts) : $"arn:aws:iam::{Pick(s_accounts)}:root" };
            case 4:
                return new JObject { ["AWS"] = Strings(Pick(2, 3), () => Chance(0.3) ? $"arn:aws:iam::{Pick(s_accounts)}:root" : PrincipalArn(exactOnly: false)) };
            case 5:
                return Chance(0.5) ? new JObject { ["Service"] = "ecr.amazonaws.com" } : new JObject { ["AWS"] = PrincipalArn(false), ["Service"] = "pullthroughcache.ecr.amazonaws.com" };
            default:
                return new JObject { ["AWS"] = PrincipalArn(exactOnly: false) };
        }
    }

    private string PrincipalArn(bool exactOnly)
    {
        var account = Pick(A, A, B, C);
        return Pick(0, 0, 1, exactOnly ? 0 : 2) switch
        {
            0 => $"arn:aws:iam::{account}:role/{Pick(s_roles)}",
            1 => $"arn:aws:iam::{account}:user/bob",
            _ => $"arn:aws:sts::{account}:assumed-role/{Pick(s_roles)}/session-1",
        };
    }

    private string RequestPrincipal()
    {
        if (Chance(0.04))
        {
            return Pick("ecr.amazonaws.com", "pullthroughcache.ecr.amazonaws.com");
        }

        var account = Pick(A, A, B, C);
        return Pick(0, 0, 0, 1, 2, 2) switch
        {
            0 => $"arn:aws:iam::{account}:role/{Pick(s_roles)}",
            1 => $"arn:aws:iam::{account}:user/bob",
            _ => $"arn:aws:sts::{account}:assumed-role/{Pick(s_roles)}/session-{Pick(1, 2)}",
        };
    }

    private string ResourcePattern()
    {
        var account = Pick(A, A, B, "*");
        return Pick(0, 1, 1, 2, 3, 4, 5, 6, 7) switch
        {
            0 => "*",
            1 => $"arn:aws:ecr:us-east-1:{account}:repository/*",
            2 => $"arn:aws:ecr:us-east-1:{account}:repository/ecr-public/*",
            3 => $"arn:aws:ecr:*:{account}:repository/{Pick("app", "team-*", "ng?nx", "*nginx")}",
            4 => $"arn:aws:ecr:us-east-1:{account}:repository/{Pick("App", "docker-hub/*", "private/app")}",
            5 => $"arn:aws:ecr:us-east-1:{account}:repo*",
            6 => $"arn:aws:ecr:us-east-1:{account}:repository/${{aws:PrincipalTag/team}}/*",
            _ => $"arn:aws:ecr:{Pick("us-east-?", "eu-*")}:{account}:repository/*",
        };
    }

    private JObject Condition()
    {
        var block = new JObject();
        var n = Pick(1, 1, 2);
        for (var i = 0; i < n; i++)
        {
            var (op, key, value) = Pick(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13) switch
            {
                0 => ("StringEquals", "aws:PrincipalAccount", (JToken)Pick(s_accounts)),
                1 => (Pick("StringLike", "StringNotLike"), "aws:PrincipalArn", Pick("arn:aws:iam::*:role/ci-*", "arn:aws:iam::111122223333:role/*")),
                2 => (Pick("ArnLike", "ArnNotEquals"), "aws:PrincipalArn", Pick("arn:aws:iam::*:role/Repl*", "arn:aws:iam::444455556666:*")),
                3 => (Pick("StringEquals", "StringNotEquals", "StringEqualsIfExists", "StringNotEqualsIfExists"), "aws:PrincipalOrgID", Pick("o-abc123def4", "o-zzzzzzzzzz")),
                4 => (Pick("IpAddress", "NotIpAddress"), "aws:SourceIp", new JArray(Pick("203.0.113.0/24", "10.0.0.0/8"), "2001:db8::/32")),
                5 => ("Bool", "aws:SecureTransport", Chance(0.5) ? (JToken)Pick("true", "false") : (JToken)Chance(0.5)),
                6 => (Pick("NumericLessThan", "NumericGreaterThanEquals", "NumericNotEquals"), "aws:MultiFactorAuthAge", "3600"),
                7 => (Pick("DateGreaterThan", "DateLessThan"), "aws:CurrentTime", "2026-06-01T00:00:00Z"),
                8 => (Pick("ForAnyValue:StringEquals", "ForAllValues:StringEquals", "ForAnyValue:StringLike", "ForAllValues:StringNotEquals"), "aws:TagKeys", new JArray("team", Pick("env", "cost*"))),
                9 => ("Null", Pick("aws:SourceVpce", "aws:PrincipalOrgID"), Pick("true", "false")),
                10 => (Pick("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"), "aws:PrincipalTag/team", Pick("Platform", "data")),
                11 => ("StringEquals", "aws:PrincipalTag/team", "${aws:PrincipalAccount}"),
                12 => ("StringLike", "aws:SourceVpce", "vpce-1a2b*"),
                _ => (Pick("ArnEquals", "ArnLike", "ArnNotLike"), "aws:SourceArn", Pick("arn:aws:ecr:us-east-1:111122223333:repository/*", "arn:aws:ecr:*:444455556666:repository/x")),
            };
            if (block[op] is not JObject keys)
            {
                block[op] = keys = new JObject();
            }

            keys[key] = value;
        }

        return block;
    }

    private JObject Context()
    {
        var context = new JObject();
        if (Chance(0.6)) { context["aws:SourceIp"] = Pick("203.0.113.17", "198.51.100.5", "10.1.2.3", "2001:db8:0:1::5", "2001:dc8::1"); }
        if (Chance(0.4)) { context["aws:PrincipalOrgID"] = Pick("o-abc123def4", "o-zzzzzzzzzz"); }
        if (Chance(0.4)) { context["aws:SecureTransport"] = Pick("true", "false"); }
        if (Chance(0.3)) { context["aws:MultiFactorAuthAge"] = Pick("120", "3600", "86400"); }
        if (Chance(0.3)) { context["aws:CurrentTime"] = Pick("2026-01-15T10:00:00Z", "2026-11-30T09:00:00Z"); }
        if (Chance(0.3)) { context["aws:TagKeys"] = new JArray(Enumerable.Range(0, Pick(0, 1, 2)).Select(_ => (object)Pick("team", "env", "cost-center"))); }
        if (Chance(0.3)) { context["aws:SourceVpce"] = Pick("vpce-1a2b3c4d", "vpce-ffff"); }
        if (Chance(0.4)) { context["aws:PrincipalTag/team"] = Pick("platform", "Platform", "team-a", "111122223333"); }
        if (Chance(0.2)) { context["aws:SourceArn"] = Pick("arn:aws:ecr:us-east-1:111122223333:repository/app", "arn:aws:ecr:us-east-1:444455556666:repository/x"); }
        return context;
    }

    private JToken Strings(int n, Func<string> make)
    {
        var values = Enumerable.Range(0, n).Select(_ => make()).Distinct().ToArray();
        return values.Length == 1 && Chance(0.5) ? values[0] : new JArray(values.Cast<object>().ToArray());
    }

    private bool Chance(double p) => _random.NextDouble() < p;

    private T Pick<T>(params T[] values) => values[_random.Next(values.Length)];
}
