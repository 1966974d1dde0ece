using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Policy.Model;

namespace PtcTools.Completers;

/// <summary>Completes -Action with the ECR actions of the Service Authorization Reference.</summary>
public sealed class ActionCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = wordToComplete ?? string.Empty;
        // "Batch" completes as "ecr:Batch...": people type the name without the service prefix.
        var prefixed = word.Length > 0 && word.IndexOf(':') < 0 && !"ecr:".StartsWith(word, System.StringComparison.OrdinalIgnoreCase) ? "ecr:" + word : word;
        var actions = EcrActions.All.ToDictionary(a => a.Name, a => a);
        return CompletionText.Complete(actions.Keys, prefixed, name => $"{name} ({actions[name].AccessLevel}): {actions[name].Description}");
    }
}
