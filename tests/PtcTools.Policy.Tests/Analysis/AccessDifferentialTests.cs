using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using Xunit;
using Xunit.Abstractions;

namespace PtcTools.Policy.Tests.Analysis;

/// <summary>
/// No-new-access checked by brute force: 1,000 generated policy pairs (fixed seed) over a small vocabulary of
/// principals, actions, repository patterns (wildcards before and after the first '/', NotResource, other accounts),
/// NotAction, NotPrincipal and conditions (string, ARN, IP, numeric, date, Bool, Null, IfExists, set operators, keys
/// derived from the principal, policy variables). For each pair an exhaustive enumeration of a bounded request
/// space, written here by hand and decided by the engine, finds a request that the new policy allows and the
/// existing one does not (with no identity policy, or with one that allows the request) exactly when the analysis
/// says Fail; every witness the analysis gives is confirmed by the engine; Pass never meets a brute-force witness.
/// A few pairs written by hand join them, for classes random pairs seldom reach on their own.
/// </summary>
/// <remarks>
/// The bounded space holds, for the vocabulary, a member of every class the policies can tell apart: principals of
/// the registry's account, another named account and an account nobody names, of every kind (root, roles with and
/// without a path, sessions, users, federated users) and services; catalog actions of every pattern and actions
/// outside the catalog; repository names for each combination of the patterns; every context value class.
/// Because it is written independently of the partition, a class the partition forgets shows up as a brute-force
/// witness the analysis missed; the mutation test below proves that for five plausible defects.
/// </remarks>
public class AccessDifferentialTests
{
    private const int Seed = 20261203;
    private const int Pairs = 1000;
    private const string R = "111122223333";
    private const string O = "444455556666";
    private const string F = "999988887777";
    private const string Repo = "arn:aws:ecr:us-east-1:111122223333:repository/";

    private static readonly Lazy<List<Case>> s_cases = new(Generate);

    private readonly ITestOutputHelper _output;

