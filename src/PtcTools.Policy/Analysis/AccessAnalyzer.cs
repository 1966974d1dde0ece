using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Analysis;

/// <summary>Where the registry is and who is trusted, for every check.</summary>
public sealed class AccessAnalysisOptions
{
    /// <summary>The account that owns the registry; default: the one account the policies' repository ARNs name.</summary>
    public string? RegistryId { get; set; }

    /// <summary>The registry's Region; default: the one Region the policies' repository ARNs name.</summary>
    public string? Region { get; set; }

    /// <summary>The registry policy scope (V1: only the three registry actions; V2: every ECR action).</summary>
    public RegistryPolicyScope Scope { get; set; } = RegistryPolicyScope.V2;

    /// <summary>Accounts inside the trust zone besides the registry's own.</summary>
    public IList<string> TrustedAccounts { get; } = new List<string>();

    /// <summary>Organizations inside the trust zone (principals whose aws:PrincipalOrgID is one of them).</summary>
    public IList<string> OrganizationIds { get; } = new List<string>();

    /// <summary>The most request classes decided before the answer becomes Unknown.</summary>
    public int MaxClasses { get; set; } = 2_000_000;

    /// <summary>Deliberate defects, for tests that show the differential test can fail; None in use.</summary>
    internal AnalysisMutation Mutation { get; set; }
}

/// <summary>Deliberate defects of the partition, each a plausible bug; tests prove the brute-force comparison catches them.</summary>
[Flags]
internal enum AnalysisMutation
{
    None = 0,

    /// <summary>No principal of an account nobody names (the "anything else" account).</summary>
    OmitUnnamedAccounts = 1,

    /// <summary>No assumed-role sessions.</summary>
    OmitSessions = 2,

    /// <summary>Context keys are never absent.</summary>
    OmitAbsentValues = 4,

    /// <summary>No ECR actions outside the catalog.</summary>
    OmitUnlistedActions = 8,

    /// <summary>NotResource values do not split repository names.</summary>
    OmitNotResourceValues = 16,
}

/// <summary>The access a guardrail forbids: actions, principals and repositories (each empty: all).</summary>
public sealed class AccessQuery
{
    /// <summary>Action names or patterns (<c>ecr:Create*</c>).</summary>
    public IList<string> Actions { get; } = new List<string>();

    /// <summary>Principals: account ids, account root, user, role or session ARNs, service principals, or <c>*</c>.</summary>
    public IList<string> Principals { get; } = new List<string>();

    /// <summary>Repository names or patterns (<c>team-a/*</c>).</summary>
    public IList<string> RepositoryNames { get; } = new List<string>();

    /// <summary>Count only principals outside the trust zone of the options.</summary>
    public bool OutsideTrustZoneOnly { get; set; }
}

