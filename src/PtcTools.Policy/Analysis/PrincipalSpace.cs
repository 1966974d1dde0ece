using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Analysis;

/// <summary>The kinds of principal a request can come from.</summary>
internal enum PrincipalShape
{
    AccountRoot,
    User,
    Role,
    Session,
    FederatedUser,
    Service,
}

/// <summary>One principal standing for a class of principals.</summary>
internal sealed class PrincipalCandidate
{
    public PrincipalCandidate(string principal, PrincipalShape shape, string? account, bool accountNamed)
    {
        Principal = principal;
        Shape = shape;
        Account = account;
        AccountNamed = accountNamed;
    }

    public string Principal { get; }

    public PrincipalShape Shape { get; }

    /// <summary>The principal's account (null for a service).</summary>
    public string? Account { get; }

    /// <summary>True when a policy, the trust zone or the query names this account; false for an account that stands for every other.</summary>
    public bool AccountNamed { get; }

    public override string ToString() => Principal;
}

/// <summary>
/// The principal classes of a set of statements: every principal the statements name (and its sessions), every
/// named account's root and other principals, and every class the conditions on the keys derived from the principal
/// (aws:PrincipalArn, aws:PrincipalAccount, aws:username) tell apart, plus principals of an account nobody names.
/// </summary>
internal static class PrincipalSpace
{
    /// <summary>The context keys the engine derives from the principal and the analysis partitions through the principal itself.</summary>
    public static readonly string[] DerivedKeys = { AccessRequest.PrincipalArnKey, AccessRequest.PrincipalAccountKey, AccessRequest.UserNameKey };

    private const string FreshSession = "ptc-witness";
    private const string FreshService = "ptc-unlisted.amazonaws.com";

