using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Analysis;

/// <summary>Why part of the request space could not be partitioned exactly, and which statement caused it.</summary>
internal sealed class UnknownLog
{
    private readonly List<KeyValuePair<StatementFacts?, string>> _entries = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public IReadOnlyList<KeyValuePair<StatementFacts?, string>> Entries => _entries;

    public void Add(StatementFacts? statement, string reason)
    {
        var key = (statement is null ? "-" : $"{statement.PolicyIndex}/{statement.Statement.Index}") + "|" + reason;
        if (_seen.Add(key))
        {
            _entries.Add(new KeyValuePair<StatementFacts?, string>(statement, reason));
        }
    }
}

/// <summary>The account, Region and partition of the registry whose policy is analysed.</summary>
internal sealed class RegistryTarget
{
    public RegistryTarget(string account, string region)
    {
        Account = account;
        Region = region;
        Partition = Partitions.FromRegion(region);
    }

    public string Account { get; }

    public string Region { get; }

    public string Partition { get; }

    public string RepositoryArn(string tail) => $"arn:{Partition}:ecr:{Region}:{Account}:{tail}";
}

/// <summary>Actions the engine cannot tell apart: the same statements cover them and they take the same resource.</summary>
internal sealed class ActionClass
{
    public ActionClass(string representative, IReadOnlyList<string> actions, bool? onRepository, bool inCatalog)
    {
        Representative = representative;
        Actions = actions;
        OnRepository = onRepository;
        InCatalog = inCatalog;
    }

    public string Representative { get; }

    public IReadOnlyList<string> Actions { get; }

    /// <summary>True: repository resources only; false: only <c>*</c>; null (an action not in the catalog): either.</summary>
    public bool? OnRepository { get; }

    public bool InCatalog { get; }
}

/// <summary>One class of the request space: a request that stands for it, and what the partition knows about it.</summary>
internal sealed class RequestClass
{
    public RequestClass(AccessRequest request, ActionClass actions, PrincipalCandidate principal, IReadOnlyList<KeyValuePair<string, ContextValue>> context)
    {
        Request = request;
        Actions = actions;
        Principal = principal;
        Context = context;
    }

    public AccessRequest Request { get; }

    public ActionClass Actions { get; }

    public PrincipalCandidate Principal { get; }

    public IReadOnlyList<KeyValuePair<string, ContextValue>> Context { get; }
}

/// <summary>
/// The request space of one registry partitioned from the constants its policies mention: action classes (catalog
/// actions grouped by the statements that cover them, and the classes of actions not in the catalog), for each the
/// repository classes of the statements that cover it, for each the principal classes of the statements that
/// apply there, and for each principal the context classes of the conditions of the statements that may apply.
/// Statements that cannot apply to a request take no part in splitting it, which keeps the product small.
/// </summary>
internal sealed class RequestPartition
{
    private readonly IReadOnlyList<StatementFacts> _evaluated;
    private readonly IReadOnlyList<StatementFacts> _constants;
    private readonly RegistryTarget _registry;
    private readonly RegistryPolicyScope _scope;
    private readonly IReadOnlyList<string> _accounts;
    private readonly IReadOnlyList<string> _organizations;
    private readonly int _maxRequests;
    private readonly AnalysisMutation _mutation;
    private readonly Dictionary<string, List<string>?> _tails = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PrincipalCandidate>> _principals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<ContextValue?>> _values = new(StringComparer.Ordinal);

