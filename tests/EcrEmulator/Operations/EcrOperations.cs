using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EcrEmulator.Control;
using EcrEmulator.Protocol;
using EcrEmulator.State;

namespace EcrEmulator.Operations;

/// <summary>The ECR operations the emulator speaks, over one registry's state.</summary>
public sealed class EcrOperations
{
    /// <summary>The page size DescribePullThroughCacheRules uses when maxResults is not given.</summary>
    public const int DefaultPageSize = 100;

    // The upstream kinds ECR supports (ECR-FACTS section 3). The emulator does not name real registry
    // hosts: an upstream is "<kind>.upstream.example" (a reserved domain, RFC 2606), or an ECR
    // private registry host for the ecr kind.
    private const string FictionalUpstreamSuffix = ".upstream.example";

    private static readonly HashSet<string> s_upstreamKinds = new(StringComparer.Ordinal)
    {
        "ecr-public", "k8s", "quay", "docker-hub", "github-container-registry", "azure-container-registry",
        "gitlab-container-registry", "chainguard",
    };

    private static readonly HashSet<string> s_needSecret = new(StringComparer.Ordinal)
    {
        "docker-hub", "github-container-registry", "azure-container-registry", "gitlab-container-registry", "chainguard",
    };

    private readonly RegistryState _state;
    private readonly FaultInjector _faults;
    private readonly Func<DateTimeOffset> _clock;
    private readonly TemplateOperations _templates;

    /// <summary>Creates the operations over a registry.</summary>
    public EcrOperations(RegistryState state, FaultInjector faults, Func<DateTimeOffset> clock)
    {
        _state = state;
        _faults = faults;
        _clock = clock;
        _templates = new TemplateOperations(state, clock);
    }

    /// <summary>The operations implemented; any other target is UnknownOperationException.</summary>
    public static IReadOnlyList<string> Implemented { get; } = new[]
    {
        "PutRegistryPolicy", "GetRegistryPolicy", "DeleteRegistryPolicy", "DescribePullThroughCacheRules",
        "CreatePullThroughCacheRule", "GetAccountSetting", "PutAccountSetting", "DescribeRegistry",
    }.Concat(TemplateOperations.Implemented).ToArray();

    /// <summary>Runs an operation whose input already passed model validation; returns the response body.</summary>
    public JsonObject Invoke(string operation, JsonElement input) => operation switch
    {
        "PutRegistryPolicy" => PutRegistryPolicy(input),
        "GetRegistryPolicy" => GetRegistryPolicy(),
        "DeleteRegistryPolicy" => DeleteRegistryPolicy(),
        "DescribePullThroughCacheRules" => DescribePullThroughCacheRules(input),
        "CreatePullThroughCacheRule" => CreatePullThroughCacheRule(input),
        "GetAccountSetting" => GetAccountSetting(input),
        "PutAccountSetting" => PutAccountSetting(input),
        "DescribeRegistry" => DescribeRegistry(),
        _ when TemplateOperations.Implemented.Contains(operation) => _templates.Invoke(operation, input),
        _ => throw EcrError.UnknownOperation($"The emulator does not implement {operation}."),
    };

    private JsonObject PutRegistryPolicy(JsonElement input)
    {
        var text = input.GetProperty("policyText").GetString()!;
        RegistryPolicyRules.Check(text, _state.RegistryPolicyScope);
        var previous = _state.PolicyText;
        _state.PolicyText = text; // stored exactly as sent
        if (_faults.TakeStaleReadsAfterPut() is var stale and > 0)
        {
            // The next reads have not caught up with this write: they see what was there before it.
            _state.LagReads(previous, stale);
        }
        if (_faults.TryTakePolicyChangeAfterPut(out var replacement))
        {
            // Another writer lands right after this one, before anyone reads.
            _state.PolicyText = replacement;
        }
        return new JsonObject { ["registryId"] = _state.AccountId, ["policyText"] = text };
    }

    private JsonObject GetRegistryPolicy()
    {
        try
        {
            var text = (_state.TryTakeStaleRead(out var stale) ? stale : _state.PolicyText) ?? throw PolicyNotFound();
            return new JsonObject { ["registryId"] = _state.AccountId, ["policyText"] = text };
        }
        finally
        {
            // "Another writer" comes in right after the read has been answered.
            if (_faults.TryTakePolicyChange(out var replacement))
            {
                _state.PolicyText = replacement;
            }
        }
    }

    private JsonObject DeleteRegistryPolicy()
    {
        var text = _state.PolicyText ?? throw PolicyNotFound();
        if (!_state.CompareExchangePolicy(text, null))
        {
            throw PolicyNotFound();
        }
        return new JsonObject { ["registryId"] = _state.AccountId, ["policyText"] = text };
    }

    private JsonObject DescribePullThroughCacheRules(JsonElement input)
    {
        CheckRegistryId(input);
        var rules = _state.Rules;
        if (input.TryGetProperty("ecrRepositoryPrefixes", out var prefixes) && prefixes.ValueKind == JsonValueKind.Array)
        {
            var wanted = prefixes.EnumerateArray().Select(p => p.GetString()!).ToList();
            foreach (var prefix in wanted)
            {
                if (rules.All(r => r.Key != PullThroughCacheRule.NormalizePrefix(prefix)))
                {
                    throw new EcrError("PullThroughCacheRuleNotFoundException", 400,
                        $"The pull through cache rule with ECR repository prefix '{prefix}' does not exist in the registry with id '{_state.AccountId}'.");
                }
            }
            var keys = wanted.Select(PullThroughCacheRule.NormalizePrefix).ToHashSet(StringComparer.Ordinal);
            rules = rules.Where(r => keys.Contains(r.Key)).ToList();
        }

        var pageSize = input.TryGetProperty("maxResults", out var max) && max.ValueKind == JsonValueKind.Number ? max.GetInt32() : DefaultPageSize;
        var start = 0;
        if (input.TryGetProperty("nextToken", out var token) && token.ValueKind == JsonValueKind.String)
        {
            var after = PageToken.Decode("ptc", token.GetString()!);
            start = rules.TakeWhile(r => string.CompareOrdinal(r.Key, after) <= 0).Count();
        }
        var page = rules.Skip(start).Take(pageSize).ToList();
        var response = new JsonObject
        {
            ["pullThroughCacheRules"] = new JsonArray(page.Select(r => (JsonNode)r.ToJson()).ToArray()),
        };
        if (start + page.Count < rules.Count)
        {
            response["nextToken"] = PageToken.Encode("ptc", page[^1].Key);
        }
        return response;
    }

