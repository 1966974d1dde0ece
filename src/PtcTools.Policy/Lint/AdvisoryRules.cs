using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>The warning rules (PTC101-PTC108): policies ECR accepts that grant too much, never apply, or will not work as meant.</summary>
/// <remarks>They run only on statements without errors: advice about a statement ECR rejects is noise.</remarks>
internal static class AdvisoryRules
{
    // Keys that tie a request to an account or organization; a positive test on one narrows "*".
    private static readonly string[] s_narrowingKeys =
    {
        "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalArn",
        "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceArn",
    };

    // Fewer than this many ECR actions in one wildcard is a family (ecr:Describe*, ecr:Get*); more is "almost everything".
    private const int BroadWildcardThreshold = 15;

    public static void Check(LintContext context, IReadOnlyList<StatementReading> statements)
    {
        var sound = statements.Where(s => !context.HasError(s)).ToList();
        foreach (var s in sound)
        {
            CheckPublic(context, s);
            CheckRegistryScope(context, s);
            CheckBroad(context, s);
            CheckPrefixes(context, s);
            CheckTrusted(context, s);
        }

        CheckPullThroughCachePairs(context, sound);
        CheckRedundant(context, sound);
    }

    private static void CheckPublic(LintContext context, StatementReading s)
    {
        if (!s.IsAllow || !s.IsEveryone || Narrowing(s).Any())
        {
            return;
        }

        var token = s.Principals.First(p => p.Id.Kind == PrincipalKind.Everyone).Token;
        var uncounted = s.Conditions.Where(c => s_narrowingKeys.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).ToList();
        var why = uncounted.Count == 0
            ? "no account or organization condition"
            : "an account or organization condition that does not always apply (" + string.Join("; ", uncounted.Select(c => $"{c.Operator.Name} on {c.Key}: " +
                (c.Operator.IfExists ? "IfExists holds when the key is absent, as for anonymous callers"
                : c.Operator.Set == SetQualifier.ForAllValues ? "ForAllValues: holds when the key is absent, as for anonymous callers"
                : c.Operator.Negated ? "a negated operator admits every other value and an absent key"
                : c.Values.Any(v => v == "*") ? "the value * matches every caller"
                : "it is not a String or Arn test"))) + ")";
        context.Report(LintRules.PublicPrincipal, token, s,
            $"Principal \"*\" with Allow and {why} grants these actions to every AWS account, and to anonymous callers: anyone could import images into your registry or create repositories in it. " +
            "Name the accounts or roles in Principal, or add a Condition such as {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}} or {\"StringEquals\": {\"aws:PrincipalAccount\": \"111122223333\"}}.");
    }

