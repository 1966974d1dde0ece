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

    /// <summary>The policy: JSON text, a PtcRegistryPolicy, a policy file object, an object with a PolicyText property, a hashtable or a ConvertFrom-Json object.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputObject")]
    [PolicyArgument]
    public PtcRegistryPolicy PolicyText { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var policy in PipelineArray.Policies(PolicyText))
        {
            if (!_lines.Take(policy.Given, MyInvocation.ExpectingInput))
            {
                Convert(policy);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        foreach (var text in _lines.Texts())
        {
            Convert(new PtcRegistryPolicy(text));
        }
    }

    private void Convert(PtcRegistryPolicy policy)
    {
        try
        {
            // A policy keeps where it came from (Region, file, text as read), as through every cmdlet: a later Set writes
            // back there. Other objects (an ECR answer, ConvertFrom-Json output) name no origin of a policy.
            WriteObject(policy.HasReadState ? PolicySource.From(policy) : new PtcRegistryPolicy(policy.Document));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, policy.ErrorTarget));
        }
    }
}
