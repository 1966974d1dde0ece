using System;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Json;

/// <summary>
/// The one reader of a policy given as text or structure: a policy document, or what
/// <c>aws ecr get-registry-policy</c> prints (<c>{"registryId":"...","policyText":"..."}</c>), whose policyText is the policy.
/// </summary>
/// <remarks>
/// The rule is the one PowerShell applies to objects with a PolicyText property (an AWS.Tools response,
/// ConvertFrom-Json output): a JSON object with a string member named policyText, in any case, is read
/// as that text. No valid policy has such an element (IAM rejects unknown top-level elements), so nothing
/// that was a policy is lost. Positions (line, column) then count in the policyText.
/// </remarks>
public static class PolicyReader
{
    /// <summary>The member of an ECR (or AWS.Tools) answer that holds the policy text.</summary>
    public const string PolicyTextMember = "policyText";

    // An answer inside an answer is unwrapped too, but not without bound.
    private const int MaxNesting = 8;

    /// <summary>Parses policy text, unwrapping an ECR answer; <paramref name="source"/> (e.g. <c>the file '/x.json'</c>) is named in JSON errors.</summary>
    /// <exception cref="PolicyJsonException">The text (or its policyText) is not a JSON object.</exception>
    /// <exception cref="PolicyException"><c>PolicyInputInvalid</c> for an answer with two policyText members that differ only in case.</exception>
    public static PolicyDocument Read(string text, object? target = null, string? source = null)
    {
        if (text is null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        for (var depth = 0; ; depth++)
        {
            JObject root;
            try
            {
                root = PolicyJson.ParseObject(text, target);
            }
            catch (PolicyJsonException ex) when (source is not null)
            {
                throw ex.WithTextSource(depth == 0 ? source : $"the policyText of {source}", target);
            }

            if (depth >= MaxNesting || EnvelopedText(root, target) is not { } inner)
            {
                return PolicyDocument.FromParsed(root, text);
            }

            text = inner;
        }
    }

    /// <summary>A policy given as structure (a hashtable, ConvertFrom-Json output made into tokens), unwrapping an ECR answer the same way.</summary>
    public static PolicyDocument FromJObject(JObject root, object? target = null) =>
        EnvelopedText(root, target) is { } inner ? Read(inner, target) : PolicyDocument.FromJObject(root);

    /// <summary>The policyText of an ECR answer, or null when the object is not one.</summary>
    /// <exception cref="PolicyException"><c>PolicyInputInvalid</c> for two policyText members that differ only in case.</exception>
    public static string? EnvelopedText(JObject root, object? target = null)
    {
        if (root is null)
        {
            throw new ArgumentNullException(nameof(root));
        }

        var members = root.Properties().Where(p => string.Equals(p.Name, PolicyTextMember, StringComparison.OrdinalIgnoreCase)).ToList();
        if (members.Count > 1)
        {
            throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData,
                $"The object has {members.Count} policyText members ({string.Join(", ", members.Select(m => m.Name))}); it cannot be told which one is the policy. Keep one.", target);
        }

        return members.Count == 1 && members[0].Value.Type == JTokenType.String ? (string?)members[0].Value : null;
    }
}
