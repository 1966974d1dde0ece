using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Ecr;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Stores;

/// <summary>The registry policy of the caller's account in one Region.</summary>
public sealed class EcrRegistryPolicyStore : IRegistryPolicyStore
{
    /// <summary>The account setting that holds the registry policy scope.</summary>
    public const string ScopeSetting = "REGISTRY_POLICY_SCOPE";
    private readonly EcrClient _client;
    private readonly Action<string>? _log;
    private bool _scopeRead;
    private string? _scope;
    private string? _registryId;

    /// <summary>Creates the store over a client.</summary>
    public EcrRegistryPolicyStore(EcrClient client, Action<string>? log = null)
    {
        _client = client;
        _log = log;
    }

    /// <inheritdoc />
    public string Description => AccountId is null ? $"the ECR registry policy in {_client.Region}" : $"the ECR registry policy of account {AccountId} in {_client.Region}";

    /// <inheritdoc />
    public string BackupKey => "ecr-" + (AccountId is null ? string.Empty : AccountId + "-") + _client.Region;

    /// <summary>The account the client's credentials reach (a role assumed in it), when the caller named it; it joins the description, the backup name and the lock, so writers of different accounts in one Region do not wait for each other.</summary>
    public string? AccountId { get; set; }

    /// <summary>Called right before a write or delete is sent (the target runner's commit guard: it throws when the run is stopping).</summary>
    public Action? BeforeWrite { get; set; }

    /// <inheritdoc />
    public bool IsOrigin(string? region, string? path) => path is null && string.Equals(region, _client.Region, StringComparison.Ordinal);

    /// <inheritdoc />
    public async Task<StoredPolicy> ReadAsync(CancellationToken cancellationToken)
    {
        var policy = await _client.GetRegistryPolicyAsync(cancellationToken).ConfigureAwait(false);
        if (!_scopeRead)
        {
            try
            {
                _scope = await _client.GetAccountSettingAsync(ScopeSetting, cancellationToken).ConfigureAwait(false);
            }
            catch (EcrException ex)
            {
                // The scope is information, not a precondition: a caller without ecr:GetAccountSetting still reads the policy.
                _log?.Invoke($"The registry policy scope could not be read: {ex.Message}");
            }

            _scopeRead = true;
        }

        var scope = _scope;
        _registryId = policy?.RegistryId ?? _registryId ?? await DescribeAccountAsync(cancellationToken).ConfigureAwait(false);

        return policy is null
            ? new StoredPolicy(false, null, _registryId, _client.Region, scope)
            : new StoredPolicy(true, policy.PolicyText, policy.RegistryId, _client.Region, scope);
    }

    // GetRegistryPolicy names the account only when there is a policy; DescribeRegistry names it always.
    private async Task<string?> DescribeAccountAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.DescribeRegistryAsync(cancellationToken).ConfigureAwait(false)).RegistryId;
        }
        catch (EcrException ex)
        {
            // Information for Get; Set refuses to write when it needs the account and this left it unknown.
            _log?.Invoke($"The registry's account could not be read (DescribeRegistry): {ex.Message}");
            return null;
        }
    }

    /// <summary>The default <see cref="Settle"/>: longer than another writer takes from its last read to its put landing.</summary>
    public static readonly TimeSpan DefaultSettle = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    /// <remarks>ECR has no conditional put: a writer on another machine, or outside PtcTools, can land right after this one.</remarks>
    public TimeSpan Settle { get; set; } = DefaultSettle;

    /// <summary>
    /// The default <see cref="ReadBackRetries"/>: four more reads, 0.2, 0.4, 0.8 and 1.6 seconds apart (3 seconds in all,
    /// after the settle). The ECR API reference (API_PutRegistryPolicy.html, API_GetRegistryPolicy.html) documents neither
    /// a conditional put nor that a GetRegistryPolicy right after a PutRegistryPolicy returns it; see docs/decisions.md.
    /// </summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultReadBackRetries = new[] { 200, 400, 800, 1600 }.Select(ms => TimeSpan.FromMilliseconds(ms)).ToArray();

    /// <inheritdoc />
    public IReadOnlyList<TimeSpan> ReadBackRetries { get; set; } = DefaultReadBackRetries;

    /// <summary>
    /// Takes the registry policy scope the caller read from this registry a moment ago (the snapshot a write plan starts
    /// from), so the reads of this store do not ask GetAccountSetting again; null leaves it to be read.
    /// </summary>
    public void UseScope(string? scope)
    {
        if (scope is null)
        {
            return;
        }

        _scope = scope;
        _scopeRead = true;
    }

    /// <summary>The folder of the write lock (tests use their own).</summary>
    public string? LockFolder { get; set; }

    /// <inheritdoc />
    public Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke();
        return _client.PutRegistryPolicyAsync(text, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IDisposable> LockAsync(CancellationToken cancellationToken) =>
        PolicyLock.AcquireAsync("ecr-" + _client.Endpoint.GetLeftPart(UriPartial.Authority) + "-" + (AccountId is null ? string.Empty : AccountId + "-") + _client.Region, Description, cancellationToken, LockFolder, log: _log);

    /// <inheritdoc />
    public string Format(PolicyDocument document) => document.ToCompactJson();

    /// <inheritdoc />
    public void CheckWritable()
    {
        // ECR says itself what it refuses.
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke();
        return await _client.DeleteRegistryPolicyAsync(cancellationToken).ConfigureAwait(false) is not null;
    }
}
