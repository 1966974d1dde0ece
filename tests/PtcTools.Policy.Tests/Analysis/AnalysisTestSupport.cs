using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Policy.Tests.Analysis;

/// <summary>Policies written briefly (single quotes, statements only) and the engine's confirmation of a witness.</summary>
internal static class AnalysisTestSupport
{
    public const string Registry = "111122223333";
    public const string Other = "444455556666";
    public const string RepoArn = "arn:aws:ecr:us-east-1:111122223333:repository/";

    /// <summary>A policy from statements written with single quotes.</summary>
    public static PolicyDocument Doc(params string[] statements) =>
        PolicyDocument.Parse(("{'Version':'2012-10-17','Statement':[" + string.Join(",", statements) + "]}").Replace('\'', '"'));

    public static AccessAnalysisOptions Options(RegistryPolicyScope scope = RegistryPolicyScope.V2) =>
        new() { RegistryId = Registry, Region = "us-east-1", Scope = scope };

    /// <summary>The engine's decision for a witness under a policy, with the identity policy the witness says the principal has.</summary>
    public static PermissionDecision Decide(PolicyDocument policy, AccessWitness witness, RegistryPolicyScope scope = RegistryPolicyScope.V2)
    {
        var resource = policy.Statements.Count == 0 ? null : CompiledPolicy.Compile(policy, PolicyKind.Resource, "registry policy", scope);
        var identity = witness.IdentityPolicy is null
            ? Enumerable.Empty<CompiledPolicy>()
            : new[] { CompiledPolicy.Compile(PolicyDocument.Parse(witness.IdentityPolicy), PolicyKind.Identity, "identity policy") };
        var request = AccessRequest.Create(witness.Principal, witness.Action, witness.Resource, witness.Context);
        return PermissionEvaluator.Decide(new PolicySet(resource, identity, scope: scope), request);
    }

    /// <summary>Every witness of a no-new-access Fail is allowed by the new policy and not by the existing one.</summary>
    public static void AssertConfirmed(AccessCheckResult result, PolicyDocument existing, PolicyDocument updated, RegistryPolicyScope scope = RegistryPolicyScope.V2)
    {
        foreach (var w in result.Witnesses)
        {
            Assert.True(Decide(updated, w, scope) == PermissionDecision.Allowed, $"the new policy does not allow the witness {w}");
            Assert.True(Decide(existing, w, scope) != PermissionDecision.Allowed, $"the existing policy allows the witness {w}");
        }
    }

    /// <summary>Every witness of a single-policy Fail is allowed by the policy.</summary>
    public static void AssertConfirmed(AccessCheckResult result, PolicyDocument policy, RegistryPolicyScope scope = RegistryPolicyScope.V2)
    {
        foreach (var w in result.Witnesses)
        {
            Assert.True(Decide(policy, w, scope) == PermissionDecision.Allowed, $"the policy does not allow the witness {w}");
        }
    }

    public static string Describe(AccessCheckResult result) =>
        result + " | " + string.Join(" | ", result.Reasons.Select(r => r.Description)) + " | " + string.Join(" | ", result.Witnesses.Select(w => w.Description));

    public static IEnumerable<object[]> Rows<T>(IEnumerable<T> rows) => rows.Select(r => new object[] { r! });
}
