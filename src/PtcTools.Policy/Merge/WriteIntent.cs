using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Merge;

/// <summary>
/// What a write of a whole policy means to change: the statements it adds or replaces and the ones it removes, relative
/// to the policy it replaces. Statements it leaves as they were are not part of it.
/// </summary>
/// <remarks>
/// A registry policy is replaced whole, so a writer that lands between another's read and write takes the other's
/// statements away. The intent is what that other writer checks afterwards (<see cref="Unmet"/>) and merges again onto
/// what is there (<see cref="ApplyTo"/>). A statement is named by its Sid, or, without one, by its exact JSON; it is
/// there when a statement with that name has the same JSON.
/// </remarks>
public sealed class WriteIntent
{
    private readonly PolicyDocument _desired;

    private WriteIntent(PolicyDocument desired, IReadOnlyList<PolicyStatement> put, IReadOnlyList<PolicyStatement> removed)
    {
        _desired = desired;
        Put = put;
        Removed = removed;
    }

    /// <summary>The statements the write adds or replaces, in the written policy's order.</summary>
    public IReadOnlyList<PolicyStatement> Put { get; }

    /// <summary>The statements of the replaced policy that the write removes.</summary>
    public IReadOnlyList<PolicyStatement> Removed { get; }

    /// <summary>True when the write changes no statement (only, say, the Version).</summary>
    public bool IsEmpty => Put.Count == 0 && Removed.Count == 0;

    /// <summary>The intent of writing <paramref name="desired"/> over <paramref name="before"/> (null: there was no policy, or none PtcTools could read).</summary>
    public static WriteIntent Between(PolicyDocument? before, PolicyDocument desired)
    {
        var old = before?.Statements.Where(s => s.IsObject).ToList() ?? new List<PolicyStatement>();
        var written = desired.Statements.Where(s => s.IsObject).ToList();
        var put = written.Where(s => !old.Any(o => Same(o, s))).ToList();
        var removed = old.Where(o => !written.Any(s => SameName(o, s))).ToList();
        return new WriteIntent(desired, put, removed);
    }

    /// <summary>What of the intent a policy lacks: each statement not there as written, or still there though removed, as a readable name.</summary>
    /// <param name="current">The policy now (null: there is none).</param>
    public IReadOnlyList<string> Unmet(PolicyDocument? current)
    {
        var now = current?.Statements.Where(s => s.IsObject).ToList() ?? new List<PolicyStatement>();
        var unmet = new List<string>();
        unmet.AddRange(Put.Where(p => !now.Any(n => Same(n, p))).Select(p => Name(p) + (now.Any(n => SameName(n, p)) ? " (changed by another writer)" : " (missing)")));
        unmet.AddRange(Removed.Where(r => now.Any(n => SameName(n, r))).Select(r => Name(r) + " (removed, but back)"));
        return unmet;
    }

    /// <summary>The intent merged onto a policy: each removed statement taken out, each put statement replacing the one of its name in place, or appended; everything else kept as it is.</summary>
    /// <param name="current">The policy now (null: there is none, and the written policy's other elements are used).</param>
    public PolicyDocument ApplyTo(PolicyDocument? current)
    {
        var list = (current ?? _desired.WithStatements(Array.Empty<PolicyStatement>())).Statements.ToList();
        list.RemoveAll(s => s.IsObject && Removed.Any(r => SameName(s, r)));
        foreach (var statement in Put)
        {
            var index = list.FindIndex(s => s.IsObject && SameName(s, statement));
            if (index >= 0)
            {
                list[index] = statement;
            }
            else
            {
                list.Add(statement);
            }
        }

        return (current ?? _desired).WithStatements(list);
    }

    /// <summary>A statement's name for messages: its Sid, or its JSON cut short.</summary>
    public static string Name(PolicyStatement statement)
    {
        if (statement.Sid is { } sid)
        {
            return $"'{sid}'";
        }

        var json = statement.ToCompactJson();
        return "the statement without Sid " + (json.Length <= 60 ? json : json.Substring(0, 57) + "...");
    }

    private static bool Same(PolicyStatement a, PolicyStatement b) => string.Equals(a.ToCompactJson(), b.ToCompactJson(), StringComparison.Ordinal);

    private static bool SameName(PolicyStatement a, PolicyStatement b) =>
        a.Sid is null && b.Sid is null ? Same(a, b) : string.Equals(a.Sid, b.Sid, StringComparison.Ordinal);
}
