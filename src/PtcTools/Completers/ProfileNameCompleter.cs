using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using PtcTools.Aws.Auth;
using PtcTools.Policy;

namespace PtcTools.Completers;

/// <summary>Completes -ProfileName with the profiles of the shared config and credentials files (or of -ProfileLocation).</summary>
public sealed class ProfileNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        try
        {
            var environment = AwsEnvironment.Process;
            var location = fakeBoundParameters?["ProfileLocation"] is { } given ? Convert.ToString(given, CultureInfo.InvariantCulture) : null;
            var files = SharedConfigFile.Load(environment.ConfigFile, environment.ExpandHome(location) ?? environment.CredentialsFile);
            return CompletionText.Complete(files.ProfileNames, wordToComplete, name => $"{name} (profile of {files.ConfigPath} or {files.CredentialsPath})");
        }
        catch (Exception ex) when (ex is PtcToolsException or System.IO.IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A file that cannot be read offers nothing at the prompt; the command itself will say why.
            return Array.Empty<CompletionResult>();
        }
    }
}
