using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Aws.Stores;

namespace PtcTools.Commands;

/// <summary>The access a write would newly grant, for -WhatIf and -Confirm, from the no-new-access check (as Test-PtcNoNewAccess shows it).</summary>
internal static class AccessDiff
{
    /// <summary>The most classes listed; the rest are counted.</summary>
    public const int MaxLines = 10;

    /// <summary>Lines such as "Access the write would newly grant: none."; never throws.</summary>
    public static List<string> Describe(WritePlan plan)
    {
        var lines = new List<string>();
        AccessCheckResult result;
        try
        {
            result = plan.AccessChange;
        }
        catch (PtcToolsException ex)
        {
            lines.Add($"Access the write would newly grant: not analysed ({ex.ErrorId}: {ex.Message})");
            return lines;
        }

        switch (result.Result)
        {
            case AccessCheckStatus.Pass:
                lines.Add("Access the write would newly grant: none.");
                break;
            case AccessCheckStatus.Unknown:
                lines.Add("Access the write would newly grant: none found, but not decided exactly: " + string.Join(" ", result.Reasons.Select(r => r.Description)));
                break;
            default:
                lines.Add($"Access the write would newly grant ({result.Witnesses.Count} {(result.Witnesses.Count == 1 ? "class" : "classes")}):");
                lines.AddRange(result.Witnesses.Take(MaxLines).Select(w => "  + " + w.Description));
                if (result.Witnesses.Count > MaxLines)
                {
                    lines.Add($"  ... and {result.Witnesses.Count - MaxLines} more (Test-PtcNoNewAccess lists them all).");
                }

                break;
        }

        return lines;
    }
}
