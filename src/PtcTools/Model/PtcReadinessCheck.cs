using System;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Readiness;

namespace PtcTools;

/// <summary>One item of a pull through cache readiness checklist, with the documents to add when it fails.</summary>
public sealed class PtcReadinessCheck
{
    /// <summary>Wraps a domain check; its fixes become the objects the other cmdlets and AWS.Tools take.</summary>
    public PtcReadinessCheck(ReadinessCheck check)
    {
        Result = check;
        Fix = new PtcValueList<object>(check.Fix.Select(ToObject));
    }

    /// <summary>The domain object behind this one.</summary>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.Result
    public ReadinessCheck Result { get; }

    /// <summary>The rule's prefix (ecrRepositoryPrefix, or ROOT).</summary>
    public string EcrRepositoryPrefix => Result.Rule.Prefix;

    /// <summary>The rule's registry (account).</summary>
    public string RegistryId => Result.Rule.RegistryId;

    /// <summary>The rule's Region.</summary>
    public string Region => Result.Rule.Region;

    /// <summary>The rule as the checklist groups it: <c>docker-hub (111122223333, us-east-1)</c>.</summary>
    public string Rule => Result.Rule.ToString();

    /// <summary>What is checked.</summary>
    public ReadinessCheckKind Check => Result.Kind;

    /// <summary>Pass, Fail or Unknown (a document not given or not readable).</summary>
    public ReadinessStatus Status => Result.Status;

    /// <summary>Who needs it.</summary>
    public string Actor => Result.Actor;

    /// <summary>Which document decides it.</summary>
    public string Document => Result.Document;

    /// <summary>Why, in a few words (the checklist's line).</summary>
    public string Summary => Result.Summary;

    /// <summary>Why, in full, and what to run about it.</summary>
    public string Reason => ErrorRecords.RecommendedAction(Result.Remedy) is { } action ? Result.Reason + " " + action : Result.Reason;

    /// <summary>What to add: PtcPolicyStatement (pipe to Add-PtcRegistryStatement), PtcIamPolicy (Write-IAMRolePolicy, Update-IAMAssumeRolePolicy) or PtcServiceRole (New-IAMRole).</summary>
    /// <remarks>Hidden from JSON and CSV (its objects nest deeper than ConvertTo-Json's default depth); FixText holds the same documents as text.</remarks>
    [Hidden, JsonIgnore]
    public PtcValueList<object> Fix { get; }

    /// <summary>Each Fix object's document as compact JSON: the statement, the policy, or a role's trust and permissions policies.</summary>
    public PtcValueList<string> FixText => new(Fix.Select(f => f switch
    {
        PtcServiceRole role => $"role {role.RoleName}: trust {role.AssumeRolePolicyDocument} permissions {role.PolicyDocument}",
        PtcIamPolicy policy => policy.PolicyDocument,
        _ => f.ToString() ?? string.Empty,
    }));

    /// <summary>What to do with each Fix object, in the same order.</summary>
    public PtcValueList<string> FixAction => new(Result.Fix.Select(Action));

    /// <summary>The puller, for FirstPull and LaterPulls.</summary>
    public string? Principal => Result.Principal;

    /// <summary>For an Unknown caused by a read that failed, that read's error id (EcrAccessDenied, IamThrottled, ...).</summary>
    public string? ErrorId => Result.ErrorId;

    /// <summary>For example <c>Fail FirstPull: ...</c>.</summary>
    public override string ToString() => $"{Status} {Check}: {Reason}";

    // Where a fix's first clause ends; a sentence without them ends at its period.
    private static readonly string[] s_clauseEnds = { "; ", ": ", ", then " };

    /// <summary>A fix's sentence with the cmdlets that do it after its first clause: "Put this permissions policy on the role x (Write-IAMRolePolicy)."</summary>
    internal static string Action(ReadinessFix fix)
    {
        var how = fix.Target switch
        {
            FixTarget.RegistryPolicy or FixTarget.UpstreamRegistryPolicy => "Add-PtcRegistryStatement, Set-PtcRegistryPolicy",
            FixTarget.IdentityPolicy when fix.UserName is not null => "Write-IAMUserPolicy",
            FixTarget.IdentityPolicy or FixTarget.RolePolicy => "Write-IAMRolePolicy",
            FixTarget.TrustPolicy => "Update-IAMAssumeRolePolicy",
            _ => "New-IAMRole, then Write-IAMRolePolicy",
        };
        var text = fix.Description;
        var end = s_clauseEnds.Select(mark => text.IndexOf(mark, StringComparison.Ordinal)).Where(i => i > 0).DefaultIfEmpty(text.EndsWith(".", StringComparison.Ordinal) ? text.Length - 1 : text.Length).Min();
        return text.Substring(0, end) + " (" + how + ")" + text.Substring(end);
    }

    private static object ToObject(ReadinessFix fix) => fix.Target switch
    {
        FixTarget.RegistryPolicy or FixTarget.UpstreamRegistryPolicy => new PtcPolicyStatement(fix.Statement!),
        FixTarget.Role => new PtcServiceRole(fix.Role!),
        _ => new PtcIamPolicy(fix.Policy!, fix.RoleName, fix.UserName),
    };
}
