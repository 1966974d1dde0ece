using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>Decides requests the way AWS does for a resource (registry) policy and the principal's policies.</summary>
/// <remarks>
/// The rules (IAM policy evaluation logic): an applicable explicit Deny in any policy wins; SCPs, when given,
/// must allow; within one account an Allow in the identity-based policies or a resource-policy grant naming
/// the principal is enough; a grant to the account delegates to IAM (an identity policy must allow); across
/// accounts both the identity policy and the resource policy must allow; a permissions boundary, when given,
/// must allow too, except for a same-account resource-policy grant that names the IAM user or the session
/// itself. <see cref="Decide"/> allocates nothing; <see cref="Evaluate"/> also collects the statements that decided
/// and the near misses (statements a condition ruled out, with the condition and the request's value).
/// </remarks>
public static class PermissionEvaluator
{
    /// <summary>The decision alone, allocation-free.</summary>
    public static PermissionDecision Decide(PolicySet policies, AccessRequest request)
    {
        var outcome = Run(policies, request, null);
        return outcome.Decision;
    }

    /// <summary>The decision with the statements that made it and a reason.</summary>
    public static EvaluationResult Evaluate(PolicySet policies, AccessRequest request)
    {
        if (policies is null) { throw new ArgumentNullException(nameof(policies)); }
        if (request is null) { throw new ArgumentNullException(nameof(request)); }

        var trace = new Trace();
        var outcome = Run(policies, request, trace);
        return new EvaluationResult(request, outcome.Decision, trace.Matched, trace.NearMisses, () => Explain(policies, request, outcome, trace));
    }

    private static Outcome Run(PolicySet policies, AccessRequest request, Trace? trace)
    {
        var o = default(Outcome);
        var hasBoundary = policies.PermissionsBoundaries.Length > 0;

        // Organizations: SCPs restrict the IAM users and roles of member accounts, not service-linked roles
        // and not service principals (which are not principals of the account).
        o.ScpsApply = policies.ServiceControlPolicies.Length > 0 && !request.IsServicePrincipal && !request.IsServiceLinkedRole;
        if (o.ScpsApply)
        {
            foreach (var scp in policies.ServiceControlPolicies)
            {
                Principalless(scp, request, trace, ref o.ScpDeny, ref o.ScpAllow);
            }
        }

        foreach (var identity in policies.IdentityPolicies)
        {
            Principalless(identity, request, trace, ref o.IdentityDeny, ref o.IdentityAllow);
        }

        foreach (var boundary in policies.PermissionsBoundaries)
        {
            Principalless(boundary, request, trace, ref o.BoundaryDeny, ref o.BoundaryAllow);
        }

        var rp = policies.ResourcePolicy;
        o.RegistryGoverns = rp is not null && policies.RegistryPolicyGoverns(request.Action);
        if (o.RegistryGoverns)
        {
            Resource(rp!, request, hasBoundary, trace, ref o);
        }

        o.Decision = Conclude(policies, request, ref o, hasBoundary);
        return o;
    }

    private static PermissionDecision Conclude(PolicySet policies, AccessRequest request, ref Outcome o, bool hasBoundary)
    {
        if (o.ScpDeny || o.IdentityDeny || o.BoundaryDeny || o.ResourceDeny)
        {
            return PermissionDecision.ExplicitDeny;
        }

        if (o.ScpsApply && !o.ScpAllow)
        {
            o.BlockedBy = Block.Scp;
            return PermissionDecision.ImplicitDeny;
        }

        bool allowed;
        if (request.IsServicePrincipal)
        {
            allowed = o.ResourceDirectAllow;
        }
        else if (request.SameAccount)
        {
            allowed = o.ResourceDirectAllow || o.IdentityAllow;
        }
        else
        {
            allowed = (o.ResourceDirectAllow || o.ResourceAccountAllow) && o.IdentityAllow;
        }

        if (!allowed)
        {
            o.BlockedBy = Block.NoAllow;
            return PermissionDecision.ImplicitDeny;
        }

        if (hasBoundary && !o.BoundaryAllow && !(request.SameAccount && o.ResourceBypassesBoundary))
        {
            o.BlockedBy = Block.Boundary;
            return PermissionDecision.ImplicitDeny;
        }

        return PermissionDecision.Allowed;
    }