    private static void CheckRegistryScope(LintContext context, StatementReading s)
    {
        var registry = context.Options.RegistryId;
        var region = context.Options.Region;
        if (registry is null && region is null)
        {
            return;
        }

        foreach (var resource in s.Resources.Where(r => !r.IsAll))
        {
            var account = resource.Account ?? "*";
            var arnRegion = resource.Region ?? "*";
            var arnPartition = resource.Partition ?? "*";
            var problems = new List<string>();
            if (registry is not null && !Wildcard.IsMatch(account, registry, ignoreCase: false))
            {
                problems.Add($"the account {account} is not the registry's account {registry}");
            }

            if (region is not null && !Wildcard.IsMatch(arnRegion, region, ignoreCase: true))
            {
                problems.Add($"the Region {arnRegion} is not the registry's Region {region}");
            }
            else if (region is not null && !Wildcard.IsMatch(arnPartition, Partitions.FromRegion(region), ignoreCase: true))
            {
                problems.Add($"the partition {arnPartition} is not {Partitions.FromRegion(region)}, the partition of {region}");
            }

            if (problems.Count > 0)
            {
                var fixRegion = region ?? (Partitions.IsRegionName(arnRegion) ? arnRegion : "us-east-1");
                var fix = $"arn:{Partitions.FromRegion(fixRegion)}:ecr:{fixRegion}:{registry ?? account}:{resource.ResourcePart ?? "repository/*"}";
                context.Report(LintRules.ResourceOutsideRegistry, resource.Token, s,
                    $"'{resource.Text}' can never match a repository of this registry: {string.Join(" and ", problems)}. A registry policy only governs its own account's repositories in its own Region. Use {fix}.");
            }
        }
    }

    private static void CheckBroad(LintContext context, StatementReading s)
    {
        if (!s.IsAllow)
        {
            return;
        }

        if (s.UsesNotAction)
        {
            context.Report(LintRules.BroadActions, s.Json.Property("NotAction"), s,
                "Allow with NotAction grants every action except the listed ones (in every service, PutRegistryPolicy and DeleteRepository included). List the actions the principals need in Action instead.");
            return;
        }

        foreach (var value in s.Actions)
        {
            var action = value.Text;
            var matches = value.EcrActions.Count;
            var permissions = value.EcrActions.Any(a => EcrActions.Find(a)?.AccessLevel.IndexOf("Permissions management", StringComparison.OrdinalIgnoreCase) >= 0);
            if (Wildcard.HasWildcard(action) && (matches >= BroadWildcardThreshold || permissions))
            {
                context.Report(LintRules.BroadActions, value.Token, s,
                    $"'{action}' grants {matches} ECR actions{(permissions ? ", permission management (such as ecr:SetRepositoryPolicy or ecr:PutRegistryPolicy) among them" : string.Empty)}; AWS advises against ecr:* in a registry policy. " +
                    "List the actions the principals need: for pull through cache ecr:CreateRepository and ecr:BatchImportUpstreamImage, for replication ecr:CreateRepository and ecr:ReplicateImage.");
            }
        }
    }

    private static bool IsPullThroughCacheGrant(StatementReading s) =>
        s.IsAllow && !s.UsesNotAction &&
        (s.Granted.Contains(EcrActions.BatchImportUpstreamImage) || s.Granted.Contains(EcrActions.CreateRepository)) &&
        !s.Granted.Contains(EcrActions.ReplicateImage) && !s.Granted.Contains("ecr:BatchGetImage");

    private static void CheckPrefixes(LintContext context, StatementReading s)
    {
        var rules = context.Options.PullThroughCacheRulePrefixes;
        if (rules is null || rules.Count == 0 || !IsPullThroughCacheGrant(s))
        {
            return;
        }

        var hasRoot = rules.Any(r => r == PullThroughCachePrefix.Root);
        var prefixes = rules.Where(r => !PullThroughCachePrefix.IsRoot(r)).Select(r => PullThroughCachePrefix.Normalize(r) + "/").ToList();
        foreach (var resource in s.Resources)
        {
            if (resource.Repository is not { } repository)
            {
                continue;
            }

            var literal = LiteralPrefix(repository);
            if (literal.Length == 0 || prefixes.Any(p => literal.StartsWith(p, StringComparison.Ordinal) || p.StartsWith(literal, StringComparison.Ordinal)))
            {
                continue;
            }

            var known = prefixes.Count == 0 ? "none" : string.Join(", ", prefixes.Select(p => p.TrimEnd('/')));
            if (hasRoot)
            {
                var everything = resource.Text.Substring(0, resource.Text.Length - repository.Length) + "*";
                context.Report(LintRules.PrefixMissedByRootRule, resource.Token, s,
                    $"'{resource.Text}' is scoped to '{literal}', but the registry's ROOT pull through cache rule caches repositories under their upstream names with no prefix, so they never start with '{literal}' (prefixed rules: {known}). " +
                    $"Use {everything} or name the cached repositories themselves.");
            }
            else
            {
                context.Report(LintRules.PrefixMatchesNoRule, resource.Token, s,
                    $"'{resource.Text}' is scoped to '{literal}', which matches no pull through cache rule of the registry (rules: {known}), so pulls through the cache never create or import repositories it names. " +
                    "Scope it to a rule's prefix, e.g. repository/ecr-public/*, or create the rule first.");
            }
        }
    }

    private static string LiteralPrefix(string repository)
    {
        var wildcard = Wildcard.IndexOfWildcard(repository);
        return wildcard < 0 ? repository : repository.Substring(0, wildcard);
    }

    private static void CheckTrusted(LintContext context, StatementReading s)
    {
        var options = context.Options;
        if (!s.IsAllow || (options.TrustedAccounts.Count == 0 && options.OrganizationIds.Count == 0))
        {
            return;
        }

        var trusted = new HashSet<string>(options.TrustedAccounts, StringComparer.Ordinal);
        if (options.RegistryId is not null)
        {
            trusted.Add(options.RegistryId);
        }

        var orgs = new HashSet<string>(options.OrganizationIds, StringComparer.Ordinal);
        var narrowing = Narrowing(s).ToList();
        var orgValues = narrowing.Where(n => n.Key == "aws:PrincipalOrgID").SelectMany(n => n.Values).ToList();
        var accountValues = narrowing.Where(n => n.Key == "aws:PrincipalAccount").SelectMany(n => n.Values).ToList();
        var limitedToTrustedOrgs = orgValues.Count > 0 && orgValues.All(orgs.Contains);
        var limitedToTrustedAccounts = accountValues.Count > 0 && accountValues.All(trusted.Contains);
        if (limitedToTrustedOrgs || limitedToTrustedAccounts)
        {
            return;
        }

        foreach (var principal in s.Principals)
        {
            var (token, id) = (principal.Token, principal.Id);
            if (id.Kind == PrincipalKind.Everyone)
            {
                if (narrowing.Count > 0)
                {
                    var values = orgValues.Concat(accountValues).Where(v => !orgs.Contains(v) && !trusted.Contains(v)).ToList();
                    context.Report(LintRules.UntrustedAccess, token, s,
                        $"Principal \"*\" is narrowed only by {(values.Count > 0 ? "values outside the trusted accounts and organizations (" + string.Join(", ", values) + ")" : "conditions that do not limit it to the trusted accounts or organizations")}. " +
                        "Limit it with aws:PrincipalOrgID or aws:PrincipalAccount to trusted ones, or add them to the trusted accounts or organizations if they are trusted.");
                }
            }
            else if (id.Account is not null && !trusted.Contains(id.Account))
            {
                context.Report(LintRules.UntrustedAccess, token, s,
                    $"'{id.Text}' is in the account {id.Account}, which is not a trusted account{(orgs.Count > 0 ? " and the statement does not require a trusted organization (aws:PrincipalOrgID)" : string.Empty)}. " +
                    "Remove the principal, or add the account to the trusted accounts if it is trusted.");
            }
        }
    }

    // Positive, always-evaluated tests of an account or organization key, with their values.
    private static IEnumerable<(string Key, List<string> Values)> Narrowing(StatementReading s)
    {
        foreach (var condition in s.Conditions)
        {
            var op = condition.Operator;
            if (op.Negated || op.IfExists || op.Set == SetQualifier.ForAllValues || !(op.IsString || op.Family == OperatorFamily.ArnLike))
            {
                continue;
            }

            var canonical = s_narrowingKeys.FirstOrDefault(k => string.Equals(k, condition.Key, StringComparison.OrdinalIgnoreCase));
            var values = condition.Values.ToList();
            if (canonical is not null && values.Count > 0 && !values.Any(v => v == "*"))
            {
                yield return (canonical, values);
            }
        }
    }

    private static void CheckPullThroughCachePairs(LintContext context, List<StatementReading> statements)
    {
        foreach (var s in statements.Where(IsPullThroughCacheGrant))
        {
            var hasCreate = s.Granted.Contains(EcrActions.CreateRepository);
            var hasImport = s.Granted.Contains(EcrActions.BatchImportUpstreamImage);
            if (hasCreate == hasImport || s.UsesNotPrincipal || s.UsesNotResource)
            {
                continue;
            }

            var missing = hasCreate ? EcrActions.BatchImportUpstreamImage : EcrActions.CreateRepository;
            var present = hasCreate ? EcrActions.CreateRepository : EcrActions.BatchImportUpstreamImage;
            var completed = statements.Any(t => t != s && t.IsAllow && t.Granted.Contains(missing) && !t.UsesNotPrincipal && !t.UsesNotResource && Covers(t, s, actions: false));
            if (completed)
            {
                continue;
            }

            var token = s.Actions.FirstOrDefault(a => a.EcrActions.Contains(present, StringComparer.OrdinalIgnoreCase))?.Token ?? s.Json;
            context.Report(LintRules.PullThroughCachePairIncomplete, token, s,
                $"The statement grants {present} but no statement grants {missing} to the same principals on the same repositories. Pulling through the cache needs both: ecr:BatchImportUpstreamImage to import the image, and ecr:CreateRepository to create the cache repository on the first pull. " +
                $"Add {missing} to Action (leave out ecr:CreateRepository only if every cache repository already exists).");
        }
    }

    private static void CheckRedundant(LintContext context, List<StatementReading> statements)
    {
        foreach (var s in statements.Where(x => x.IsPositive))
        {
            var cover = statements.FirstOrDefault(t => t != s && t.IsPositive && t.Effect == s.Effect && Covers(t, s, actions: true) && JToken.DeepEquals(t.Condition, s.Condition)
                && !(Covers(s, t, actions: true) && t.Index > s.Index));
            if (cover is null)
            {
                continue;
            }

            var name = cover.Sid is null ? $"statement {cover.Index}" : $"statement {cover.Index} (\"{cover.Sid}\")";
            context.Report(LintRules.StatementRedundant, s.Json, s,
                $"Everything this statement {(s.IsAllow ? "allows" : "denies")} is already {(s.IsAllow ? "allowed" : "denied")} by {name}, for the same principals, actions, resources and conditions. Remove it, or merge the two, to keep the policy short (ECR allows 10240 characters).");
        }
    }

    // True when t's principals, actions (optionally) and resources include all of s's.
    private static bool Covers(StatementReading t, StatementReading s, bool actions)
    {
        if (s.Principals.Count == 0 || t.Principals.Count == 0 || s.Resources.Count == 0 || t.Resources.Count == 0)
        {
            return false;
        }

        var principals = t.IsEveryone || s.Principals.All(p => t.Principals.Any(q => q.Id.Equals(p.Id)));
        var resources = s.Resources.All(r => t.Resources.Any(q => Wildcard.IsMatch(q.Text, r.Text, ignoreCase: false)));
        var acts = !actions || s.Actions.All(a => t.Actions.Any(q => Wildcard.IsMatch(q.Text, a.Text, ignoreCase: true)));
        return principals && resources && acts;
    }
}
