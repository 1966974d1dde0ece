using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Policy.Lint;

namespace PtcTools.Completers;

/// <summary>Completes lint rule ids (-ExcludeRule) from the rule catalog, with each rule's title as the tooltip.</summary>
public sealed class RuleIdCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var rules = LintRules.All.ToDictionary(r => r.Id, r => r);
        return CompletionText.Complete(rules.Keys, wordToComplete, id => $"{id} ({rules[id].Severity}): {rules[id].Title}");
    }
}
