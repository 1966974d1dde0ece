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
    protected override void ProcessRecord()
    {
        // A JSON array from Windows PowerShell 5.1's ConvertFrom-Json arrives as one object: take its policies one by one.
        var given = DifferencePolicy;
        foreach (var item in PipelineArray.Items(given))
        {
            DifferencePolicy = item;
            ProcessPolicy();
        }

        DifferencePolicy = given;
    }

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