/// <summary>
/// Exact, offline access analysis of registry policies: the request space of the registry is partitioned from the
/// constants the policies mention and every class is decided by the evaluation engine, so a Pass is a proof over
/// every request and a Fail comes with requests the engine allows.
/// </summary>
/// <remarks>
/// What a registry policy gives a request is read from two decisions of the engine: with no identity-based policy
/// (the registry policy alone) and with an identity policy that allows the request (what another account's
/// administrator, or the registry account's own IAM, can add). SCPs and permissions boundaries only take access
/// away and are the same before and after a change, so they are left out.
/// </remarks>
public static class AccessAnalyzer
{
    private static readonly Lazy<CompiledPolicy> s_allowAll = new(() => CompiledPolicy.Compile(
        PolicyDocument.Parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"), PolicyKind.Identity, "identity policy"));

    /// <summary>Does the new policy allow any request that the existing policy does not?</summary>
    /// <exception cref="PolicyException">A policy cannot be evaluated, or the registry cannot be told from the policies.</exception>
    public static AccessCheckResult CheckNoNewAccess(PolicyDocument existing, PolicyDocument updated, AccessAnalysisOptions options) =>
        NoNewAccess(existing, updated, options, removed: false);

    /// <summary>The access a change adds (no-new-access from before to after) and the access it takes away (from after to before).</summary>
    /// <exception cref="PolicyException">A policy cannot be evaluated, or the registry cannot be told from the policies.</exception>
    public static (AccessCheckResult Added, AccessCheckResult Removed) CompareAccess(PolicyDocument before, PolicyDocument after, AccessAnalysisOptions options) =>
        (NoNewAccess(before, after, options, removed: false), NoNewAccess(after, before, options, removed: true));

    // With removed, the "new" policy is the one before the change and the wording says what the change takes away.
    private static AccessCheckResult NoNewAccess(PolicyDocument existing, PolicyDocument updated, AccessAnalysisOptions options, bool removed)
    {
        var watch = Stopwatch.StartNew();
        var before = Compile(existing, "existing policy", options.Scope);
        var after = Compile(updated, "new policy", options.Scope);
        var registry = Registry(options, existing, updated);
        var facts = StatementFacts.Of(0, before).Concat(StatementFacts.Of(1, after)).ToList();
        var partition = new RequestPartition(facts, Array.Empty<StatementFacts>(), registry, options.Scope, options.TrustedAccounts.ToList(), options.OrganizationIds.ToList(), options.MaxClasses, options.Mutation);
        var decider = new Decider(options.Scope, before, after);
        var found = new List<(RequestClass Class, Level New, Level Old)>();
        foreach (var c in partition.Classes())
        {
            var old = decider.Level(0, c.Request);
            if (old == Level.Granted)
            {
                continue;
            }

            var level = decider.Level(1, c.Request);
            if (level > old)
            {
                found.Add((c, level, old));
            }
        }

        var witnesses = new List<AccessWitness>();
        var reasons = new ReasonList();
        var trust = new Trust(registry, options, facts);
        foreach (var group in Findings(found, f => f.Class, f => $"{f.New}|{f.Old}|{trust.Classify(f.Class)}"))
        {
            var first = group.First();
            var identity = first.New == Level.Granted ? null : IdentityPolicy(first.Class.Request);
            var newResult = decider.Evaluate(1, first.Class.Request, identity is not null);
            var oldResult = decider.Evaluate(0, first.Class.Request, identity is not null);
            var grants = newResult.MatchedStatements.Where(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Resource).ToList();
            var denials = oldResult.MatchedStatements.Where(m => m.Effect == "Deny" && m.PolicyKind == PolicyKind.Resource).ToList();
            var (granting, denying) = removed ? ("existing policy", "new policy") : ("new policy", "existing policy");
            foreach (var m in grants)
            {
                reasons.Add(granting, m, removed ? $"Removed access in the statement with index: {m.Index} of the existing policy." : $"New access in the statement with index: {m.Index}.");
            }

            foreach (var m in denials)
            {
                reasons.Add(denying, m, removed ? $"The new policy's statement with index: {m.Index} denies access that the existing policy did not deny." : $"The existing policy's statement with index: {m.Index} denies access that the new policy does not deny.");
            }

            var access = trust.Classify(first.Class);
            var grant = first.New == Level.Granted ? GrantKind.Granted : GrantKind.IfIdentityAllows;
            var what = Summary(group.Select(g => g.Class).ToList(), out var actions, out var resources);
            var how = first.Old == Level.IfIdentityAllows
                ? "the new policy alone allows it, where the existing one needed an identity policy too"
                : grant == GrantKind.Granted ? "the new policy alone allows it" : "the new policy allows it when the principal's identity policy does";
            var description = removed
                ? $"Removed access: {what.Replace(" can ", " could ")}{(grant == GrantKind.Granted ? string.Empty : " when its identity policy allowed it")}; the new policy no longer allows it."
                : $"New access: {what}; {how}.";
            witnesses.Add(new AccessWitness(first.Class.Request, first.Class.Context, identity, access, grant, actions, resources,
                Conditions(after, grants), grants.Select(m => granting + ": " + m.Label).Concat(denials.Select(m => denying + ": " + m.Label + " (Deny)")).ToList(),
                newResult.Decision, oldResult.Decision, description));
        }

        var status = Status(witnesses.Count > 0, partition);
        var message = status switch
        {
            AccessCheckStatus.Fail => removed ? "The existing policy grants access that the new policy does not." : "The new policy grants new access compared to the existing policy.",
            AccessCheckStatus.Pass => removed ? "The new policy keeps all the access of the existing policy." : "The new policy grants no new access compared to the existing policy.",
            _ => "No new access was found, but part of the request space could not be partitioned exactly.",
        };
        return Result(AccessCheckKind.NoNewAccess, status, message, reasons, partition, witnesses, registry, watch);
    }

    /// <summary>Does the policy grant any of the access the query names?</summary>
    /// <exception cref="PolicyException">The policy cannot be evaluated, a query value is malformed, or the registry cannot be told from the policy.</exception>
    public static AccessCheckResult CheckAccessNotGranted(PolicyDocument policy, AccessQuery query, AccessAnalysisOptions options)
    {
        StatementFacts? q = null;
        return Grants(AccessCheckKind.AccessNotGranted, policy, options, options,
            registry => new[] { q = StatementFacts.Of(2, QueryPolicy(query, registry))[0] },
            (c, access) => q!.CoversAction(c.Request.Action) && q.CoversResource(c.Request) && q.MayCoverPrincipal(c.Request)
                && !(query.OutsideTrustZoneOnly && access == AccessClassification.Trusted),
            "The statement with index: {0} grants the access the guardrail forbids.",
            status => status switch
            {
                AccessCheckStatus.Fail => "The policy grants access that the guardrail forbids.",
                AccessCheckStatus.Pass => "The policy does not grant the listed access.",
                _ => "The listed access was not found, but part of the request space could not be partitioned exactly.",
            });
    }

    /// <summary>Does the policy grant access to everyone: principals of an account it does not name, in no named organization?</summary>
    /// <exception cref="PolicyException">The policy cannot be evaluated, or the registry cannot be told from the policy.</exception>
    public static AccessCheckResult CheckNoPublicAccess(PolicyDocument policy, AccessAnalysisOptions options)
    {
        // Public is about everyone: no trust zone, and a named account's principals are never "anyone".
        var noTrust = new AccessAnalysisOptions { RegistryId = options.RegistryId, Region = options.Region, Scope = options.Scope, MaxClasses = options.MaxClasses, Mutation = options.Mutation };
        return Grants(AccessCheckKind.NoPublicAccess, policy, noTrust, noTrust, _ => Array.Empty<StatementFacts>(),
            (c, access) => access == AccessClassification.Public,
            "Public access in the statement with index: {0}.",
            status => status switch
            {
                AccessCheckStatus.Fail => "The registry policy grants public access: principals of any account can use it.",
                AccessCheckStatus.Pass => "The registry policy does not grant public access.",
                _ => "No public access was found, but part of the request space could not be partitioned exactly.",
            });
    }

    /// <summary>Every grant to principals outside the trust zone (the registry's account, the trusted accounts and organizations).</summary>
    /// <exception cref="PolicyException">The policy cannot be evaluated, or the registry cannot be told from the policy.</exception>
    public static AccessCheckResult FindExternalAccess(PolicyDocument policy, AccessAnalysisOptions options)
    {
        return Grants(AccessCheckKind.ExternalAccess, policy, options, options, _ => Array.Empty<StatementFacts>(),
            (c, access) => access != AccessClassification.Trusted,
            "External access in the statement with index: {0}.",
            status => status switch
            {
                AccessCheckStatus.Fail => "The registry policy grants access outside the trust zone ({zone}).",
                AccessCheckStatus.Pass => "The registry policy grants no access outside the trust zone ({zone}).",
                _ => "No access outside the trust zone ({zone}) was found, but part of the request space could not be partitioned exactly.",
            });
    }

    // The single-policy checks: every class the check counts (by the constants it adds and the classification) that the policy grants.
    private static AccessCheckResult Grants(AccessCheckKind kind, PolicyDocument policy, AccessAnalysisOptions options, AccessAnalysisOptions trustOptions,
        Func<RegistryTarget, IReadOnlyList<StatementFacts>> constants, Func<RequestClass, AccessClassification, bool> counts, string reason, Func<AccessCheckStatus, string> message)
    {
        var watch = Stopwatch.StartNew();
        var compiled = Compile(policy, "policy", options.Scope);
        var registry = Registry(options, policy);
        var facts = StatementFacts.Of(0, compiled);
        var partition = new RequestPartition(facts, constants(registry), registry, options.Scope, trustOptions.TrustedAccounts.ToList(), trustOptions.OrganizationIds.ToList(), options.MaxClasses, options.Mutation);
        var decider = new Decider(options.Scope, compiled);
        var trust = new Trust(registry, trustOptions, facts);
        var found = new List<(RequestClass Class, Level Level, AccessClassification Access)>();
        foreach (var c in partition.Classes())
        {
            var access = trust.Classify(c);
            if (!counts(c, access))
            {
                continue;
            }

            var level = decider.Level(0, c.Request);
            if (Grants(level, c.Request))
            {
                found.Add((c, level, access));
            }
        }

        var (witnesses, reasons) = Witnesses(compiled, decider, found, reason);
        var status = Status(witnesses.Count > 0, partition);
        var text = message(status).Replace("{zone}", string.Join(", ", trust.Describe()));
        return Result(kind, status, text, reasons, partition, witnesses, registry, watch);
    }

    // Does the registry policy give the request: alone, or across accounts as its part of the grant? Within the
    // registry's account a grant to the account only delegates to IAM, and no Deny is no grant.
    private static bool Grants(Level level, AccessRequest request) =>
        level == Level.Granted || (level == Level.IfIdentityAllows && !request.SameAccount && !request.IsServicePrincipal);

    private static (List<AccessWitness>, ReasonList) Witnesses(CompiledPolicy? policy, Decider decider, List<(RequestClass Class, Level Level, AccessClassification Access)> found, string reason)
    {
        var witnesses = new List<AccessWitness>();
        var reasons = new ReasonList();
        foreach (var group in Findings(found, f => f.Class, f => $"{f.Level}|{f.Access}").OrderBy(g => g[0].Access).ThenBy(g => g[0].Class.Principal.Principal, StringComparer.Ordinal))
        {
            var first = group.First();
            var identity = first.Level == Level.Granted ? null : IdentityPolicy(first.Class.Request);
            var result = decider.Evaluate(0, first.Class.Request, identity is not null);
            var grants = result.MatchedStatements.Where(m => m.Effect == "Allow" && m.PolicyKind == PolicyKind.Resource).ToList();
            foreach (var m in grants)
            {
                reasons.Add("policy", m, string.Format(System.Globalization.CultureInfo.InvariantCulture, reason, m.Index));
            }

            var what = Summary(group.Select(g => g.Class).ToList(), out var actions, out var resources);
            var how = identity is null ? "the registry policy alone allows it" : "when its identity policy allows it too";
            witnesses.Add(new AccessWitness(first.Class.Request, first.Class.Context, identity, first.Access, identity is null ? GrantKind.Granted : GrantKind.IfIdentityAllows,
                actions, resources, Conditions(policy, grants), grants.Select(m => m.Label).ToList(), result.Decision, null, $"{first.Access}: {what}; {how}."));
        }

        return (witnesses, reasons);
    }

    // The classes of one principal with the same access, then the principals of one account with the same actions and
    // repositories: one finding each, whose witness is its first class.
    private static List<List<T>> Findings<T>(IEnumerable<T> found, Func<T, RequestClass> of, Func<T, string> access)
    {
        string Set(IEnumerable<string> values) => string.Join(",", values.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal));
        return found
            .GroupBy(f => of(f).Principal.Principal + "\n" + access(f), StringComparer.Ordinal)
            .Select(g => g.ToList())
            .GroupBy(g => string.Join("\n", of(g[0]).Principal.Account ?? of(g[0]).Principal.Principal, access(g[0]), Set(g.SelectMany(f => of(f).Actions.Actions)), Set(g.Select(f => of(f).Request.Resource))), StringComparer.Ordinal)
            .Select(g => g.SelectMany(x => x).ToList())
            .ToList();
    }

    private static string Summary(List<RequestClass> classes, out IReadOnlyList<string> actions, out IReadOnlyList<string> resources)
    {
        actions = classes.SelectMany(c => c.Actions.Actions).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(a => a, StringComparer.Ordinal).ToList();
        resources = classes.Select(c => c.Request.Resource).Distinct(StringComparer.Ordinal).ToList();
        var first = classes[0].Request;
        var moreActions = actions.Count > 1 ? $" (and {Count(actions.Count - 1, "more action", "more actions")})" : string.Empty;
        var moreResources = resources.Count > 1 ? $" (and {Count(resources.Count - 1, "more repository class", "more repository classes")})" : string.Empty;
        var resource = first.Resource == "*" ? "*" : first.Resource.Substring(first.Resource.IndexOf(ResourceSpace.Prefix, StringComparison.Ordinal));
        var unlisted = classes[0].Actions.InCatalog ? string.Empty : " (an ECR action not in the catalog)";
        var principals = classes.Select(c => c.Principal.Principal).Distinct(StringComparer.Ordinal).Count();
        var account = classes[0].Principal.Account;
        var others = principals == 1 ? string.Empty
            : account is null ? $" (and {Count(principals - 1, "more principal", "more principals")})"
            : $" (and {Count(principals - 1, "more principal", "more principals")} of {(classes[0].Principal.AccountNamed ? "account " + account : "any account the policy does not name")})";
        return $"{first.Principal}{others} can {first.Action}{unlisted}{moreActions} on {resource}{moreResources}";
    }

    private static IReadOnlyList<string> Conditions(CompiledPolicy? policy, IEnumerable<MatchedStatement> statements) =>
        policy is null ? Array.Empty<string>() : statements.SelectMany(m => policy.Statements[m.Index].Conditions.Select(c => $"{m.Label}: {c.Describe()}")).Distinct(StringComparer.Ordinal).ToList();

    private static string IdentityPolicy(AccessRequest request) =>
        new JObject
        {
            ["Version"] = "2012-10-17",
            ["Statement"] = new JArray(new JObject { ["Effect"] = "Allow", ["Action"] = request.Action, ["Resource"] = request.Resource }),
        }.ToString(Newtonsoft.Json.Formatting.None);

    private static AccessCheckStatus Status(bool found, RequestPartition partition) =>
        found ? AccessCheckStatus.Fail : partition.Unknowns.Entries.Count > 0 || partition.Truncated ? AccessCheckStatus.Unknown : AccessCheckStatus.Pass;

    private static AccessCheckResult Result(AccessCheckKind kind, AccessCheckStatus status, string message, ReasonList reasons, RequestPartition partition, List<AccessWitness> witnesses, RegistryTarget registry, Stopwatch watch)
    {
        var list = reasons.ToList();
        if (status != AccessCheckStatus.Pass)
        {
            foreach (var entry in partition.Unknowns.Entries)
            {
                var s = entry.Key;
                var policy = s is null ? "policy" : s.PolicyIndex == 1 ? "new policy" : s.PolicyIndex == 2 ? "query" : s.Policy.Name;
                list.Add(new AccessReason(policy, s?.Statement.Index ?? -1, s?.Statement.Sid, s is null ? $"Not partitioned exactly: {entry.Value}" : $"Not partitioned exactly: the statement with index: {s.Statement.Index} of the {policy}: {entry.Value}"));
            }

            if (partition.Truncated)
            {
                list.Add(new AccessReason("policy", -1, null, $"Not partitioned exactly: the request space has more than {partition.Count} classes, the most the analysis decides."));
            }
        }

        watch.Stop();
        return new AccessCheckResult(kind, status, message, list, witnesses, partition.Count, registry.Account, registry.Region, watch.Elapsed);
    }

    private static string Count(int n, string one, string many) => $"{n} {(n == 1 ? one : many)}";

    // A policy without statements is no registry policy at all (before the first write, after a delete): null.
    private static CompiledPolicy? Compile(PolicyDocument document, string name, RegistryPolicyScope scope)
    {
        if (document is null) { throw new ArgumentNullException(nameof(document)); }
        return document.HasStatementElement && document.Statements.Count == 0 ? null : CompiledPolicy.Compile(document, PolicyKind.Resource, name, scope);
    }

    // The query as a statement: its principals, actions and repositories split the space and say which classes it asks about.
    private static CompiledPolicy QueryPolicy(AccessQuery query, RegistryTarget registry)
    {
        JToken List(IEnumerable<string> values) => new JArray(values.Select(v => (JToken)v));
        var principals = query.Principals.Count == 0 || query.Principals.Contains("*") ? (JToken)"*" : Principal(query.Principals);
        var statement = new JObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = principals,
            ["Action"] = query.Actions.Count == 0 ? (JToken)"*" : List(query.Actions),
            ["Resource"] = query.RepositoryNames.Count == 0 ? (JToken)"*" : List(query.RepositoryNames.Select(n => registry.RepositoryArn(ResourceSpace.Prefix + n))),
        };
        var document = PolicyDocument.FromJObject(new JObject { ["Version"] = "2012-10-17", ["Statement"] = new JArray(statement) });
        try
        {
            return CompiledPolicy.Compile(document, PolicyKind.Resource, "query");
        }
        catch (PolicyException ex)
        {
            throw new PolicyException(ErrorIds.AccessQueryInvalid, PolicyErrorKind.InvalidArgument, "The access to check is not valid: " + ex.Message, query, ex);
        }
    }

