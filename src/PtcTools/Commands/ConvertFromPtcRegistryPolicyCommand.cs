using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>ConvertFrom-PtcRegistryPolicy: JSON text or a policy-shaped object to a PtcRegistryPolicy.</summary>
[Cmdlet(VerbsData.ConvertFrom, "PtcRegistryPolicy")]
[OutputType(typeof(PtcRegistryPolicy))]
public sealed class ConvertFromPtcRegistryPolicyCommand : PSCmdlet
{
    private readonly PipedPolicyLines _lines = new();

    /// <summary>The policy: JSON text, an object with a PolicyText property, a hashtable or a ConvertFrom-Json object.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputObject")]
    public object PolicyText { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord() => PipelineArray.ForEach(PolicyText, p => PolicyText = p, ProcessPolicy);

    private void ProcessPolicy()
    {
        if (!_lines.Take(PolicyText, MyInvocation.ExpectingInput))
        {
            Convert(PolicyText);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        foreach (var text in _lines.Texts())
        {
            Convert(text);
        }
    }

    private static bool IsPolicy(object value) =>
        PSValue.Unwrap(value) is PtcRegistryPolicy ||
        PtcRegistryPolicy.IsDeserialized(value);

    private void Convert(object value)
    {
        try
        {
            // A policy keeps where it came from (Region, file, text as read), as through every cmdlet: a later Set writes
            // back there. Other objects (an ECR answer, ConvertFrom-Json output) name no origin of a policy.
            WriteObject(IsPolicy(value) ? PolicySource.FromObject(value) : new PtcRegistryPolicy(PolicyInput.ToDocument(value)));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, value));
        }
    }
}
