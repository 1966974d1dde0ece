using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Newtonsoft.Json.Linq;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Json;

namespace PtcTools.Aws.Targets;

/// <summary>What the journal holds about one target.</summary>
public sealed class JournalEntry
{
    /// <summary>Creates an entry.</summary>
    public JournalEntry(string status, bool succeeded, string? errorId, DateTimeOffset at)
    {
        Status = status;
        Succeeded = succeeded;
        ErrorId = errorId;
        At = at;
    }

    /// <summary>How it ended: Created, Updated, Unchanged, Removed, Failed, ...</summary>
    public string Status { get; }

    /// <summary>True when it is finished; a failed target is tried again.</summary>
    public bool Succeeded { get; }

    /// <summary>The error id of a failure.</summary>
    public string? ErrorId { get; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset At { get; }
}

/// <summary>
/// A record of the finished targets of one plan, so a run that was stopped or killed can be run again and do only
/// what is left. Every entry is written at once (the whole file is replaced: temp file, flush to disk, rename), so a
/// kill leaves the journal as it was before the entry or after it, never half.
/// </summary>
/// <remarks>
/// The plan is a hash of what the command will do: the command, what it writes (the statements or the policy) and its
/// targets. A journal of another plan is refused, so a journal cannot make a different rollout skip targets.
/// </remarks>
public sealed class TargetJournal
{
    /// <summary>The format name in the file.</summary>
    public const string Format = "PtcTools.TargetJournal/1";

    private readonly object _gate = new();
    private readonly Dictionary<string, JournalEntry> _entries;
    private readonly string _planSummary;
    private readonly string _command;
    private readonly DateTimeOffset _created;

    private TargetJournal(string path, string command, string plan, string planSummary, DateTimeOffset created, Dictionary<string, JournalEntry> entries)
    {
        Path = path;
        _command = command;
        Plan = plan;
        _planSummary = planSummary;
        _created = created;
        _entries = entries;
    }

    /// <summary>The journal file.</summary>
    public string Path { get; }

    /// <summary>The plan's hash.</summary>
    public string Plan { get; }

    /// <summary>The targets the journal has as finished.</summary>
    public int FinishedCount
    {
        get
        {
            lock (_gate)
            {
                return _entries.Values.Count(e => e.Succeeded);
            }
        }
    }

    /// <summary>The hash of a plan: the command, then each part (what it writes, the role, the targets), as a lowercase hex SHA-256.</summary>
    public static string PlanHash(string command, IEnumerable<string> parts, IEnumerable<RegistryTarget> targets)
    {
        var text = new StringBuilder(command).Append('\n');
        foreach (var part in parts)
        {
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\n');
        }

        foreach (var key in targets.Select(t => t.Key).OrderBy(k => k, StringComparer.Ordinal))
        {
            text.Append(key).Append('\n');
        }

        return string.Concat(FipsSafeHash.Sha256(Encoding.UTF8.GetBytes(text.ToString())).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
    }

    /// <summary>Opens the journal of a plan: creates it when the file does not exist, reads it when it does.</summary>
    /// <exception cref="PolicyException"><c>JournalInvalid</c> (a file that is not a PtcTools journal), <c>JournalPlanMismatch</c> (a journal of another plan), <c>JournalWriteFailed</c>.</exception>
    public static TargetJournal Open(string path, string command, string plan, string planSummary, DateTimeOffset? now = null)
    {
        path = FileRegistryPolicyStore.FullPath(path);
        if (!File.Exists(path))
        {
            var journal = new TargetJournal(path, command, plan, planSummary, now ?? DateTimeOffset.UtcNow, new Dictionary<string, JournalEntry>(StringComparer.Ordinal));
            journal.Save();
            return journal;
        }

        JObject root;
        try
        {
            var text = File.ReadAllText(path, Encoding.UTF8);
            root = PolicyJson.ParseObject(text, path);
        }
        catch (Exception ex) when (ex is PolicyException or IOException or UnauthorizedAccessException)
        {
            throw new PolicyException(ErrorIds.JournalInvalid, PolicyErrorKind.InvalidData, $"{path} is not a PtcTools journal that can be read ({ex.Message}). Name another journal file, or remove this one to start over.", path, ex, Remedy.NameAnotherJournal);
        }

        if ((string?)root["format"] != Format || root["plan"]?.Type != JTokenType.String || root["targets"] is not JObject targets)
        {
            throw new PolicyException(ErrorIds.JournalInvalid, PolicyErrorKind.InvalidData, $"{path} is not a PtcTools journal ({Format}). Name another journal file, or remove this one to start over.", path, remedy: Remedy.NameAnotherJournal);
        }

        var recorded = (string)root["plan"]!;
        if (!string.Equals(recorded, plan, StringComparison.Ordinal))
        {
            throw new PolicyException(ErrorIds.JournalPlanMismatch, PolicyErrorKind.InvalidOperation,
                $"{path} is the journal of another plan ({(string?)root["command"]}: {(string?)root["planSummary"]}), not of this one ({command}: {planSummary}): " +
                "the statements, the policy, the role or the targets differ, so its finished targets say nothing about this run. Nothing was done. Name another journal file for this plan.",
                path,
                remedy: Remedy.NameAnotherJournal);
        }

        var entries = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        foreach (var property in targets.Properties())
        {
            if (property.Value is JObject entry && entry["status"]?.Type == JTokenType.String)
            {
                var at = DateTimeOffset.TryParse((string?)entry["at"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : DateTimeOffset.MinValue;
                entries[property.Name] = new JournalEntry((string)entry["status"]!, entry["succeeded"]?.Type == JTokenType.Boolean && (bool)entry["succeeded"]!, (string?)entry["errorId"], at);
            }
        }

        var created = DateTimeOffset.TryParse((string?)root["created"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : DateTimeOffset.UtcNow;
        return new TargetJournal(path, command, plan, planSummary, created, entries);
    }

    /// <summary>The entry of a finished target, or null (not in the journal, or failed: it runs again).</summary>
    public JournalEntry? Finished(RegistryTarget target)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(target.Key, out var entry) && entry.Succeeded ? entry : null;
        }
    }

    /// <summary>Records how a target ended and writes the journal at once.</summary>
    /// <exception cref="PolicyException"><c>JournalWriteFailed</c>.</exception>
    public void Record(RegistryTarget target, TargetOutcome outcome, DateTimeOffset? now = null)
    {
        lock (_gate)
        {
            _entries[target.Key] = new JournalEntry(outcome.Status, outcome.Succeeded, outcome.ErrorId, now ?? DateTimeOffset.UtcNow);
            Save();
        }
    }

    private void Save()
    {
        var targets = new JObject();
        foreach (var pair in _entries.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var entry = new JObject
            {
                ["status"] = pair.Value.Status,
                ["succeeded"] = pair.Value.Succeeded,
                ["at"] = pair.Value.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            };
            if (pair.Value.ErrorId is { } id)
            {
                entry["errorId"] = id;
            }

            targets[pair.Key] = entry;
        }

        var root = new JObject
        {
            ["format"] = Format,
            ["command"] = _command,
            ["plan"] = Plan,
            ["planSummary"] = _planSummary,
            ["created"] = _created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["targets"] = targets,
        };
        try
        {
            FileRegistryPolicyStore.WriteAtomically(Path, root.ToString(Newtonsoft.Json.Formatting.Indented) + "\n");
        }
        catch (PolicyException ex)
        {
            throw new PolicyException(ErrorIds.JournalWriteFailed, PolicyErrorKind.WriteError, $"The journal {Path} could not be written: {ex.Message}", Path, ex);
        }
    }
}
