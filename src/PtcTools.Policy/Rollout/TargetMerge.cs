using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Rollout;

/// <summary>How one intended statement stands in a registry's live policy.</summary>
public enum DriftKind
{
    /// <summary>There, with the same meaning.</summary>
    InSync,

    /// <summary>Not there.</summary>
    Missing,

    /// <summary>A statement with its Sid is there with another meaning.</summary>
    Changed,

    /// <summary>A live statement that is not one of the intended ones (another team's, or left over).</summary>
    Foreign,
}

/// <summary>One statement's standing in a registry: an intended one (in sync, missing, changed) or a foreign live one.</summary>
public sealed class StatementDrift
{
    internal StatementDrift(DriftKind kind, PolicyStatement? intended, PolicyStatement? live)
    {
        Kind = kind;
        Intended = intended;
        Live = live;
    }

    /// <summary>How it stands.</summary>
    public DriftKind Kind { get; }

    /// <summary>The intended statement, placed in the registry (null for a foreign one).</summary>
    public PolicyStatement? Intended { get; }

    /// <summary>The live statement (null for a missing one).</summary>
    public PolicyStatement? Live { get; }

    /// <summary>The Sid, or null.</summary>
    public string? Sid => Intended?.Sid ?? Live?.Sid;
}

/// <summary>The intended statements merged into one registry's live policy, and how the live policy stood against them.</summary>
public sealed class TargetMerge
{
    private readonly Lazy<PolicyDocument> _merged;

    private TargetMerge(RegistryIdentity registry, PolicyDocument? live, IReadOnlyList<PolicyStatement> intended, IReadOnlyList<StatementDrift> drift, bool force)
    {
        Registry = registry;
        Live = live;
        Intended = intended;
        Drift = drift;
        _merged = new Lazy<PolicyDocument>(() => StatementMerger.Add(live ?? PolicyDocument.CreateEmpty(), intended, force).Document);
    }

    /// <summary>The registry.</summary>
    public RegistryIdentity Registry { get; }

    /// <summary>The live policy (null: there is none).</summary>
    public PolicyDocument? Live { get; }

    /// <summary>The intended statements as placed in this registry.</summary>
    public IReadOnlyList<PolicyStatement> Intended { get; }

    /// <summary>Each intended statement's standing, in their order, then each foreign live statement, in the live order.</summary>
    public IReadOnlyList<StatementDrift> Drift { get; }

    /// <summary>The live policy with the intended statements added, or replaced in place (with force); the others untouched.</summary>
    /// <exception cref="PolicyException"><c>StatementSidConflict</c> (without force), <c>PolicyTextTooLong</c>: computed when first asked, so drift needs none of it.</exception>
    public PolicyDocument Merged => _merged.Value;

    /// <summary>The live statements that are not intended ones, in the live order.</summary>
    public IReadOnlyList<PolicyStatement> Foreign => Drift.Where(d => d.Kind == DriftKind.Foreign).Select(d => d.Live!).ToList();

    /// <summary>True when every intended statement is there as intended.</summary>
    public bool InSync => Drift.All(d => d.Kind is DriftKind.InSync or DriftKind.Foreign);

    /// <summary>Places the intended statements into the registry, compares them with its live policy and merges them.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="live">Its live policy, or null when it has none.</param>
    /// <param name="statements">The intended statements (for any registry: they are placed here).</param>
    /// <param name="force">Replace a live statement with an intended one's Sid and another meaning; without it that is <c>StatementSidConflict</c>.</param>
    public static TargetMerge Compute(RegistryIdentity registry, PolicyDocument? live, IEnumerable<PolicyStatement> statements, bool force)
    {
        var intended = statements.Select(s => RegistryPlacement.Place(s, registry)).ToList();
        var liveStatements = live?.Statements.ToList() ?? new List<PolicyStatement>();
        var matched = new HashSet<int>();
        var drift = new List<StatementDrift>();
        foreach (var statement in intended)
        {
            var meaning = StatementMeaning.Of(statement);
            int index;
            if (statement.Sid is { } sid)
            {
                index = liveStatements.FindIndex(l => l.IsObject && string.Equals(l.Sid, sid, StringComparison.Ordinal));
                if (index >= 0)
                {
                    matched.Add(index);
                    drift.Add(new StatementDrift(StatementMeaning.Of(liveStatements[index]).Equals(meaning) ? DriftKind.InSync : DriftKind.Changed, statement, liveStatements[index]));
                    continue;
                }
            }
            else
            {
                index = liveStatements.FindIndex(l => l.IsObject && StatementMeaning.Of(l).Equals(meaning));
                if (index >= 0)
                {
                    matched.Add(index);
                    drift.Add(new StatementDrift(DriftKind.InSync, statement, liveStatements[index]));
                    continue;
                }
            }

            drift.Add(new StatementDrift(DriftKind.Missing, statement, null));
        }

        for (var i = 0; i < liveStatements.Count; i++)
        {
            if (!matched.Contains(i))
            {
                drift.Add(new StatementDrift(DriftKind.Foreign, null, liveStatements[i]));
            }
        }

        return new TargetMerge(registry, live, intended, drift, force);
    }
}
