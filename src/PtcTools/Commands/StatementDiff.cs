using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Merge;

namespace PtcTools.Commands;

/// <summary>The statement-level change a write makes, for -WhatIf and -Confirm, from the shared differ (as Compare-PtcRegistryPolicy shows it).</summary>
internal static class StatementDiff
{
    /// <summary>Lines such as "+ 'PullThroughCache' added at position 1" for a write plan's changes; empty when nothing changes in meaning.</summary>
    public static List<string> Describe(IEnumerable<PolicyChange> changes) =>
        changes
            .Where(c => c.Kind != PolicyChangeKind.Unchanged)
            .Select(c => (c.Kind switch { PolicyChangeKind.Added => "+ ", PolicyChangeKind.Removed => "- ", _ => "~ " }) + c.Describe())
            .ToList();
}
