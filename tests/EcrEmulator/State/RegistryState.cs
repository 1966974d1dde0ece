using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;

namespace EcrEmulator.State;

/// <summary>What one emulated registry holds: its policy (byte for byte), its policy scope, its pull through cache rules and its repository creation templates.</summary>
public sealed class RegistryState
{
    private readonly object _gate = new();
    private readonly List<PullThroughCacheRule> _rules = new();
    private readonly List<RepositoryCreationTemplate> _templates = new();
    private string? _policyText;
    private string _scope = "V2";
    private string? _staleText;
    private int _staleReads;

    /// <summary>Creates the state of one registry.</summary>
    public RegistryState(string accountId, string region)
    {
        AccountId = accountId;
        Region = region;
    }

    /// <summary>The account id (registry id).</summary>
    public string AccountId { get; }

    /// <summary>The Region.</summary>
    public string Region { get; }

    /// <summary>The stored registry policy text, exactly as last put, or null when there is none.</summary>
    public string? PolicyText
    {
        get { lock (_gate) { return _policyText; } }
        set { lock (_gate) { _policyText = value; } }
    }

    /// <summary>The REGISTRY_POLICY_SCOPE account setting, V1 or V2 (default V2).</summary>
    public string RegistryPolicyScope
    {
        get { lock (_gate) { return _scope; } }
        set
        {
            if (value is not ("V1" or "V2"))
            {
                throw new ArgumentException($"The registry policy scope must be V1 or V2, not '{value}'.", nameof(value));
            }
            lock (_gate) { _scope = value; }
        }
    }

    /// <summary>The rules, ordered by prefix.</summary>
    public IReadOnlyList<PullThroughCacheRule> Rules
    {
        get { lock (_gate) { return _rules.OrderBy(r => r.Key, StringComparer.Ordinal).ToList(); } }
    }

    /// <summary>Adds a rule, or returns false when one with the same prefix exists.</summary>
    public bool TryAddRule(PullThroughCacheRule rule)
    {
        lock (_gate)
        {
            if (_rules.Any(r => r.Key == rule.Key))
            {
                return false;
            }
            _rules.Add(rule);
            return true;
        }
    }

    /// <summary>The repository creation templates, ordered by prefix.</summary>
    public IReadOnlyList<RepositoryCreationTemplate> Templates
    {
        get { lock (_gate) { return _templates.OrderBy(t => t.Key, StringComparer.Ordinal).ToList(); } }
    }

    /// <summary>Adds a template, or returns false when one with the same prefix exists.</summary>
    public bool TryAddTemplate(RepositoryCreationTemplate template)
    {
        lock (_gate)
        {
            if (_templates.Any(t => t.Key == template.Key))
            {
                return false;
            }
            _templates.Add(template);
            return true;
        }
    }

    /// <summary>Swaps the policy text only if it is still <paramref name="expected"/>; returns whether it did.</summary>
    public bool CompareExchangePolicy(string? expected, string? replacement)
    {
        lock (_gate)
        {
            if (!string.Equals(_policyText, expected, StringComparison.Ordinal))
            {
                return false;
            }
            _policyText = replacement;
            return true;
        }
    }

    /// <summary>Makes the next <paramref name="count"/> reads of the policy see <paramref name="previousText"/> (null: none) instead of what is stored, as an eventually consistent read that has not caught up.</summary>
    public void LagReads(string? previousText, int count)
    {
        lock (_gate)
        {
            _staleText = previousText;
            _staleReads = count;
        }
    }

    /// <summary>Takes one lagging read, if any: true with the text that read sees (null: no policy).</summary>
    public bool TryTakeStaleRead(out string? text)
    {
        lock (_gate)
        {
            text = _staleText;
            if (_staleReads <= 0)
            {
                return false;
            }
            _staleReads--;
            return true;
        }
    }

    /// <summary>Forgets the policy, every rule and template, and sets the scope back to V2.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _policyText = null;
            _scope = "V2";
            _staleText = null;
            _staleReads = 0;
            _rules.Clear();
            _templates.Clear();
        }
    }

    /// <summary>The state as JSON: the format of <c>GET /__emulator/state</c> and of a seed file.</summary>
    public JsonObject ToJson()
    {
        lock (_gate)
        {
            return new JsonObject
            {
                ["accountId"] = AccountId,
                ["region"] = Region,
                ["policyText"] = _policyText,
                ["registryPolicyScope"] = _scope,
                ["pullThroughCacheRules"] = new JsonArray(_rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (JsonNode)r.ToJson()).ToArray()),
                ["repositoryCreationTemplates"] = new JsonArray(_templates.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)t.ToJson()).ToArray()),
            };
        }
    }
}
