using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using EcrEmulator.Control;
using EcrEmulator.Operations;

namespace EcrEmulator.State;

/// <summary>One registry of the emulator: an account in a Region, its state and the operations over it.</summary>
/// <param name="State">What the registry holds.</param>
/// <param name="Operations">The ECR operations over that state.</param>
public sealed record Registry(RegistryState State, EcrOperations Operations);

/// <summary>
/// Every registry one emulator serves: an account x Region grid, made on first use, so a thousand of them cost nothing
/// until they are called. The accounts and Regions served may grow while it runs (a seed, the control API).
/// </summary>
public sealed class RegistryDirectory
{
    private readonly ConcurrentDictionary<(string Account, string Region), Registry> _registries = new();
    private readonly ConcurrentDictionary<string, bool> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _regions = new(StringComparer.Ordinal);
    private readonly FaultInjector _faults;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Creates the directory with its default registry.</summary>
    public RegistryDirectory(string defaultAccount, string defaultRegion, FaultInjector faults, Func<DateTimeOffset> clock)
    {
        DefaultAccount = defaultAccount;
        DefaultRegion = defaultRegion;
        _faults = faults;
        _clock = clock;
        AddAccount(defaultAccount);
        AddRegion(defaultRegion);
        Default = Get(defaultAccount, defaultRegion);
    }

    /// <summary>The account of the default registry.</summary>
    public string DefaultAccount { get; }

    /// <summary>The Region of the default registry.</summary>
    public string DefaultRegion { get; }

    /// <summary>The default registry (the account and Region the emulator was started with).</summary>
    public Registry Default { get; }

    /// <summary>The accounts served, the default first.</summary>
    public IReadOnlyList<string> Accounts => Ordered(_accounts.Keys, DefaultAccount);

    /// <summary>The Regions served, the default first.</summary>
    public IReadOnlyList<string> Regions => Ordered(_regions.Keys, DefaultRegion);

    /// <summary>Serves another account (a 12-digit id).</summary>
    public void AddAccount(string accountId)
    {
        if (accountId.Length != 12 || !accountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"An account id must be 12 digits, not '{accountId}'.");
        }

        _accounts[accountId] = true;
    }

    /// <summary>Serves another Region (a Region name such as eu-west-1).</summary>
    public void AddRegion(string region)
    {
        if (region.Length is < 2 or > 25 || !region.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            throw new ArgumentException($"'{region}' is not a Region name.");
        }

        _regions[region] = true;
    }

    /// <summary>True when the emulator serves the account.</summary>
    public bool ServesAccount(string accountId) => _accounts.ContainsKey(accountId);

    /// <summary>True when the emulator serves the Region.</summary>
    public bool ServesRegion(string region) => _regions.ContainsKey(region);

    /// <summary>The registry of an account in a Region, made empty on first use.</summary>
    /// <exception cref="ArgumentException">The account or the Region is not served.</exception>
    public Registry Get(string accountId, string region)
    {
        if (!ServesAccount(accountId) || !ServesRegion(region))
        {
            throw new ArgumentException($"The emulator serves accounts {string.Join(", ", Accounts)} in Regions {string.Join(", ", Regions)}, not {accountId} in {region}.");
        }

        return _registries.GetOrAdd((accountId, region), key =>
        {
            var state = new RegistryState(key.Account, key.Region);
            return new Registry(state, new EcrOperations(state, _faults, _clock));
        });
    }

    /// <summary>The registries that hold something or were called, in account and Region order.</summary>
    public IReadOnlyList<Registry> Used =>
        _registries.Values.OrderBy(r => r.State.AccountId, StringComparer.Ordinal).ThenBy(r => r.State.Region, StringComparer.Ordinal).ToList();

    /// <summary>Empties every registry (the grid of accounts and Regions served stays).</summary>
    public void ClearAll()
    {
        foreach (var registry in _registries.Values)
        {
            registry.State.Clear();
        }
    }

    private static IReadOnlyList<string> Ordered(IEnumerable<string> values, string first) =>
        new[] { first }.Concat(values.Where(v => v != first).OrderBy(v => v, StringComparer.Ordinal)).ToList();
}
