using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Generators;

namespace PtcTools;

/// <summary>A generated service role: New-IAMRole binds RoleName, Path, Description and AssumeRolePolicyDocument; Write-IAMRolePolicy binds RoleName, PolicyName and PolicyDocument.</summary>
public sealed class PtcServiceRole
{
    /// <summary>Wraps a generated role.</summary>
    public PtcServiceRole(GeneratedRole role)
    {
        Generated = role;
        TrustPolicy = new PtcIamPolicy(role.Trust, role.RoleName);
        PermissionsPolicy = new PtcIamPolicy(role.Permissions, role.RoleName);
        UpstreamStatement = role.UpstreamStatement is { } upstream ? new PtcPolicyStatement(upstream) : null;
    }

    /// <summary>The domain object behind this one.</summary>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.Generated
    public GeneratedRole Generated { get; }

    /// <summary>Which role this is.</summary>
    public ServiceRoleKind Kind => Generated.Kind;

    /// <summary>The role's name (-RoleName).</summary>
    public string RoleName => Generated.RoleName;

    /// <summary>The role's IAM path (-Path).</summary>
    public string Path => Generated.Path;

    /// <summary>What the role is for (-Description).</summary>
    public string Description => Generated.Description;

    /// <summary>The trust policy as compact JSON (-AssumeRolePolicyDocument of New-IAMRole).</summary>
    public string AssumeRolePolicyDocument => Generated.Trust.Document.ToCompactJson();

    /// <summary>The permissions policy's name (-PolicyName of Write-IAMRolePolicy).</summary>
    public string PolicyName => Generated.Permissions.PolicyName;

    /// <summary>The permissions policy as compact JSON (-PolicyDocument of Write-IAMRolePolicy).</summary>
    public string PolicyDocument => Generated.Permissions.Document.ToCompactJson();

    /// <summary>The trust policy as a policy object (pipe it to Update-IAMAssumeRolePolicy); hidden beside AssumeRolePolicyDocument.</summary>
    [Hidden, JsonIgnore]
    public PtcIamPolicy TrustPolicy { get; }

    /// <summary>The permissions policy as a policy object; hidden beside PolicyDocument.</summary>
    [Hidden, JsonIgnore]
    public PtcIamPolicy PermissionsPolicy { get; }

    /// <summary>ECR-to-ECR across accounts: the statement the upstream account's registry policy needs (pipe it to Add-PtcRegistryStatement); else null.</summary>
    public PtcPolicyStatement? UpstreamStatement { get; }

    /// <summary>What the role's documents rely on that the AWS documentation does not state.</summary>
    public PtcValueList<string> Caveats => new(Generated.Caveats);

    /// <summary>The role name.</summary>
    public override string ToString() => RoleName;
}
