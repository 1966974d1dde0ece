using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>Loads the policy a cmdlet edits (from an object, a file or nothing) and carries its origin over to the result.</summary>
public static class PolicySource
{
    /// <summary>A policy from an object (PtcRegistryPolicy, PolicyText, JSON text, structure), keeping where it came from.</summary>
    /// <exception cref="PolicyException">From <see cref="PolicyInput.ToDocument"/>.</exception>
    public static PtcRegistryPolicy FromObject(object? value)
    {
        var document = PolicyInput.ToDocument(value);
        var result = new PtcRegistryPolicy(document);
        var baseObject = value is PSObject { BaseObject: not PSCustomObject } pso ? pso.BaseObject : value;
        if (baseObject is PtcRegistryPolicy live)
        {
            CopyOrigin(live, result);
        }
        else if (value is PSObject shaped)
        {
            // A deserialized PtcRegistryPolicy, or an AWS.Tools response such as Get-ECRRegistryPolicy's.
            result.RegistryId = shaped.Properties["RegistryId"]?.Value?.ToString();
            result.Region = shaped.Properties["Region"]?.Value?.ToString();
            result.Scope = shaped.Properties["Scope"]?.Value?.ToString();
            result.Path = shaped.Properties["Path"]?.Value?.ToString();
            result.SourceText = shaped.Properties["SourceText"]?.Value?.ToString();
            if (shaped.Properties["Exists"]?.Value is bool exists)
            {
                result.Exists = exists;
            }
        }

        return result;
    }

    /// <summary>A policy read from a file; the file is not locked or changed.</summary>
    /// <exception cref="PolicyException">From parsing; the cmdlet maps file problems itself.</exception>
    public static PtcRegistryPolicy FromFile(string fullPath)
    {
        var text = File.ReadAllText(fullPath);
        return new PtcRegistryPolicy(PolicyDocument.Parse(text, fullPath)) { Path = fullPath, SourceText = text };
    }

    /// <summary>A new empty policy.</summary>
    public static PtcRegistryPolicy New() => new(PolicyDocument.CreateEmpty()) { Exists = false };

    /// <summary>The edited document with the origin (registry, Region, file, text as read) of the policy it came from.</summary>
    public static PtcRegistryPolicy Derive(PtcRegistryPolicy origin, PolicyDocument document)
    {
        var result = new PtcRegistryPolicy(document);
        CopyOrigin(origin, result);
        return result;
    }

    /// <summary>Resolves -Path (wildcards) or -LiteralPath to one file-system path, or writes why not and returns null.</summary>
    public static string? ResolveFile(PSCmdlet cmdlet, string path, bool literal)
    {
        string resolved;
        if (literal)
        {
            resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        }
        else
        {
            System.Collections.ObjectModel.Collection<string> matches;
            try
            {
                matches = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.Name != "FileSystem")
                {
                    cmdlet.ThrowTerminatingError(ErrorRecords.Create("PolicyPathInvalid", ErrorCategory.InvalidArgument, $"'{path}' is not a file-system path; a policy file is a JSON file on disk.", path));
                }
            }
            catch (ItemNotFoundException)
            {
                matches = new System.Collections.ObjectModel.Collection<string>();
            }

            if (matches.Count > 1)
            {
                cmdlet.ThrowTerminatingError(ErrorRecords.Create("PolicyPathAmbiguous", ErrorCategory.InvalidArgument, $"'{path}' matches {matches.Count} files ({string.Join(", ", matches.Take(3))}...); name one policy file.", path));
            }

            resolved = matches.Count == 1 ? matches[0] : path;
        }

        if (Directory.Exists(resolved))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create("PolicyPathInvalid", ErrorCategory.InvalidArgument, $"'{path}' is a directory; give the path of a registry policy JSON file.", path));
        }

        if (!File.Exists(resolved))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create("PolicyFileNotFound", ErrorCategory.ObjectNotFound, $"The policy file '{path}' does not exist. Give the path of an existing registry policy JSON file.", path));
        }

        return resolved;
    }

    private static void CopyOrigin(PtcRegistryPolicy from, PtcRegistryPolicy to)
    {
        to.RegistryId = from.RegistryId;
        to.Region = from.Region;
        to.Scope = from.Scope;
        to.Exists = from.Exists;
        to.Path = from.Path;
        to.SourceText = from.SourceText;
    }
}
