using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Evaluation;

namespace PtcTools;

/// <summary>What an access check found: Pass, Fail or Unknown, the statements behind it, and the requests that show a Fail.</summary>
public sealed class PtcAccessCheckResult
{
    /// <summary>Wraps a domain result.</summary>
    public PtcAccessCheckResult(AccessCheckResult result)
    {
        Check = result.Check;
        Result = result.Result;
        Message = result.Message;
        Reasons = result.Reasons.ToArray();
        Witnesses = result.Witnesses.Select(w => new PtcAccessWitness(w)).ToArray();
        Classes = result.Classes;
        RegistryId = result.RegistryId;
        Region = result.Region;
        Elapsed = result.Elapsed;
    }

    /// <summary>ExternalAccess, NoNewAccess, AccessNotGranted or NoPublicAccess.</summary>
    public AccessCheckKind Check { get; }

    /// <summary>Pass (proven over every request of the registry), Fail (see Witnesses) or Unknown (see Reasons).</summary>
    public AccessCheckStatus Result { get; }

    /// <summary>True when the result is Pass.</summary>
    public bool Passed => Result == AccessCheckStatus.Pass;

    /// <summary>One sentence, as Access Analyzer's message.</summary>
    public string Message { get; }

    /// <summary>The statements the result rests on (policy, 0-based index, Sid, description); for Unknown, what could not be decided exactly.</summary>
    public AccessReason[] Reasons { get; }

    /// <summary>For Fail: requests with the access, each one Test-PtcPermission allows (pipe them to it with the policy).</summary>
    public PtcAccessWitness[] Witnesses { get; }

    /// <summary>How many request classes were decided.</summary>
    public int Classes { get; }

    /// <summary>The account of the registry analysed.</summary>
    public string RegistryId { get; }

    /// <summary>The Region of the registry analysed.</summary>
    public string Region { get; }

    /// <summary>How long the analysis took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>For example <c>Fail: The new policy grants access that the existing policy does not ...</c>.</summary>
    public override string ToString() => $"{Result}: {Message}";
}

/// <summary>A request that has the access a check looks for; its properties bind to Test-PtcPermission by name.</summary>
public sealed class PtcAccessWitness
{
    /// <summary>Wraps a domain witness.</summary>
    public PtcAccessWitness(AccessWitness witness)
    {
        Principal = witness.Principal;
        Action = witness.Action;
        Resource = witness.Resource;
        Context = ToHashtable(witness.Context);
        IdentityPolicy = witness.IdentityPolicy;
        Access = witness.Access;
        Grant = witness.Grant;
        Actions = witness.Actions.ToArray();
        Resources = witness.Resources.ToArray();
        Conditions = witness.Conditions.ToArray();
        Statements = witness.Statements.ToArray();
        Decision = witness.Decision;
        ExistingDecision = witness.ExistingDecision;
        Description = witness.Description;
    }

    /// <summary>The principal of the request.</summary>
    public string Principal { get; }

    /// <summary>The action of the request.</summary>
    public string Action { get; }

    /// <summary>The repository ARN, or <c>*</c>.</summary>
    public string Resource { get; }

    /// <summary>The request context the witness needs (keys derived from the principal are not repeated).</summary>
    public Hashtable Context { get; }

    /// <summary>The identity-based policy the principal needs for the request to be allowed, or null when the registry policy alone allows it.</summary>
    public string? IdentityPolicy { get; }

    /// <summary>Public, OtherOrganization, OtherAccount, Service or Trusted.</summary>
    public AccessClassification Access { get; }

    /// <summary>Granted (the registry policy alone allows it) or IfIdentityAllows (the principal's identity policy must allow it too).</summary>
    public GrantKind Grant { get; }

    /// <summary>Every action with the same access for this principal.</summary>
    public string[] Actions { get; }

    /// <summary>One repository (or <c>*</c>) per class of repositories with that access.</summary>
    public string[] Resources { get; }

    /// <summary>The conditions of the statements that grant it.</summary>
    public string[] Conditions { get; }

    /// <summary>The statements that grant it (for new access, also the existing policy's statements that denied it).</summary>
    public string[] Statements { get; }

    /// <summary>The engine's decision for this request under the policy that has the access.</summary>
    public PermissionDecision Decision { get; }

    /// <summary>For no-new-access: the engine's decision under the existing policy.</summary>
    public PermissionDecision? ExistingDecision { get; }

    /// <summary>A sentence saying what the witness shows.</summary>
    public string Description { get; }

    /// <summary>The description.</summary>
    public override string ToString() => Description;

    internal static Hashtable ToHashtable(IEnumerable<KeyValuePair<string, ContextValue>> context)
    {
        var table = new Hashtable(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in context)
        {
            table[pair.Key] = pair.Value.IsMultivalued ? pair.Value.Values!.Cast<object>().ToArray() : pair.Value.Single;
        }

        return table;
    }
}
