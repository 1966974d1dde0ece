using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools.Completers;

/// <summary>Completes -Sid with the Sids of the policy given in the same command (-Policy, -ReferencePolicy, -PolicyText, or the file of -Path or -LiteralPath).</summary>
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
            catch (PtcToolsException)
            {
                // A half-typed or unreadable policy simply offers nothing.
            }
        }

        return FromFile(fakeBoundParameters, wordToComplete);
    }

    // -Path or -LiteralPath: the Sids of the one policy file named, read as the command would read it.
    private static IEnumerable<CompletionResult> FromFile(IDictionary? fakeBoundParameters, string wordToComplete)
    {
        var literal = fakeBoundParameters?.Contains("LiteralPath") == true;
        if (!literal && fakeBoundParameters?.Contains("Path") != true)
        {
            return Array.Empty<CompletionResult>();
        }

        try
        {
            // Resolved in the user's runspace, so a relative path means what it means at the prompt.
            var given = Convert.ToString(fakeBoundParameters![literal ? "LiteralPath" : "Path"], CultureInfo.InvariantCulture) ?? string.Empty;
            using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
            shell.AddCommand("Microsoft.PowerShell.Management\\Resolve-Path").AddParameter(literal ? "LiteralPath" : "Path", given).AddParameter("ErrorAction", ActionPreference.Ignore);
            var files = shell.Invoke<PathInfo>().Where(p => p.Provider.Name == "FileSystem").Select(p => p.ProviderPath).ToList();

            // A completion must stay quick: one policy-sized file or nothing.
            if (files.Count != 1 || !File.Exists(files[0]) || new FileInfo(files[0]).Length > MaxFileLength)
            {
                return Array.Empty<CompletionResult>();
            }

            var document = PolicyFile.Read(files[0]).Document;
            return CompletionText.Complete(document.Statements.Select(s => s.Sid).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!), wordToComplete);
        }
        catch (Exception ex) when (ex is PtcToolsException or IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSInvalidOperationException)
        {
            // A half-typed path or an unreadable file simply offers nothing.
            return Array.Empty<CompletionResult>();
        }
    }

    private const long MaxFileLength = 1024 * 1024;
}
