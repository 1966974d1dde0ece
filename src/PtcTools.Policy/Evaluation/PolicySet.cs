using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>The compiled policies that take part in a decision: the registry (resource) policy and the principal's policies.</summary>
public sealed class PolicySet
{
    private static readonly CompiledPolicy[] s_none = Array.Empty<CompiledPolicy>();

    /// <summary>Creates a set; every list may be empty, and a null scope means a plain resource policy that governs every action.</summary>
    /// <exception cref="ArgumentException">A policy is in the wrong list for its kind.</exception>
    public PolicySet(
        CompiledPolicy? resourcePolicy,
        IEnumerable<CompiledPolicy>? identityPolicies = null,
        IEnumerable<CompiledPolicy>? permissionsBoundaries = null,
        IEnumerable<CompiledPolicy>? serviceControlPolicies = null,
        RegistryPolicyScope? scope = null)
    {
        ResourcePolicy = resourcePolicy;
        IdentityPolicies = Check(identityPolicies, PolicyKind.Identity);
        PermissionsBoundaries = Check(permissionsBoundaries, PolicyKind.PermissionsBoundary);
        ServiceControlPolicies = Check(serviceControlPolicies, PolicyKind.ServiceControl);
        Scope = scope;
        if (resourcePolicy is not null && resourcePolicy.Kind != PolicyKind.Resource)
        {
            throw new ArgumentException($"The {resourcePolicy.Name} was compiled as {resourcePolicy.Kind}, not as a resource policy.", nameof(resourcePolicy));
        }
    }

    /// <summary>The registry policy, or null for none.</summary>
    public CompiledPolicy? ResourcePolicy { get; }

    /// <summary>The principal's identity-based policies.</summary>
    public CompiledPolicy[] IdentityPolicies { get; }

    /// <summary>The principal's permissions boundaries (none: no boundary).</summary>
    public CompiledPolicy[] PermissionsBoundaries { get; }

    /// <summary>The service control policies that apply to the principal's account (none: not in an organization).</summary>
    public CompiledPolicy[] ServiceControlPolicies { get; }

    /// <summary>The registry policy scope; null when the resource policy governs every action.</summary>
    public RegistryPolicyScope? Scope { get; }

    /// <summary>True when the registry policy takes part in deciding this action under the scope.</summary>
    public bool RegistryPolicyGoverns(string action)
    {
        switch (Scope)
        {
            case RegistryPolicyScope.V1:
                foreach (var a in EcrActions.RegistryPolicyV1Actions)
                {
                    if (string.Equals(a, action, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                return false;
            case RegistryPolicyScope.V2:
                return action.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase);
            default:
                return true;
        }
    }

    private static CompiledPolicy[] Check(IEnumerable<CompiledPolicy>? policies, PolicyKind kind)
    {
        var array = policies?.ToArray() ?? s_none;
        foreach (var p in array)
        {
            if (p.Kind != kind)
            {
                throw new ArgumentException($"The {p.Name} was compiled as {p.Kind}, not as {kind}.", nameof(policies));
            }
        }

        return array;
    }
}
