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
using PtcTools.Aws.Signing;
using PtcTools.Policy;

namespace PtcTools.Aws.Ecr;

/// <summary>How an <see cref="EcrClient"/> reaches ECR.</summary>
public sealed class EcrClientOptions
{
    /// <summary>Creates options for a Region and credentials.</summary>
    public EcrClientOptions(string region, AwsCredentials credentials)
    {
        Region = AwsEndpoints.CheckRegion(region);
        Credentials = credentials;
    }

    /// <summary>The Region (also the SigV4 signing Region).</summary>
    public string Region { get; }

    /// <summary>The credentials to sign with.</summary>
    public AwsCredentials Credentials { get; }

    /// <summary>An endpoint override (-EndpointUrl), or null for the partition's endpoint.</summary>
    public string? EndpointUrl { get; set; }

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries and backoff.</summary>
    public RetryPolicy Retry { get; set; } = new();

    /// <summary>The transport.</summary>
    public AwsTransport Transport { get; set; } = AwsTransport.Shared;

    /// <summary>Where progress notes go (operation, attempt, status; never secrets or policy text).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The clock, replaceable in tests.</summary>
    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;
}

/// <summary>The ECR API over AWS JSON 1.1 with SigV4, for the operations PtcTools needs.</summary>
public sealed class EcrClient
{
    /// <summary>The JSON 1.1 target prefix of ECR.</summary>
    public const string TargetPrefix = "AmazonEC2ContainerRegistry_V20150921";
    private const string ContentType = "application/x-amz-json-1.1";
    private readonly EcrClientOptions _options;

    /// <summary>Creates a client.</summary>
    public EcrClient(EcrClientOptions options)
    {
        _options = options;
        Endpoint = AwsEndpoints.Ecr(options.Region, options.EndpointUrl);
    }

    /// <summary>The endpoint in use.</summary>
    public Uri Endpoint { get; }

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
    public async Task<JObject> CallAsync(string operation, JObject input, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(input.ToString(Formatting.None));
        var retry = _options.Retry;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EcrException failure;
            try
            {
                return await SendOnceAsync(operation, body, cancellationToken).ConfigureAwait(false);
            }
            catch (EcrException ex) when (IsRetryable(ex))
            {
                failure = ex;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or IOException or TimeoutException)
            {
                var timeout = ex is TimeoutException;
                failure = new EcrException(timeout ? "EcrTimeout" : "EcrConnectionFailed", timeout ? PolicyErrorKind.OperationTimeout : PolicyErrorKind.ConnectionError,
                    $"ECR {operation} at {Endpoint} failed: {Describe(ex)}", null, 0, null, indeterminate: true, Endpoint.ToString(), ex);
            }

            if (attempt >= retry.MaxAttempts)
            {
                throw new EcrException(failure.ErrorId, failure.Kind, $"{failure.Message} Gave up after {attempt} attempts.", failure.AwsCode, failure.StatusCode, failure.RequestId, failure.Indeterminate, failure.Target, failure.InnerException ?? failure);
            }

            var delay = retry.Delay(attempt);
            Log($"ECR {operation}: attempt {attempt} of {retry.MaxAttempts} failed ({failure.AwsCode ?? failure.ErrorId}); retrying in {delay.TotalMilliseconds:0} ms.");
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsRetryable(EcrException ex) =>
        ex.StatusCode == 429 || ex.StatusCode >= 500 || (ex.AwsCode is { } code && (EcrErrors.Throttling.Contains(code) || EcrErrors.Transient.Contains(code)));

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " " + inner.Message;
        }

        return message;
    }

    private async Task<JObject> SendOnceAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var target = TargetPrefix + "." + operation;
        var host = Endpoint.IsDefaultPort ? Endpoint.Host : Endpoint.Authority;
        var signed = SigV4Signer.Sign(
            new SignableRequest("POST", host, Endpoint.AbsolutePath, null, new[]
            {
                new KeyValuePair<string, string>("Content-Type", ContentType),
                new KeyValuePair<string, string>("X-Amz-Target", target),
            }, body),
            _options.Credentials, _options.Region, "ecr", _options.Clock());

        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", signed.AmzDate);
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
        request.Headers.TryAddWithoutValidation("User-Agent", "PtcTools/" + typeof(EcrClient).Assembly.GetName().Version);
        if (signed.SecurityToken is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Security-Token", signed.SecurityToken);
        }

        Log($"ECR {operation} -> {Endpoint} ({_options.Region}).");
        using var response = await _options.Transport.SendAsync(request, _options.AttemptTimeout, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        var status = (int)response.StatusCode;
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        Log($"ECR {operation} <- HTTP {status}{(requestId is null ? string.Empty : " request id " + requestId)}.");
        JObject? json = null;
        if (text.Trim().Length > 0)
        {
            try
            {
                json = ParseObject(text);
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        if (status is >= 200 and < 300)
        {
            return json ?? (text.Trim().Length == 0 ? new JObject() : throw new EcrException("EcrRequestFailed", PolicyErrorKind.InvalidData,
                $"ECR {operation} answered HTTP {status} with a body that is not JSON.", null, status, requestId, indeterminate: true));
        }

        var code = response.Headers.TryGetValues("X-Amzn-Errortype", out var types) ? types.FirstOrDefault() : null;
        code = (string?)json?["__type"] ?? (string?)json?["code"] ?? code ?? (status == 429 ? "TooManyRequestsException" : $"Http{status}");
        var message = (string?)json?["message"] ?? (string?)json?["Message"];
        throw EcrErrors.FromResponse(operation, EcrErrors.Sanitize(code), message, status, requestId);
    }

    private static PullThroughCacheRule ReadRule(JObject json) => new()
    {
        EcrRepositoryPrefix = (string?)json["ecrRepositoryPrefix"] ?? string.Empty,
        UpstreamRegistryUrl = (string?)json["upstreamRegistryUrl"],
        UpstreamRegistry = (string?)json["upstreamRegistry"],
        UpstreamRepositoryPrefix = (string?)json["upstreamRepositoryPrefix"],
        CredentialArn = (string?)json["credentialArn"],
        CustomRoleArn = (string?)json["customRoleArn"],
        RegistryId = (string?)json["registryId"],
        CreatedAt = Timestamp(json["createdAt"]),
        UpdatedAt = Timestamp(json["updatedAt"]),
    };

    // JSON 1.1 timestamps are epoch seconds, possibly with a fraction.
    private static DateTimeOffset? Timestamp(JToken? token) => token?.Type switch
    {
        JTokenType.Integer or JTokenType.Float => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(Convert.ToDouble(((JValue)token).Value, CultureInfo.InvariantCulture) * 1000)),
        JTokenType.String => DateTimeOffset.TryParse((string?)token, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null,
        _ => null,
    };

    // Dates stay text: a policy or token that looks like a date must come back exactly as sent.
    internal static JObject ParseObject(string text)
    {
        using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None, FloatParseHandling = FloatParseHandling.Double };
        return JObject.Load(reader, new JsonLoadSettings { DuplicatePropertyNameHandling = DuplicatePropertyNameHandling.Error });
    }

    private void Log(string message) => _options.Log?.Invoke(message);
}
