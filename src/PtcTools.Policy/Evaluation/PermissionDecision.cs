using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PtcTools.Policy.Evaluation;

/// <summary>The outcome of evaluating a request, named as AWS's own policy simulator names it.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PermissionDecision
{
    /// <summary>An applicable Allow and no explicit Deny.</summary>
    Allowed,

    /// <summary>An applicable Deny statement in some policy.</summary>
    ExplicitDeny,

    /// <summary>No explicit Deny, but the Allows that AWS requires are missing.</summary>
    ImplicitDeny,
}

/// <summary>The role a policy plays in an evaluation.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PolicyKind
{
    /// <summary>A resource-based policy (the registry policy).</summary>
    Resource,

    /// <summary>An identity-based policy attached to the principal.</summary>
    Identity,

    /// <summary>A permissions boundary of the principal.</summary>
    PermissionsBoundary,

    /// <summary>A service control policy of the principal's organization.</summary>
    ServiceControl,
}

/// <summary>How a resource-policy statement's principal matches the request's principal.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PrincipalMatch
{
    /// <summary>It does not.</summary>
    None,

    /// <summary>The account of the principal is named: authority is delegated to that account's IAM.</summary>
    Account,

    /// <summary>The role of an assumed-role session is named.</summary>
    SessionRole,

    /// <summary>The IAM user of a federated-user session is named.</summary>
    SessionUser,

    /// <summary>The principal itself, or everyone (<c>*</c>), is named.</summary>
    Direct,
}
