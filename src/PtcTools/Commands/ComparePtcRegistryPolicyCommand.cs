using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Compare-PtcRegistryPolicy: statement-level differences between two policies, judged by meaning.</summary>
[Cmdlet(VerbsData.Compare, "PtcRegistryPolicy")]
[OutputType(typeof(PtcPolicyChange))]
public sealed class ComparePtcRegistryPolicyCommand : PSCmdlet
{
    private PolicyDocument? _reference;

    /// <summary>The policy to compare against (before).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public object ReferencePolicy { get; set; } = null!;

    /// <summary>The policy compared (after); from the pipeline by value or by its PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    public object DifferencePolicy { get; set; } = null!;

    /// <summary>Also emits the statements that are the same in both.</summary>
    [Parameter]
    public SwitchParameter IncludeEqual { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _reference = PolicyInput.ToDocument(ReferencePolicy);
        }
        catch (PolicyException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ReferencePolicy));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord() => PipelineArray.ForEach(DifferencePolicy, p => DifferencePolicy = p, ProcessPolicy);

    private void ProcessPolicy()
    {
        PolicyDocument difference;
        try
        {
            difference = PolicyInput.ToDocument(DifferencePolicy);
        }
        catch (PolicyException ex)
        {
            WriteError(ErrorRecords.From(ex, DifferencePolicy));
            return;
        }

        foreach (var change in PolicyDiffer.Compare(_reference!, difference))
        {
            if (IncludeEqual || change.Kind != PolicyChangeKind.Unchanged)
            {
                WriteObject(new PtcPolicyChange(change));
            }
        }
    }
}
