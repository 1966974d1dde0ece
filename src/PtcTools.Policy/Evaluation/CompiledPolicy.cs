using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>A policy validated as AWS validates it and compiled once into matchers, ready to evaluate many requests.</summary>
/// <remarks>
/// A policy AWS would reject (unknown operator or key, a resource-policy statement without Principal or
/// Resource, Principal in an identity policy, Allow with NotPrincipal, a malformed value) is refused with
/// <c>PolicyInvalidForEvaluation</c> naming the statement: evaluating it would be a silent guess.
/// Thread-safe: evaluation only reads, and the per-action statement index is a concurrent cache.
/// </remarks>
public sealed class CompiledPolicy
{
    /// <summary>The error id for a policy that AWS would reject.</summary>
    public const string InvalidErrorId = "PolicyInvalidForEvaluation";

    private const int MaxIndexedActions = 4096;

    private static readonly HashSet<string> s_statementKeys = new(StringComparer.Ordinal)
    {
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
    };

    private readonly CompiledStatement[] _statements;
    private readonly ConcurrentDictionary<string, CompiledStatement[]> _byAction = new(StringComparer.OrdinalIgnoreCase);

    // The most recent actions by reference (interned action names): a short scan instead of hashing. Copy-on-write.
    private volatile KeyValuePair<string, CompiledStatement[]>[] _recent = Array.Empty<KeyValuePair<string, CompiledStatement[]>>();

    private CompiledPolicy(PolicyDocument document, PolicyKind kind, string name, CompiledStatement[] statements)
    {
        Document = document;
        Kind = kind;
        Name = name;
        _statements = statements;
    }

    /// <summary>The source document.</summary>
    public PolicyDocument Document { get; }

    /// <summary>The role the policy plays.</summary>
    public PolicyKind Kind { get; }

    /// <summary>The name used in explanations, such as "registry policy" or "identity policy 1".</summary>
    public string Name { get; }

    /// <summary>The compiled statements, in order.</summary>
    public IReadOnlyList<CompiledStatement> Statements => _statements;

    /// <summary>True when policy variables are substituted (Version 2012-10-17).</summary>
    public bool UsesVariables => Document.Version == PolicyDocument.CurrentVersion;

    /// <summary>Validates and compiles a policy.</summary>
    /// <param name="document">The policy.</param>
    /// <param name="kind">Its role: resource policies need Principal, the others must not have it.</param>
    /// <param name="name">The name used in explanations and errors.</param>
    /// <param name="scope">For a registry policy, the scope: under V1 only the three registry actions may appear.</param>
    /// <exception cref="PolicyException"><c>PolicyInvalidForEvaluation</c>, naming the statement and what is wrong.</exception>
    public static CompiledPolicy Compile(PolicyDocument document, PolicyKind kind, string name, RegistryPolicyScope? scope = null)
    {
        if (document is null) { throw new ArgumentNullException(nameof(document)); }

        var root = document.ToJObject();
        foreach (var property in root.Properties())
        {
            if (property.Name is not ("Version" or "Id" or "Statement"))
            {
                throw Invalid(name, null, $"the key '{property.Name}' is not a policy element (Version, Id, Statement).");
            }
        }

        if (root["Version"] is { } version && !(version.Type == JTokenType.String && (string?)version is "2012-10-17" or "2008-10-17"))
        {
            throw Invalid(name, null, $"Version is {version.ToString(Newtonsoft.Json.Formatting.None)}; it must be \"2012-10-17\" (or the old \"2008-10-17\").");
        }

        if (root["Statement"] is not (JObject or JArray))
        {
            throw Invalid(name, null, "it has no Statement (an object or an array of objects).");
        }

        var variables = document.Version == PolicyDocument.CurrentVersion;
        var statements = new List<CompiledStatement>();
        foreach (var statement in document.Statements)
        {
            statements.Add(CompileStatement(statement, kind, name, variables, scope));
        }

        return new CompiledPolicy(document, kind, name, statements.ToArray());
    }