    public AccessDifferentialTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void The_analysis_fails_exactly_when_brute_force_finds_a_witness_and_every_witness_is_confirmed()
    {
        var cases = s_cases.Value;
        Assert.True(cases.Count >= Pairs + s_edges.Length, $"only {cases.Count} pairs were generated");
        var counts = new Dictionary<string, int>();
        var disagreements = new List<string>();
        foreach (var c in cases)
        {
            var result = AccessAnalyzer.CheckNoNewAccess(c.Existing, c.New, Options(c.Scope, AnalysisMutation.None));
            var key = $"{result.Result}/{(c.Witness is null ? "none" : "found")}";
            counts[key] = counts.TryGetValue(key, out var n) ? n + 1 : 1;
            if (Disagreement(c, result) is { } why)
            {
                disagreements.Add(why);
            }

            foreach (var w in result.Witnesses)
            {
                if (!NewAccess(c, w.Principal, w.Action, w.Resource, w.Context, w.IdentityPolicy is not null))
                {
                    disagreements.Add($"pair {c.Index}: the witness {w} is not new access for the engine");
                }
            }
        }

        _output.WriteLine(string.Join(", ", counts.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}")));
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements; first: {string.Join(Environment.NewLine, disagreements.Take(5))}");

        // The sample must exercise both answers and the unknown ones must be rare (only policy variables cause them here).
        Assert.True(Get(counts, "Fail/found") > 200, "too few pairs with new access");
        Assert.True(Get(counts, "Pass/none") > 200, "too few pairs without new access");
        Assert.True(counts.Where(p => p.Key.StartsWith("Unknown", StringComparison.Ordinal)).Sum(p => p.Value) < 100, "too many Unknown answers");
    }

    private static int Get(Dictionary<string, int> counts, string key) => counts.TryGetValue(key, out var n) ? n : 0;

    public static IEnumerable<object[]> Mutations() => new[]
    {
        AnalysisMutation.OmitUnnamedAccounts, AnalysisMutation.OmitSessions, AnalysisMutation.OmitAbsentValues,
        AnalysisMutation.OmitUnlistedActions, AnalysisMutation.OmitNotResourceValues,
    }.Select(m => new object[] { (int)m });

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_deliberately_broken_partition_is_caught_by_the_brute_force_comparison(int defect)
    {
        var mutation = (AnalysisMutation)defect;
        var caught = s_cases.Value.Select(c => Disagreement(c, AccessAnalyzer.CheckNoNewAccess(c.Existing, c.New, Options(c.Scope, mutation)))).FirstOrDefault(d => d is not null);
        Assert.True(caught is not null, $"the mutation {mutation} went unnoticed by all {Pairs} pairs");
        _output.WriteLine($"{mutation}: {caught}");
    }

    // Pass with a brute-force witness is a false Pass; Fail without one means the bounded space misses a class.
    private static string? Disagreement(Case c, AccessCheckResult result)
    {
        switch (result.Result)
        {
            case AccessCheckStatus.Pass when c.Witness is not null:
                return $"pair {c.Index}: Pass, but brute force finds {c.Witness}{Environment.NewLine}{c}";
            case AccessCheckStatus.Fail when c.Witness is null:
                return $"pair {c.Index}: Fail with {result.Witnesses.FirstOrDefault()}, which the bounded space does not hold{Environment.NewLine}{c}";
            case AccessCheckStatus.Unknown when !c.UsesVariables:
                return $"pair {c.Index}: Unknown ({string.Join("; ", result.Reasons.Select(r => r.Description))}) without a policy variable{Environment.NewLine}{c}";
            case AccessCheckStatus.Unknown when c.Witness is not null:
                // Unknown is honest; the rows only count it.
                return null;
            default:
                return null;
        }
    }

    private static AccessAnalysisOptions Options(RegistryPolicyScope scope, AnalysisMutation mutation) =>
        new() { RegistryId = R, Region = "us-east-1", Scope = scope, Mutation = mutation };

    private static bool NewAccess(Case c, string principal, string action, string resource, IEnumerable<KeyValuePair<string, ContextValue>> context, bool withIdentity)
    {
        var request = AccessRequest.Create(principal, action, resource, context);
        return Allowed(c.NewSets, request, withIdentity) && !Allowed(c.ExistingSets, request, withIdentity);
    }

    private static bool Allowed(PolicySet[] sets, AccessRequest request, bool withIdentity) =>
        PermissionEvaluator.Decide(withIdentity ? sets[1] : sets[0], request) == PermissionDecision.Allowed;

    // ---- The bounded request space, by hand -------------------------------------------------------------------

    private static readonly string[] s_principals = new[] { R, O, F }.SelectMany(a => new[]
    {
        $"arn:aws:iam::{a}:root", $"arn:aws:iam::{a}:role/app", $"arn:aws:iam::{a}:role/team/app", $"arn:aws:iam::{a}:role/other",
        $"arn:aws:sts::{a}:assumed-role/app/s1", $"arn:aws:sts::{a}:assumed-role/app/s2", $"arn:aws:iam::{a}:user/dev",
        $"arn:aws:iam::{a}:user/team/dev", $"arn:aws:sts::{a}:federated-user/dev",
    }).Concat(new[] { "ecr.amazonaws.com", "other.amazonaws.com" }).ToArray();

    // Catalog actions on repositories, on '*', and names outside the catalog (which take either).
    private static readonly string[] s_repositoryActions = { "ecr:BatchGetImage", "ecr:BatchCheckLayerAvailability", "ecr:PutImage", "ecr:CreateRepository", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer", "ecr:ReplicateImage", "ecr:BatchImportUpstreamImage" };
    private static readonly string[] s_starActions = { "ecr:GetAuthorizationToken", "ecr:DescribeRegistry" };
    private static readonly string[] s_unlistedActions = { "ecr:BatchZz", "ecr:GetZz", "ecr:DescribeZz", "ecr:ZzImage", "ecr:BatchZzImage", "ecr:Zz" };
    private static readonly string[] s_names = { "ab", "ba", "bb", "cb", "cc", "a/b", "a/c", "b/b", "c/b", "ab/c" };

    private static readonly Dictionary<string, ContextValue?[]> s_values = new(StringComparer.Ordinal)
    {
        ["aws:PrincipalOrgID"] = new ContextValue?[] { null, ContextValue.Of("o-1"), ContextValue.Of("o-2"), ContextValue.Of("o-x"), ContextValue.Of("x") },
        ["aws:SourceVpce"] = new ContextValue?[] { null, ContextValue.Of("vpce-1"), ContextValue.Of("VPCE-1"), ContextValue.Of("vpce-2") },
        ["aws:SourceIp"] = new ContextValue?[] { null, ContextValue.Of("10.1.2.3"), ContextValue.Of("192.0.2.1"), ContextValue.Of("2001:db8::1"), ContextValue.Of("bad") },
        ["aws:MultiFactorAuthAge"] = new ContextValue?[] { null, ContextValue.Of("100"), ContextValue.Of("3600"), ContextValue.Of("5000"), ContextValue.Of("bad") },
        ["aws:CurrentTime"] = new ContextValue?[] { null, ContextValue.Of("2025-06-01T00:00:00Z"), ContextValue.Of("2026-01-01T00:00:00Z"), ContextValue.Of("2026-06-01T00:00:00Z"), ContextValue.Of("2027-01-01T00:00:00Z"), ContextValue.Of("2028-01-01T00:00:00Z"), ContextValue.Of("bad") },
        ["aws:SecureTransport"] = new ContextValue?[] { null, ContextValue.Of("true"), ContextValue.Of("false"), ContextValue.Of("TRUE"), ContextValue.Of("bad") },
        ["aws:TagKeys"] = new ContextValue?[] { null, Many(), Many("k1"), Many("k2"), Many("k3"), Many("x"), Many("k1", "k2"), Many("k1", "k3"), Many("k1", "x"), Many("k2", "k3"), Many("k1", "k2", "k3") },
        ["aws:PrincipalTag/team"] = new ContextValue?[] { null, ContextValue.Of("dev"), ContextValue.Of("ab"), ContextValue.Of("x") },
    };

    private static ContextValue Many(params string[] values) => ContextValue.OfMany(values);

    private static IEnumerable<(string Principal, string Action, string Resource)> BaseRequests()
    {
        var repositories = s_names.Select(n => Repo + n).ToArray();
        foreach (var p in s_principals)
        {
            foreach (var a in s_repositoryActions)
            {
                foreach (var r in repositories)
                {
                    yield return (p, a, r);
                }
            }

            foreach (var a in s_starActions)
            {
                yield return (p, a, "*");
            }

            foreach (var a in s_unlistedActions)
            {
                yield return (p, a, "*");
                foreach (var r in repositories)
                {
                    yield return (p, a, r);
                }
            }
        }
    }

    private static IEnumerable<List<KeyValuePair<string, ContextValue>>> Contexts(IReadOnlyList<string> keys, int index = 0)
    {
        if (index == keys.Count)
        {
            yield return new List<KeyValuePair<string, ContextValue>>();
            yield break;
        }

        foreach (var value in s_values[keys[index]])
        {
            foreach (var rest in Contexts(keys, index + 1))
            {
                if (value is not null)
                {
                    rest.Insert(0, new KeyValuePair<string, ContextValue>(keys[index], value));
                }

                yield return rest;
            }
        }
    }

    private static string? BruteForce(Case c)
    {
        foreach (var context in Contexts(c.Keys))
        {
            foreach (var (p, a, r) in BaseRequests())
            {
                if (c.Scope == RegistryPolicyScope.V1 && !EcrActions.RegistryPolicyV1Actions.Contains(a))
                {
                    continue;
                }

                if (p.EndsWith(".amazonaws.com", StringComparison.Ordinal) && context.Any(kv => kv.Key.StartsWith("aws:PrincipalOrg", StringComparison.Ordinal) || kv.Key.StartsWith("aws:PrincipalTag/", StringComparison.Ordinal)))
                {
                    // AWS sets the principal's organization and tags only for IAM principals, never for a service.
                    continue;
                }

                var request = AccessRequest.Create(p, a, r, context);
                foreach (var identity in new[] { false, true })
                {
                    if (Allowed(c.NewSets, request, identity) && !Allowed(c.ExistingSets, request, identity))
                    {
                        return $"{p} {a} {r} [{string.Join(", ", context.Select(kv => kv.Key + "=" + kv.Value))}]{(identity ? " with an identity policy" : string.Empty)}";
                    }
                }
            }
        }

        return null;
    }

    // ---- The generator -------------------------------------------------------------------------------------------

    private static readonly string[] s_principalElements =
    {
        "'*'", $"{{'AWS':'{R}'}}", $"{{'AWS':'arn:aws:iam::{O}:root'}}", $"{{'AWS':'arn:aws:iam::{R}:role/app'}}", $"{{'AWS':'arn:aws:iam::{O}:role/app'}}",
        $"{{'AWS':'arn:aws:iam::{R}:role/team/app'}}", $"{{'AWS':'arn:aws:sts::{R}:assumed-role/app/s1'}}", $"{{'AWS':'arn:aws:iam::{R}:user/dev'}}",
        $"{{'AWS':['arn:aws:iam::{O}:user/dev','{R}']}}", "{'Service':'ecr.amazonaws.com'}",
    };

    private static readonly string[] s_actionElements =
    {
        "'ecr:BatchGetImage'", "'ecr:PutImage'", "['ecr:CreateRepository','ecr:PutImage']", "'ecr:Batch*'", "'ecr:*'", "'*'", "'ecr:Get*'",
        "'ecr:GetAuthorizationToken'", "'ecr:Describe*'", "'ecr:*Image'", "'ecr:ReplicateImage'", "'ecr:BatchImportUpstreamImage'",
    };

    private static readonly string[] s_v1Actions = { "'ecr:CreateRepository'", "'ecr:ReplicateImage'", "'ecr:BatchImportUpstreamImage'", "['ecr:CreateRepository','ecr:ReplicateImage']" };

    private static readonly string[] s_resourceElements =
    {
        "'*'", $"'{Repo}ab'", $"'{Repo}a/*'", $"'{Repo}*'", $"'{Repo}a*'", $"'{Repo}?b'", $"'{Repo}b*'",
        "'arn:aws:ecr:us-east-1:111122223333:*/b'", "'arn:aws:ecr:*:111122223333:repository/b*'", "'arn:aws:ecr:us-east-1:111122223333:*'",
        "'arn:aws:ecr:us-east-1:444455556666:repository/*'", "'arn:aws:ecr:us-east-1:111122223333:repo*/a*'", $"['{Repo}a/*','{Repo}bb']",
        "'arn:aws:ecr:*'", "'arn:aws:ecr:us-east-1:*'", "'arn:aws:ecr:us-east-1:1111*b'", "'arn:aws:ecr:*:444455556666:*'",
    };

    private static readonly string[] s_conditions =
    {
        "'StringEquals':{'aws:PrincipalOrgID':'o-1'}", "'StringEquals':{'aws:PrincipalOrgID':['o-1','o-2']}", "'StringNotEquals':{'aws:PrincipalOrgID':'o-1'}",
        "'StringLike':{'aws:PrincipalOrgID':'o-*'}", "'StringEqualsIfExists':{'aws:SourceVpce':'vpce-1'}", "'StringNotEqualsIfExists':{'aws:SourceVpce':'vpce-1'}",
        "'StringEqualsIgnoreCase':{'aws:SourceVpce':'VPCE-1'}", "'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/app'}", "'ArnLike':{'aws:PrincipalArn':'arn:aws:iam::4444*'}", "'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/*app'}",
        $"'StringLike':{{'aws:PrincipalArn':'arn:aws:iam::{O}:*'}}", $"'StringEquals':{{'aws:PrincipalAccount':'{O}'}}", $"'StringNotEquals':{{'aws:PrincipalAccount':'{R}'}}", $"'StringNotEquals':{{'aws:PrincipalAccount':['{R}','{O}']}}",
        "'StringEquals':{'aws:username':'dev'}", "'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}", "'NotIpAddress':{'aws:SourceIp':['10.0.0.0/8','2001:db8::/32']}",
        "'NumericLessThan':{'aws:MultiFactorAuthAge':'3600'}", "'NumericGreaterThanEqualsIfExists':{'aws:MultiFactorAuthAge':'3600'}",
        "'DateGreaterThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}", "'DateLessThan':{'aws:CurrentTime':'2027-01-01T00:00:00Z'}",
        "'Bool':{'aws:SecureTransport':'true'}", "'BoolIfExists':{'aws:SecureTransport':'false'}", "'Null':{'aws:SourceVpce':'true'}", "'Null':{'aws:SourceVpce':'false'}",
        "'ForAnyValue:StringEquals':{'aws:TagKeys':['k1','k2']}", "'ForAllValues:StringEquals':{'aws:TagKeys':['k1']}", "'ForAnyValue:StringLike':{'aws:TagKeys':'k*'}",
        "'ForAllValues:StringLike':{'aws:TagKeys':'k*'}", "'StringEquals':{'aws:PrincipalTag/team':'dev'}",
    };

    private static readonly string[] s_variableConditions = { "'StringEquals':{'aws:PrincipalTag/team':'${aws:username}'}" };
    private static readonly string[] s_variableResources = { $"'{Repo}${{aws:PrincipalTag/team}}*'" };

    // Pairs written by hand for classes random pairs seldom reach alone; judged by brute force like the rest.
    private static readonly (string[] Existing, string[] New)[] s_edges =
    {
        // Only an account nobody names gains access (services have no aws:PrincipalAccount, so Null keeps them out).
        (new[] { Spec("Allow", "Principal", $"{{'AWS':'{R}'}}", "Action", "'ecr:BatchGetImage'", "Resource", "'*'", string.Empty) },
         new[] { Spec("Allow", "Principal", "'*'", "Action", "'ecr:BatchGetImage'", "Resource", $"'{Repo}*'", $"'StringNotEquals':{{'aws:PrincipalAccount':['{R}','{O}']}},'Null':{{'aws:PrincipalAccount':'false'}}") }),

        // NotResource carves a class no Resource value names.
        (new[] { Spec("Allow", "Principal", $"{{'AWS':'arn:aws:iam::{R}:role/app'}}", "Action", "'ecr:PutImage'", "NotResource", $"'{Repo}a*'", string.Empty) },
         new[] { Spec("Allow", "Principal", $"{{'AWS':'arn:aws:iam::{R}:role/app'}}", "Action", "'ecr:PutImage'", "NotResource", $"'{Repo}a/*'", string.Empty) }),

        // A role named with its path covers sessions of the role; the same name without the path is another role.
        (new[] { Spec("Allow", "Principal", $"{{'AWS':'arn:aws:iam::{R}:role/team/app'}}", "Action", "'ecr:PutImage'", "Resource", "'*'", string.Empty) },
         new[] { Spec("Allow", "Principal", $"{{'AWS':'arn:aws:iam::{R}:role/app'}}", "Action", "'ecr:PutImage'", "Resource", "'*'", string.Empty) }),

        // Deny with NotPrincipal naming the account exempts only its root.
        (new[] { Spec("Allow", "Principal", "'*'", "Action", "'ecr:*'", "Resource", "'*'", string.Empty), Spec("Deny", "NotPrincipal", $"{{'AWS':'{R}'}}", "Action", "'ecr:*'", "Resource", "'*'", string.Empty) },
         new[] { Spec("Allow", "Principal", "'*'", "Action", "'ecr:*'", "Resource", "'*'", string.Empty), Spec("Deny", "NotPrincipal", $"{{'AWS':'arn:aws:iam::{R}:role/app'}}", "Action", "'ecr:*'", "Resource", "'*'", string.Empty) }),

        // An organization condition replaced by a narrower one plus a network condition.
        (new[] { Spec("Allow", "Principal", "'*'", "Action", "'ecr:BatchGetImage'", "Resource", $"'{Repo}*'", "'StringEquals':{'aws:PrincipalOrgID':'o-1'},'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}") },
         new[] { Spec("Allow", "Principal", "'*'", "Action", "'ecr:BatchGetImage'", "Resource", $"'{Repo}*'", "'StringLike':{'aws:PrincipalOrgID':'o-*'},'IpAddress':{'aws:SourceIp':'10.0.0.0/8'}") }),
    };

    private static string Spec(params string[] parts) => string.Join("\u0001", parts);

    private static List<Case> Generate()
    {
        var random = new Random(Seed);
        var cases = new List<Case>();
        foreach (var (existing, updated) in s_edges)
        {
            var edge = Case.TryCreate(cases.Count, "2012-10-17", existing.ToList(), updated.ToList(), RegistryPolicyScope.V2) ?? throw new InvalidOperationException("an edge pair does not compile");
            edge.Witness = BruteForce(edge);
            cases.Add(edge);
        }

        var attempts = 0;
        while (cases.Count < Pairs + s_edges.Length && attempts++ < Pairs * 20)
        {
            var scope = random.Next(10) == 0 ? RegistryPolicyScope.V1 : RegistryPolicyScope.V2;
            var version = random.Next(20) == 0 ? "2008-10-17" : "2012-10-17";
            var existing = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Statement(random, scope)).ToList();
            var updated = Mutate(random, existing, scope);
            var c = Case.TryCreate(cases.Count, version, existing, updated, scope);
            if (c is not null && c.Keys.Count <= 2)
            {
                c.Witness = BruteForce(c);
                cases.Add(c);
            }
        }

        return cases;
    }

    private static List<string> Mutate(Random random, List<string> statements, RegistryPolicyScope scope)
    {
        var result = new List<string>(statements);
        switch (random.Next(6))
        {
            case 0:
                result.Add(Statement(random, scope));
                break;
            case 1 when result.Count > 1:
                result.RemoveAt(random.Next(result.Count));
                break;
            case 2:
                result[random.Next(result.Count)] = Statement(random, scope);
                break;
            case 3:
                // The same statement with one element redrawn: the usual shape of a change.
                var i = random.Next(result.Count);
                result[i] = Statement(random, scope, result[i]);
                break;
            case 4:
                break;
            default:
                result = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Statement(random, scope)).ToList();
                break;
        }

        return result;
    }

