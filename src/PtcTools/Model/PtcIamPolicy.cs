using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Generators;

namespace PtcTools;

/// <summary>A generated IAM policy, shaped so AWS.Tools' Write-IAMRolePolicy, Write-IAMUserPolicy, New-IAMPolicy and Update-IAMAssumeRolePolicy bind it by property name.</summary>
public sealed class PtcIamPolicy
{
    /// <summary>Wraps a generated policy, for the role or user it is meant for (when known).</summary>
    public PtcIamPolicy(GeneratedPolicy policy, string? roleName = null, string? userName = null)
    {
        Generated = policy;
        RoleName = roleName;
        UserName = userName;
        Statement = policy.Document.Statements.Select(s => new PtcPolicyStatement(s)).ToArray();
    }

    /// <summary>The domain object behind this one.</summary>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.Generated
    public GeneratedPolicy Generated { get; }

    /// <summary>Which document of the pull through cache permission set this is.</summary>
    public PermissionDocumentKind Kind => Generated.Kind;

    /// <summary>The name to put or create the policy under (-PolicyName).</summary>
    public string PolicyName => Generated.PolicyName;

    /// <summary>The role the policy is for (-RoleName), when it is for a role.</summary>
    public string? RoleName { get; }

    /// <summary>The IAM user the policy is for (-UserName), when it is for a user.</summary>
    public string? UserName { get; }

    /// <summary>The IAM path for New-IAMPolicy (-Path, which AWS.Tools also binds from the pipeline).</summary>
    public string Path => "/";

    /// <summary>What the policy is for (-Description).</summary>
    public string Description => Generated.Description;

    /// <summary>The compact JSON text (-PolicyDocument).</summary>
    public string PolicyDocument => Generated.Document.ToCompactJson();

    /// <summary>The lossless document, for the other PtcTools cmdlets.</summary>
    [Hidden, JsonIgnore]
    public Policy.Model.PolicyDocument Document => Generated.Document;

    /// <summary>The statements, in order (hidden beside PolicyDocument, which holds them once).</summary>
    [Hidden, JsonIgnore]
    public PtcPolicyStatement[] Statement { get; }

    /// <summary>What the policy relies on that the AWS documentation does not state.</summary>
    public PtcValueList<string> Caveats => new(Generated.Caveats);

    /// <summary>The compact JSON.</summary>
    public override string ToString() => PolicyDocument;
}
