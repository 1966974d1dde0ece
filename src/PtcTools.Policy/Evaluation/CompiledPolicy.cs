using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>A policy validated as AWS validates it and compiled once into matchers, ready to evaluate many requests.</summary>
/// <remarks>
/// The policy is read by <see cref="GrammarReader"/>, the reader lint uses too; a policy it reports an Error
/// for (one AWS would reject, such as an unknown operator, a resource-policy statement without Principal,
/// Principal in an identity policy, Allow with NotPrincipal, a malformed value; or, for a registry policy,
/// one that cannot work, such as an action of another service) is refused with <c>PolicyInvalidForEvaluation</c>
/// naming the statement and the rule: evaluating it would be a silent guess.
/// Thread-safe: evaluation only reads, and the per-action statement index is a concurrent cache.
/// </remarks>
public sealed class CompiledPolicy
{
    private const int MaxIndexedActions = 4096;

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
    /// <param name="scope">For an ECR registry policy, its scope: the ECR rules of the reader apply (ECR actions and repository ARNs only; under V1 the three registry actions only). Null for any other resource policy.</param>
    /// <exception cref="PolicyException"><c>PolicyInvalidForEvaluation</c>, naming the statement and what is wrong: exactly when <see cref="GrammarReader"/> reports an Error.</exception>
    public static CompiledPolicy Compile(PolicyDocument document, PolicyKind kind, string name, RegistryPolicyScope? scope = null)
    {
        if (document is null) { throw new ArgumentNullException(nameof(document)); }

        var reading = GrammarReader.Read(document, new PolicyReadOptions { Kind = kind, Scope = kind == PolicyKind.Resource ? scope : null });
        return Compile(reading, name);
    }

    /// <summary>Compiles what the reader read.</summary>
    /// <exception cref="PolicyException"><c>PolicyInvalidForEvaluation</c> when the reading has an Error.</exception>
    public static CompiledPolicy Compile(PolicyReading reading, string name)
    {
        if (reading is null) { throw new ArgumentNullException(nameof(reading)); }

        if (reading.FirstError is { } error)
        {
            throw Invalid(reading, name, error);
        }

        var kind = reading.Options.Kind;
        var statements = new CompiledStatement[reading.Statements.Count];
        for (var i = 0; i < statements.Length; i++)
        {
            statements[i] = CompileStatement(reading.Statements[i], kind);
        }

        return new CompiledPolicy(reading.Document, kind, name, statements);
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

    // The facts of a statement without errors: every value is well-formed, every matcher built by the reader.
    private static CompiledStatement CompileStatement(StatementReading statement, PolicyKind kind)
    {
        var actions = statement.Actions.Select(a => a.Text).ToArray();
        var resources = statement.Resources.Select(r => r.Pattern).ToArray();
        var principals = kind == PolicyKind.Resource ? new PrincipalSet(statement.Principals.Select(p => p.Id).ToList()) : null;
        var conditions = statement.Conditions.Select(c => c.Compiled).ToArray();
        return new CompiledStatement(statement.Index, statement.Sid, statement.IsAllow, actions, statement.UsesNotAction, resources, statement.UsesNotResource, principals, statement.UsesNotPrincipal, conditions);
    }

    private static PolicyException Invalid(PolicyReading reading, string policyName, PolicyFinding error)
    {
        var statement = error.StatementIndex >= 0 ? reading.Statements.FirstOrDefault(s => s.Index == error.StatementIndex) : null;
        var where = error.StatementIndex < 0
            ? $"The {policyName}"
            : $"Statement {error.StatementIndex + 1}{(statement?.Sid is { } sid ? $" (Sid '{sid}')" : string.Empty)} of the {policyName}";
        var more = reading.Diagnostics.Count(d => d.Severity == FindingSeverity.Error) - 1;
        var also = more > 0 ? $" ({more} more error{(more == 1 ? string.Empty : "s")}.)" : string.Empty;
        return new PolicyException(ErrorIds.PolicyInvalidForEvaluation, PolicyErrorKind.InvalidData,
            $"{where} cannot be evaluated: [{error.RuleId}] {error.Message}{also} No decision is given for a policy that AWS would reject or that cannot work as written.", remedy: Remedy.LintPolicy);
    }
}
