using System.Collections.Generic;
using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>ConvertFrom-PtcRegistryPolicy: JSON text or a policy-shaped object to a PtcRegistryPolicy.</summary>
[Cmdlet(VerbsData.ConvertFrom, "PtcRegistryPolicy")]
[OutputType(typeof(PtcRegistryPolicy))]
public sealed class ConvertFromPtcRegistryPolicyCommand : PSCmdlet
{
    // Get-Content without -Raw pipes a file line by line; like ConvertFrom-Json, when the first piped
    // string is not a whole policy, the piped strings are taken as the lines of one.
    private List<string>? _lines;
    private bool _first = true;

    /// <summary>The policy: JSON text, an object with a PolicyText property, a hashtable or a ConvertFrom-Json object.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputObject")]
    public object PolicyText { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var text = (PolicyText is PSObject pso ? pso.BaseObject : PolicyText) as string;
        if (_lines is not null && text is not null)
        {
            _lines.Add(text);
            return;
        }

        var first = _first;
        _first = false;
        try
        {
            WriteObject(new PtcRegistryPolicy(PolicyInput.ToDocument(PolicyText)));
        }
        catch (PolicyJsonException) when (first && text is not null && MyInvocation.ExpectingInput)
        {
            _lines = new List<string> { text };
        }
        catch (PolicyException ex)
        {
            WriteError(ErrorRecords.From(ex, PolicyText));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (_lines is null)
        {
            return;
        }

        var text = string.Join("\n", _lines);
        try
        {
            WriteObject(new PtcRegistryPolicy(PolicyInput.ToDocument(text)));
            return;
        }
        catch (PolicyException ex) when (!_lines.Exists(IsPolicy))
        {
            WriteError(ErrorRecords.From(ex, text));
            return;
        }
        catch (PolicyException)
        {
            // Not the lines of one file after all, but separate texts of which some are policies: each on its own.
        }

        foreach (var line in _lines)
        {
            try
            {
                WriteObject(new PtcRegistryPolicy(PolicyInput.ToDocument(line)));
            }
            catch (PolicyException ex)
            {
                WriteError(ErrorRecords.From(ex, line));
            }
        }
    }

    private static bool IsPolicy(string text)
    {
        try
        {
            PolicyInput.ToDocument(text);
            return true;
        }
        catch (PolicyException)
        {
            return false;
        }
    }
}
