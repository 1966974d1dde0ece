using System;
using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Generators;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>New-PtcServiceRole: the trust and permissions policies of the role ECR assumes for an ECR-to-ECR rule or for a repository creation template.</summary>
[Cmdlet(VerbsCommon.New, "PtcServiceRole")]
[OutputType(typeof(PtcServiceRole))]
public sealed class NewPtcServiceRoleCommand : PSCmdlet
{
    /// <summary>Which role: PullThroughCache (an ECR-to-ECR rule's custom role) or RepositoryCreationTemplate.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public ServiceRoleKind Kind { get; set; }

    /// <summary>The role's name, or its ARN (a rule's or template's CustomRoleArn binds here).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CustomRoleArn", "RoleArn")]
    public string? RoleName { get; set; }

    /// <summary>The 12-digit account of the cache registry and the role.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AccountId")]
    public string? RegistryId { get; set; }

    /// <summary>The Region of the cache registry; default: the session's Region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>ECR-to-ECR: the upstream registry (its host or URL, ACCOUNT.dkr.ecr.REGION...); in another account it gets an upstream statement.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? UpstreamRegistryUrl { get; set; }

    /// <summary>ECR-to-ECR: the rule's upstream repository prefix, which limits the upstream statement.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? UpstreamRepositoryPrefix { get; set; }

    /// <summary>Template role: the KMS key ARNs the templates name (the role gets KMS grants on them).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("KmsKeyArn")]
    public string[]? KmsKey { get; set; }

    /// <summary>The permissions policy's name; default: the role's name.</summary>
    [Parameter]
    public string? PolicyName { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string? upstreamAccount = null;
        string? upstreamRegion = null;
        if (Kind == ServiceRoleKind.PullThroughCache && !string.IsNullOrEmpty(UpstreamRegistryUrl) && !EcrRegistryHost.TryParse(UpstreamRegistryUrl, out upstreamAccount, out upstreamRegion))
        {
            WriteError(ErrorRecords.Create(ErrorIds.UpstreamRegistryUrlInvalid, ErrorCategory.InvalidArgument,
                $"'{UpstreamRegistryUrl}' is not an ECR private registry (ACCOUNT.dkr.ecr.REGION.amazonaws.com): only an ECR-to-ECR rule has a custom role.", UpstreamRegistryUrl));
            return;
        }

        var request = new ServiceRoleRequest
        {
            Kind = Kind,
            RoleName = RoleName,
            AccountId = RegistryId,
            Region = string.IsNullOrEmpty(Region) ? OfflineRegion.Resolve(SessionState) : Region,
            UpstreamRegistryId = upstreamAccount,
            UpstreamRegion = upstreamRegion,
            UpstreamRepositoryPrefix = Kind == ServiceRoleKind.PullThroughCache ? UpstreamRepositoryPrefix : null,
            KmsKeyArns = Kind == ServiceRoleKind.RepositoryCreationTemplate ? (KmsKey ?? Array.Empty<string>()).Where(k => !string.IsNullOrEmpty(k)).ToList() : new System.Collections.Generic.List<string>(),
            PolicyName = PolicyName,
        };
        try
        {
            var role = PermissionSetGenerator.ServiceRole(request);
            foreach (var caveat in role.Caveats)
            {
                WriteVerbose("Caveat: " + caveat);
            }

            WriteObject(new PtcServiceRole(role));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, ex.Target ?? (object?)RoleName ?? Kind));
        }
    }
}