    // Identity policies, boundaries and SCPs: no Principal; they apply to the request's principal.
    private static void Principalless(CompiledPolicy policy, AccessRequest request, Trace? trace, ref bool deny, ref bool allow)
    {
        foreach (var statement in policy.StatementsFor(request))
        {
            if (statement.IsAllow && allow && trace is null)
            {
                continue;
            }

            if (statement.AppliesToResource(request))
            {
                if (statement.ConditionsHold(request))
                {
                    if (statement.IsAllow) { allow = true; } else { deny = true; }
                    trace?.Matched.Add(new MatchedStatement(policy, statement, PrincipalMatch.Direct));
                }
                else
                {
                    trace?.AddNearMiss(new NearMiss(policy, statement, PrincipalMatch.Direct, request));
                }
            }
        }
    }

    private static void Resource(CompiledPolicy policy, AccessRequest request, bool hasBoundary, Trace? trace, ref Outcome o)
    {
        foreach (var statement in policy.StatementsFor(request))
        {
            PrincipalMatch match;
            if (statement.NotPrincipal)
            {
                // AWS: Deny with NotPrincipal always denies an IAM principal that has a permissions boundary.
                match = hasBoundary && !request.IsServicePrincipal ? PrincipalMatch.Direct : NotPrincipalMatch(statement, request);
            }
            else
            {
                match = statement.Principals!.Match(request);
            }

            if (match == PrincipalMatch.None)
            {
                continue;
            }

            if (statement.IsAllow && trace is null && (match == PrincipalMatch.Account ? o.ResourceAccountAllow : o.ResourceDirectAllow && o.ResourceBypassesBoundary))
            {
                continue;
            }

            if (!statement.AppliesToResource(request))
            {
                continue;
            }

            if (!statement.ConditionsHold(request))
            {
                trace?.AddNearMiss(new NearMiss(policy, statement, match, request));
                continue;
            }

            if (!statement.IsAllow)
            {
                o.ResourceDeny = true;
            }
            else if (match == PrincipalMatch.Account)
            {
                o.ResourceAccountAllow = true;
            }
            else
            {
                o.ResourceDirectAllow = true;
                if (match == PrincipalMatch.Direct && BypassesBoundary(statement, request))
                {
                    o.ResourceBypassesBoundary = true;
                }
            }

            trace?.Matched.Add(new MatchedStatement(policy, statement, match));
        }
    }

    // A Deny with NotPrincipal applies unless the principal is listed: itself, the role of its session, or,
    // for the account root only, its account. Listing the account does not exempt the account's other principals.
    private static PrincipalMatch NotPrincipalMatch(CompiledStatement statement, AccessRequest request)
    {
        var listed = statement.Principals!.Match(request);
        var exempt = listed is PrincipalMatch.Direct or PrincipalMatch.SessionRole or PrincipalMatch.SessionUser
            || (listed == PrincipalMatch.Account && request.PrincipalKind == PrincipalKind.Account);
        return exempt ? PrincipalMatch.None : PrincipalMatch.Direct;
    }

    // A same-account grant naming the IAM user or the session itself is not limited by a boundary; one naming the role is.
    private static bool BypassesBoundary(CompiledStatement statement, AccessRequest request) => request.PrincipalKind switch
    {
        PrincipalKind.User or PrincipalKind.AssumedRole or PrincipalKind.FederatedUser => true,
        PrincipalKind.Role => statement.HasEveryonePrincipal,
        _ => false,
    };

    private static string Explain(PolicySet policies, AccessRequest request, in Outcome o, Trace trace)
    {
        var scpNote = policies.ServiceControlPolicies.Length > 0 && !o.ScpsApply
            ? $" Service control policies do not restrict {(request.IsServicePrincipal ? "a service principal" : "a service-linked role")}, so the SCPs took no part."
            : string.Empty;
        return Decided(policies, request, o, trace) + scpNote;
    }

