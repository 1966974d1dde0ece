using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Readiness;

/// <summary>A pull through cache rule, as far as the readiness check reads it.</summary>
public sealed class CacheRuleFacts
{
    /// <summary>Creates the facts of a rule in a registry (account and Region).</summary>
    public CacheRuleFacts(string ecrRepositoryPrefix, string registryId, string region)
    {
        EcrRepositoryPrefix = ecrRepositoryPrefix;
        RegistryId = registryId;
        Region = region;
    }

    /// <summary>The cache prefix (ecrRepositoryPrefix), or ROOT.</summary>
    public string EcrRepositoryPrefix { get; }

    /// <summary>The registry (account) of the rule.</summary>
    public string RegistryId { get; }

    /// <summary>The Region of the rule.</summary>
    public string Region { get; }

    /// <summary>The upstream kind (upstreamRegistry), when the rule says.</summary>
    public string? UpstreamRegistry { get; set; }

    /// <summary>The upstream registry's URL.</summary>
    public string? UpstreamRegistryUrl { get; set; }

    /// <summary>The upstream repository prefix (ROOT when not set).</summary>
    public string? UpstreamRepositoryPrefix { get; set; }

    /// <summary>The Secrets Manager secret with the upstream's credentials.</summary>
    public string? CredentialArn { get; set; }

    /// <summary>The custom role of an ECR upstream.</summary>
    public string? CustomRoleArn { get; set; }

    /// <summary>The prefix without its implied trailing '/'.</summary>
    public string Prefix => PullThroughCachePrefix.Normalize(EcrRepositoryPrefix);

    /// <summary>How the rule reads in messages: <c>docker-hub (111122223333, us-east-1)</c>.</summary>
    public override string ToString() => $"{Prefix} ({RegistryId}, {Region})";
}

/// <summary>A repository creation template, as far as pull through cache depends on it.</summary>
public sealed class CreationTemplateFacts
{
    /// <summary>Creates the facts of a template.</summary>
    public CreationTemplateFacts(string prefix, IEnumerable<string> appliedFor)
    {
        Prefix = prefix;
        AppliedFor = appliedFor.ToArray();
    }

    /// <summary>The template's prefix (a namespace with an assumed '/'), or ROOT.</summary>
    public string Prefix { get; }

    /// <summary>What the template applies to: PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH.</summary>
    public IReadOnlyList<string> AppliedFor { get; }

    /// <summary>The resource tags it adds to new repositories.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResourceTags { get; set; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>AES256, KMS or KMS_DSSE, when set.</summary>
    public string? EncryptionType { get; set; }

    /// <summary>The KMS key it encrypts new repositories with, when it names one.</summary>
    public string? KmsKey { get; set; }

    /// <summary>The custom role ECR assumes for it; null means the template service-linked role.</summary>
    public string? CustomRoleArn { get; set; }

    /// <summary>True when the template applies to pull through cache.</summary>
    public bool ForPullThroughCache => AppliedFor.Contains("PULL_THROUGH_CACHE", StringComparer.Ordinal);

    /// <summary>True when it adds resource tags.</summary>
    public bool Tags => ResourceTags.Count > 0;

    /// <summary>True when it names a customer managed KMS key.</summary>
    public bool NamesKmsKey => !string.IsNullOrEmpty(KmsKey);

    /// <summary>True when it needs a custom role ("if you intend to use KMS keys, resource tags, or a combination of both").</summary>
    public bool NeedsCustomRole => Tags || NamesKmsKey;

    /// <summary>The prefix without its implied trailing '/'.</summary>
    public string Key => PullThroughCachePrefix.Normalize(Prefix);
}

/// <summary>A secret's metadata (DescribeSecret), never its value.</summary>
public sealed class SecretFacts
{
    /// <summary>Creates the facts of a secret.</summary>
    public SecretFacts(string arn, string name)
    {
        Arn = arn;
        Name = name;
    }

    /// <summary>The secret's ARN.</summary>
    public string Arn { get; }

    /// <summary>The secret's name.</summary>
    public string Name { get; }

    /// <summary>A customer managed KMS key, or null for the AWS managed key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>When the secret is scheduled to be deleted, or null.</summary>
    public DateTimeOffset? DeletedDate { get; set; }
}