    // A statement, or (with a template) the template with one of its parts redrawn.
    private static string Statement(Random random, RegistryPolicyScope scope, string? template = null)
    {
        var parts = template is null ? null : template.Split('\u0001');
        string Pick(string[] from) => from[random.Next(from.Length)];
        var effect = parts?[0] ?? (random.Next(3) == 0 ? "Deny" : "Allow");
        var principalKey = parts?[1] ?? (effect == "Deny" && random.Next(4) == 0 ? "NotPrincipal" : "Principal");
        var principal = parts?[2] ?? Pick(s_principalElements);
        if (principalKey == "NotPrincipal" && principal == "'*'")
        {
            principal = s_principalElements[3];
        }

        var actionKey = parts?[3] ?? (scope == RegistryPolicyScope.V2 && random.Next(6) == 0 ? "NotAction" : "Action");
        var action = parts?[4] ?? Pick(scope == RegistryPolicyScope.V1 ? s_v1Actions : s_actionElements);
        var resourceKey = parts?[5] ?? (random.Next(8) == 0 ? "NotResource" : "Resource");
        var resource = parts?[6] ?? (random.Next(40) == 0 ? Pick(s_variableResources) : Pick(s_resourceElements));
        var condition = parts?[7] ?? (random.Next(10) < 3 ? (random.Next(30) == 0 ? Pick(s_variableConditions) : Pick(s_conditions)) : string.Empty);
        if (parts is not null)
        {
            switch (random.Next(5))
            {
                case 0: principal = principalKey == "NotPrincipal" ? s_principalElements[1 + random.Next(s_principalElements.Length - 1)] : Pick(s_principalElements); break;
                case 1: action = Pick(scope == RegistryPolicyScope.V1 ? s_v1Actions : s_actionElements); break;
                case 2: resource = Pick(s_resourceElements); break;
                case 3: condition = random.Next(2) == 0 ? string.Empty : Pick(s_conditions); break;
                default: effect = effect == "Allow" ? "Deny" : "Allow"; principalKey = "Principal"; break;
            }
        }

        return string.Join("\u0001", effect, principalKey, principal, actionKey, action, resourceKey, resource, condition);
    }

