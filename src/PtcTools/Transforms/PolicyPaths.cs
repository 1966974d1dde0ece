using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PtcTools.Policy;

namespace PtcTools.Transforms;

/// <summary>What a cmdlet asks of the paths it resolves; the rules are the same for every cmdlet otherwise.</summary>
[Flags]
public enum PolicyPathRules
{
    /// <summary>Every path names existing policy files; wildcards may match several.</summary>
    None = 0,

    /// <summary>The path names exactly one file: several matches are PolicyPathAmbiguous.</summary>
    ExactlyOne = 1,

    /// <summary>A missing file (named without wildcards) is no policy yet, not an error: the cmdlet writes it or finds nothing to remove.</summary>
    MissingIsNoPolicy = 2,
}

/// <summary>The one resolver of policy file paths (-Path with wildcards, -LiteralPath, a file named by text or a FileInfo).</summary>
/// <remarks>
/// One failure, one error id: a missing file, a folder, a path of another provider or drive, and a wildcard that matches
/// no file are all PolicyFileNotFound (ObjectNotFound) with the path as given as the target; several files where one
/// belongs is PolicyPathAmbiguous (InvalidArgument). A folder that a wildcard happens to match is skipped: it is no policy file.
/// </remarks>
public static class PolicyPaths
{
    private static readonly char[] s_notInFileNames = { '\n', '{', '[', '"' };
    private static readonly char[] s_pathSeparators = { '/', '\\' };

    /// <summary>The full paths of the policy files <paramref name="path"/> names.</summary>
    /// <exception cref="PolicyException"><c>PolicyFileNotFound</c> or <c>PolicyPathAmbiguous</c>.</exception>
    public static IReadOnlyList<string> Resolve(SessionState session, string path, bool literal, PolicyPathRules rules)
    {
        List<string> files;
        var wildcard = !literal && WildcardPattern.ContainsWildcardCharacters(path);
        try
        {
            if (wildcard)
            {
                var resolved = session.Path.GetResolvedProviderPathFromPSPath(path, out var provider);
                files = provider.Name == "FileSystem" ? resolved.Where(p => !Directory.Exists(p)).ToList() : throw NotFileSystem(path);
                if (files.Count == 0)
                {
                    throw new PolicyException(ErrorIds.PolicyFileNotFound, PolicyErrorKind.ObjectNotFound, $"No file matches '{path}'.", path);
                }
            }
            else
            {
                var full = session.Path.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
                files = provider.Name == "FileSystem" ? new List<string> { full } : throw NotFileSystem(path);
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException or ArgumentException or NotSupportedException or PSInvalidOperationException)
        {
            throw new PolicyException(ErrorIds.PolicyFileNotFound, PolicyErrorKind.ObjectNotFound, $"Cannot find a policy file at '{path}'. Check the path; -LiteralPath takes it exactly as written.", path, ex);
        }

        if (files.Count > 1 && rules.HasFlag(PolicyPathRules.ExactlyOne))
        {
            throw new PolicyException(ErrorIds.PolicyPathAmbiguous, PolicyErrorKind.InvalidArgument, $"'{path}' matches {files.Count} files ({string.Join(", ", files.Take(3))}{(files.Count > 3 ? ", ..." : string.Empty)}); name one policy file.", path);
        }

        foreach (var file in files)
        {
            if (Directory.Exists(file))
            {
                throw new PolicyException(ErrorIds.PolicyFileNotFound, PolicyErrorKind.ObjectNotFound, $"'{file}' is a folder, not a policy file. Name the policy file in it, e.g. '{System.IO.Path.Combine(file, "registry-policy.json")}'.", path);
            }

            if (!wildcard && !rules.HasFlag(PolicyPathRules.MissingIsNoPolicy) && !File.Exists(file))
            {
                throw PolicyFile.NotFound(path);
            }
        }

        return files;
    }

    /// <summary>The one policy file a value names: a FileInfo, or text that is a file name rather than policy JSON; null for anything else.</summary>
    /// <remarks>
    /// Text names a file when it is one line that does not open JSON (<c>{</c>, <c>[</c>, URL-encoded <c>%7B</c>) and either
    /// names an existing file or reads as a file name (<see cref="LooksLikeFileName"/>): such text that names no file is
    /// PolicyFileNotFound, not policy text with a JSON error. Text is taken literally (no wildcards).
    /// </remarks>
    /// <exception cref="PolicyException"><c>PolicyFileNotFound</c> for a file name that names no file.</exception>
    public static string? FileNamedBy(object? value, SessionState session)
    {
        switch (PSValue.Unwrap(value))
        {
            case FileInfo file:
                return file.FullName;
            case string text when text.Trim() is { Length: > 0 } trimmed && trimmed[0] is not ('{' or '[') && !trimmed.StartsWith("%7B", StringComparison.OrdinalIgnoreCase) && trimmed.IndexOf('\n') < 0:
                if (LooksLikeFileName(trimmed))
                {
                    return Resolve(session, trimmed, literal: true, PolicyPathRules.ExactlyOne)[0];
                }

                try
                {
                    return Resolve(session, trimmed, literal: true, PolicyPathRules.ExactlyOne)[0];
                }
                catch (PolicyException)
                {
                    return null; // Neither a file nor a file name: policy text, whose JSON error says what is wrong.
                }

            default:
                return null;
        }
    }

    /// <summary>True for text that reads as a file name (a path or *.json), not as policy JSON.</summary>
    public static bool LooksLikeFileName(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length is > 0 and <= 1024
            && trimmed.IndexOfAny(s_notInFileNames) < 0
            && (trimmed.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || trimmed.IndexOfAny(s_pathSeparators) >= 0);
    }

    private static PSArgumentException NotFileSystem(string path) => new($"'{path}' is not a file system path.");
}
