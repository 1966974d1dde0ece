using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Protocols;
using PtcTools.Policy;

namespace PtcTools.Aws.Targets;

/// <summary>How a role is assumed in each account: its name, and the external id, session name and duration AWS.Tools' Use-STSRole takes.</summary>
public sealed class AssumeRoleSettings
{
    /// <summary>The role AWS Organizations creates in every member account it makes.</summary>
    public const string DefaultRoleName = "OrganizationAccountAccessRole";

    private static readonly Regex s_roleName = new(@"^(?:[\w+=,.@-]+/)*[\w+=,.@-]{1,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_sessionName = new(@"^[\w+=,.@-]{2,64}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_externalId = new(@"^[\w+=,.@:/-]{2,1224}$", RegexOptions.CultureInvariant);

    /// <summary>Creates settings, checked against STS's constraints (sts-2011-06-15 model).</summary>
    /// <exception cref="AwsClientException"><c>RoleNameInvalid</c>, <c>RoleSessionNameInvalid</c>, <c>ExternalIdInvalid</c> or <c>DurationInvalid</c> (InvalidArgument).</exception>
    public AssumeRoleSettings(string? roleName = null, string? externalId = null, string? roleSessionName = null, int? durationSeconds = null, Func<DateTimeOffset>? clock = null)
    {
        RoleName = string.IsNullOrEmpty(roleName) ? DefaultRoleName : roleName!;
        if (!s_roleName.IsMatch(RoleName))
        {
            throw new AwsClientException(ErrorIds.RoleNameInvalid, PolicyErrorKind.InvalidArgument, $"'{RoleName}' is not an IAM role name: up to 64 letters, digits and +=,.@_- (after an optional path such as ops/).", RoleName);
        }

        if (externalId is not null && !s_externalId.IsMatch(externalId))
        {
            throw new AwsClientException(ErrorIds.ExternalIdInvalid, PolicyErrorKind.InvalidArgument, "The external id must be 2 to 1224 letters, digits and +=,.@:/_- (STS refuses others).", externalId);
        }

        var now = (clock ?? (() => DateTimeOffset.UtcNow))();
        RoleSessionName = roleSessionName ?? "PtcTools-" + now.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture);
        if (!s_sessionName.IsMatch(RoleSessionName))
        {
            throw new AwsClientException(ErrorIds.RoleSessionNameInvalid, PolicyErrorKind.InvalidArgument, $"'{RoleSessionName}' is not a role session name: 2 to 64 letters, digits and +=,.@_- (STS refuses others).", RoleSessionName);
        }

        if (durationSeconds is { } d && (d < 900 || d > 43200))
        {
            throw new AwsClientException(ErrorIds.DurationInvalid, PolicyErrorKind.InvalidArgument, $"{d} seconds is not a role session duration: STS takes 900 to 43200.", d);
        }

        ExternalId = externalId;
        DurationSeconds = durationSeconds;
    }

    /// <summary>The role's name (with its path, if any).</summary>
    public string RoleName { get; }

    /// <summary>The external id the role's trust policy asks for, or null.</summary>
    public string? ExternalId { get; }

    /// <summary>The session name, which the account's CloudTrail shows.</summary>
    public string RoleSessionName { get; }

    /// <summary>The session duration in seconds, or null for STS's default (an hour).</summary>
    public int? DurationSeconds { get; }

    /// <summary>The role's ARN in an account of a partition.</summary>
    public string RoleArn(string accountId, string partition) => $"arn:{partition}:iam::{accountId}:role/{RoleName}";
}

/// <summary>STS AssumeRole over the one wire path (SigV4, retries with backoff on throttling, typed errors).</summary>
public sealed class StsRoleClient
{
    /// <summary>The Query API version of STS.</summary>
    public const string Version = "2011-06-15";

    private static readonly AwsServiceDescription s_service = new(
        "STS",
        "sts",
        ServiceErrorIds.Sts,
        AwsErrorCodes.With(new Dictionary<string, (string, PolicyErrorKind)>(StringComparer.Ordinal)
        {
            ["AccessDenied"] = (ErrorIds.AssumeRoleFailed, PolicyErrorKind.PermissionDenied),
            ["AccessDeniedException"] = (ErrorIds.AssumeRoleFailed, PolicyErrorKind.PermissionDenied),
            ["RegionDisabledException"] = (ErrorIds.StsRegionDisabled, PolicyErrorKind.PermissionDenied),
            ["MalformedPolicyDocument"] = (ErrorIds.AssumeRoleFailed, PolicyErrorKind.InvalidArgument),
            ["PackedPolicyTooLarge"] = (ErrorIds.AssumeRoleFailed, PolicyErrorKind.LimitsExceeded),
            ["ValidationError"] = (ErrorIds.AssumeRoleFailed, PolicyErrorKind.InvalidArgument),
        }),
        QueryProtocol.ReadError,
        (id, kind, message, code, status, requestId, indeterminate, target, inner) => new AwsServiceException(id, kind, message, code, status, requestId, indeterminate, target, inner));

    private readonly AwsServiceClient _client;

    /// <summary>Creates a client for the regional STS endpoint of the options' Region (or the override).</summary>
    public StsRoleClient(AwsClientOptions options)
    {
        _client = new AwsServiceClient(options, s_service, AwsEndpoints.Sts(options.Region, options.EndpointUrl), options.Region);
    }

    /// <summary>The endpoint in use.</summary>
    public Uri Endpoint => _client.Endpoint;

