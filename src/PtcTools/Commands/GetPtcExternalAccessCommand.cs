using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Get-PtcExternalAccess: every grant of the registry policy to principals outside the trust zone, classified as Access Analyzer does.</summary>
[Cmdlet(VerbsCommon.Get, "PtcExternalAccess")]
[OutputType(typeof(PtcAccessCheckResult))]
[OutputType(typeof(bool))]
public sealed class GetPtcExternalAccessCommand : AccessCheckCmdlet
{
    /// <summary>The registry policy: a PtcRegistryPolicy (piped, it keeps its registry, Region and scope), JSON text, a policy file object, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    [PolicyArgument]
    public PtcRegistryPolicy Policy { get; set; } = null!;

    /// <summary>Accounts inside the trust zone besides the registry's own.</summary>
    [Parameter]
    public string[]? TrustedAccount { get; set; }

    /// <summary>Organizations (o-...) inside the trust zone.</summary>
    [Parameter]
    public string[]? OrganizationId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            var options = Options(Policy);
            foreach (var a in TrustedAccount ?? System.Array.Empty<string>()) { options.TrustedAccounts.Add(a); }
            foreach (var o in OrganizationId ?? System.Array.Empty<string>()) { options.OrganizationIds.Add(o); }
            Emit(AccessAnalyzer.FindExternalAccess(Policy.Document, options));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, Policy.ErrorTarget));
        }
    }
}
