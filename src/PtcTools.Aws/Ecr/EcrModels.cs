using System;
using System.Collections.Generic;

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

/// <summary>A repository creation template as DescribeRepositoryCreationTemplates returns it.</summary>
public sealed class RepositoryCreationTemplate
{
    /// <summary>The prefix (a namespace with an assumed '/', or ROOT).</summary>
    public string Prefix { get; set; } = string.Empty;

    /// <summary>The description.</summary>
    public string? Description { get; set; }

    /// <summary>PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH.</summary>
    public IReadOnlyList<string> AppliedFor { get; set; } = Array.Empty<string>();

    /// <summary>The resource tags new repositories get.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResourceTags { get; set; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>AES256, KMS or KMS_DSSE, when set.</summary>
    public string? EncryptionType { get; set; }

    /// <summary>The KMS key, when the template names one.</summary>
    public string? KmsKey { get; set; }

    /// <summary>The custom role ECR assumes for the template, or null for the service-linked role.</summary>
    public string? CustomRoleArn { get; set; }

    /// <summary>The repository policy new repositories get, when set.</summary>
    public string? RepositoryPolicy { get; set; }

    /// <summary>The lifecycle policy new repositories get, when set.</summary>
    public string? LifecyclePolicy { get; set; }

    /// <summary>MUTABLE, IMMUTABLE and the exclusion variants, when set.</summary>
    public string? ImageTagMutability { get; set; }
}
