using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EcrEmulator.Control;

/// <summary>The kinds of fault the emulator injects.</summary>
public enum FaultKind
{
    /// <summary>Wait before answering.</summary>
    Delay,
    /// <summary>Close the connection without an answer.</summary>
    DropConnection,
    /// <summary>Answer ThrottlingException (HTTP 400).</summary>
    Throttle,
    /// <summary>Answer ServerException (HTTP 500).</summary>
    ServerError,
    /// <summary>Serve the call (a write takes effect) but close the connection before the answer.</summary>
    DropResponse,
    /// <summary>Answer with a canned status and body instead of serving the call (a malformed or hostile server).</summary>
    Respond,
}

/// <summary>What the injector decided for one call.</summary>
/// <param name="DelayMs">Milliseconds to wait first (0 for none).</param>
/// <param name="Kind">The failure to answer with, or null to serve the call.</param>
/// <param name="Canned">For <see cref="FaultKind.Respond"/>, the answer to give.</param>
public sealed record FaultDecision(int DelayMs, FaultKind? Kind, CannedResponse? Canned = null);

/// <summary>An answer given instead of serving a call: any status and any body, however wrong.</summary>
public sealed record CannedResponse(int Status, string Body);

/// <summary>
/// Faults armed for the next calls: counted per kind and optionally limited to one operation, so
/// "throttle the next 2 PutRegistryPolicy calls" does not fire on the GetRegistryPolicy before them.
/// </summary>
public sealed class FaultInjector
{
    private readonly object _gate = new();
    private readonly List<Rule> _rules = new();
    private string? _policyAfterNextGet;
    private bool _policyChangeArmed;
    private string? _policyAfterPut;
    private int _policyChangesAfterPut;
    private int _staleReadsAfterPut;

    /// <summary>Arms <paramref name="count"/> faults of a kind, for any operation or only the one named.</summary>
    public void Arm(FaultKind kind, int count, string? operation = null, int delayMs = 0) => Arm(kind, count, operation, delayMs, null, null);

