using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Completers;

/// <summary>Completes -Sid with the Sids of the policy given in the same command (-Policy, -ReferencePolicy or -PolicyText).</summary>
public sealed class SidCompleter : IArgumentCompleter
{
    private static readonly string[] s_policyParameters = { "Policy", "PolicyText", "InputObject", "ReferencePolicy", "DifferencePolicy" };

    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (var name in s_policyParameters)
        {
            if (fakeBoundParameters is null || !fakeBoundParameters.Contains(name))
            {
                continue;
            }

            try
            {
                var document = PolicyInput.ToDocument(fakeBoundParameters[name]);
                var sids = document.Statements.Select(s => s.Sid).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!);
                return CompletionText.Complete(sids, wordToComplete);
            }
            catch (PolicyException)
            {
                // A half-typed or unreadable policy simply offers nothing.
            }
        }

        return Array.Empty<CompletionResult>();
    }
}