    /// <summary>The statements that cover the request's action; by reference for the interned action names seen most.</summary>
    internal CompiledStatement[] StatementsFor(AccessRequest request)
    {
        var key = request.ActionKey;
        var recent = _recent;
        for (var i = 0; i < recent.Length; i++)
        {
            if (ReferenceEquals(recent[i].Key, key))
            {
                return recent[i].Value;
            }
        }

        var statements = StatementsFor(request.Action);
        if (request.ActionKeyCanonical && recent.Length < 32)
        {
            var grown = new KeyValuePair<string, CompiledStatement[]>[recent.Length + 1];
            Array.Copy(recent, grown, recent.Length);
            grown[recent.Length] = new KeyValuePair<string, CompiledStatement[]>(key, statements);
            _recent = grown;
        }

        return statements;
    }

    /// <summary>The statements whose Action/NotAction covers the action (cached per action, case-insensitively).</summary>
    public CompiledStatement[] StatementsFor(string action)
    {
        if (_byAction.TryGetValue(action, out var cached))
        {
            return cached;
        }

        var list = new List<CompiledStatement>();
        foreach (var statement in _statements)
        {
            if (statement.AppliesToAction(action))
            {
                list.Add(statement);
            }
        }

        var result = list.ToArray();
        if (_byAction.Count < MaxIndexedActions)
        {
            _byAction.TryAdd(action, result);
        }

        return result;
    }

    /// <summary>The policy name.</summary>
    public override string ToString() => Name;

    private static CompiledStatement CompileStatement(PolicyStatement statement, PolicyKind kind, string policyName, bool variables, RegistryPolicyScope? scope)
    {
        if (!statement.IsObject)
        {
            throw Invalid(policyName, statement, "a statement must be a JSON object.");
        }

        foreach (var key in statement.Keys)
        {
            if (!s_statementKeys.Contains(key))
            {
                throw Invalid(policyName, statement, $"'{key}' is not a statement element (Sid, Effect, Principal, NotPrincipal, Action, NotAction, Resource, NotResource, Condition; names are case-sensitive).");
            }
        }

        if (statement.Has("Sid") && statement.Sid is null)
        {
            throw Invalid(policyName, statement, "Sid must be a string.");
        }

        var effect = statement.Effect;
        if (effect is not ("Allow" or "Deny"))
        {
            throw Invalid(policyName, statement, $"Effect is {Show(statement.Get("Effect"))}; it must be exactly \"Allow\" or \"Deny\" (case-sensitive).");
        }

        var isAllow = effect == "Allow";
        var (actions, notAction) = Pair(statement, policyName, "Action", "NotAction");
        foreach (var action in actions)
        {
            if (action != "*" && action.IndexOf(':') <= 0)
            {
                throw Invalid(policyName, statement, $"the action '{action}' is not service:action (or \"*\").");
            }
        }

        if (scope == RegistryPolicyScope.V1 && kind == PolicyKind.Resource)
        {
            CheckV1(statement, policyName, actions, notAction);
        }

        var (resourceTexts, notResource) = Pair(statement, policyName, "Resource", "NotResource");
        var resources = new ResourcePattern[resourceTexts.Length];
        for (var i = 0; i < resources.Length; i++)
        {
            try
            {
                resources[i] = ResourcePattern.Compile(resourceTexts[i], variables);
            }
            catch (FormatException ex)
            {
                throw Invalid(policyName, statement, (notResource ? "NotResource " : "Resource ") + ex.Message);
            }
        }

        var hasPrincipal = statement.Has("Principal");
        var hasNotPrincipal = statement.Has("NotPrincipal");
        PrincipalSet? principals = null;
        if (kind == PolicyKind.Resource)
        {
            if (hasPrincipal == hasNotPrincipal)
            {
                throw Invalid(policyName, statement, hasPrincipal
                    ? "it has both Principal and NotPrincipal; give one."
                    : "a resource-based policy statement must name a Principal (or NotPrincipal); ECR rejects it without one.");
            }

            if (hasNotPrincipal && isAllow)
            {
                throw Invalid(policyName, statement, "Allow with NotPrincipal grants access to everyone not listed; AWS rejects it. Use Principal, or Deny with NotPrincipal.");
            }

            principals = new PrincipalSet(ReadPrincipals(statement, policyName, hasPrincipal ? "Principal" : "NotPrincipal"));
        }
        else if (hasPrincipal || hasNotPrincipal)
        {
            throw Invalid(policyName, statement, $"{(hasPrincipal ? "Principal" : "NotPrincipal")} is not allowed in {Describe(kind)}; it applies to the principal it is attached to.");
        }

        var conditions = ReadConditions(statement, policyName, variables);
        return new CompiledStatement(statement.Index, statement.Sid, isAllow, actions, notAction, resources, notResource, principals, hasNotPrincipal, conditions);
    }

