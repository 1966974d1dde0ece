using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Commands;

/// <summary>A statement-level summary of what a write changes, for -WhatIf and -Confirm.</summary>
/// <remarks>TODO: switch to the Compare-PtcRegistryPolicy differ (branch compose) once it lands; this one only compares by Sid.</remarks>
internal static class StatementDiff
{
    /// <summary>Lines such as "+ Sid PullThroughCache", "- Sid Old", "~ Sid Changed"; empty when nothing changes.</summary>
    public static List<string> Describe(PolicyDocument? before, PolicyDocument after)
    {
        var lines = new List<string>();
        var old = Keyed(before);
        var now = Keyed(after);
        foreach (var pair in now)
        {
            if (!old.TryGetValue(pair.Key, out var previous))
            {
                lines.Add("+ " + pair.Key);
            }
            else if (previous.ToCompactJson() != pair.Value.ToCompactJson())
            {
                lines.Add("~ " + pair.Key);
            }
        }

        lines.AddRange(old.Keys.Where(k => !now.ContainsKey(k)).Select(k => "- " + k));
        if (lines.Count == 0 && before is not null && before.ToCompactJson() != after.ToCompactJson())
        {
            lines.Add("~ (elements outside the statements)");
        }

        return lines;
    }

    private static Dictionary<string, PolicyStatement> Keyed(PolicyDocument? document)
    {
        var result = new Dictionary<string, PolicyStatement>();
        if (document is null)
        {
            return result;
        }

        foreach (var statement in document.Statements)
        {
            var key = statement.Sid is { Length: > 0 } sid ? "Sid " + sid : "statement without Sid " + statement.ToCompactJson();
            var unique = key;
            for (var n = 2; result.ContainsKey(unique); n++)
            {
                unique = key + " #" + n.ToString(CultureInfo.InvariantCulture);
            }

            result[unique] = statement;
        }

        return result;
    }
}
