using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>Loads the policy a cmdlet edits (from an object, a file or nothing) and carries its origin over to the result.</summary>
public static class PolicySource
{
    /// <summary>A policy parameter's value read (its document) as a new policy with its origin.</summary>
    /// <exception cref="PolicyException">From reading <see cref="PtcRegistryPolicy.Document"/> of a converted value.</exception>
    public static PtcRegistryPolicy From(PtcRegistryPolicy policy) => Derive(policy, policy.Document);

    /// <summary>The policy in the one file -Path (wildcards) or -LiteralPath names; the file is not locked or changed.</summary>
    /// <exception cref="PolicyException">From <see cref="PolicyPaths.Resolve"/> and <see cref="PolicyFile.Read"/>: no such file, several, a folder, unreadable or malformed.</exception>
    public static PtcRegistryPolicy FromFile(SessionState session, string path, bool literal) =>
        PolicyFile.Read(PolicyPaths.Resolve(session, path, literal, PolicyPathRules.ExactlyOne)[0]);

    /// <summary>A new empty policy.</summary>
    public static PtcRegistryPolicy New() => new(PolicyDocument.CreateEmpty()) { Exists = false };

    /// <summary>The edited document with the origin (registry, Region, file, text as read) of the policy it came from.</summary>
    public static PtcRegistryPolicy Derive(PtcRegistryPolicy origin, PolicyDocument document)
    {
        var result = new PtcRegistryPolicy(document);
        CopyOrigin(origin, result);
        return result;
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
