using System.Collections;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>Turns whatever a user hands a cmdlet as a policy into a <see cref="PolicyDocument"/>.</summary>
/// <remarks>
/// Accepted: a PtcRegistryPolicy (live or deserialized), a PolicyDocument, JSON text (plain or
/// URL-encoded, as IAM APIs return it), any object with a <c>PolicyText</c> property (AWS.Tools
/// responses) or an IAM <c>PolicyDocument</c> or <c>Document</c> text property, a PtcIamPolicy, and a policy given as structure (a hashtable or what ConvertFrom-Json makes).
/// </remarks>
public static class PolicyInput
{
    /// <summary>Converts a value to a document.</summary>
    /// <exception cref="PolicyException">The value is not a policy (<c>PolicyInputInvalid</c>) or is malformed JSON (<c>PolicyJsonInvalid</c>).</exception>
    public static PolicyDocument ToDocument(object? value)
    {
        var baseObject = PSValue.Unwrap(value);
        switch (baseObject)
        {
            case null:
                throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidArgument, "No policy was given. Pass JSON text, a PtcRegistryPolicy, or an object with a PolicyText property.");
            case PtcRegistryPolicy registryPolicy:
                return registryPolicy.Document;
            case PolicyDocument document:
                return document;
            case PtcIamPolicy iamPolicy:
                return iamPolicy.Document;
            case string text:
                try
                {
                    return PolicyReader.Read(PolicyJson.DecodeIfUrlEncoded(text), value);
                }
                catch (PolicyJsonException ex) when (PolicyPaths.LooksLikeFileName(text))
                {
                    // JSON's own complaint ("input string '.' is not a valid decimal") would not tell what went wrong.
                    var name = text.Trim();
                    throw new PolicyJsonException(
                        $"'{name}' looks like a file name, not policy JSON. Name the file with -Path or -LiteralPath where the cmdlet has them, or read it first: Get-PtcRegistryPolicy -LiteralPath '{name}'.",
                        ex.Line,
                        ex.Column,
                        ex.JsonPath,
                        ex.Target,
                        ex);
                }
            case System.IO.FileSystemInfo file:
                // Its properties (Length, UnixStat, ...) are no policy; the file's content is.
                throw new PolicyException(
                    ErrorIds.PolicyInputInvalid,
                    PolicyErrorKind.InvalidArgument,
                    $"The file '{file.FullName}' was given where a policy belongs. Read it first: Get-PtcRegistryPolicy -LiteralPath '{file.FullName}', or Get-Content -Raw.",
                    value);
            case PtcPolicyStatement:
                // A statement where a policy belongs is a mix-up; taken as a policy it would lose its meaning.
                throw new PolicyException(
                    ErrorIds.PolicyInputInvalid,
                    PolicyErrorKind.InvalidArgument,
                    "A statement was given where a policy belongs. Merge statements into a policy with Add-PtcRegistryStatement, for example: $statement | Add-PtcRegistryStatement -Policy $policy.",
                    value);
        }

        // Also a bare .NET object (an AWS.Tools response given as a parameter, or converted to a typed policy parameter):
        // PowerShell hands it over unwrapped, and only a wrapper reads its properties.
        if (PolicyTextOf(value) is { } policyText)
        {
            return ToDocument(policyText);
        }

        // IAM responses (AWS.Tools' Get-IAMRolePolicy, Get-IAMPolicyVersion) carry the document, URL-encoded, as PolicyDocument or Document.
        if (PSObject.AsPSObject(value) is var iam && (iam.Properties["PolicyDocument"]?.Value ?? iam.Properties["Document"]?.Value) is { } iamDocument && PSValue.Unwrap(iamDocument) is string)
        {
            return ToDocument(iamDocument);
        }

        // (Get-Content policy.json) without -Raw is the lines of one policy, as ConvertFrom-Json takes them.
        if (baseObject is IEnumerable lines and not IDictionary && PipedPolicyLines.Join(lines) is { } joined)
        {
            return ToDocument(joined);
        }

        var token = PolicyStructure.ToJToken(value, "$");
        if (token is JObject obj)
        {
            return PolicyReader.FromJObject(obj, value);
        }

        throw new PolicyException(
            ErrorIds.PolicyInputInvalid,
            PolicyErrorKind.InvalidArgument,
            $"A value of type {baseObject.GetType().FullName} is not a policy. Pass JSON text, a PtcRegistryPolicy, a hashtable, or an object with a PolicyText property.",
            value);
    }

    /// <summary>The PolicyText an object carries (an AWS.Tools response, wrapped or bare; a deserialized PtcRegistryPolicy; a request that names its policy); null for text, a live PtcRegistryPolicy and other values.</summary>
    internal static object? PolicyTextOf(object? value) =>
        PSValue.Unwrap(value) is null or string or PtcRegistryPolicy ? null : PSObject.AsPSObject(value).Properties["PolicyText"]?.Value;
}
