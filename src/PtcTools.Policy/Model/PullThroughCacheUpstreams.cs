using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PtcTools.Policy.Model;

/// <summary>How a pull through cache rule authenticates to its upstream registry.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum UpstreamAuthentication
{
    /// <summary>No authentication (the public upstreams).</summary>
    None,

    /// <summary>A Secrets Manager secret named <c>ecr-pullthroughcache/...</c> in the rule's account and Region.</summary>
    Secret,

    /// <summary>An IAM role ECR assumes (<c>customRoleArn</c>): the ECR-to-ECR upstream.</summary>
    IamRole,
}

/// <summary>The upstream kinds of pull through cache, what each needs, and the names ECR uses around them.</summary>
/// <remarks>
/// Sources: "Sync an upstream registry with an Amazon ECR private registry" (pull-through-cache.html) for the
/// kinds and their authentication, the SDK enum <c>UpstreamRegistry</c>, "Creating a pull through cache rule" for
/// the secret name and its account and Region (reference/PTC-PERMISSIONS.md 1.1, 1.5).
/// </remarks>
public static class PullThroughCacheUpstreams
{
    /// <summary>The prefix every upstream secret's name must begin with.</summary>
    public const string SecretNamePrefix = "ecr-pullthroughcache/";

    /// <summary>The service principal that assumes a pull through cache rule's custom role (and owns its service-linked role).</summary>
    public const string ServicePrincipal = "pullthroughcache.ecr.amazonaws.com";

    /// <summary>The service principal that assumes a repository creation template's custom role.</summary>
    public const string TemplateServicePrincipal = "ecr.amazonaws.com";

    /// <summary>The upstream kind of an ECR private registry (ECR-to-ECR pull through cache).</summary>
    public const string Ecr = "ecr";

    private static readonly Dictionary<string, UpstreamAuthentication> s_kinds = new(StringComparer.Ordinal)
    {
        ["ecr-public"] = UpstreamAuthentication.None,
        ["k8s"] = UpstreamAuthentication.None,
        ["quay"] = UpstreamAuthentication.None,
        ["docker-hub"] = UpstreamAuthentication.Secret,
        ["azure-container-registry"] = UpstreamAuthentication.Secret,
        ["github-container-registry"] = UpstreamAuthentication.Secret,
        ["gitlab-container-registry"] = UpstreamAuthentication.Secret,
        ["chainguard"] = UpstreamAuthentication.Secret,
        [Ecr] = UpstreamAuthentication.IamRole,
    };

    /// <summary>The nine values of the SDK enum <c>UpstreamRegistry</c>, sorted.</summary>
    public static IReadOnlyList<string> Kinds { get; } = s_kinds.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>How an upstream kind authenticates, or null for a kind ECR does not list.</summary>
    public static UpstreamAuthentication? AuthenticationOf(string? kind) =>
        kind is not null && s_kinds.TryGetValue(kind, out var authentication) ? authentication : null;
}