    private JsonObject CreatePullThroughCacheRule(JsonElement input)
    {
        CheckRegistryId(input);
        var prefix = input.GetProperty("ecrRepositoryPrefix").GetString()!;
        var url = input.GetProperty("upstreamRegistryUrl").GetString()!;
        var registry = OptionalString(input, "upstreamRegistry") ?? InferUpstreamRegistry(url)
            ?? throw new EcrError("UnsupportedUpstreamRegistryException", 400, "The specified upstream registry isn't supported.");
        var upstreamPrefix = OptionalString(input, "upstreamRepositoryPrefix");
        var credentialArn = OptionalString(input, "credentialArn");
        var customRoleArn = OptionalString(input, "customRoleArn");

        if (upstreamPrefix is not null && upstreamPrefix != "ROOT" && prefix == "ROOT")
        {
            throw EcrError.InvalidParameter("Invalid parameter at 'upstreamRepositoryPrefix' failed to satisfy constraint: 'upstreamRepositoryPrefix can be set only when ecrRepositoryPrefix is not ROOT'");
        }
        if (s_needSecret.Contains(registry) && credentialArn is null)
        {
            throw EcrError.InvalidParameter($"Invalid parameter at 'credentialArn' failed to satisfy constraint: 'A credential ARN is required for upstream registry {registry}'");
        }
        if (registry == "ecr" && customRoleArn is null)
        {
            throw EcrError.InvalidParameter("Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'A custom role ARN is required for upstream registry ecr'");
        }

        var now = _clock();
        var rule = new PullThroughCacheRule
        {
            EcrRepositoryPrefix = prefix,
            UpstreamRegistryUrl = url,
            UpstreamRegistry = registry,
            UpstreamRepositoryPrefix = upstreamPrefix ?? "ROOT",
            CredentialArn = credentialArn,
            CustomRoleArn = customRoleArn,
            RegistryId = _state.AccountId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!_state.TryAddRule(rule))
        {
            throw new EcrError("PullThroughCacheRuleAlreadyExistsException", 400,
                "A pull through cache rule with these settings already exists for the private registry.");
        }
        return rule.ToJson(includeUpdatedAt: false);
    }

    private JsonObject GetAccountSetting(JsonElement input)
    {
        var name = input.GetProperty("name").GetString()!;
        CheckSettingName(name);
        return new JsonObject { ["name"] = name, ["value"] = _state.RegistryPolicyScope };
    }

    private JsonObject PutAccountSetting(JsonElement input)
    {
        var name = input.GetProperty("name").GetString()!;
        var value = input.GetProperty("value").GetString()!;
        CheckSettingName(name);
        if (value is not ("V1" or "V2"))
        {
            throw EcrError.InvalidParameter($"Invalid parameter at 'value' failed to satisfy constraint: 'Valid values for registry policy scope are V1 and V2, not {value}'");
        }
        _state.RegistryPolicyScope = value;
        return new JsonObject { ["name"] = name, ["value"] = value };
    }

    private JsonObject DescribeRegistry() => new()
    {
        ["registryId"] = _state.AccountId,
        ["replicationConfiguration"] = new JsonObject { ["rules"] = new JsonArray() },
    };

    /// <summary>The upstreamRegistry enum value ECR infers from an upstream URL, or null when it is not one it supports.</summary>
    public static string? InferUpstreamRegistry(string url)
    {
        var host = url.Contains("://", StringComparison.Ordinal) ? url.Substring(url.IndexOf("://", StringComparison.Ordinal) + 3) : url;
        host = host.Split('/')[0].ToLowerInvariant();
        if (host.Contains(".dkr.ecr.", StringComparison.Ordinal))
        {
            return "ecr";
        }

        if (host.EndsWith(FictionalUpstreamSuffix, StringComparison.Ordinal))
        {
            var kind = host.Substring(0, host.Length - FictionalUpstreamSuffix.Length);
            return s_upstreamKinds.Contains(kind) ? kind : null;
        }

        return null;
    }

    private static void CheckSettingName(string name)
    {
        if (name != "REGISTRY_POLICY_SCOPE")
        {
            throw EcrError.InvalidParameter($"Invalid parameter at 'name' failed to satisfy constraint: 'The emulator models only the REGISTRY_POLICY_SCOPE account setting, not {name}'");
        }
    }

    private void CheckRegistryId(JsonElement input)
    {
        var registryId = OptionalString(input, "registryId");
        if (registryId is not null && registryId != _state.AccountId)
        {
            throw EcrError.InvalidParameter($"Invalid parameter at 'registryId' failed to satisfy constraint: 'The emulated registry is {_state.AccountId}, not {registryId}'");
        }
    }

    private EcrError PolicyNotFound() =>
        new("RegistryPolicyNotFoundException", 400, $"Registry policy does not exist in the registry with id '{_state.AccountId}'");

    private static string? OptionalString(JsonElement input, string name) =>
        input.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
