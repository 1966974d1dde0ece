using System;
using System.Text.Json.Nodes;

namespace EcrEmulator.State;

/// <summary>A pull through cache rule as the emulator stores it.</summary>
public sealed record PullThroughCacheRule
{
    /// <summary>The ECR repository prefix, as sent.</summary>
    public required string EcrRepositoryPrefix { get; init; }

    /// <summary>The upstream registry URL.</summary>
    public required string UpstreamRegistryUrl { get; init; }

    /// <summary>The upstream registry kind (the model's enum), given or inferred from the URL.</summary>
    public required string UpstreamRegistry { get; init; }

    /// <summary>The upstream repository prefix; <c>ROOT</c> unless given.</summary>
    public string UpstreamRepositoryPrefix { get; init; } = "ROOT";

    /// <summary>The Secrets Manager secret ARN for authenticated upstreams.</summary>
    public string? CredentialArn { get; init; }

    /// <summary>The IAM role ECR assumes for an ECR upstream.</summary>
    public string? CustomRoleArn { get; init; }

    /// <summary>The registry (account) id.</summary>
    public required string RegistryId { get; init; }

    /// <summary>When the rule was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the rule was last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The prefix with its implied trailing '/' removed, used to compare rules.</summary>
    public string Key => NormalizePrefix(EcrRepositoryPrefix);

    /// <summary>ECR assumes a '/' after a prefix, so <c>a</c> and <c>a/</c> name the same rule.</summary>
    public static string NormalizePrefix(string prefix) => prefix.EndsWith('/') ? prefix.Substring(0, prefix.Length - 1) : prefix;

    /// <summary>The rule in the wire shape (timestamps as epoch seconds).</summary>
    public JsonObject ToJson(bool includeUpdatedAt = true)
    {
        var json = new JsonObject
        {
            ["ecrRepositoryPrefix"] = EcrRepositoryPrefix,
            ["upstreamRegistryUrl"] = UpstreamRegistryUrl,
            ["createdAt"] = EpochSeconds(CreatedAt),
            ["registryId"] = RegistryId,
            ["upstreamRegistry"] = UpstreamRegistry,
            ["upstreamRepositoryPrefix"] = UpstreamRepositoryPrefix,
        };
        if (CredentialArn is not null)
        {
            json["credentialArn"] = CredentialArn;
        }
        if (CustomRoleArn is not null)
        {
            json["customRoleArn"] = CustomRoleArn;
        }
        if (includeUpdatedAt)
        {
            json["updatedAt"] = EpochSeconds(UpdatedAt);
        }
        return json;
    }

    /// <summary>Epoch seconds with millisecond precision, as AWS JSON protocols send timestamps.</summary>
    public static double EpochSeconds(DateTimeOffset time) => Math.Round(time.ToUnixTimeMilliseconds() / 1000.0, 3);
}
