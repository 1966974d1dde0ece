using System;
using System.Collections.Generic;
using PtcTools.Policy.Evaluation;

namespace PtcTools.Policy.Analysis;

/// <summary>The checks the analysis runs, named after IAM Access Analyzer's.</summary>
public enum AccessCheckKind
{
    /// <summary>Who outside the trust zone can use the registry.</summary>
    ExternalAccess,

    /// <summary>Does a new policy allow any request the existing one does not (CheckNoNewAccess).</summary>
    NoNewAccess,

    /// <summary>Does a policy grant any of the given access (CheckAccessNotGranted).</summary>
    AccessNotGranted,

    /// <summary>Does a policy grant access to everyone (CheckNoPublicAccess).</summary>
    NoPublicAccess,
}

/// <summary>The answer of a check.</summary>
public enum AccessCheckStatus
{
    /// <summary>Proven: no request of the registry's request space has the access the check looks for.</summary>
    Pass,

    /// <summary>At least one request has it; the witnesses are such requests, confirmed by the engine.</summary>
    Fail,

    /// <summary>No witness was found, but part of the space could not be partitioned exactly (see Reasons).</summary>
    Unknown,
}

/// <summary>Who a grant reaches, as Access Analyzer classifies external access.</summary>
public enum AccessClassification
{
    /// <summary>Principals of any account the policy does not name (or names only by a wildcard), in no named organization.</summary>
    Public,

    /// <summary>Principals of an account outside the trust zone reached through a named organization (aws:PrincipalOrgID, aws:PrincipalOrgPaths).</summary>
    OtherOrganization,

    /// <summary>Principals of a named account outside the trust zone.</summary>
    OtherAccount,

    /// <summary>An AWS service principal.</summary>
    Service,

    /// <summary>A principal inside the trust zone (the registry's account, a trusted account or organization).</summary>
    Trusted,
}

/// <summary>How much the registry policy gives a request.</summary>
public enum GrantKind
{
    /// <summary>The registry policy alone allows the request (a grant naming the principal in the registry's account, or a service).</summary>
    Granted,

    /// <summary>The request is allowed when the principal's identity-based policy allows it: across accounts the registry policy's part of the grant, within the account a grant to the account or the absence of a Deny.</summary>
    IfIdentityAllows,
}

/// <summary>A statement that a result rests on, as Access Analyzer gives its reasons.</summary>
public sealed class AccessReason
{
    internal AccessReason(string policy, int statementIndex, string? statementId, string description)
    {
        Policy = policy;
        StatementIndex = statementIndex;
        StatementId = statementId;
        Description = description;
    }

    /// <summary>Which policy: "policy", "new policy" or "existing policy".</summary>
    public string Policy { get; }

    /// <summary>The statement's 0-based index (-1 when the reason is not about one statement).</summary>
    public int StatementIndex { get; }

    /// <summary>The statement's Sid, when it has one.</summary>
    public string? StatementId { get; }

    /// <summary>What the statement does for the result.</summary>
    public string Description { get; }

    /// <summary>The description.</summary>
    public override string ToString() => Description;
}

/// <summary>A request that has the access a check looks for, with what it stands for.</summary>
public sealed class AccessWitness
{
    internal AccessWitness(AccessRequest request, IReadOnlyList<KeyValuePair<string, ContextValue>> context, string? identityPolicy, AccessClassification access, GrantKind grant, IReadOnlyList<string> actions, IReadOnlyList<string> resources, IReadOnlyList<string> conditions, IReadOnlyList<string> statements, PermissionDecision decision, PermissionDecision? existingDecision, string description)
    {
        Principal = request.Principal;
        Action = request.Action;
        Resource = request.Resource;
        Context = context;
        IdentityPolicy = identityPolicy;
        Access = access;
        Grant = grant;
        Actions = actions;
        Resources = resources;
        Conditions = conditions;
        Statements = statements;
        Decision = decision;
        ExistingDecision = existingDecision;
        Description = description;
    }

    /// <summary>The principal of the request.</summary>
    public string Principal { get; }

    /// <summary>The action of the request.</summary>
    public string Action { get; }

    /// <summary>The repository ARN of the request, or <c>*</c>.</summary>
    public string Resource { get; }

    /// <summary>The request context the witness needs (the keys the engine derives from the principal are not repeated).</summary>
    public IReadOnlyList<KeyValuePair<string, ContextValue>> Context { get; }

    /// <summary>The identity-based policy the principal must have for the request to be allowed; null when the registry policy alone allows it.</summary>
    public string? IdentityPolicy { get; }

    /// <summary>Who the access reaches.</summary>
    public AccessClassification Access { get; }

    /// <summary>Whether the registry policy alone allows it or the principal's identity policy must too.</summary>
    public GrantKind Grant { get; }

    /// <summary>Every action with the same access for this principal class.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>A repository (or <c>*</c>) per resource class with that access.</summary>
    public IReadOnlyList<string> Resources { get; }

    /// <summary>The conditions of the statements that grant it, as written.</summary>
    public IReadOnlyList<string> Conditions { get; }

    /// <summary>The statements that grant it (and, for a new access, the existing policy's statements that denied it).</summary>
    public IReadOnlyList<string> Statements { get; }

    /// <summary>The engine's decision for the witness under the policy that has the access.</summary>
    public PermissionDecision Decision { get; }

    /// <summary>For no-new-access: the engine's decision for the witness under the existing policy.</summary>
    public PermissionDecision? ExistingDecision { get; }

    /// <summary>A sentence saying what the witness shows.</summary>
    public string Description { get; }

    /// <summary>The description.</summary>
    public override string ToString() => Description;
}

/// <summary>What a check found: Pass, Fail or Unknown, the statements behind it, and witnesses for a Fail.</summary>
public sealed class AccessCheckResult
{
    internal AccessCheckResult(AccessCheckKind check, AccessCheckStatus result, string message, IReadOnlyList<AccessReason> reasons, IReadOnlyList<AccessWitness> witnesses, int classes, string registryId, string region, TimeSpan elapsed)
    {
        Check = check;
        Result = result;
        Message = message;
        Reasons = reasons;
        Witnesses = witnesses;
        Classes = classes;
        RegistryId = registryId;
        Region = region;
        Elapsed = elapsed;
    }

    /// <summary>The check.</summary>
    public AccessCheckKind Check { get; }

    /// <summary>Pass, Fail or Unknown.</summary>
    public AccessCheckStatus Result { get; }

    /// <summary>One sentence, as Access Analyzer's message.</summary>
    public string Message { get; }

    /// <summary>The statements the result rests on; for Unknown, what could not be partitioned exactly.</summary>
    public IReadOnlyList<AccessReason> Reasons { get; }

    /// <summary>For Fail: requests that have the access, each confirmed by the engine.</summary>
    public IReadOnlyList<AccessWitness> Witnesses { get; }

    /// <summary>How many request classes were decided.</summary>
    public int Classes { get; }

    /// <summary>The account of the registry analysed.</summary>
    public string RegistryId { get; }

    /// <summary>The Region of the registry analysed.</summary>
    public string Region { get; }

    /// <summary>How long the analysis took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The message.</summary>
    public override string ToString() => $"{Result}: {Message}";
}