    /// <param name="evaluated">The statements of the policies being decided.</param>
    /// <param name="constants">Further statements whose values only split the space (a query, the trust zone); never decided.</param>
    /// <param name="registry">The registry whose requests are partitioned.</param>
    /// <param name="scope">The registry policy scope.</param>
    /// <param name="accounts">Accounts to tell apart besides those the statements name (the trust zone).</param>
    /// <param name="organizations">Organizations to tell apart in aws:PrincipalOrgID and aws:PrincipalOrgPaths (the trust zone).</param>
    /// <param name="maxRequests">The most requests produced.</param>
    /// <param name="mutation">Deliberate defects, for tests only.</param>
    public RequestPartition(IReadOnlyList<StatementFacts> evaluated, IReadOnlyList<StatementFacts> constants, RegistryTarget registry, RegistryPolicyScope scope, IReadOnlyList<string> accounts, IReadOnlyList<string> organizations, int maxRequests, AnalysisMutation mutation = AnalysisMutation.None)
    {
        _mutation = mutation;
        _evaluated = evaluated;
        _constants = constants;
        _registry = registry;
        _scope = scope;
        _accounts = accounts;
        _organizations = organizations;
        _maxRequests = maxRequests;
    }

    public UnknownLog Unknowns { get; } = new();

    /// <summary>How many requests were produced.</summary>
    public int Count { get; private set; }

    /// <summary>True when the space was cut short at the request limit.</summary>
    public bool Truncated { get; private set; }

    public IEnumerable<RequestClass> Classes()
    {
        var all = _evaluated.Concat(_constants).ToList();
        foreach (var actions in ActionClasses(all))
        {
            var relevant = _evaluated.Where(s => s.CoversAction(actions.Representative)).ToList();
            if (relevant.Count == 0)
            {
                continue;
            }

            foreach (var statement in relevant)
            {
                foreach (var resource in statement.ResourcesWithVariables)
                {
                    Unknowns.Add(statement, $"its {(statement.NotResource ? "NotResource" : "Resource")} '{resource}' holds a policy variable; repositories that depend on another value are not partitioned exactly.");
                }
            }

            var constants = _constants.Where(s => s.CoversAction(actions.Representative)).ToList();
            foreach (var resource in Resources(actions, relevant.Concat(constants).ToList()))
            {
                var probe = Probe(actions.Representative, resource);
                var applying = relevant.Where(s => s.CoversResource(probe)).ToList();
                if (applying.Count == 0)
                {
                    continue;
                }

                var splitting = applying.Concat(_constants).ToList();
                foreach (var principal in Principals(applying, splitting))
                {
                    var bare = AccessRequest.Create(principal.Principal, actions.Representative, resource);
                    var live = applying.Where(s => s.MayCoverPrincipal(bare)).ToList();
                    if (live.Count == 0)
                    {
                        continue;
                    }

                    foreach (var context in Contexts(live, bare, principal))
                    {
                        if (Count >= _maxRequests)
                        {
                            Truncated = true;
                            yield break;
                        }

                        Count++;
                        var request = context.Count == 0 ? bare : AccessRequest.Create(principal.Principal, actions.Representative, resource, context);
                        yield return new RequestClass(request, actions, principal, context);
                    }
                }
            }
        }
    }

    private AccessRequest Probe(string action, string resource) =>
        AccessRequest.Create($"arn:{_registry.Partition}:iam::{_registry.Account}:root", action, resource);

    // Catalog actions grouped by which statements cover them (and what the engine reads from the catalog); then
    // the classes of ECR action names not in the catalog, found by automaton over the action patterns.
    private List<ActionClass> ActionClasses(IReadOnlyList<StatementFacts> all)
    {
        var groups = new Dictionary<string, List<EcrAction>>(StringComparer.Ordinal);
        foreach (var action in EcrActions.All)
        {
            if (_scope == RegistryPolicyScope.V1 && !EcrActions.RegistryPolicyV1Actions.Contains(action.Name, StringComparer.OrdinalIgnoreCase))
            {
                // Under V1 the registry policy takes no part in any other action: no policy of this scope can differ there.
                continue;
            }

            var key = Signature(all, action.Name) + (action.OnRepository ? "R" : "*");
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = new List<EcrAction>();
            }

            list.Add(action);
        }

        var result = groups.Values.Select(g => new ActionClass(g[0].Name, g.Select(a => a.Name).ToArray(), g[0].OnRepository, true)).ToList();
        if (_scope == RegistryPolicyScope.V1)
        {
            return result;
        }