    private static JObject Principal(IEnumerable<string> principals)
    {
        var aws = new JArray();
        var service = new JArray();
        foreach (var p in principals)
        {
            if (PrincipalSpace.IsServicePrincipal(p))
            {
                service.Add(p);
            }
            else
            {
                aws.Add(p);
            }
        }

        var obj = new JObject();
        if (aws.Count > 0) { obj["AWS"] = aws; }
        if (service.Count > 0) { obj["Service"] = service; }
        return obj;
    }

    // The registry: as given, or the one account and Region the policies' repository ARNs name.
    private static RegistryTarget Registry(AccessAnalysisOptions options, params PolicyDocument[] documents)
    {
        // The same checks, ids and messages as the linter's options (RegistryIdInvalid, RegionInvalid, AccountIdInvalid, OrganizationIdInvalid).
        new Lint.LintOptions { RegistryId = options.RegistryId, Region = options.Region, TrustedAccounts = options.TrustedAccounts, OrganizationIds = options.OrganizationIds }.Validate();
        var accounts = new SortedSet<string>(StringComparer.Ordinal);
        var regions = new SortedSet<string>(StringComparer.Ordinal);
        var patternedRegion = false;
        foreach (var statement in documents.SelectMany(d => d.Statements))
        {
            foreach (var value in statement.Resource.Concat(statement.NotResource))
            {
                var parts = value.Split(':');
                if (parts.Length < 6 || parts[0] != "arn")
                {
                    continue;
                }

                if (Arn.IsAccountId(parts[4]))
                {
                    accounts.Add(parts[4]);
                }

                if (Partitions.IsRegionName(parts[3]))
                {
                    regions.Add(parts[3]);
                }
                else if (parts[3] != "*")
                {
                    patternedRegion = true;
                }
            }
        }

        var account = options.RegistryId;
        if (account is null)
        {
            if (accounts.Count != 1)
            {
                throw new PolicyException(ErrorIds.RegistryIdRequired, PolicyErrorKind.InvalidArgument, accounts.Count == 0
                    ? "The policies name no account in their repository ARNs, so the registry they belong to is unknown."
                    : $"The policies name {accounts.Count} accounts in their repository ARNs ({string.Join(", ", accounts)}), so the registry they belong to is unknown.", null, remedy: Remedy.GiveRegistryId);
            }

            account = accounts.Min!;
        }

        var region = options.Region;
        if (region is null)
        {
            if (regions.Count > 1 || (regions.Count == 0 && patternedRegion))
            {
                throw new PolicyException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument, regions.Count > 1
                    ? $"The policies name {regions.Count} Regions in their repository ARNs ({string.Join(", ", regions)}), so the registry's Region is unknown."
                    : "The policies' repository ARNs name no Region, only patterns, so the registry's Region is unknown.", null, remedy: Remedy.GiveRegistryRegion);
            }

            // No Region at all: every repository ARN has "*" there (or there is none), so any Region decides alike.
            region = regions.Count == 1 ? regions.Min! : "us-east-1";
        }