    /// <summary>AssumeRole: temporary credentials of the role.</summary>
    /// <exception cref="AwsServiceException"><c>AssumeRoleFailed</c> (refused), <c>StsRegionDisabled</c>, <c>StsThrottled</c> after the retries, <c>StsConnectionFailed</c>, <c>StsResponseInvalid</c>.</exception>
    public async Task<AwsCredentials> AssumeRoleAsync(string roleArn, AssumeRoleSettings settings, string description, CancellationToken cancellationToken)
    {
        var parameters = new List<KeyValuePair<string, string>> { new("RoleArn", roleArn), new("RoleSessionName", settings.RoleSessionName) };
        if (settings.ExternalId is not null)
        {
            parameters.Add(new("ExternalId", settings.ExternalId));
        }

        if (settings.DurationSeconds is { } duration)
        {
            parameters.Add(new("DurationSeconds", duration.ToString(CultureInfo.InvariantCulture)));
        }

        System.Xml.Linq.XElement result;
        try
        {
            result = await QueryProtocol.CallAsync(_client, "AssumeRole", Version, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorId is ErrorIds.AssumeRoleFailed or ErrorIds.AwsCredentialsRejected or ErrorIds.AwsCredentialsExpired)
        {
            throw new AwsServiceException(ErrorIds.AssumeRoleFailed, ex.Kind, $"{description}: STS refused AssumeRole of {roleArn}: {ex.Message} Check that the role exists and that its trust policy lets the caller assume it{(settings.ExternalId is null ? string.Empty : " with this external id")}.", ex.AwsCode, ex.StatusCode, ex.RequestId, false, null, ex, Remedy.CheckRoleName);
        }

        var credentials = result.ChildElement("Credentials");
        var accessKey = credentials?.ChildText("AccessKeyId");
        var secret = credentials?.ChildText("SecretAccessKey");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secret))
        {
            throw _client.Unreadable("AssumeRole", 200, null, "no Credentials");
        }

        DateTimeOffset? expiration = DateTimeOffset.TryParse(credentials!.ChildText("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var e) ? e : null;
        return new AwsCredentials(accessKey!, secret!, credentials!.ChildText("SessionToken"), expiration, description);
    }
}

/// <summary>The credentials of each account of a run: the caller's own for its own account, else a role assumed once per account and partition, again when it nears expiry.</summary>
/// <remarks>Thread-safe: targets of one account that start at once share one AssumeRole.</remarks>
public sealed class AccountCredentials
{
    private static readonly TimeSpan s_refreshMargin = TimeSpan.FromMinutes(5);
    private readonly AwsCredentials _caller;
    private readonly AssumeRoleSettings _settings;
    private readonly Func<string, AwsClientOptions> _stsOptions;
    private readonly Func<DateTimeOffset> _clock;
    private readonly ConcurrentDictionary<string, Lazy<Task<AwsCredentials>>> _assumed = new(StringComparer.Ordinal);

    /// <summary>Creates the cache.</summary>
    /// <param name="caller">The caller's credentials (the chain's), which sign AssumeRole.</param>
    /// <param name="settings">The role and session.</param>
    /// <param name="stsOptions">The STS client options for a Region (endpoint override, transport, log).</param>
    /// <param name="clock">The clock (tests).</param>
    public AccountCredentials(AwsCredentials caller, AssumeRoleSettings settings, Func<string, AwsClientOptions> stsOptions, Func<DateTimeOffset>? clock = null)
    {
        _caller = caller;
        _settings = settings;
        _stsOptions = stsOptions;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>The caller's own credentials.</summary>
    public AwsCredentials Caller => _caller;

    /// <summary>The role settings.</summary>
    public AssumeRoleSettings Settings => _settings;

    /// <summary>How many AssumeRole calls succeeded (one per account and partition, plus refreshes).</summary>
    public int AssumedCount => _count;

    private int _count;

    /// <summary>The credentials for a target: the caller's for its own account (null), else the role's in the target's account.</summary>
    public async Task<AwsCredentials> ForAsync(RegistryTarget target, CancellationToken cancellationToken)
    {
        if (target.AccountId is null)
        {
            return _caller;
        }

        var key = target.Partition + "/" + target.AccountId;
        while (true)
        {
            var lazy = _assumed.GetOrAdd(key, _ => new Lazy<Task<AwsCredentials>>(() => AssumeAsync(target, cancellationToken)));
            AwsCredentials found;
            try
            {
                found = await lazy.Value.ConfigureAwait(false);
            }
            catch
            {
                // A failed or cancelled AssumeRole is not remembered: the next target of the account tries again.
                ((ICollection<KeyValuePair<string, Lazy<Task<AwsCredentials>>>>)_assumed).Remove(new KeyValuePair<string, Lazy<Task<AwsCredentials>>>(key, lazy));
                throw;
            }

            if (!found.ExpiresWithin(s_refreshMargin, _clock()))
            {
                return found;
            }

            ((ICollection<KeyValuePair<string, Lazy<Task<AwsCredentials>>>>)_assumed).Remove(new KeyValuePair<string, Lazy<Task<AwsCredentials>>>(key, lazy));
        }
    }

    private async Task<AwsCredentials> AssumeAsync(RegistryTarget target, CancellationToken cancellationToken)
    {
        var arn = _settings.RoleArn(target.AccountId!, target.Partition);
        var client = new StsRoleClient(_stsOptions(target.Region));
        var credentials = await client.AssumeRoleAsync(arn, _settings, $"role {arn} (session {_settings.RoleSessionName})", cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _count);
        return credentials;
    }
}