    private static string Decided(PolicySet policies, AccessRequest request, in Outcome o, Trace trace)
    {
        var what = $"{request.Action} on {request.Resource}";
        string Labels(Func<MatchedStatement, bool> filter)
        {
            var list = trace.Matched.Where(filter).Select(m => m.Sid is null ? $"{m.Label} of the {m.PolicyName}" : $"statement '{m.Sid}' of the {m.PolicyName}").ToList();
            return list.Count <= 2 ? string.Join(" and ", list) : $"{list[0]}, {list[1]} and {list.Count - 2} more";
        }

        var scopeNote = policies.ResourcePolicy is not null && !o.RegistryGoverns
            ? $" Under the {policies.Scope} registry policy scope the registry policy does not govern {request.Action}, so it took no part."
            : string.Empty;

        switch (o.Decision)
        {
            case PermissionDecision.ExplicitDeny:
                return $"Explicitly denied: {Labels(m => m.Effect == "Deny")} denies {what}, and an explicit Deny overrides every Allow.";
            case PermissionDecision.Allowed:
                var rpAllow = Labels(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Resource);
                var idAllow = Labels(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Identity);
                if (request.IsServicePrincipal)
                {
                    return $"Allowed: {rpAllow} grants {what} to the service principal {request.Principal}.";
                }

                if (request.SameAccount)
                {
                    return o.ResourceDirectAllow && o.IdentityAllow
                        ? $"Allowed: {rpAllow} names the principal and {idAllow} allows it too; within one account either is enough."
                        : o.ResourceDirectAllow
                            ? $"Allowed: {rpAllow} names the principal, and within one account a resource-policy grant is enough.{scopeNote}"
                            : $"Allowed: {idAllow} allows {what}, and within one account an identity-policy Allow is enough.{scopeNote}";
                }

                return $"Allowed: across accounts both must allow, and they do: {rpAllow} grants it and {idAllow} allows it in account {request.PrincipalAccount}.";
            default:
                return ImplicitReason(policies, request, o, Labels, what) + NearMissNote(request, o, trace) + scopeNote;
        }
    }

    // For an implicit deny: the Allow statements that would have supplied what was missing but for a condition,
    // each with the condition that failed and what the request has.
    private static string NearMissNote(AccessRequest request, in Outcome o, Trace trace)
    {
        var block = o.BlockedBy;
        var identityAllow = o.IdentityAllow;
        var resourceAllow = o.ResourceDirectAllow || o.ResourceAccountAllow;
        bool Relevant(NearMiss m)
        {
            if (m.Effect != "Allow")
            {
                return false;
            }

            switch (block)
            {
                case Block.Scp:
                    return m.PolicyKind == PolicyKind.ServiceControl;
                case Block.Boundary:
                    return m.PolicyKind == PolicyKind.PermissionsBoundary;
            }

            if (request.IsServicePrincipal)
            {
                return m.PolicyKind == PolicyKind.Resource;
            }

            // Within one account a grant to the account only delegates to IAM: meeting its condition would not allow.
            if (request.SameAccount)
            {
                return m.PolicyKind == PolicyKind.Identity || (m.PolicyKind == PolicyKind.Resource && m.PrincipalMatch != PrincipalMatch.Account);
            }

            return (m.PolicyKind == PolicyKind.Resource && !resourceAllow) || (m.PolicyKind == PolicyKind.Identity && !identityAllow);
        }

        var relevant = trace.NearMisses.Where(Relevant).ToList();
        if (relevant.Count == 0)
        {
            return string.Empty;
        }

        var sentences = relevant.Take(2).Select(m =>
        {
            var name = m.Sid is null ? $"{m.Label} of the {m.PolicyName}" : $"statement '{m.Sid}' of the {m.PolicyName}";
            var failed = m.FailedConditions;
            var conditions = failed.Count == 1 ? $"its condition {failed[0]}" : $"its conditions {string.Join(" and ", failed)}";
            return $" {char.ToUpperInvariant(name[0])}{name.Substring(1)} would allow it, but {conditions}.";
        });
        var more = relevant.Count > 2 ? $" {relevant.Count - 2} more statements that would allow it are ruled out by their conditions (see NearMisses)." : string.Empty;
        return string.Concat(sentences) + more;
    }

