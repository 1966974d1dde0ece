using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Test-PtcNoPublicAccess: Access Analyzer's CheckNoPublicAccess for the registry policy, which AWS does not offer. Pass, or Fail with witnesses.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PtcNoPublicAccess")]
[OutputType(typeof(PtcAccessCheckResult))]
[OutputType(typeof(bool))]
public sealed class TestPtcNoPublicAccessCommand : AccessCheckCmdlet
{
    /// <summary>The registry policy: a PtcRegistryPolicy (piped, it keeps its registry, Region and scope), JSON text, a policy file object, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    [PolicyArgument]
    public PtcRegistryPolicy Policy { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            Emit(AccessAnalyzer.CheckNoPublicAccess(Policy.Document, Options(Policy)));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, Policy.ErrorTarget));
        }
    }
}
