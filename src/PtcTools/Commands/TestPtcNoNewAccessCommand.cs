using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Test-PtcNoNewAccess: does a new registry policy allow any request that the existing one does not? Pass, or Fail with witnesses.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PtcNoNewAccess")]
[OutputType(typeof(PtcAccessCheckResult))]
[OutputType(typeof(bool))]
public sealed class TestPtcNoNewAccessCommand : AccessCheckCmdlet
{
    /// <summary>The policy as it is (before the change): a PtcRegistryPolicy, JSON text, a policy file object, or an object with PolicyText.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("ReferencePolicy")]
    [PolicyArgument]
    public PtcRegistryPolicy ExistingPolicy { get; set; } = null!;

    /// <summary>The policy as it would be (after the change); from the pipeline by value (a piped PtcRegistryPolicy keeps its registry, Region and scope) or by its PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText", "NewPolicy")]
    [PolicyArgument]
    public PtcRegistryPolicy Policy { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var target = Policy;
        try
        {
            var options = Options(Policy, ExistingPolicy);
            target = ExistingPolicy;
            var existing = ExistingPolicy.Document;
            target = Policy;
            var updated = Policy.Document;
            Emit(AccessAnalyzer.CheckNoNewAccess(existing, updated, options));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, target.ErrorTarget));
        }
    }
}
