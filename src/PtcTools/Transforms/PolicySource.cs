using System;
using System.Collections.Generic;
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
    /// <exception cref="PolicyException">From <see cref="PolicyFile.Read"/>: a missing, unreadable or malformed file.</exception>
    public static PtcRegistryPolicy FromFile(string fullPath) => PolicyFile.Read(fullPath);

    /// <summary>A new empty policy.</summary>
    public static PtcRegistryPolicy New() => new(PolicyDocument.CreateEmpty()) { Exists = false };

    /// <summary>The edited document with the origin (registry, Region, file, text as read) of the policy it came from.</summary>
    public static PtcRegistryPolicy Derive(PtcRegistryPolicy origin, PolicyDocument document)
    {
        var result = new PtcRegistryPolicy(document);
        CopyOrigin(origin, result);
        return result;
    }

    /// <summary>Resolves -Path (wildcards) or -LiteralPath to one file-system path, or stops the cmdlet saying why not.</summary>
    /// <remarks>The error ids and wording match Test-PtcRegistryPolicy's: a folder or a path that is not a file is PolicyFileNotFound.</remarks>
    public static string ResolveFile(PSCmdlet cmdlet, string path, bool literal)
    {
        var matches = new List<string>();
        try
        {
            if (literal)
            {
                matches.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
            }
            else
            {
                var resolved = cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.Name != "FileSystem")
                {
                    throw new PSArgumentException($"'{path}' is not a file system path.");
                }

                matches.AddRange(resolved);
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException or NotSupportedException)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorIds.PolicyFileNotFound, ErrorCategory.ObjectNotFound, $"Cannot find a policy file at '{path}'. Check the path; -LiteralPath takes it exactly as written.", path, ex));
        }

        if (matches.Count > 1)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorIds.PolicyPathAmbiguous, ErrorCategory.InvalidArgument, $"'{path}' matches {matches.Count} files ({string.Join(", ", matches.Take(3))}{(matches.Count > 3 ? ", ..." : string.Empty)}); name one policy file.", path));
        }

        var file = matches.Count == 1 ? matches[0] : path;
        if (Directory.Exists(file))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.Create(ErrorIds.PolicyFileNotFound, ErrorCategory.ObjectNotFound, $"'{file}' is a folder, not a policy file. Name the policy file in it.", path));
        }

        if (!File.Exists(file))
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.From(PolicyFile.NotFound(path)));
        }

        return file;
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
