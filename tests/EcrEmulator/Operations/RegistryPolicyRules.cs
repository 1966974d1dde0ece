using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using EcrEmulator.Protocol;

namespace EcrEmulator.Operations;

/// <summary>
/// What ECR itself checks in PutRegistryPolicy beyond the model: the text is a JSON policy, and
/// under scope V1 only the three registry actions appear. ECR answers every failure with the same
/// opaque message, and so does the emulator (finding the reason is the module's job).
/// </summary>
public static class RegistryPolicyRules
{
    /// <summary>The message ECR gives for any rejected registry policy.</summary>
    public const string InvalidPolicyMessage = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'";

    /// <summary>The actions a V1-scope registry policy may contain.</summary>
    public static IReadOnlyList<string> V1Actions { get; } = new[] { "ecr:ReplicateImage", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository" };

    /// <summary>Throws InvalidParameterException when ECR would refuse the text under the given scope.</summary>
    public static void Check(string policyText, string scope)
    {
        if (Problem(policyText, scope) is not null)
        {
            throw EcrError.InvalidParameter(InvalidPolicyMessage);
        }
    }

    /// <summary>Why the policy would be refused, or null when it is accepted (the reason never goes on the wire).</summary>
    public static string? Problem(string policyText, string scope)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(policyText);
        }
        catch (JsonException ex)
        {
            return "not JSON: " + ex.Message;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "the policy is not a JSON object";
            }
            if (root.TryGetProperty("Version", out var version) && (version.ValueKind != JsonValueKind.String || version.GetString() is not ("2012-10-17" or "2008-10-17")))
            {
                return "Version is neither 2012-10-17 nor 2008-10-17";
            }
            if (!root.TryGetProperty("Statement", out var statements))
            {
                return "no Statement";
            }
            var list = statements.ValueKind switch
            {
                JsonValueKind.Object => new List<JsonElement> { statements },
                JsonValueKind.Array => statements.EnumerateArray().ToList(),
                _ => null,
            };
            if (list is null || list.Count == 0)
            {
                return "Statement is neither a statement nor a non-empty list of statements";
            }
            foreach (var statement in list)
            {
                var problem = StatementProblem(statement, scope);
                if (problem is not null)
                {
                    return problem;
                }
            }
            return null;
        }
    }

    private static string? StatementProblem(JsonElement statement, string scope)
    {
        if (statement.ValueKind != JsonValueKind.Object)
        {
            return "a statement is not an object";
        }
        if (!statement.TryGetProperty("Effect", out var effect) || effect.ValueKind != JsonValueKind.String || effect.GetString() is not ("Allow" or "Deny"))
        {
            return "a statement's Effect is not Allow or Deny";
        }
        if (!statement.TryGetProperty("Principal", out _) && !statement.TryGetProperty("NotPrincipal", out _))
        {
            return "a statement has no Principal";
        }
        if (!statement.TryGetProperty("Resource", out _) && !statement.TryGetProperty("NotResource", out _))
        {
            return "a statement has no Resource";
        }
        var hasAction = statement.TryGetProperty("Action", out var action);
        var hasNotAction = statement.TryGetProperty("NotAction", out var notAction);
        if (hasAction == hasNotAction)
        {
            return "a statement needs exactly one of Action and NotAction";
        }
        if (scope == "V1" && hasNotAction)
        {
            return "NotAction is not allowed under scope V1";
        }
        var actions = Strings(hasAction ? action : notAction);
        if (actions is null || actions.Count == 0)
        {
            return "Action is not a string or a non-empty list of strings";
        }
        foreach (var name in actions)
        {
            if (scope == "V1")
            {
                if (!V1Actions.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    return $"'{name}' is not one of the three actions allowed under scope V1";
                }
            }
            else if (name != "*" && !name.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase))
            {
                return $"'{name}' is not an ECR action";
            }
        }
        return null;
    }

    private static List<string>? Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => new List<string> { element.GetString()! },
        JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            element.EnumerateArray().Select(e => e.GetString()!).ToList(),
        _ => null,
    };
}