        return new RegistryTarget(account, region);
    }

    // The engine's two decisions, read as what the registry policy gives the request.
    internal enum Level
    {
        None,
        IfIdentityAllows,
        Granted,
    }

    internal sealed class Decider
    {
        private readonly PolicySet[] _plain;
        private readonly PolicySet[] _identity;

        public Decider(RegistryPolicyScope scope, params CompiledPolicy?[] policies)
        {
            _plain = policies.Select(p => new PolicySet(p, scope: scope)).ToArray();
            _identity = policies.Select(p => new PolicySet(p, new[] { s_allowAll.Value }, scope: scope)).ToArray();
        }

        public Level Level(int policy, AccessRequest request)
        {
            if (request.IsServicePrincipal)
            {
                return PermissionEvaluator.Decide(_plain[policy], request) == PermissionDecision.Allowed ? AccessAnalyzer.Level.Granted : AccessAnalyzer.Level.None;
            }

            if (PermissionEvaluator.Decide(_identity[policy], request) != PermissionDecision.Allowed)
            {
                return AccessAnalyzer.Level.None;
            }

            return request.SameAccount && PermissionEvaluator.Decide(_plain[policy], request) == PermissionDecision.Allowed ? AccessAnalyzer.Level.Granted : AccessAnalyzer.Level.IfIdentityAllows;
        }

        public EvaluationResult Evaluate(int policy, AccessRequest request, bool withIdentity) =>
            PermissionEvaluator.Evaluate(withIdentity ? _identity[policy] : _plain[policy], request);
    }

    // The trust zone: the registry's account, the trusted accounts, the trusted organizations.
    private sealed class Trust
    {
        private readonly HashSet<string> _accounts;
        private readonly List<string> _organizations;
        private readonly HashSet<string> _named;

        public Trust(RegistryTarget registry, AccessAnalysisOptions options, IEnumerable<StatementFacts> statements)
        {
            _accounts = new HashSet<string>(options.TrustedAccounts.Append(registry.Account), StringComparer.Ordinal);
            _organizations = options.OrganizationIds.ToList();
            _named = new HashSet<string>(NamedOrganizations(statements), StringComparer.Ordinal);
        }

        public IEnumerable<string> Describe() =>
            _accounts.OrderBy(a => a, StringComparer.Ordinal).Select(a => "account " + a).Concat(_organizations.Select(o => "organization " + o));

        public AccessClassification Classify(RequestClass c)
        {
            if (c.Principal.Shape == PrincipalShape.Service)
            {
                return AccessClassification.Service;
            }

            if (c.Principal.Account is { } account && _accounts.Contains(account))
            {
                return AccessClassification.Trusted;
            }

            var org = c.Context.FirstOrDefault(p => string.Equals(p.Key, "aws:PrincipalOrgID", StringComparison.OrdinalIgnoreCase)).Value;
            var paths = c.Context.FirstOrDefault(p => string.Equals(p.Key, "aws:PrincipalOrgPaths", StringComparison.OrdinalIgnoreCase)).Value;
            var orgs = (org?.Single is { } one ? new[] { one } : org?.Values ?? Array.Empty<string>()).ToList();
            var pathOrgs = (paths?.Single is { } single ? new[] { single } : paths?.Values ?? Array.Empty<string>()).Select(p => p.Split('/')[0]).ToList();
            if (orgs.Concat(pathOrgs).Any(o => _organizations.Contains(o, StringComparer.Ordinal)))
            {
                return AccessClassification.Trusted;
            }

            if (c.Principal.AccountNamed)
            {
                return AccessClassification.OtherAccount;
            }

            // An account nobody names stands for every account: the grant reaches the public unless an organization a policy names bounds it.
            return orgs.Concat(pathOrgs).Any(o => _named.Contains(o)) ? AccessClassification.OtherOrganization : AccessClassification.Public;
        }

        // Organizations the policies name literally in aws:PrincipalOrgID or as the first part of aws:PrincipalOrgPaths.
        private static IEnumerable<string> NamedOrganizations(IEnumerable<StatementFacts> statements)
        {
            foreach (var condition in statements.SelectMany(s => s.Conditions))
            {
                var isId = string.Equals(condition.Key, "aws:PrincipalOrgID", StringComparison.OrdinalIgnoreCase);
                var isPath = string.Equals(condition.Key, "aws:PrincipalOrgPaths", StringComparison.OrdinalIgnoreCase);
                if (!(isId || isPath) || !condition.IsStringLike)
                {
                    continue;
                }

                foreach (var value in condition.Values)
                {
                    var org = isPath ? value.Split('/')[0] : value;
                    var wildcards = condition.Family is OperatorFamily.StringLike or OperatorFamily.ArnLike;
                    if (org.Length > 0 && !(wildcards && Wildcard.HasWildcard(org)) && org.IndexOf("${", StringComparison.Ordinal) < 0)
                    {
                        yield return org;
                    }
                }
            }
        }
    }

    // Reasons in order, each statement once.
    private sealed class ReasonList : List<AccessReason>
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public void Add(string policy, MatchedStatement statement, string description)
        {
            if (_seen.Add(policy + "|" + statement.Index + "|" + description))
            {
                Add(new AccessReason(policy, statement.Index, statement.Sid, description));
            }
        }
    }
}