    /// <summary>Arms faults of a kind for the calls of one registry only (an account, a Region, or both; null: any).</summary>
    public void Arm(FaultKind kind, int count, string? operation, int delayMs, string? accountId, string? region)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of faults cannot be negative.");
        }
        if (kind == FaultKind.Delay && delayMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delayMs), delayMs, "A delay needs a positive number of milliseconds.");
        }
        if (count == 0)
        {
            return;
        }
        lock (_gate)
        {
            _rules.Add(new Rule(kind, operation, delayMs) { Remaining = count, Account = accountId, Region = region });
        }
    }

    /// <summary>Throttle the next <paramref name="count"/> calls.</summary>
    public void Throttle(int count, string? operation = null) => Arm(FaultKind.Throttle, count, operation);

    /// <summary>Answer HTTP 500 to the next <paramref name="count"/> calls.</summary>
    public void ServerError(int count, string? operation = null) => Arm(FaultKind.ServerError, count, operation);

    /// <summary>Drop the connection of the next <paramref name="count"/> calls.</summary>
    public void DropConnection(int count, string? operation = null) => Arm(FaultKind.DropConnection, count, operation);

    /// <summary>Serve the next <paramref name="count"/> calls but drop their answers, as when a connection breaks after a write.</summary>
    public void DropResponse(int count, string? operation = null) => Arm(FaultKind.DropResponse, count, operation);

    /// <summary>Delay the next <paramref name="count"/> calls (every call when null) by <paramref name="delayMs"/>.</summary>
    public void Delay(int delayMs, int? count = null, string? operation = null) => Arm(FaultKind.Delay, count ?? int.MaxValue, operation, delayMs);

    /// <summary>
    /// After the next GetRegistryPolicy has answered, replace the stored policy with <paramref name="policyText"/>
    /// (null deletes it), as if another writer came in between a read and a write.
    /// </summary>
    public void ChangePolicyAfterNextGet(string? policyText)
    {
        lock (_gate)
        {
            _policyAfterNextGet = policyText;
            _policyChangeArmed = true;
        }
    }

    /// <summary>Answer the next <paramref name="count"/> calls with a canned status and body instead of serving them.</summary>
    public void Respond(CannedResponse response, int count, string? operation = null)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of faults cannot be negative.");
        }
        if (count == 0)
        {
            return;
        }
        lock (_gate)
        {
            _rules.Add(new Rule(FaultKind.Respond, operation, 0) { Remaining = count, Canned = response });
        }
    }

    /// <summary>
    /// Right after each of the next <paramref name="count"/> PutRegistryPolicy calls has been applied, replace the
    /// stored policy with <paramref name="policyText"/> (null deletes it), as if a writer elsewhere landed just after.
    /// </summary>
    public void ChangePolicyAfterPut(string? policyText, int count = 1)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of changes cannot be negative.");
        }
        lock (_gate)
        {
            _policyAfterPut = policyText;
            _policyChangesAfterPut = count;
        }
    }

    /// <summary>
    /// After the next PutRegistryPolicy has been applied, answer the next <paramref name="count"/> GetRegistryPolicy calls of
    /// that registry with the policy as it was before the put (RegistryPolicyNotFoundException when it had none), as a read
    /// of an eventually consistent store that has not caught up yet. 0 disarms.
    /// </summary>
    public void StaleReadsAfterPut(int count)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of stale reads cannot be negative.");
        }
        lock (_gate)
        {
            _staleReadsAfterPut = count;
        }
    }

    /// <summary>Takes the armed number of stale reads for the put just applied (0 when none is armed).</summary>
    public int TakeStaleReadsAfterPut()
    {
        lock (_gate)
        {
            var count = _staleReadsAfterPut;
            _staleReadsAfterPut = 0;
            return count;
        }
    }

    /// <summary>Takes one armed change after a PutRegistryPolicy, if any.</summary>
    public bool TryTakePolicyChangeAfterPut(out string? policyText)
    {
        lock (_gate)
        {
            policyText = _policyAfterPut;
            if (_policyChangesAfterPut <= 0)
            {
                return false;
            }
            _policyChangesAfterPut--;
            return true;
        }
    }

    /// <summary>Disarms everything.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _policyAfterNextGet = null;
            _policyChangeArmed = false;
            _policyAfterPut = null;
            _policyChangesAfterPut = 0;
            _staleReadsAfterPut = 0;
        }
    }

    /// <summary>Decides (and consumes) the faults for one call of <paramref name="operation"/>.</summary>
    public FaultDecision Next(string operation) => Next(operation, null, null);

    /// <summary>Decides (and consumes) the faults for one call of <paramref name="operation"/> to the registry of an account in a Region (as the request's signature names them).</summary>
    public FaultDecision Next(string operation, string? accountId, string? region)
    {
        lock (_gate)
        {
            var delay = Take(FaultKind.Delay, operation, accountId, region)?.DelayMs ?? 0;
            // One failure per call; the order is fixed so tests can predict which one fires.
            foreach (var kind in new[] { FaultKind.DropConnection, FaultKind.Throttle, FaultKind.ServerError, FaultKind.DropResponse, FaultKind.Respond })
            {
                if (Take(kind, operation, accountId, region) is { } rule)
                {
                    return new FaultDecision(delay, kind, rule.Canned);
                }
            }
            return new FaultDecision(delay, null);
        }
    }

    /// <summary>Takes the armed policy change, if any, after a GetRegistryPolicy answered.</summary>
    public bool TryTakePolicyChange(out string? policyText)
    {
        lock (_gate)
        {
            policyText = _policyAfterNextGet;
            var armed = _policyChangeArmed;
            _policyAfterNextGet = null;
            _policyChangeArmed = false;
            return armed;
        }
    }

    /// <summary>What is still armed, for <c>GET /__emulator/state</c>.</summary>
    public JsonObject ToJson()
    {
        lock (_gate)
        {
            var pending = new JsonArray();
            foreach (var rule in _rules.Where(r => r.Remaining > 0))
            {
                var item = new JsonObject
                {
                    ["kind"] = rule.Kind.ToString(),
                    ["remaining"] = rule.Remaining == int.MaxValue ? null : rule.Remaining,
                    ["operation"] = rule.Operation,
                };
                if (rule.Account is not null)
                {
                    item["accountId"] = rule.Account;
                }
                if (rule.Region is not null)
                {
                    item["region"] = rule.Region;
                }
                if (rule.Kind == FaultKind.Delay)
                {
                    item["delayMs"] = rule.DelayMs;
                }
                if (rule.Canned is { } canned)
                {
                    item["status"] = canned.Status;
                }
                pending.Add(item);
            }
            return new JsonObject
            {
                ["pending"] = pending,
                ["changePolicyAfterNextGet"] = _policyChangeArmed,
                ["changePolicyAfterPut"] = _policyChangesAfterPut,
                ["staleReadsAfterPut"] = _staleReadsAfterPut,
            };
        }
    }

    private Rule? Take(FaultKind kind, string operation, string? accountId, string? region)
    {
        var rule = _rules.FirstOrDefault(r => r.Kind == kind && r.Remaining > 0 && (r.Operation is null || r.Operation == operation)
            && (r.Account is null || r.Account == accountId) && (r.Region is null || r.Region == region));
        if (rule is not null && rule.Remaining != int.MaxValue)
        {
            rule.Remaining--;
        }
        _rules.RemoveAll(r => r.Remaining == 0);
        return rule;
    }

    private sealed record Rule(FaultKind Kind, string? Operation, int DelayMs)
    {
        public int Remaining { get; set; }

        public CannedResponse? Canned { get; init; }

        public string? Account { get; init; }

        public string? Region { get; init; }
    }
}