        var patterns = all.SelectMany(s => s.Actions).Select(a => a.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var predicates = patterns.Select(p => new NfaBuilder().Glob(GlobToken.Read(p, true, false), CharTest.Any, CharTest.Any, ignoreCase: true).Build()).ToList();
        var catalog = new NfaBuilder().Either(EcrActions.All.Select(a => (Action<NfaBuilder>)(b => b.Text(a.Name.ToLowerInvariant()))).ToArray()).Build();
        predicates.Add(catalog);
        var classes = StringSpace.Partition(new NfaBuilder().Text("ecr:").OneOrMore(CharTest.LowerAlnum).Build(), predicates);
        if (classes is null)
        {
            Unknowns.Add(null, "The ECR actions outside the catalog have too many classes to partition exactly.");
            return result;
        }

        var unknown = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var c in classes.Where(c => !c.Accepted[c.Accepted.Length - 1]))
        {
            var key = Signature(all, c.Witness);
            if (!unknown.TryGetValue(key, out var list))
            {
                unknown[key] = list = new List<string>();
            }

            list.Add(c.Witness);
        }

        if ((_mutation & AnalysisMutation.OmitUnlistedActions) == 0)
        {
            result.AddRange(unknown.Values.Select(g => new ActionClass(g[0], g, null, false)));
        }

