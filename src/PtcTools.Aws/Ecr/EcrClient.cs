using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Protocols;
using PtcTools.Policy;

namespace PtcTools.Aws.Ecr;

/// <summary>How an <see cref="EcrClient"/> reaches ECR.</summary>
public sealed class EcrClientOptions : AwsClientOptions
{
    /// <summary>Creates options for a Region and credentials.</summary>
    public EcrClientOptions(string region, AwsCredentials credentials)
        : base(region, credentials)
    {
    }
}

/// <summary>The ECR API over AWS JSON 1.1 with SigV4, for the operations PtcTools needs.</summary>
public sealed class EcrClient
{
    /// <summary>The JSON 1.1 target prefix of ECR.</summary>
    public const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921";
    private static readonly AwsServiceDescription s_service = new(
        "ECR",
        "ecr",
        "Ecr",
        EcrErrors.Map,
        JsonProtocol.ReadError,
        (id, kind, message, code, status, requestId, indeterminate, target, inner) => new EcrException(id, kind, message, code, status, requestId, indeterminate, target, inner));

    private readonly EcrClientOptions _options;
    private readonly AwsServiceClient _client;

    /// <summary>Creates a client.</summary>
    public EcrClient(EcrClientOptions options)
    {
        _options = options;
        _client = new AwsServiceClient(options, s_service, AwsEndpoints.Ecr(options.Region, options.EndpointUrl), options.Region);
    }

    /// <summary>The endpoint in use.</summary>
    public Uri Endpoint => _client.Endpoint;

    /// <summary>The Region in use.</summary>
    public string Region => _options.Region;

