using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EcrEmulator.Control;

/// <summary>One ECR call as the emulator saw it.</summary>
/// <param name="Sequence">1 for the first call since start or reset.</param>
/// <param name="Time">When it arrived.</param>
/// <param name="Operation">The operation named by X-Amz-Target (or the raw target when unknown).</param>
/// <param name="AccessKeyId">The access key it was signed with, when the signature was checked.</param>
/// <param name="Status">The HTTP status answered (0 when the connection was dropped).</param>
/// <param name="ErrorCode">The sanitized error code answered, or null on success.</param>
/// <param name="Fault">The injected fault, or null.</param>
/// <param name="RequestBody">The request body as text.</param>
/// <param name="AccountId">The registry's account, when the signature was checked.</param>
/// <param name="Region">The registry's Region (the one the request was signed for), when the signature was checked.</param>
public sealed record RequestLogEntry(int Sequence, DateTimeOffset Time, string Operation, string? AccessKeyId, int Status, string? ErrorCode, string? Fault, string RequestBody,
    string? AccountId = null, string? Region = null)
{
    /// <summary>The entry as JSON for <c>GET /__emulator/requests</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["sequence"] = Sequence,
        ["time"] = Time.ToString("O"),
        ["operation"] = Operation,
        ["accessKeyId"] = AccessKeyId,
        ["status"] = Status,
        ["errorCode"] = ErrorCode,
        ["fault"] = Fault,
        ["requestBody"] = RequestBody,
        ["accountId"] = AccountId,
        ["region"] = Region,
    };
}

/// <summary>Every ECR call since start or the last reset, so tests can count retries.</summary>
public sealed class RequestLog
{
    private readonly object _gate = new();
    private readonly List<RequestLogEntry> _entries = new();

    /// <summary>How many ECR calls arrived.</summary>
    public int Count
    {
        get { lock (_gate) { return _entries.Count; } }
    }

    /// <summary>A copy of the entries, oldest first.</summary>
    public IReadOnlyList<RequestLogEntry> Entries
    {
        get { lock (_gate) { return _entries.ToList(); } }
    }

    /// <summary>How many calls named <paramref name="operation"/> arrived.</summary>
    public int CountOf(string operation)
    {
        lock (_gate) { return _entries.Count(e => e.Operation == operation); }
    }

    /// <summary>How many calls of each operation arrived (every registry), for <c>GET /__emulator/state</c>.</summary>
    public JsonObject CountsByOperation()
    {
        lock (_gate)
        {
            var counts = new JsonObject();
            foreach (var group in _entries.GroupBy(e => e.Operation).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                counts[group.Key] = group.Count();
            }
            return counts;
        }
    }

    /// <summary>Records a call; the sequence number is assigned here.</summary>
    public RequestLogEntry Add(Func<int, RequestLogEntry> create)
    {
        lock (_gate)
        {
            var entry = create(_entries.Count + 1);
            _entries.Add(entry);
            return entry;
        }
    }

    /// <summary>Forgets every entry.</summary>
    public void Clear()
    {
        lock (_gate) { _entries.Clear(); }
    }

    /// <summary>The log as a JSON array.</summary>
    public JsonArray ToJson()
    {
        lock (_gate) { return new JsonArray(_entries.Select(e => (JsonNode)e.ToJson()).ToArray()); }
    }
}