        return result;
    }

    private static string Signature(IReadOnlyList<StatementFacts> statements, string action) =>
        new string(statements.Select(s => s.CoversAction(action) ? '1' : '0').ToArray());

    private IEnumerable<string> Resources(ActionClass actions, IReadOnlyList<StatementFacts> statements)
    {
        if (actions.OnRepository != true)
        {
            yield return "*";
        }

        if (actions.OnRepository == false)
        {
            yield break;
        }

        var values = statements.Where(s => !s.NotResource || (_mutation & AnalysisMutation.OmitNotResourceValues) == 0).SelectMany(s => s.Resources.Select(r => (Text: r, s.Variables))).Distinct().OrderBy(v => v.Text, StringComparer.Ordinal).ToList();
        var key = string.Join("\n", values.Select(v => (v.Variables ? "v" : "l") + v.Text));
        if (!_tails.TryGetValue(key, out var tails))
        {
            _tails[key] = tails = ResourceSpace.Tails(values, Unknowns);
        }

        foreach (var tail in tails ?? new List<string>())
        {
            yield return _registry.RepositoryArn(tail);
        }
    }

    private List<PrincipalCandidate> Principals(IReadOnlyList<StatementFacts> applying, IReadOnlyList<StatementFacts> splitting)
    {
        var key = PrincipalSpace.ContentKey(splitting);
        if (_principals.TryGetValue(key, out var candidates))
        {
            PrincipalSpace.ReportUnsupported(applying, Unknowns);
        }
        else
        {
            _principals[key] = candidates = PrincipalSpace.Candidates(splitting, _registry.Partition, _accounts.Append(_registry.Account), Unknowns);
            if ((_mutation & AnalysisMutation.OmitUnnamedAccounts) != 0)
            {
                candidates.RemoveAll(c => c.Shape != PrincipalShape.Service && !c.AccountNamed);
            }

            if ((_mutation & AnalysisMutation.OmitSessions) != 0)
            {
                candidates.RemoveAll(c => c.Shape == PrincipalShape.Session);
            }
        }

        return candidates;
    }

    // The context dimensions of the live statements for this principal, worked out afresh for each request: a cache keyed
    // by the live statements, the principal's shape and the derived keys was measured (docs/performance.md, issue 16
    // follow-up) to save about 3% of the allocation and no measurable time, and was removed.
    private IEnumerable<List<KeyValuePair<string, ContextValue>>> Contexts(IReadOnlyList<StatementFacts> live, AccessRequest bare, PrincipalCandidate principal) =>
        Product(Dimensions(live, bare, principal), 0, new List<KeyValuePair<string, ContextValue>>());

    private List<KeyValuePair<string, List<ContextValue?>>> Dimensions(IReadOnlyList<StatementFacts> live, AccessRequest bare, PrincipalCandidate principal)
    {
        var derived = new HashSet<string>(bare.Context.Keys, StringComparer.OrdinalIgnoreCase);
        var byKey = new SortedDictionary<string, List<(StatementFacts, ConditionFact)>>(StringComparer.OrdinalIgnoreCase);
        foreach (var statement in live)
        {
            foreach (var condition in statement.Conditions)
            {
                if (PrincipalSpace.IsDerivedKey(condition.Key))
                {
                    continue;
                }

                if (principal.Shape == PrincipalShape.Service && IsPrincipalAttribute(condition.Key))
                {
                    // AWS sets these only for IAM principals (an organization member, tags on the role or user): absent for a service.
                    continue;
                }

                if (derived.Contains(condition.Key))
                {
                    Unknowns.Add(statement, $"the engine derives {condition.Key} from the principal, and the analysis does not partition principals by it.");
                    continue;
                }

                if (!byKey.TryGetValue(condition.Key, out var list))
                {
                    byKey[condition.Key] = list = new List<(StatementFacts, ConditionFact)>();
                }

                list.Add((statement, condition));
            }
        }

        var dimensions = new List<KeyValuePair<string, List<ContextValue?>>>();
        foreach (var pair in byKey)
        {
            var signature = pair.Key.ToLowerInvariant() + "|" + string.Join(";", pair.Value.Select(c => c.Item2.OperatorName + "=" + string.Join(",", c.Item2.Values) + (c.Item2.Variables ? "v" : "l")));
            if (!_values.TryGetValue(signature, out var values))
            {
                var (literals, prefixes) = TrustConstants(pair.Key);
                _values[signature] = values = ContextSpace.Values(pair.Key, pair.Value, literals, prefixes, Unknowns);
            }

            dimensions.Add(new KeyValuePair<string, List<ContextValue?>>(pair.Key, (_mutation & AnalysisMutation.OmitAbsentValues) != 0 ? values.Where(v => v is not null).ToList() : values));
        }

        return dimensions;
    }

    private static bool IsPrincipalAttribute(string key) =>
        string.Equals(key, "aws:PrincipalOrgID", StringComparison.OrdinalIgnoreCase)
        || string.Equals(key, "aws:PrincipalOrgPaths", StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("aws:PrincipalTag/", StringComparison.OrdinalIgnoreCase);

    // The organizations of the trust zone split aws:PrincipalOrgID and aws:PrincipalOrgPaths so that a class is inside or outside it.
    private (IReadOnlyList<string> Literals, IReadOnlyList<string> Prefixes) TrustConstants(string key)
    {
        if (string.Equals(key, "aws:PrincipalOrgID", StringComparison.OrdinalIgnoreCase))
        {
            return (_organizations, Array.Empty<string>());
        }

        if (string.Equals(key, "aws:PrincipalOrgPaths", StringComparison.OrdinalIgnoreCase))
        {
            return (Array.Empty<string>(), _organizations.Select(o => o + "/").ToArray());
        }

        return (Array.Empty<string>(), Array.Empty<string>());
    }

    private static IEnumerable<List<KeyValuePair<string, ContextValue>>> Product(List<KeyValuePair<string, List<ContextValue?>>> dimensions, int index, List<KeyValuePair<string, ContextValue>> prefix)
    {
        if (index == dimensions.Count)
        {
            yield return new List<KeyValuePair<string, ContextValue>>(prefix);
            yield break;
        }

        foreach (var value in dimensions[index].Value)
        {
            if (value is not null)
            {
                prefix.Add(new KeyValuePair<string, ContextValue>(dimensions[index].Key, value));
            }

            foreach (var context in Product(dimensions, index + 1, prefix))
            {
                yield return context;
            }

            if (value is not null)
            {
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }
}
