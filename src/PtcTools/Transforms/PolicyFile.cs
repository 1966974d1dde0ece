using System.IO;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>The one reader of a policy file that is read (not a target to create): every cmdlet that reads a file goes through it.</summary>
/// <remarks>
/// A file that is not there is an error (PolicyFileNotFound), never an empty policy: a typo in a path must not
/// read as "no statements". The file may hold a policy or what <c>aws ecr get-registry-policy</c> prints
/// (<see cref="PolicyReader"/>), and a JSON error names the file.
/// </remarks>
public static class PolicyFile
{
    /// <summary>Reads and parses a policy file, keeping where it came from and the text as read.</summary>
    /// <exception cref="PolicyException"><c>PolicyFileNotFound</c>, <c>PolicyFileUnreadable</c>, <c>PolicyJsonInvalid</c> (naming the file).</exception>
    public static PtcRegistryPolicy Read(string fullPath)
    {
        var text = ReadText(fullPath);
        return new PtcRegistryPolicy(Parse(text, fullPath)) { Path = fullPath, SourceText = text };
    }

    /// <summary>The text of a policy file, exactly as stored (a UTF-8 byte order mark is dropped).</summary>
    /// <exception cref="PolicyException"><c>PolicyFileNotFound</c> when the file is missing or is a folder, <c>PolicyFileUnreadable</c> when it cannot be read, <c>PolicyFileEncodingInvalid</c> or <c>PolicyFileTooLarge</c>.</exception>
    public static string ReadText(string fullPath)
    {
        if (Directory.Exists(fullPath))
        {
            throw new PolicyException(ErrorIds.PolicyFileNotFound, PolicyErrorKind.ObjectNotFound, $"'{fullPath}' is a folder, not a policy file. Name the policy file in it.", fullPath);
        }

        if (!File.Exists(fullPath))
        {
            throw NotFound(fullPath);
        }

        try
        {
            // Exactly as stored: bytes that are not UTF-8 are PolicyFileEncodingInvalid, not replacement characters a write would keep.
            return PolicyFileSystem.ReadText(fullPath);
        }
        catch (PtcToolsException ex) when (ex.ErrorId == ErrorIds.PolicyFileUnreadable && ex.InnerException is { } cause)
        {
            throw new PolicyException(ErrorIds.PolicyFileUnreadable, PolicyErrorKind.ReadError, $"Cannot read the policy file '{fullPath}': {cause.Message}", fullPath, cause);
        }
    }

    /// <summary>Parses the text of a policy file; a JSON error names the file.</summary>
    public static PolicyDocument Parse(string text, string fullPath) => PolicyReader.Read(text, fullPath, $"the file '{fullPath}'");

    /// <summary>The error for a policy file that is not there, saying how to start a new one.</summary>
    public static PolicyException NotFound(string path) =>
        new(ErrorIds.PolicyFileNotFound, PolicyErrorKind.ObjectNotFound,
            $"Cannot find a policy file at '{path}'. Check the path (-LiteralPath takes it exactly as written). To start a new policy file, write one: New-PtcPolicyStatement ... | Add-PtcRegistryStatement | Set-PtcRegistryPolicy -Path '{path}'.",
            path);
}