    /// <summary>GetRegistryPolicy; null when the registry has no policy.</summary>
    public async Task<RegistryPolicyResponse?> GetRegistryPolicyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var json = await CallAsync("GetRegistryPolicy", new JObject(), cancellationToken).ConfigureAwait(false);
            return new RegistryPolicyResponse((string?)json["registryId"], (string?)json["policyText"]);
        }
        catch (EcrException ex) when (ex.AwsCode == "RegistryPolicyNotFoundException")
        {
            return null;
        }
    }

    /// <summary>PutRegistryPolicy: replaces the registry's policy with the text, as is.</summary>
    public async Task<RegistryPolicyResponse> PutRegistryPolicyAsync(string policyText, CancellationToken cancellationToken)
    {
        var json = await CallAsync("PutRegistryPolicy", new JObject(new JProperty("policyText", policyText)), cancellationToken).ConfigureAwait(false);
        return new RegistryPolicyResponse((string?)json["registryId"], (string?)json["policyText"]);
    }

    /// <summary>DeleteRegistryPolicy; null when there was no policy.</summary>
    public async Task<RegistryPolicyResponse?> DeleteRegistryPolicyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var json = await CallAsync("DeleteRegistryPolicy", new JObject(), cancellationToken).ConfigureAwait(false);
            return new RegistryPolicyResponse((string?)json["registryId"], (string?)json["policyText"]);
        }
        catch (EcrException ex) when (ex.AwsCode == "RegistryPolicyNotFoundException")
        {
            return null;
        }
    }

    /// <summary>DescribeRegistry: the account (registry id) the credentials act on, which GetRegistryPolicy does not give when there is no policy.</summary>
    /// <exception cref="EcrException">The service refused, or answered without a registry id (<c>EcrRequestFailed</c>).</exception>
    public async Task<RegistryDescription> DescribeRegistryAsync(CancellationToken cancellationToken)
    {
        var json = await CallAsync("DescribeRegistry", new JObject(), cancellationToken).ConfigureAwait(false);
        var registryId = json["registryId"] as JValue;
        if (registryId?.Type != JTokenType.String || string.IsNullOrEmpty((string?)registryId))
        {
            throw new EcrException("EcrRequestFailed", PolicyErrorKind.InvalidData, "ECR DescribeRegistry answered without a registryId.", null, 200, null, false);
        }

        return new RegistryDescription((string)registryId!);
    }

    /// <summary>GetAccountSetting: the value of a setting such as <c>REGISTRY_POLICY_SCOPE</c>.</summary>
    public async Task<string?> GetAccountSettingAsync(string name, CancellationToken cancellationToken)
    {
        var json = await CallAsync("GetAccountSetting", new JObject(new JProperty("name", name)), cancellationToken).ConfigureAwait(false);
        return (string?)json["value"];
    }

    /// <summary>DescribePullThroughCacheRules, every page.</summary>
    public async Task<IReadOnlyList<PullThroughCacheRule>> DescribePullThroughCacheRulesAsync(string? registryId, IReadOnlyCollection<string>? prefixes, CancellationToken cancellationToken)
    {
        var rules = new List<PullThroughCacheRule>();
        string? nextToken = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var request = new JObject();
            if (registryId is not null)
            {
                request["registryId"] = registryId;
            }

            if (prefixes is { Count: > 0 })
            {
                request["ecrRepositoryPrefixes"] = new JArray(prefixes.Cast<object>().ToArray());
            }

            if (nextToken is not null)
            {
                request["nextToken"] = nextToken;
            }

            var json = await CallAsync("DescribePullThroughCacheRules", request, cancellationToken).ConfigureAwait(false);
            foreach (var item in json["pullThroughCacheRules"] as JArray ?? new JArray())
            {
                rules.Add(ReadRule((JObject)item));
            }

            nextToken = (string?)json["nextToken"];

            // A server that hands out the same token twice would loop forever.
            if (nextToken is not null && !seen.Add(nextToken))
            {
                throw new EcrException("EcrRequestFailed", PolicyErrorKind.InvalidData, $"ECR DescribePullThroughCacheRules returned the page token '{nextToken}' twice.", null, 200, null, false);
            }
        }
        while (nextToken is not null);

        return rules;
    }

    /// <summary>DescribeRepositoryCreationTemplates, every page (all templates, or those of the prefixes).</summary>
    public async Task<IReadOnlyList<RepositoryCreationTemplate>> DescribeRepositoryCreationTemplatesAsync(IReadOnlyCollection<string>? prefixes, CancellationToken cancellationToken)
    {
        var templates = new List<RepositoryCreationTemplate>();
        string? nextToken = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var request = new JObject();
            if (prefixes is { Count: > 0 })
            {
                request["prefixes"] = new JArray(prefixes.Cast<object>().ToArray());
            }

            if (nextToken is not null)
            {
                request["nextToken"] = nextToken;
            }

            var json = await CallAsync("DescribeRepositoryCreationTemplates", request, cancellationToken).ConfigureAwait(false);
            foreach (var item in json["repositoryCreationTemplates"] as JArray ?? new JArray())
            {
                templates.Add(ReadTemplate((JObject)item));
            }

            nextToken = (string?)json["nextToken"];
            if (nextToken is not null && !seen.Add(nextToken))
            {
                throw new EcrException("EcrRequestFailed", PolicyErrorKind.InvalidData, $"ECR DescribeRepositoryCreationTemplates returned the page token '{nextToken}' twice.", null, 200, null, false);
            }
        }
        while (nextToken is not null);

        return templates;
    }

    /// <summary>CreatePullThroughCacheRule (the demo and tests seed rules with it).</summary>
    public async Task<PullThroughCacheRule> CreatePullThroughCacheRuleAsync(PullThroughCacheRule rule, CancellationToken cancellationToken)
    {
        var request = new JObject { ["ecrRepositoryPrefix"] = rule.EcrRepositoryPrefix, ["upstreamRegistryUrl"] = rule.UpstreamRegistryUrl };
        void Optional(string name, string? value)
        {
            if (value is not null)
            {
                request[name] = value;
            }
        }

        Optional("registryId", rule.RegistryId);
        Optional("upstreamRegistry", rule.UpstreamRegistry);
        Optional("credentialArn", rule.CredentialArn);
        Optional("customRoleArn", rule.CustomRoleArn);
        Optional("upstreamRepositoryPrefix", rule.UpstreamRepositoryPrefix);
        return ReadRule(await CallAsync("CreatePullThroughCacheRule", request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Sends one operation with retries; returns the response object.</summary>
    /// <exception cref="EcrException">The service refused, or the retries ran out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<JObject> CallAsync(string operation, JObject input, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_client, TargetPrefix, operation, input, cancellationToken);

    private static RepositoryCreationTemplate ReadTemplate(JObject json) => new()
    {
        Prefix = (string?)json["prefix"] ?? string.Empty,
        Description = (string?)json["description"],
        AppliedFor = (json["appliedFor"] as JArray)?.Select(t => (string?)t).Where(t => t is not null).Select(t => t!).ToArray() ?? Array.Empty<string>(),
        ResourceTags = (json["resourceTags"] as JArray)?.OfType<JObject>().Select(t => new KeyValuePair<string, string>((string?)t["Key"] ?? string.Empty, (string?)t["Value"] ?? string.Empty)).ToArray()
            ?? Array.Empty<KeyValuePair<string, string>>(),
        EncryptionType = (string?)json["encryptionConfiguration"]?["encryptionType"],
        KmsKey = (string?)json["encryptionConfiguration"]?["kmsKey"],
        CustomRoleArn = (string?)json["customRoleArn"],
        RepositoryPolicy = (string?)json["repositoryPolicy"],
        LifecyclePolicy = (string?)json["lifecyclePolicy"],
        ImageTagMutability = (string?)json["imageTagMutability"],
    };

    private static PullThroughCacheRule ReadRule(JObject json) => new()
    {
        EcrRepositoryPrefix = (string?)json["ecrRepositoryPrefix"] ?? string.Empty,
        UpstreamRegistryUrl = (string?)json["upstreamRegistryUrl"],
        UpstreamRegistry = (string?)json["upstreamRegistry"],
        UpstreamRepositoryPrefix = (string?)json["upstreamRepositoryPrefix"],
        CredentialArn = (string?)json["credentialArn"],
        CustomRoleArn = (string?)json["customRoleArn"],
        RegistryId = (string?)json["registryId"],
        CreatedAt = JsonProtocol.Timestamp(json["createdAt"]),
        UpdatedAt = JsonProtocol.Timestamp(json["updatedAt"]),
    };

}
