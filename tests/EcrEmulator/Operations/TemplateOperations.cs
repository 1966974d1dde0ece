using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EcrEmulator.Protocol;
using EcrEmulator.State;

namespace EcrEmulator.Operations;

/// <summary>The repository creation template operations, over one registry's templates.</summary>
public sealed class TemplateOperations
{
    /// <summary>The page size DescribeRepositoryCreationTemplates uses when maxResults is not given.</summary>
    public const int DefaultPageSize = 100;

    private static readonly Regex s_roleArn = new(@"^arn:aws[a-z-]*:iam::(?<account>[0-9]{12}):role/[\w+=,.@/-]{1,512}$", RegexOptions.CultureInvariant);

    private readonly RegistryState _state;
    private readonly Func<DateTimeOffset> _clock;

    /// <summary>Creates the operations over a registry.</summary>
    public TemplateOperations(RegistryState state, Func<DateTimeOffset> clock)
    {
        _state = state;
        _clock = clock;
    }

    /// <summary>The template operations the emulator speaks.</summary>
    public static IReadOnlyList<string> Implemented { get; } = new[] { "DescribeRepositoryCreationTemplates", "CreateRepositoryCreationTemplate" };

    /// <summary>Runs an operation whose input already passed model validation; returns the response body.</summary>
    public JsonObject Invoke(string operation, JsonElement input) => operation switch
    {
        "DescribeRepositoryCreationTemplates" => Describe(input),
        "CreateRepositoryCreationTemplate" => Create(input),
        _ => throw EcrError.UnknownOperation($"The emulator does not implement {operation}."),
    };

    private JsonObject Describe(JsonElement input)
    {
        var templates = _state.Templates;
        if (input.TryGetProperty("prefixes", out var prefixes) && prefixes.ValueKind == JsonValueKind.Array && prefixes.GetArrayLength() > 0)
        {
            // The model lists no not-found error for this operation: a prefix without a template is simply not returned.
            var keys = prefixes.EnumerateArray().Select(p => PullThroughCacheRule.NormalizePrefix(p.GetString()!)).ToHashSet(StringComparer.Ordinal);
            templates = templates.Where(t => keys.Contains(t.Key)).ToList();
        }

        var pageSize = input.TryGetProperty("maxResults", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetInt32() : DefaultPageSize;
        var start = 0;
        if (input.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String)
        {
            var after = PageToken.Decode("rct", token.GetString()!);
            start = templates.TakeWhile(t => string.CompareOrdinal(t.Key, after) <= 0).Count();
        }

        var page = templates.Skip(start).Take(pageSize).ToList();
        var response = new JsonObject
        {
            ["registryId"] = _state.AccountId,
            ["repositoryCreationTemplates"] = new JsonArray(page.Select(t => (JsonNode)t.ToJson()).ToArray()),
        };
        if (start + page.Count < templates.Count)
        {
            response["nextToken"] = PageToken.Encode("rct", page[^1].Key);
        }

        return response;
    }

    private JsonObject Create(JsonElement input)
    {
        var members = JsonNode.Parse(input.GetRawText())!.AsObject();
        var appliedFor = members["appliedFor"]!.AsArray();
        if (appliedFor.Count == 0)
        {
            throw EcrError.InvalidParameter("Invalid parameter at 'appliedFor' failed to satisfy constraint: 'appliedFor must name at least one of PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH'");
        }

        // The SDK documents customRoleArn "in the same account as the registry that you are configuring".
        if (members["customRoleArn"]?.GetValue<string>() is { } role)
        {
            var match = s_roleArn.Match(role);
            if (!match.Success || match.Groups["account"].Value != _state.AccountId)
            {
                throw EcrError.InvalidParameter($"Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'The role must be an IAM role in the registry's account {_state.AccountId}'");
            }
        }

        var template = new RepositoryCreationTemplate(members, _clock());
        if (!_state.TryAddTemplate(template))
        {
            throw new EcrError("TemplateAlreadyExistsException", 400, $"The repository creation template with prefix '{template.Prefix}' already exists in the registry with id '{_state.AccountId}'.");
        }

        return new JsonObject { ["registryId"] = _state.AccountId, ["repositoryCreationTemplate"] = template.ToJson() };
    }
}
