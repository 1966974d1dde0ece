using System.Collections.Generic;

namespace PtcTools.Aws.Iam;

/// <summary>A role as GetRole returns it.</summary>
public sealed class IamRole
{
    /// <summary>Creates the role.</summary>
    public IamRole(string arn, string roleName, string path, string? assumeRolePolicyDocument, string? permissionsBoundaryArn)
    {
        Arn = arn;
        RoleName = roleName;
        Path = path;
        AssumeRolePolicyDocument = assumeRolePolicyDocument;
        PermissionsBoundaryArn = permissionsBoundaryArn;
    }

    /// <summary>The role's ARN.</summary>
    public string Arn { get; }

    /// <summary>The role's name.</summary>
    public string RoleName { get; }

    /// <summary>The role's path.</summary>
    public string Path { get; }

    /// <summary>The trust policy, decoded JSON text.</summary>
    public string? AssumeRolePolicyDocument { get; }

    /// <summary>The permissions boundary's managed policy ARN, or null.</summary>
    public string? PermissionsBoundaryArn { get; }
}

/// <summary>A user as GetUser returns it.</summary>
public sealed class IamUser
{
    /// <summary>Creates the user.</summary>
    public IamUser(string arn, string userName, string path, string? permissionsBoundaryArn)
    {
        Arn = arn;
        UserName = userName;
        Path = path;
        PermissionsBoundaryArn = permissionsBoundaryArn;
    }

    /// <summary>The user's ARN.</summary>
    public string Arn { get; }

    /// <summary>The user's name.</summary>
    public string UserName { get; }

    /// <summary>The user's path.</summary>
    public string Path { get; }

    /// <summary>The permissions boundary's managed policy ARN, or null.</summary>
    public string? PermissionsBoundaryArn { get; }
}

/// <summary>A managed policy attached to a role, user or group.</summary>
public sealed class IamAttachedPolicy
{
    /// <summary>Creates the entry.</summary>
    public IamAttachedPolicy(string policyName, string policyArn)
    {
        PolicyName = policyName;
        PolicyArn = policyArn;
    }

    /// <summary>The policy's name.</summary>
    public string PolicyName { get; }

    /// <summary>The policy's ARN.</summary>
    public string PolicyArn { get; }
}

/// <summary>A group's policies as GetAccountAuthorizationDetails returns them.</summary>
public sealed class IamGroupDetail
{
    /// <summary>Creates the entry.</summary>
    public IamGroupDetail(string groupName, string arn, IReadOnlyList<KeyValuePair<string, string>> inlinePolicies, IReadOnlyList<IamAttachedPolicy> attachedPolicies)
    {
        GroupName = groupName;
        Arn = arn;
        InlinePolicies = inlinePolicies;
        AttachedPolicies = attachedPolicies;
    }

    /// <summary>The group's name.</summary>
    public string GroupName { get; }

    /// <summary>The group's ARN.</summary>
    public string Arn { get; }

    /// <summary>The inline policies: name and decoded document.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> InlinePolicies { get; }

    /// <summary>The attached managed policies.</summary>
    public IReadOnlyList<IamAttachedPolicy> AttachedPolicies { get; }
}

/// <summary>One policy document of an identity, with where it comes from.</summary>
public sealed class IamPolicyText
{
    /// <summary>Creates the entry.</summary>
    public IamPolicyText(string name, string source, string text)
    {
        Name = name;
        Source = source;
        Text = text;
    }

    /// <summary>The policy's name.</summary>
    public string Name { get; }

    /// <summary>Where it comes from: "inline policy", "managed policy ARN", "group NAME".</summary>
    public string Source { get; }

    /// <summary>The JSON text.</summary>
    public string Text { get; }
}

/// <summary>What IAM says about a role or user: every policy that applies to it and its boundary.</summary>
public sealed class IamIdentity
{
    /// <summary>Creates the identity.</summary>
    public IamIdentity(string arn, bool isRole, string name, string? trustPolicy, IReadOnlyList<IamPolicyText> policies, IamPolicyText? permissionsBoundary)
    {
        Arn = arn;
        IsRole = isRole;
        Name = name;
        TrustPolicy = trustPolicy;
        Policies = policies;
        PermissionsBoundary = permissionsBoundary;
    }

    /// <summary>The role's or user's ARN as IAM has it.</summary>
    public string Arn { get; }

    /// <summary>True for a role, false for a user.</summary>
    public bool IsRole { get; }

    /// <summary>The role's or user's name.</summary>
    public string Name { get; }

    /// <summary>A role's trust policy (JSON text); null for a user.</summary>
    public string? TrustPolicy { get; }

    /// <summary>The identity-based policies: inline, attached, and (for a user) its groups'.</summary>
    public IReadOnlyList<IamPolicyText> Policies { get; }

    /// <summary>The permissions boundary, or null.</summary>
    public IamPolicyText? PermissionsBoundary { get; }
}
