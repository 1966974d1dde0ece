using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace PtcTools.Policy.Model;

/// <summary>One ECR action of the Service Authorization Reference.</summary>
public sealed class EcrAction
{
    internal EcrAction(string name, string accessLevel, bool onRepository, string description, IReadOnlyList<string> conditionKeys)
    {
        ConditionKeys = conditionKeys;
        Name = name;
        AccessLevel = accessLevel;
        OnRepository = onRepository;
        Description = description;
    }

    /// <summary>The action with its canonical casing, e.g. <c>ecr:BatchImportUpstreamImage</c>.</summary>
    public string Name { get; }

    /// <summary>Read, Write, List, Tagging or Permissions management.</summary>
    public string AccessLevel { get; }

    /// <summary>True when the action applies to a repository resource; false when it supports only Resource "*".</summary>
    public bool OnRepository { get; }

    /// <summary>What the action grants.</summary>
    public string Description { get; }

    /// <summary>The action's own condition keys in the Service Authorization Reference (request tags, tag keys, ecr:AccountSetting), beside the resource's tag keys.</summary>
    public IReadOnlyList<string> ConditionKeys { get; }

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>The catalog of ECR actions (from <c>ecr-actions.tsv</c>) and the registry-policy facts about them.</summary>
public static class EcrActions
{
    /// <summary>Pull through cache: create the cache repository on first pull.</summary>
    public const string CreateRepository = "ecr:CreateRepository";

    /// <summary>Pull through cache: import the upstream image.</summary>
    public const string BatchImportUpstreamImage = "ecr:BatchImportUpstreamImage";

    /// <summary>Cross-account replication into this registry.</summary>
    public const string ReplicateImage = "ecr:ReplicateImage";

    private static readonly Lazy<IReadOnlyDictionary<string, EcrAction>> s_byName = new(Load);

    /// <summary>The only actions a registry policy may hold under the V1 scope.</summary>
    public static IReadOnlyList<string> RegistryPolicyV1Actions { get; } = new[] { ReplicateImage, BatchImportUpstreamImage, CreateRepository };

    /// <summary>The two actions pull through cache needs in the registry policy.</summary>
    public static IReadOnlyList<string> PullThroughCacheActions { get; } = new[] { CreateRepository, BatchImportUpstreamImage };

    /// <summary>Every ECR action, sorted by name.</summary>
    public static IReadOnlyList<EcrAction> All => s_byName.Value.Values.OrderBy(a => a.Name, StringComparer.Ordinal).ToArray();

    /// <summary>The action with this name (case-insensitive, as IAM compares actions), or null.</summary>
    public static EcrAction? Find(string name) => s_byName.Value.TryGetValue(name, out var action) ? action : null;

    /// <summary>True when the name is a known ECR action (case-insensitive).</summary>
    public static bool IsKnown(string name) => s_byName.Value.ContainsKey(name);

    /// <summary>The known actions an action pattern (<c>*</c> and <c>?</c> wildcards) matches, case-insensitively.</summary>
    public static IReadOnlyList<EcrAction> Expand(string pattern) =>
        s_byName.Value.Values.Where(a => Wildcard.IsMatch(pattern, a.Name, ignoreCase: true)).OrderBy(a => a.Name, StringComparer.Ordinal).ToArray();

    /// <summary>The known action nearest to a misspelt one (edit distance, case-insensitive), or null when none is close.</summary>
    public static string? Suggest(string name)
    {
        var lower = name.ToLowerInvariant();
        var completion = s_byName.Value.Values
            .Where(a => a.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase))
            .OrderBy(a => a.Name.Length).ThenBy(a => a.Name, StringComparer.Ordinal).FirstOrDefault();
        if (completion is not null && name.Length >= 8)
        {
            return completion.Name;
        }

        var best = s_byName.Value.Values
            .Select(a => (a.Name, Distance: Grammar.PolicyGrammar.EditDistance(lower, a.Name.ToLowerInvariant())))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name, StringComparer.Ordinal).First();
        return best.Distance <= Math.Max(3, lower.Length / 4) ? best.Name : null;
    }

    private static Dictionary<string, EcrAction> Load()
    {
        using var stream = typeof(EcrActions).Assembly.GetManifestResourceStream("PtcTools.Policy.ecr-actions.tsv")
            ?? throw new InvalidOperationException("The ECR action table is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var actions = new Dictionary<string, EcrAction>(StringComparer.OrdinalIgnoreCase);
        string? line;
        var header = true;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.StartsWith("#", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            if (header)
            {
                header = false;
                continue;
            }

            var f = line.Split('\t');
            actions[f[0]] = new EcrAction(f[0], f[1], f[2].StartsWith("repository", StringComparison.Ordinal), f.Length > 5 ? f[5] : string.Empty,
                f.Length > 3 && f[3].Length > 0 ? f[3].Split(',') : Array.Empty<string>());
        }

        return actions;
    }
}
