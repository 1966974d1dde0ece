using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Policy.Model;

namespace PtcTools.Completers;

/// <summary>Completes -Region with the Regions of the aws, aws-cn and aws-us-gov partitions.</summary>
public sealed class RegionCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        CompletionText.Complete(Partitions.KnownRegions, wordToComplete, r => $"{r} ({Partitions.FromRegion(r)})");
}