/// <summary>One identity-based policy (or boundary) with the name it is known by.</summary>
public sealed class NamedPolicy
{
    /// <summary>Creates the entry.</summary>
    public NamedPolicy(string name, PolicyDocument document)
    {
        Name = name;
        Document = document;
    }

    /// <summary>How the policy is named in reasons: <c>inline policy pull of role ci</c>.</summary>
    public string Name { get; }

    /// <summary>The document.</summary>
    public PolicyDocument Document { get; }
}

/// <summary>A role's or user's documents: its identity-based policies, its boundary and, for a role, its trust policy.</summary>
public sealed class IdentityFacts
{
    /// <summary>Creates the facts of an identity.</summary>
    public IdentityFacts(string arn, IEnumerable<NamedPolicy> policies)
    {
        Arn = arn;
        Policies = policies.ToArray();
    }

    /// <summary>The principal's ARN.</summary>
    public string Arn { get; }

    /// <summary>Every identity-based policy that applies to it (inline, attached, groups').</summary>
    public IReadOnlyList<NamedPolicy> Policies { get; }

    /// <summary>The permissions boundary, or null.</summary>
    public NamedPolicy? PermissionsBoundary { get; set; }

    /// <summary>A role's trust policy, or null.</summary>
    public PolicyDocument? TrustPolicy { get; set; }

    /// <summary>False when only the trust policy was given: the permissions policies are then not known (not "none").</summary>
    public bool PoliciesKnown { get; set; } = true;
}

/// <summary>A principal that pulls through the cache, and what is known of its documents.</summary>
public sealed class PullerEvidence
{
    /// <summary>Creates the entry; a null identity means the principal does not exist.</summary>
    public PullerEvidence(string arn, Evidence<IdentityFacts?> identity)
    {
        Arn = arn;
        Identity = identity;
    }

    /// <summary>The principal: a role, user, assumed-role session or account ARN.</summary>
    public string Arn { get; }

    /// <summary>Its documents (known null: it does not exist).</summary>
    public Evidence<IdentityFacts?> Identity { get; }
}

/// <summary>Everything the readiness check of one rule reads: the rule, and each document as given, read, absent or unknown.</summary>
public sealed class ReadinessInput
{
    /// <summary>Creates the input of one rule.</summary>
    public ReadinessInput(CacheRuleFacts rule) => Rule = rule;

    /// <summary>The rule.</summary>
    public CacheRuleFacts Rule { get; }

    /// <summary>The cache registry's policy (known null: the registry has none).</summary>
    public Evidence<PolicyDocument?> RegistryPolicy { get; set; } = Evidence<PolicyDocument?>.NotGiven("not read");

    /// <summary>The cache registry's policy scope.</summary>
    public Evidence<RegistryPolicyScope> Scope { get; set; } = Evidence<RegistryPolicyScope>.NotGiven("not read");

    /// <summary>The registry's repository creation templates.</summary>
    public Evidence<IReadOnlyList<CreationTemplateFacts>> Templates { get; set; } = Evidence<IReadOnlyList<CreationTemplateFacts>>.NotGiven("not read");

    /// <summary>The upstream secret (known null: it does not exist).</summary>
    public Evidence<SecretFacts?> Secret { get; set; } = Evidence<SecretFacts?>.NotGiven("not read");

    /// <summary>The ECR-to-ECR custom role (known null: it does not exist).</summary>
    public Evidence<IdentityFacts?> CustomRole { get; set; } = Evidence<IdentityFacts?>.NotGiven("not read");

    /// <summary>The upstream account's registry policy, for ECR-to-ECR across accounts (known null: it has none).</summary>
    public Evidence<PolicyDocument?> UpstreamRegistryPolicy { get; set; } = Evidence<PolicyDocument?>.NotGiven("not read");

    /// <summary>The applicable template's custom role (known null: it does not exist).</summary>
    public Evidence<IdentityFacts?> TemplateRole { get; set; } = Evidence<IdentityFacts?>.NotGiven("not read");

    /// <summary>The principals that pull.</summary>
    public IList<PullerEvidence> Pullers { get; set; } = new List<PullerEvidence>();

    /// <summary>The repository the pulls are checked on, under the cache prefix (default <see cref="PullThroughCacheReadiness.DefaultRepositoryName"/>).</summary>
    public string? RepositoryName { get; set; }
}