    private static void CheckV1(PolicyStatement statement, string policyName, string[] actions, bool notAction)
    {
        var allowed = string.Join(", ", EcrActions.RegistryPolicyV1Actions);
        if (notAction)
        {
            throw Invalid(policyName, statement, $"NotAction is not allowed under the V1 registry policy scope: only {allowed} may appear, and ECR rejects any other action.");
        }

        foreach (var action in actions)
        {
            var outside = action == "*" || !action.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase)
                ? action
                : EcrActions.Expand(action).Select(a => a.Name).FirstOrDefault(a => !EcrActions.RegistryPolicyV1Actions.Contains(a, StringComparer.OrdinalIgnoreCase));
            if (outside is not null)
            {
                throw Invalid(policyName, statement, $"the action '{action}' covers {outside}, which the V1 registry policy scope does not allow: only {allowed}. ECR rejects such a policy; switch the registry to V2 or narrow the action.");
            }
        }
    }

    private static (string[] Values, bool Negated) Pair(PolicyStatement statement, string policyName, string positive, string negative)
    {
        var hasPositive = statement.Has(positive);
        var hasNegative = statement.Has(negative);
        if (hasPositive == hasNegative)
        {
            throw Invalid(policyName, statement, hasPositive ? $"it has both {positive} and {negative}; give one." : $"it has neither {positive} nor {negative}; a statement needs one.");
        }

        var key = hasPositive ? positive : negative;
        return (Strings(statement, policyName, key), hasNegative);
    }

    private static string[] Strings(PolicyStatement statement, string policyName, string key)
    {
        var token = statement.Get(key);
        var values = token switch
        {
            JValue { Type: JTokenType.String } v => new[] { (string)v! },
            JArray a when a.Count > 0 && a.All(t => t.Type == JTokenType.String) => a.Select(t => (string)t!).ToArray(),
            _ => null,
        };
        if (values is null || values.Any(v => v.Length == 0))
        {
            throw Invalid(policyName, statement, $"{key} is {Show(token)}; it must be a non-empty string or a non-empty array of strings.");
        }

        return values;
    }

    private static List<PrincipalId> ReadPrincipals(PolicyStatement statement, string policyName, string key)
    {
        var token = statement.Get(key);
        var list = new List<PrincipalId>();
        if (token is JValue { Type: JTokenType.String } single && (string?)single == "*")
        {
            list.Add(PrincipalId.Parse("*"));
            return list;
        }

        if (token is not JObject obj || obj.Count == 0)
        {
            throw Invalid(policyName, statement, $"{key} is {Show(token)}; it must be \"*\" or an object such as {{\"AWS\":\"arn:aws:iam::111122223333:role/name\"}}.");
        }

        foreach (var property in obj.Properties())
        {
            var values = property.Value switch
            {
                JValue { Type: JTokenType.String } v => new[] { (string)v! },
                JArray a when a.Count > 0 && a.All(t => t.Type == JTokenType.String) => a.Select(t => (string)t!).ToArray(),
                _ => throw Invalid(policyName, statement, $"{key}.{property.Name} is {Show(property.Value)}; it must be a string or a non-empty array of strings."),
            };
            foreach (var value in values)
            {
                if (!PrincipalId.TryParse(value, property.Name, out var principal, out _, out var reason))
                {
                    throw Invalid(policyName, statement, $"{key}: {reason}");
                }

                list.Add(principal!);
            }
        }

        return list;
    }

    private static CompiledCondition[] ReadConditions(PolicyStatement statement, string policyName, bool variables)
    {
        if (!statement.Has("Condition"))
        {
            return Array.Empty<CompiledCondition>();
        }

        if (statement.Get("Condition") is not JObject block)
        {
            throw Invalid(policyName, statement, $"Condition is {Show(statement.Get("Condition"))}; it must be an object of operators.");
        }

        var result = new List<CompiledCondition>();
        foreach (var operatorProperty in block.Properties())
        {
            if (!ConditionOperator.TryParse(operatorProperty.Name, out var op, out var reason))
            {
                throw Invalid(policyName, statement, reason!);
            }

            if (operatorProperty.Value is not JObject keys || keys.Count == 0)
            {
                throw Invalid(policyName, statement, $"the condition operator {operatorProperty.Name} must hold an object of keys and values, such as {{\"aws:PrincipalAccount\":\"111122223333\"}}.");
            }

            foreach (var keyProperty in keys.Properties())
            {
                var values = ConditionValues(keyProperty.Value);
                if (values is null)
                {
                    throw Invalid(policyName, statement, $"the condition {operatorProperty.Name} on '{keyProperty.Name}' has {Show(keyProperty.Value)}; values are strings, numbers or booleans, or a non-empty array of them.");
                }

                try
                {
                    result.Add(CompiledCondition.Create(operatorProperty.Name, op, keyProperty.Name, values, variables));
                }
                catch (FormatException ex)
                {
                    throw Invalid(policyName, statement, $"in {operatorProperty.Name} on '{keyProperty.Name}', {ex.Message}");
                }
            }
        }

        return result.ToArray();
    }

    private static List<string>? ConditionValues(JToken token)
    {
        var items = token is JArray array ? array.ToList() : new List<JToken> { token };
        if (items.Count == 0)
        {
            return null;
        }

        var values = new List<string>();
        foreach (var item in items)
        {
            switch (item.Type)
            {
                case JTokenType.String:
                    values.Add((string)item!);
                    break;
                case JTokenType.Boolean:
                    values.Add((bool)item ? "true" : "false");
                    break;
                case JTokenType.Integer or JTokenType.Float:
                    values.Add(Convert.ToString(((JValue)item).Value, CultureInfo.InvariantCulture)!);
                    break;
                default:
                    return null;
            }
        }

        return values;
    }

    private static string Describe(PolicyKind kind) => kind switch
    {
        PolicyKind.Identity => "an identity-based policy",
        PolicyKind.PermissionsBoundary => "a permissions boundary",
        PolicyKind.ServiceControl => "a service control policy",
        _ => "this policy",
    };

    private static string Show(JToken? token) => token is null ? "missing" : token.ToString(Newtonsoft.Json.Formatting.None);

    private static PolicyException Invalid(string policyName, PolicyStatement? statement, string reason)
    {
        var where = statement is null
            ? $"The {policyName}"
            : $"Statement {statement.Index + 1}{(statement.Sid is { } sid ? $" (Sid '{sid}')" : string.Empty)} of the {policyName}";
        return new PolicyException(InvalidErrorId, PolicyErrorKind.InvalidData, $"{where} cannot be evaluated: {reason} AWS would reject this policy, so no decision is given.");
    }
}