    private sealed class Case
    {
        private Case(int index, PolicyDocument existing, PolicyDocument updated, RegistryPolicyScope scope, IReadOnlyList<string> keys, bool variables)
        {
            Index = index;
            Existing = existing;
            New = updated;
            Scope = scope;
            Keys = keys;
            UsesVariables = variables;
            ExistingSets = Sets(existing, scope);
            NewSets = Sets(updated, scope);
        }

        public int Index { get; }

        public PolicyDocument Existing { get; }

        public PolicyDocument New { get; }

        public RegistryPolicyScope Scope { get; }

        public IReadOnlyList<string> Keys { get; }

        public bool UsesVariables { get; }

        public PolicySet[] ExistingSets { get; }

        public PolicySet[] NewSets { get; }

        public string? Witness { get; set; }

        public static Case? TryCreate(int index, string version, List<string> existing, List<string> updated, RegistryPolicyScope scope)
        {
            try
            {
                var a = Document(version, existing);
                var b = Document(version, updated);
                Sets(a, scope);
                Sets(b, scope);
                var all = existing.Concat(updated).ToList();
                var keys = s_values.Keys.Where(k => all.Any(s => s.IndexOf("'" + k + "'", StringComparison.Ordinal) >= 0)).ToList();
                var variables = version == "2012-10-17" && all.Any(s => s.IndexOf("${", StringComparison.Ordinal) >= 0);
                return new Case(index, a, b, scope, keys, variables);
            }
            catch (PolicyException)
            {
                // A combination AWS refuses (or the engine cannot yet read): not a pair to compare.
                return null;
            }
        }

        public override string ToString() => $"existing: {Existing.ToCompactJson()}{Environment.NewLine}new: {New.ToCompactJson()} ({Scope})";

        private static PolicyDocument Document(string version, IEnumerable<string> statements)
        {
            var json = statements.Select(s =>
            {
                var p = s.Split('\u0001');
                var condition = p[7].Length == 0 ? string.Empty : ",'Condition':{" + p[7] + "}";
                return $"{{'Effect':'{p[0]}','{p[1]}':{p[2]},'{p[3]}':{p[4]},'{p[5]}':{p[6]}{condition}}}";
            });
            return PolicyDocument.Parse(("{'Version':'" + version + "','Statement':[" + string.Join(",", json) + "]}").Replace('\'', '"'));
        }

        private static PolicySet[] Sets(PolicyDocument document, RegistryPolicyScope scope)
        {
            var compiled = CompiledPolicy.Compile(document, PolicyKind.Resource, "registry policy", scope);
            var allowAll = CompiledPolicy.Compile(PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"), PolicyKind.Identity, "identity policy");
            return new[] { new PolicySet(compiled, scope: scope), new PolicySet(compiled, new[] { allowAll }, scope: scope) };
        }
    }
}
