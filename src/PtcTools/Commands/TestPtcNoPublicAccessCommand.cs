using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;

namespace PtcTools.Commands;

/// <summary>Test-PtcNoPublicAccess: Access Analyzer's CheckNoPublicAccess for the registry policy, which AWS does not offer. Pass, or Fail with witnesses.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PtcNoPublicAccess")]
[OutputType(typeof(PtcAccessCheckResult))]
[OutputType(typeof(bool))]
public sealed class TestPtcNoPublicAccessCommand : AccessCheckCmdlet
{
    /// <summary>The registry policy; from the pipeline by value or by its PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    public object Policy { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            Emit(AccessAnalyzer.CheckNoPublicAccess(Read(Policy), Options(Policy)));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, Policy));
        }
    }
}
