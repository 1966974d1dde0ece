using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>
/// The registry a policy is checked against: the -RegistryId, -Region and -Scope given, else what the first of the
/// policies that names one remembers (a policy read from ECR, live or deserialized, or an AWS.Tools response), else no
/// account or Region and the V2 scope. The access checks and the linter take it the same way, piped or given.
/// </summary>
internal readonly struct PolicyRegistry
{
    private PolicyRegistry(string? registryId, string? region, RegistryPolicyScope scope)
    {
        RegistryId = registryId;
        Region = region;
        Scope = scope;
    }

    /// <summary>The account, or null when neither the parameter nor a policy names one.</summary>
    public string? RegistryId { get; }

    /// <summary>The Region, or null when neither the parameter nor a policy names one.</summary>
    public string? Region { get; }

    /// <summary>The registry policy scope: given, else a policy's, else V2 (ECR's default).</summary>
    public RegistryPolicyScope Scope { get; }

    /// <summary>The given values, else the policies' (empty text counts as not given).</summary>
    public static PolicyRegistry Of(string? registryId, string? region, RegistryPolicyScope? scope, params PtcRegistryPolicy?[] policies)
    {
        var known = policies.OfType<PtcRegistryPolicy>().ToList();
        return new PolicyRegistry(
            NonEmpty(registryId) ?? known.Select(p => NonEmpty(p.RegistryId)).FirstOrDefault(r => r is not null),
            NonEmpty(region) ?? known.Select(p => NonEmpty(p.Region)).FirstOrDefault(r => r is not null),
            scope ?? known.Select(p => p.KnownScope).FirstOrDefault(s => s is not null) ?? RegistryPolicyScope.V2);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
