using System;

namespace PtcTools.Aws.Ecr;

/// <summary>The answer of GetRegistryPolicy, PutRegistryPolicy or DeleteRegistryPolicy.</summary>
public sealed class RegistryPolicyResponse
{
    /// <summary>Creates the answer.</summary>
    public RegistryPolicyResponse(string? registryId, string? policyText)
    {
        RegistryId = registryId;
        PolicyText = policyText;
    }

    /// <summary>The account (registry) id.</summary>
    public string? RegistryId { get; }

    /// <summary>The policy text exactly as ECR returned it.</summary>
    public string? PolicyText { get; }
}

/// <summary>The answer of DescribeRegistry, as far as PtcTools uses it.</summary>
public sealed class RegistryDescription
{
    /// <summary>Creates the answer.</summary>
    public RegistryDescription(string registryId) => RegistryId = registryId;

    /// <summary>The account (registry id) the caller's credentials act on.</summary>
    public string RegistryId { get; }
}

/// <summary>A pull through cache rule as DescribePullThroughCacheRules returns it.</summary>
public sealed class PullThroughCacheRule
{
    /// <summary>The ECR repository prefix (or ROOT).</summary>
    public string EcrRepositoryPrefix { get; set; } = string.Empty;

    /// <summary>The upstream registry URL.</summary>
    public string? UpstreamRegistryUrl { get; set; }

    /// <summary>The upstream registry kind, e.g. docker-hub.</summary>
    public string? UpstreamRegistry { get; set; }

    /// <summary>The upstream repository prefix.</summary>
    public string? UpstreamRepositoryPrefix { get; set; }

    /// <summary>The Secrets Manager secret with the upstream credentials.</summary>
    public string? CredentialArn { get; set; }

    /// <summary>The role ECR assumes for an ECR upstream.</summary>
    public string? CustomRoleArn { get; set; }

    /// <summary>The registry (account) the rule belongs to.</summary>
    public string? RegistryId { get; set; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }
}