    private static string ImplicitReason(PolicySet policies, AccessRequest request, in Outcome o, Func<Func<MatchedStatement, bool>, string> labels, string what)
    {
        switch (o.BlockedBy)
        {
            case Block.Scp:
                return $"Implicitly denied: no service control policy allows {request.Action}, and SCPs must allow every action of the account's principals.";
            case Block.Boundary:
                return $"Implicitly denied: the permissions boundary does not allow {what}, and no same-account registry-policy grant names the IAM user or session itself.";
        }

        if (request.IsServicePrincipal)
        {
            return $"Implicitly denied: no registry-policy statement grants {what} to the service principal {request.Principal}.";
        }

        var rp = policies.ResourcePolicy is null || !o.RegistryGoverns ? "there is no registry policy in play" : "the registry policy does not grant it";

        // Without identity-based policies the answer covers only the registry policy: say so, since the principal's own
        // IAM policy (which AWS evaluates too) could still allow within one account, and must allow across accounts.
        var noIdentity = policies.IdentityPolicies.Length == 0;
        if (request.SameAccount)
        {
            var accountGrant = labels(m => m.Effect == "Allow" && m.PrincipalMatch == PrincipalMatch.Account);
            return (o.ResourceAccountAllow, noIdentity) switch
            {
                (true, false) => $"Implicitly denied: {accountGrant} grants the account, which delegates to IAM, but no identity-based policy of the principal allows {what}.",
                (true, true) => $"Implicitly denied as far as the policies given go: {accountGrant} grants the account, which delegates to IAM, and no identity-based policy was given; the principal's own IAM policy decides whether it may do {what}.",
                (false, false) => $"Implicitly denied: no identity-based policy allows {what}, and {rp} to this principal.",
                _ => $"Implicitly denied as far as the policies given go: {rp} to this principal, and no identity-based policy was given; within one account the principal's own IAM policy could still allow {what}.",
            };
        }

        if (o.IdentityAllow)
        {
            return $"Implicitly denied: across accounts both must allow; an identity-based policy allows {what}, but {rp} to this principal or its account {request.PrincipalAccount}.";
        }

        if (o.ResourceDirectAllow || o.ResourceAccountAllow)
        {
            var grant = labels(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Resource);
            return noIdentity
                ? $"Implicitly denied as far as the policies given go: across accounts both must allow; {grant} grants it, and no identity-based policy was given; the principal's own IAM policy in account {request.PrincipalAccount} must allow {what} too."
                : $"Implicitly denied: across accounts both must allow; {grant} grants it, but no identity-based policy in account {request.PrincipalAccount} allows {what}.";
        }

        return noIdentity
            ? $"Implicitly denied: across accounts both must allow, and {rp} to this principal or its account {request.PrincipalAccount} (no identity-based policy was given either)."
            : $"Implicitly denied: across accounts both must allow, and neither an identity-based policy nor the registry policy allows {what}.";
    }

    // What the explained path collects beside the decision; most requests have no near miss, so that list is made on demand.
    private sealed class Trace
    {
        private List<NearMiss>? _nearMisses;

        public List<MatchedStatement> Matched { get; } = new();

        public IReadOnlyList<NearMiss> NearMisses => (IReadOnlyList<NearMiss>?)_nearMisses ?? Array.Empty<NearMiss>();

        public void AddNearMiss(NearMiss nearMiss) => (_nearMisses ??= new List<NearMiss>()).Add(nearMiss);
    }

    private enum Block
    {
        None,
        NoAllow,
        Scp,
        Boundary,
    }

    private struct Outcome
    {
        public bool ScpsApply;
        public bool ScpDeny;
        public bool ScpAllow;
        public bool IdentityDeny;
        public bool IdentityAllow;
        public bool BoundaryDeny;
        public bool BoundaryAllow;
        public bool RegistryGoverns;
        public bool ResourceDeny;
        public bool ResourceDirectAllow;
        public bool ResourceAccountAllow;
        public bool ResourceBypassesBoundary;
        public PermissionDecision Decision;
        public Block BlockedBy;
    }
}
