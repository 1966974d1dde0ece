using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Policy.Model;

namespace PtcTools.Completers;

/// <summary>Completes ECR action names from the action catalog, with their access level and description.</summary>
public sealed class ActionCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return EcrActions.All
            .Where(a => a.Name.StartsWith(word, StringComparison.OrdinalIgnoreCase) || a.Name.Substring(4).StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(a => new CompletionResult(a.Name, a.Name, CompletionResultType.ParameterValue, a.Description.Length == 0 ? a.Name : $"{a.AccessLevel}: {a.Description}"));
    }
}
