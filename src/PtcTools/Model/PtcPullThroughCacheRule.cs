using System;
using PtcTools.Aws.Ecr;

namespace PtcTools;

/// <summary>A pull through cache rule, shaped so EcrRepositoryPrefix, RegistryId and Region pipe into New-PtcPolicyStatement.</summary>
public sealed class PtcPullThroughCacheRule
{
    /// <summary>Wraps a rule read in a Region.</summary>
    public PtcPullThroughCacheRule(PullThroughCacheRule rule, string region)
    {
        EcrRepositoryPrefix = rule.EcrRepositoryPrefix;
        UpstreamRegistryUrl = rule.UpstreamRegistryUrl;
        UpstreamRegistry = rule.UpstreamRegistry;
        UpstreamRepositoryPrefix = rule.UpstreamRepositoryPrefix;
        CredentialArn = rule.CredentialArn;
        CustomRoleArn = rule.CustomRoleArn;
        RegistryId = rule.RegistryId;
        CreatedAt = rule.CreatedAt?.UtcDateTime;
        UpdatedAt = rule.UpdatedAt?.UtcDateTime;
        Region = region;
    }

    /// <summary>The ECR repository prefix (or ROOT).</summary>
    public string EcrRepositoryPrefix { get; }

    /// <summary>The upstream registry URL.</summary>
    public string? UpstreamRegistryUrl { get; }

    /// <summary>The upstream registry kind, e.g. docker-hub.</summary>
    public string? UpstreamRegistry { get; }

    /// <summary>The upstream repository prefix.</summary>
    public string? UpstreamRepositoryPrefix { get; }

    /// <summary>The Secrets Manager secret with the upstream credentials.</summary>
    public string? CredentialArn { get; }

    /// <summary>The role ECR assumes for an ECR upstream.</summary>
    public string? CustomRoleArn { get; }

    /// <summary>The registry (account) id.</summary>
    public string? RegistryId { get; }

    /// <summary>The Region the rule is in.</summary>
    public string Region { get; }

    /// <summary>When it was created (UTC).</summary>
    public DateTime? CreatedAt { get; }

    /// <summary>When it was last changed (UTC).</summary>
    public DateTime? UpdatedAt { get; }

    /// <summary>The prefix and upstream.</summary>
    public override string ToString() => $"{EcrRepositoryPrefix} -> {UpstreamRegistryUrl}";
}
