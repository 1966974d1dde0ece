using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Merge;

/// <summary>What a generated statement is for: which actions it grants and how its resources and principals are read.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PolicyType
{
    /// <summary>Pull through cache in this registry: <c>ecr:CreateRepository</c> and <c>ecr:BatchImportUpstreamImage</c>.</summary>
    PullThroughCache,
    /// <summary>Cross-account replication into this registry: <c>ecr:CreateRepository</c> and <c>ecr:ReplicateImage</c> for source accounts.</summary>
    Replication,
    /// <summary>The upstream registry's side of cross-account ECR-to-ECR pull through cache.</summary>
    UpstreamAccess,
}

/// <summary>Allow or Deny.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum StatementEffect
{
    /// <summary>Grants the actions.</summary>
    Allow,
    /// <summary>Refuses the actions, whatever else allows them.</summary>
    Deny,
}

/// <summary>What to put in a generated statement; the builder validates it and fills in the rest.</summary>
public sealed class StatementRequest
{
    /// <summary>The kind of grant.</summary>
    public PolicyType PolicyType { get; set; } = PolicyType.PullThroughCache;

    /// <summary>Principal values: account ids, root, user, role or session ARNs.</summary>
    public IList<string> Principals { get; set; } = new List<string>();

    /// <summary>An AWS Organizations id (<c>o-...</c>): grants <c>"*"</c> restricted by <c>aws:PrincipalOrgID</c>.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>The repository prefix (a PTC rule's ecrRepositoryPrefix, or ROOT); null means every repository.</summary>
    public string? RepositoryPrefix { get; set; }

    /// <summary>Repository names under the prefix; empty means every repository under it.</summary>
    public IList<string> RepositoryNames { get; set; } = new List<string>();

    /// <summary>The Region of the registry; the partition follows from it.</summary>
    public string? Region { get; set; }

    /// <summary>The account (registry id) that owns the repositories.</summary>
    public string? RegistryId { get; set; }

    /// <summary>Actions in place of the policy type's; empty means the policy type's.</summary>
    public IList<string> Actions { get; set; } = new List<string>();

    /// <summary>Allow (default) or Deny.</summary>
    public StatementEffect Effect { get; set; } = StatementEffect.Allow;

    /// <summary>An IAM Condition block, or null.</summary>
    public JObject? Condition { get; set; }

    /// <summary>The statement id; null gives a readable, deterministic default.</summary>
    public string? Sid { get; set; }
}

/// <summary>Builds the statements pull through cache, replication and ECR-to-ECR upstream access need, as the console's "Generate statement" does.</summary>
public static class StatementBuilder
{
    /// <summary>The actions the upstream registry grants the downstream account for ECR-to-ECR pull through cache.</summary>
    public static IReadOnlyList<string> UpstreamAccessActions { get; } = new[] { "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage", "ecr:GetImageCopyStatus" };

    /// <summary>The actions replication needs in the destination registry.</summary>
    public static IReadOnlyList<string> ReplicationActions { get; } = new[] { EcrActions.CreateRepository, EcrActions.ReplicateImage };