    public static bool IsDerivedKey(string key) => DerivedKeys.Any(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));

    public static List<PrincipalCandidate> Candidates(IReadOnlyList<StatementFacts> statements, string partition, IEnumerable<string> extraAccounts, UnknownLog unknowns)
    {
        var named = new SortedSet<string>(extraAccounts.Where(Arn.IsAccountId), StringComparer.Ordinal);
        var predicates = new List<Nfa>();
        var sessions = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var services = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            foreach (var p in statement.Principals)
            {
                switch (p.Kind)
                {
                    case PrincipalKind.Account:
                        named.Add(p.Account!);
                        break;
                    case PrincipalKind.User:
                        named.Add(p.Account!);
                        predicates.Add(Literal(p.Text));
                        if (p.Text.EndsWith(":user/" + p.Name, StringComparison.Ordinal))
                        {
                            predicates.Add(Literal($"arn:{p.Partition}:sts::{p.Account}:federated-user/{p.Name}"));
                        }

                        break;
                    case PrincipalKind.Role:
                        named.Add(p.Account!);
                        predicates.Add(Literal(p.Text));
                        predicates.Add(new NfaBuilder().Text("arn:").Many(CharTest.NotColon).Text($":iam::{p.Account}:role/{p.Name}").Build());
                        break;
                    case PrincipalKind.AssumedRole:
                        named.Add(p.Account!);
                        var role = $"arn:{p.Partition}:iam::{p.Account}:role/{p.Name}";
                        predicates.Add(Literal(role));
                        if (!sessions.TryGetValue(role, out var names))
                        {
                            sessions[role] = names = new SortedSet<string>(StringComparer.Ordinal);
                        }

                        names.Add(p.Text.Substring(p.Text.LastIndexOf('/') + 1));
                        break;
                    case PrincipalKind.FederatedUser:
                        named.Add(p.Account!);
                        predicates.Add(Literal(p.Text));
                        break;
                    case PrincipalKind.Service or PrincipalKind.Federated or PrincipalKind.CanonicalUser:
                        services.Add(p.Text);
                        break;
                }
            }

            foreach (var condition in statement.Conditions.Where(c => IsDerivedKey(c.Key)))
            {
                AddDerivedKeyPredicates(statement, condition, predicates, named, unknowns);
            }
        }

        foreach (var account in named)
        {
            predicates.Add(Lock4().Text(account).Text(":").Many(CharTest.Any).Build());
        }

        var result = new List<PrincipalCandidate>();
        foreach (var shape in new[] { PrincipalShape.AccountRoot, PrincipalShape.User, PrincipalShape.Role, PrincipalShape.Session, PrincipalShape.FederatedUser })
        {
            var classes = StringSpace.Partition(Domain(shape, partition), predicates);
            if (classes is null)
            {
                unknowns.Add(null, $"The principals ({shape}) have too many classes to partition exactly.");
                continue;
            }

            foreach (var c in classes)
            {
                foreach (var principal in Principals(shape, c.Witness, sessions))
                {
                    if (!IsRequestPrincipal(principal))
                    {
                        unknowns.Add(null, $"A class of principals is realised only by '{principal}', which is not a principal the engine accepts (too long?).");
                        continue;
                    }

                    var account = Arn.TryParse(principal, out var arn) ? arn.Account : null;
                    result.Add(new PrincipalCandidate(principal, shape, account, account is not null && named.Contains(account)));
                }
            }
        }

        var fresh = FreshService;
        for (var i = 2; services.Contains(fresh); i++)
        {
            fresh = $"ptc-unlisted{i}.amazonaws.com";
        }

        services.Add(fresh);
        foreach (var service in services.Where(IsServicePrincipal))
        {
            result.Add(new PrincipalCandidate(service, PrincipalShape.Service, null, false));
        }

        return result;
    }

    /// <summary>A text equal for statement sets that give the same principal classes.</summary>
    public static string ContentKey(IEnumerable<StatementFacts> statements) => string.Join("\n", statements
        .SelectMany(s => s.Principals.Select(p => "p" + p.ElementType + ":" + p.Text)
            .Concat(s.Conditions.Where(c => IsDerivedKey(c.Key)).Select(c => "c" + c.OperatorName + "|" + c.Key.ToLowerInvariant() + "|" + (c.Variables ? "v" : "l") + "|" + string.Join("\u0001", c.Values))))
        .Distinct(StringComparer.Ordinal)
        .OrderBy(x => x, StringComparer.Ordinal));

    /// <summary>Reports, for these statements, the conditions on principal-derived keys the partition cannot split exactly.</summary>
    public static void ReportUnsupported(IEnumerable<StatementFacts> statements, UnknownLog unknowns)
    {
        foreach (var statement in statements)
        {
            foreach (var condition in statement.Conditions.Where(c => IsDerivedKey(c.Key)))
            {
                AddDerivedKeyPredicates(statement, condition, new List<Nfa>(), new SortedSet<string>(StringComparer.Ordinal), unknowns);
            }
        }
    }

    public static bool IsServicePrincipal(string value)
    {
        try
        {
            return AccessRequest.Create(value, "ecr:GetAuthorizationToken", "*").IsServicePrincipal;
        }
        catch (PolicyException)
        {
            return false;
        }
    }

    private static bool IsRequestPrincipal(string value)
    {
        try
        {
            AccessRequest.Create(value, "ecr:GetAuthorizationToken", "*");
            return true;
        }
        catch (PolicyException)
        {
            return false;
        }
    }

    // Conditions on a key the engine derives from the principal become predicates on the principal's ARN.
    private static void AddDerivedKeyPredicates(StatementFacts statement, ConditionFact condition, List<Nfa> predicates, SortedSet<string> named, UnknownLog unknowns)
    {
        if (condition.Family == OperatorFamily.Null)
        {
            return;
        }

        if (!condition.IsStringLike)
        {
            unknowns.Add(statement, $"{condition.OperatorName} on {condition.Key} compares a value derived from the principal in a way the analysis does not partition.");
            return;
        }

        foreach (var value in condition.Values)
        {
            var tokens = GlobToken.Read(value, condition.Family is OperatorFamily.StringLike or OperatorFamily.ArnLike, condition.Variables);
            if (GlobToken.HasVariable(tokens))
            {
                unknowns.Add(statement, $"the condition {condition.Describe()} holds a policy variable; values that depend on another value are not partitioned exactly.");
                continue;
            }

            var ignoreCase = condition.Family is OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.Bool;
            var key = condition.Key;
            if (string.Equals(key, AccessRequest.PrincipalArnKey, StringComparison.OrdinalIgnoreCase))
            {
                predicates.Add(new NfaBuilder().Glob(tokens, CharTest.Any, CharTest.Any, ignoreCase).Build());
                if (condition.Family == OperatorFamily.ArnLike && ArnSegments(value) is { } parts)
                {
                    predicates.Add(ArnPerSegment(parts, condition.Variables));
                }

                var segments = value.Split(':');
                if (segments.Length > 4 && Arn.IsAccountId(segments[4]))
                {
                    named.Add(segments[4]);
                }
            }
            else if (string.Equals(key, AccessRequest.PrincipalAccountKey, StringComparison.OrdinalIgnoreCase))
            {
                predicates.Add(Lock4().Glob(tokens, CharTest.NotColon, CharTest.NotColon, ignoreCase).Text(":").Many(CharTest.Any).Build());
                if (Arn.IsAccountId(value))
                {
                    named.Add(value);
                }
            }
            else
            {
                predicates.Add(Lock4().Many(CharTest.NotColon).Text(":user").Many(CharTest.Any).Text("/").Glob(tokens, CharTest.NotSlash, CharTest.NotSlash, ignoreCase).Build());
            }
        }
    }

    /// <summary>An ARN pattern split at its first five colons (not inside <c>${...}</c>), as the Arn operators compare it; null with fewer.</summary>
    public static string[]? ArnSegments(string value) => Grammar.ArnText.Split(value) is { Count: 6 } parts ? parts.ToArray() : null;

    /// <summary>The Arn operators: each of the first five segments matched on its own, the sixth (which may hold colons) as the rest.</summary>
    public static Nfa ArnPerSegment(string[] parts, bool variables)
    {
        var b = new NfaBuilder();
        for (var i = 0; i < 6; i++)
        {
            var tokens = GlobToken.Read(parts[i], true, variables);
            b.Glob(tokens, i < 5 ? CharTest.NotColon : CharTest.Any, i < 5 ? CharTest.NotColon : CharTest.Any);
            if (i < 5)
            {
                b.Text(":");
            }
        }

        return b.Build();
    }

    private static Nfa Literal(string text) => new NfaBuilder().Text(text).Build();

    // "arn:" and the partition, service and (empty) Region segments of a principal ARN, up to its account.
    private static NfaBuilder Lock4() => new NfaBuilder().Text("arn:").Many(CharTest.NotColon).Text(":").Many(CharTest.NotColon).Text(":").Many(CharTest.NotColon).Text(":");

    // The ARN each kind of principal is partitioned as: a session as its role's ARN (what aws:PrincipalArn holds), its session name chosen after.
    private static Nfa Domain(PrincipalShape shape, string partition)
    {
        var iam = new NfaBuilder().Text($"arn:{partition}:{(shape == PrincipalShape.FederatedUser ? "sts" : "iam")}::").Repeat(CharTest.Digit, 12);
        switch (shape)
        {
            case PrincipalShape.AccountRoot:
                return iam.Text(":root").Build();
            case PrincipalShape.User or PrincipalShape.Role:
                iam.Text(shape == PrincipalShape.User ? ":user/" : ":role/");
                var p = iam.Current;
                var q = iam.NewState();
                iam.Edge(p, CharTest.Exact('/'), p);
                iam.Edge(p, CharTest.PathChar, q);
                iam.Edge(q, CharTest.PathChar, q);
                iam.Edge(q, CharTest.Exact('/'), p);
                return iam.OneOrMore(CharTest.NameChar).Build();
            case PrincipalShape.Session:
                return iam.Text(":role/").OneOrMore(CharTest.NameChar).Build();
            default:
                return iam.Text(":federated-user/").OneOrMore(CharTest.NameChar).Build();
        }
    }

    private static IEnumerable<string> Principals(PrincipalShape shape, string witness, Dictionary<string, SortedSet<string>> sessions)
    {
        if (shape != PrincipalShape.Session)
        {
            yield return witness;
            yield break;
        }

        // arn:P:iam::A:role/N -> arn:P:sts::A:assumed-role/N/S for each session the statements name, and one they do not.
        var arn = Arn.TryParse(witness, out var parsed) ? parsed : null;
        if (arn is null)
        {
            yield break;
        }

        var roleName = arn.Resource.Substring("role/".Length);
        var names = sessions.TryGetValue(witness, out var listed) ? listed : new SortedSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            yield return $"arn:{arn.Partition}:sts::{arn.Account}:assumed-role/{roleName}/{name}";
        }

        var fresh = FreshSession;
        for (var i = 2; names.Contains(fresh); i++)
        {
            fresh = FreshSession + i;
        }

        yield return $"arn:{arn.Partition}:sts::{arn.Account}:assumed-role/{roleName}/{fresh}";
    }
}
