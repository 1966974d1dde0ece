using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
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
        ServiceErrorIds.Ecr,
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

    /// <summary>The most pages a listing follows (see <see cref="AwsServiceClient.MaxPages"/>).</summary>
    public const int MaxPages = AwsServiceClient.MaxPages;

    /// <summary>GetRegistryPolicy; null when the registry has no policy.</summary>
    /// <exception cref="EcrException"><c>EcrResponseInvalid</c> when the answer has no policy text, or fields of the wrong type.</exception>
    public async Task<RegistryPolicyResponse?> GetRegistryPolicyAsync(CancellationToken cancellationToken)
    {
        JObject json;
        try
        {
            json = await CallAsync("GetRegistryPolicy", new JObject(), cancellationToken).ConfigureAwait(false);
        }
        catch (EcrException ex) when (ex.AwsCode == "RegistryPolicyNotFoundException")
        {
            return null;
        }

        var answer = Answer("GetRegistryPolicy");
        var registryId = answer.String(json, "registryId");

        // An answer without the text is not "no policy" (that is RegistryPolicyNotFoundException) and not an empty policy.
        var policyText = answer.String(json, "policyText") ?? throw Invalid("GetRegistryPolicy", "it has no policyText, so the registry's policy cannot be read (and nothing is written or removed on the strength of it)");
        return new RegistryPolicyResponse(registryId, policyText);
    }

    /// <summary>PutRegistryPolicy: replaces the registry's policy with the text, as is.</summary>
    /// <remarks>A write whose answer is lost (no answer, a timeout, HTTP 5xx) is not sent again: the caller reads the live policy to learn whether it landed.</remarks>
    public async Task<RegistryPolicyResponse> PutRegistryPolicyAsync(string policyText, CancellationToken cancellationToken)
    {
        var json = await CallAsync("PutRegistryPolicy", new JObject(new JProperty("policyText", policyText)), resendUnknownOutcome: false, cancellationToken).ConfigureAwait(false);
        return new RegistryPolicyResponse(Lenient(json, "registryId"), Lenient(json, "policyText"));
    }

    /// <summary>DeleteRegistryPolicy; null when there was no policy.</summary>
    /// <remarks>Like a put, a delete whose answer is lost is not sent again.</remarks>
    public async Task<RegistryPolicyResponse?> DeleteRegistryPolicyAsync(CancellationToken cancellationToken)
    {
        try
        {
            var json = await CallAsync("DeleteRegistryPolicy", new JObject(), resendUnknownOutcome: false, cancellationToken).ConfigureAwait(false);
            return new RegistryPolicyResponse(Lenient(json, "registryId"), Lenient(json, "policyText"));
        }
        catch (EcrException ex) when (ex.AwsCode == "RegistryPolicyNotFoundException")
        {
            return null;
        }
    }

    /// <summary>DescribeRegistry: the account (registry id) the credentials act on, which GetRegistryPolicy does not give when there is no policy.</summary>
    /// <exception cref="EcrException">The service refused, or answered without a registry id (<c>EcrResponseInvalid</c>).</exception>
    public async Task<RegistryDescription> DescribeRegistryAsync(CancellationToken cancellationToken)
    {
        var json = await CallAsync("DescribeRegistry", new JObject(), cancellationToken).ConfigureAwait(false);
        var registryId = json["registryId"] as JValue;
        if (registryId?.Type != JTokenType.String || string.IsNullOrEmpty((string?)registryId))
        {
            throw Invalid("DescribeRegistry", "it has no registryId");
        }

        return new RegistryDescription((string)registryId!);
    }

    /// <summary>GetAccountSetting: the value of a setting such as <c>REGISTRY_POLICY_SCOPE</c>.</summary>
    public async Task<string?> GetAccountSettingAsync(string name, CancellationToken cancellationToken)
    {
        var json = await CallAsync("GetAccountSetting", new JObject(new JProperty("name", name)), cancellationToken).ConfigureAwait(false);
        return Answer("GetAccountSetting").String(json, "value");
    }

    /// <summary>DescribePullThroughCacheRules, every page (at most <see cref="MaxPages"/>).</summary>
    /// <exception cref="EcrException"><c>EcrPageLimitExceeded</c> for a server whose pages do not end; <c>EcrResponseInvalid</c> for a malformed page.</exception>
    public async Task<IReadOnlyList<PullThroughCacheRule>> DescribePullThroughCacheRulesAsync(string? registryId, IReadOnlyCollection<string>? prefixes, CancellationToken cancellationToken)
    {
        var rules = new List<PullThroughCacheRule>();
        string? nextToken = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var answer = Answer("DescribePullThroughCacheRules");
        var pages = 0;
        do
        {
            CountPage("DescribePullThroughCacheRules", ++pages);
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
            foreach (var item in answer.Objects(json, "pullThroughCacheRules") ?? Array.Empty<JObject>())
            {
                rules.Add(ReadRule(item, answer));
            }

            nextToken = answer.String(json, "nextToken");

            // A server that hands out the same token twice would loop forever.
            CheckToken("DescribePullThroughCacheRules", nextToken, seen);
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
        var answer = Answer("DescribeRepositoryCreationTemplates");
        var pages = 0;
        do
        {
            CountPage("DescribeRepositoryCreationTemplates", ++pages);
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
            foreach (var item in answer.Objects(json, "repositoryCreationTemplates") ?? Array.Empty<JObject>())
            {
                templates.Add(ReadTemplate(item, answer));
            }

            nextToken = answer.String(json, "nextToken");
            CheckToken("DescribeRepositoryCreationTemplates", nextToken, seen);
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
        return ReadRule(await CallAsync("CreatePullThroughCacheRule", request, resendUnknownOutcome: false, cancellationToken).ConfigureAwait(false), Answer("CreatePullThroughCacheRule"));
    }

    /// <summary>Sends one operation with retries; returns the response object.</summary>
    /// <exception cref="EcrException">The service refused, or the retries ran out.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<JObject> CallAsync(string operation, JObject input, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_client, TargetPrefix, operation, input, cancellationToken);

    /// <summary>Sends one operation; throttling is always retried, a lost answer (no answer, a timeout, HTTP 5xx) only when <paramref name="resendUnknownOutcome"/>.</summary>
    /// <remarks>A write must not be resent blindly: it may have landed, and another writer may have written since.</remarks>
    public Task<JObject> CallAsync(string operation, JObject input, bool resendUnknownOutcome, CancellationToken cancellationToken) =>
        JsonProtocol.CallAsync(_client, TargetPrefix, operation, input, cancellationToken, resendUnknownOutcome);

    private static RepositoryCreationTemplate ReadTemplate(JObject json, JsonAnswer answer)
    {
        var encryption = answer.ObjectField(json, "encryptionConfiguration");
        return new RepositoryCreationTemplate
        {
            Prefix = answer.String(json, "prefix") ?? string.Empty,
            Description = answer.String(json, "description"),
            AppliedFor = (json["appliedFor"] as JArray)?.Select(t => t.Type == JTokenType.String ? (string?)t : null).Where(t => t is not null).Select(t => t!).ToArray() ?? Array.Empty<string>(),
            ResourceTags = (answer.Objects(json, "resourceTags") ?? Array.Empty<JObject>()).Select(t => new KeyValuePair<string, string>(answer.String(t, "Key") ?? string.Empty, answer.String(t, "Value") ?? string.Empty)).ToArray(),
            EncryptionType = encryption is null ? null : answer.String(encryption, "encryptionType"),
            KmsKey = encryption is null ? null : answer.String(encryption, "kmsKey"),
            CustomRoleArn = answer.String(json, "customRoleArn"),
            RepositoryPolicy = answer.String(json, "repositoryPolicy"),
            LifecyclePolicy = answer.String(json, "lifecyclePolicy"),
            ImageTagMutability = answer.String(json, "imageTagMutability"),
        };
    }

    private static PullThroughCacheRule ReadRule(JObject json, JsonAnswer answer) => new()
    {
        EcrRepositoryPrefix = answer.String(json, "ecrRepositoryPrefix") ?? string.Empty,
        UpstreamRegistryUrl = answer.String(json, "upstreamRegistryUrl"),
        UpstreamRegistry = answer.String(json, "upstreamRegistry"),
        UpstreamRepositoryPrefix = answer.String(json, "upstreamRepositoryPrefix"),
        CredentialArn = answer.String(json, "credentialArn"),
        CustomRoleArn = answer.String(json, "customRoleArn"),
        RegistryId = answer.String(json, "registryId"),
        CreatedAt = answer.Timestamp(json, "createdAt"),
        UpdatedAt = answer.Timestamp(json, "updatedAt"),
    };

    // A field of an answer PtcTools only passes on, where the wrong type means "not given".
    private static string? Lenient(JObject json, string name) => json[name] is JValue { Type: JTokenType.String } value ? (string?)value : null;

    private JsonAnswer Answer(string operation) => new(reason => Invalid(operation, reason));

    private EcrException Invalid(string operation, string reason) =>
        new(ErrorIds.EcrResponseInvalid, PolicyErrorKind.InvalidData, $"The answer of ECR {operation} at {Endpoint} is malformed: {reason}.", null, 200, null, indeterminate: false, Endpoint.ToString());

    private void CountPage(string operation, int page)
    {
        if (page > MaxPages)
        {
            throw _client.TooManyPages(operation, $"handed out a new page token {MaxPages} times; a registry has far fewer entries");
        }
    }

    private void CheckToken(string operation, string? token, HashSet<string> seen)
    {
        if (token is not null && !seen.Add(token))
        {
            throw _client.TooManyPages(operation, $"returned the page token '{ServerText.Clean(token, 100)}' twice");
        }
    }

}