    private static readonly Regex s_organizationId = new("^o-[a-z0-9]{10,32}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_replicationPrefix = new("^[a-z0-9][a-z0-9._/-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex s_action = new("^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$", RegexOptions.CultureInvariant);

    /// <summary>The actions a policy type grants by default.</summary>
    public static IReadOnlyList<string> DefaultActions(PolicyType type) => type switch
    {
        PolicyType.Replication => ReplicationActions,
        PolicyType.UpstreamAccess => UpstreamAccessActions,
        _ => EcrActions.PullThroughCacheActions,
    };

    /// <summary>True when a Sid uses only the characters IAM allows (ASCII letters and digits).</summary>
    public static bool IsValidSid(string? sid) => sid is { Length: > 0 } && Grammar.PolicyGrammar.IsSidText(sid);

    /// <summary>Checks a Sid.</summary>
    /// <exception cref="PolicyException"><c>SidInvalid</c> when it has other characters than ASCII letters and digits.</exception>
    public static void ValidateSid(string sid)
    {
        if (!IsValidSid(sid))
        {
            throw new PolicyException(ErrorIds.SidInvalid, PolicyErrorKind.InvalidArgument, $"The Sid '{sid}' is not valid: IAM allows only ASCII letters and digits (A-Z, a-z, 0-9) in a Sid. Use, for example, 'PullThroughCacheEcrPublic'.", sid);
        }
    }

    /// <summary>Builds one statement from a request.</summary>
    /// <exception cref="PolicyException">
    /// <c>PrincipalIsGroup</c>, <c>PrincipalInvalid</c>, <c>PrincipalMissing</c>, <c>OrganizationIdInvalid</c>, <c>NoRegion</c>,
    /// <c>RegionInvalid</c>, <c>RegistryIdInvalid</c>, <c>RepositoryPrefixInvalid</c>, <c>RepositoryNameInvalid</c>,
    /// <c>ActionInvalid</c>, <c>ConditionInvalid</c>, <c>SidInvalid</c>.
    /// </exception>
    public static PolicyStatement Build(StatementRequest request)
    {
        if (request is null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (request.Sid is not null)
        {
            ValidateSid(SidTemplateSample(request.Sid));
        }

        var region = request.Region;
        if (string.IsNullOrEmpty(region))
        {
            throw new PolicyException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument, "No Region was given, and none is set for the session; the repository ARNs in the statement name one.", remedy: Remedy.GiveRegion);
        }

        var partition = Partitions.FromRegion(region!);
        var registryId = request.RegistryId;
        if (!Arn.IsAccountId(registryId))
        {
            throw new PolicyException(
                ErrorIds.RegistryIdInvalid,
                PolicyErrorKind.InvalidArgument,
                string.IsNullOrEmpty(registryId)
                    ? "No registry id was given: the 12-digit account that owns the registry (a pull through cache rule carries it as RegistryId)."
                    : $"'{registryId}' is not a registry id; give the 12-digit account that owns the registry.",
                registryId,
                remedy: string.IsNullOrEmpty(registryId) ? Remedy.GiveRegistryId : Remedy.None);
        }

        var principal = BuildPrincipal(request, partition, out var orgCondition);
        var actions = BuildActions(request);
        var resources = BuildResources(request, region!, registryId!);
        var condition = BuildCondition(request.Condition, orgCondition);

        var json = new JObject();
        json.Add("Sid", "placeholder");
        json.Add("Effect", request.Effect.ToString());
        json.Add("Principal", principal);
        json.Add("Action", new JArray(actions.ToArray()));
        json.Add("Resource", resources.Count == 1 ? new JValue(resources[0]) : new JArray(resources.ToArray()));
        if (condition is not null)
        {
            json.Add("Condition", condition);
        }

        var sid = request.Sid is { } given ? ResolveSid(given, NormalizePrefix(request.RepositoryPrefix)) : DefaultSid(request, PolicyStatement.FromJObject(json));
        json["Sid"] = sid;
        return PolicyStatement.FromJObject(json);
    }

    /// <summary>The placeholder a given Sid may hold for the statement's prefix: <c>Ci{Prefix}</c> gives <c>CiDockerHub</c> for docker-hub.</summary>
    /// <remarks>
    /// A generated Sid hashes the statement's meaning, so a changed grant (another principal) gets a new Sid and is
    /// added beside the old one. A Sid that names the grant instead (<c>-Sid 'Ci{Prefix}'</c>) stays the same when
    /// the grant changes, so Add-PtcRegistryStatement -Force replaces it in place.
    /// </remarks>
    public const string PrefixPlaceholder = "{Prefix}";

    /// <summary>A Sid with <see cref="PrefixPlaceholder"/> replaced by the prefix in PascalCase (<c>All</c> for ROOT or none).</summary>
    public static string ResolveSid(string sid, string? repositoryPrefix) =>
        sid.IndexOf(PrefixPlaceholder, StringComparison.Ordinal) < 0 ? sid : sid.Replace(PrefixPlaceholder, PrefixWord(repositoryPrefix));

    /// <summary>The Sid to validate for a template: the placeholder stands for letters.</summary>
    public static string SidTemplateSample(string sid) => sid.Replace(PrefixPlaceholder, "Prefix");

    // The prefix as a Sid word: "docker-hub/library" -> "DockerHubLibrary", ROOT or none -> "All", at most 48 characters.
    private static string PrefixWord(string? repositoryPrefix)
    {
        var word = PullThroughCachePrefix.IsRoot(repositoryPrefix) ? "All" : Pascal(repositoryPrefix!);
        return word.Length > 48 ? word.Substring(0, 48) : word;
    }

    /// <summary>The readable, deterministic Sid a statement gets when none is given: purpose, prefix, and a hash of its meaning.</summary>
    /// <remarks>The hash covers the meaning (not the text), so the same grant always gets the same Sid and distinct grants get distinct ones.</remarks>
    public static string DefaultSid(PolicyType type, string? repositoryPrefix, PolicyStatement statement)
    {
        var meaning = StatementMeaning.Of(statement).Key;
        var hash = FipsSafeHash.Sha256(Encoding.UTF8.GetBytes(meaning));
        var hex = string.Concat(hash.Take(4).Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
        return type + PrefixWord(repositoryPrefix) + hex;
    }

    private static string DefaultSid(StatementRequest request, PolicyStatement statement) =>
        DefaultSid(request.PolicyType, NormalizePrefix(request.RepositoryPrefix), statement);

    // "docker-hub/library" -> "DockerHubLibrary": letters and digits only, each word capitalised.
    private static string Pascal(string text)
    {
        var sb = new StringBuilder();
        foreach (var word in Regex.Split(text, "[^A-Za-z0-9]+").Where(w => w.Length > 0))
        {
            sb.Append(char.ToUpperInvariant(word[0])).Append(word.Substring(1));
        }

        return sb.ToString();
    }

    private static JToken BuildPrincipal(StatementRequest request, string partition, out JObject? orgCondition)
    {
        orgCondition = null;
        var given = request.Principals?.Where(p => p is not null).ToList() ?? new List<string>();
        if (request.OrganizationId is { } org)
        {
            if (given.Count > 0)
            {
                throw new PolicyException(ErrorIds.PrincipalConflict, PolicyErrorKind.InvalidArgument, "Give either principals or an organization id, not both: an organization id grants every principal of the organization.", org);
            }

            if (!s_organizationId.IsMatch(org))
            {
                throw new PolicyException(ErrorIds.OrganizationIdInvalid, PolicyErrorKind.InvalidArgument, $"'{org}' is not an AWS Organizations id; it looks like o-a1b2c3d4e5 ('o-' and 10 to 32 lowercase letters or digits).", org);
            }

            orgCondition = new JObject { ["StringEquals"] = new JObject { ["aws:PrincipalOrgID"] = org } };
            return new JValue("*");
        }

        if (given.Count == 0)
        {
            throw new PolicyException(ErrorIds.PrincipalMissing, PolicyErrorKind.InvalidArgument, "No principal was given: a statement grants accounts, users, roles or an organization.", remedy: Remedy.GivePrincipal);
        }

        var values = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in given)
        {
            var id = PrincipalId.Parse(text);
            if (id.Kind == PrincipalKind.Everyone)
            {
                throw new PolicyException(ErrorIds.PrincipalInvalid, PolicyErrorKind.InvalidArgument, "\"*\" grants everyone, anonymous callers included. Grant your organization, or name the accounts, users or roles.", text, remedy: Remedy.GrantOrganizationInstead);
            }

            if (request.PolicyType == PolicyType.Replication && id.Kind != PrincipalKind.Account)
            {
                throw new PolicyException(ErrorIds.PrincipalInvalid, PolicyErrorKind.InvalidArgument, $"'{text}' is not an account. Replication is granted to the source registry's account: give its 12-digit id ({id.Account}) or root ARN.", text);
            }

            if (id.Partition is not null && id.Partition != partition)
            {
                throw new PolicyException(ErrorIds.PrincipalInvalid, PolicyErrorKind.InvalidArgument, $"'{text}' is in the partition {id.Partition}, but the registry's Region is in {partition}; principals cannot cross partitions.", text);
            }

            // An account id is written as its root ARN, as every AWS example does; IAM stores it so anyway.
            var value = id.Kind == PrincipalKind.Account ? $"arn:{partition}:iam::{id.Account}:root" : id.Text;
            if (seen.Add(id.EquivalenceKey))
            {
                values.Add(value);
            }
        }

        return new JObject { ["AWS"] = values.Count == 1 ? new JValue(values[0]) : new JArray(values.ToArray()) };
    }

    private static IReadOnlyList<string> BuildActions(StatementRequest request)
    {
        var given = request.Actions?.Where(a => a is not null).ToList() ?? new List<string>();
        if (given.Count == 0)
        {
            return DefaultActions(request.PolicyType);
        }

        var actions = new List<string>();
        foreach (var action in given)
        {
            if (!s_action.IsMatch(action) || !action.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase))
            {
                throw new PolicyException(ErrorIds.ActionInvalid, PolicyErrorKind.InvalidArgument, $"'{action}' is not an ECR action. A registry policy grants only ECR actions such as ecr:BatchImportUpstreamImage (wildcards like ecr:Batch* are allowed).", action);
            }

            string canonical;
            if (Wildcard.HasWildcard(action))
            {
                if (EcrActions.Expand(action).Count == 0)
                {
                    throw new PolicyException(ErrorIds.ActionInvalid, PolicyErrorKind.InvalidArgument, $"'{action}' matches no ECR action.", action);
                }

                canonical = "ecr:" + action.Substring(4);
            }
            else
            {
                var known = EcrActions.Find(action);
                if (known is null)
                {
                    var suggestion = EcrActions.Suggest(action);
                    throw new PolicyException(ErrorIds.ActionInvalid, PolicyErrorKind.InvalidArgument, $"'{action}' is not an ECR action." + (suggestion is null ? string.Empty : $" Did you mean {suggestion}?"), action);
                }

                canonical = known.Name;
            }

            if (!actions.Contains(canonical, StringComparer.OrdinalIgnoreCase))
            {
                actions.Add(canonical);
            }
        }

        return actions;
    }

    private static string? NormalizePrefix(string? prefix) =>
        prefix is null || prefix.Length == 0 ? null : PullThroughCachePrefix.Normalize(prefix);

    private static IReadOnlyList<string> BuildResources(StatementRequest request, string region, string registryId)
    {
        var raw = request.RepositoryPrefix;
        if (raw is not null && raw.Length > 0)
        {
            if (request.PolicyType != PolicyType.Replication)
            {
                PullThroughCachePrefix.Check(raw);
            }
            else if (raw != PullThroughCachePrefix.Root && !(s_replicationPrefix.IsMatch(raw) && raw.Length <= 256))
            {
                // A replication filter prefix is a plain name prefix of up to 256 characters, not a pull through cache prefix.
                throw new PolicyException(ErrorIds.RepositoryPrefixInvalid, PolicyErrorKind.InvalidArgument, $"'{raw}' is not a replication repository prefix: use lowercase letters, digits, '.', '_', '-' and '/', up to 256 characters, or ROOT.", raw);
            }
        }

        var prefix = NormalizePrefix(raw);

        // ROOT (or no prefix) means repositories without a prefix: only repository/* or per-name resources reach them.
        var namespacePart = PullThroughCachePrefix.IsRoot(prefix) ? string.Empty : prefix + "/";
        var names = request.RepositoryNames?.Where(n => n is not null).ToList() ?? new List<string>();
        var repositories = new List<string>();
        if (names.Count == 0)
        {
            // A replication filter prefix is a plain name prefix (prod matches prod-app), not a namespace.
            repositories.Add(request.PolicyType == PolicyType.Replication && !PullThroughCachePrefix.IsRoot(prefix) ? prefix + "*" : namespacePart + "*");
        }
        else
        {
            foreach (var name in names)
            {
                var full = namespacePart + name.Trim('/');
                if (name.Trim('/').Length == 0 || !RepositoryArn.TryParse(RepositoryArn.Build(region, registryId, full), out _, out _))
                {
                    throw new PolicyException(ErrorIds.RepositoryNameInvalid, PolicyErrorKind.InvalidArgument, $"'{name}' is not a repository name: use lowercase letters, digits, '.', '_', '-' and '/', optionally with * or ? wildcards (the full name '{full}' must be 2 to 256 characters).", name);
                }

                repositories.Add(full);
            }
        }

        return repositories.Distinct(StringComparer.Ordinal).Select(r => RepositoryArn.Build(region, registryId, r)).ToArray();
    }

    private static JObject? BuildCondition(JObject? given, JObject? orgCondition)
    {
        if (given is not null)
        {
            foreach (var op in given.Properties())
            {
                if (op.Value is not JObject keys || !keys.HasValues)
                {
                    throw new PolicyException(ErrorIds.ConditionInvalid, PolicyErrorKind.InvalidArgument, $"The condition operator '{op.Name}' must map condition keys to values, for example @{{ StringEquals = @{{ 'aws:PrincipalOrgID' = 'o-a1b2c3d4e5' }} }}.", op.Name);
                }
            }
        }

        if (orgCondition is null)
        {
            return given is null ? null : (JObject)given.DeepClone();
        }

        var result = given is null ? new JObject() : (JObject)given.DeepClone();
        if (result["StringEquals"] is JObject stringEquals)
        {
            if (stringEquals.ContainsKey("aws:PrincipalOrgID"))
            {
                throw new PolicyException(ErrorIds.ConditionInvalid, PolicyErrorKind.InvalidArgument, "The condition already names aws:PrincipalOrgID under StringEquals, and an organization was given as well; give it once.", "aws:PrincipalOrgID", remedy: Remedy.GiveOrganizationOnce);
            }

            stringEquals.Add("aws:PrincipalOrgID", orgCondition["StringEquals"]!["aws:PrincipalOrgID"]!.DeepClone());
        }
        else
        {
            result.Add("StringEquals", orgCondition["StringEquals"]!.DeepClone());
        }

        return result;
    }
}
