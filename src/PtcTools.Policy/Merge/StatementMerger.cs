using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Merge;

/// <summary>What adding one statement did to the policy.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum MergeAction
{
    /// <summary>The statement was appended.</summary>
    Added,
    /// <summary>A statement with the same meaning (and the same Sid, if it has one) is already there; nothing changed.</summary>
    Unchanged,
    /// <summary>The statement with the same Sid and another meaning was replaced in place (force).</summary>
    Replaced,
}

/// <summary>What happened to one statement given to <see cref="StatementMerger.Add"/>.</summary>
public sealed class MergeOutcome
{
    internal MergeOutcome(PolicyStatement statement, MergeAction action, int index, PolicyStatement? previous)
    {
        Statement = statement;
        Action = action;
        Index = index;
        Previous = previous;
    }

    /// <summary>The statement that was given.</summary>
    public PolicyStatement Statement { get; }

    /// <summary>What was done with it.</summary>
    public MergeAction Action { get; }

    /// <summary>The 0-based position in the resulting statement list of the statement added, replaced or already there.</summary>
    public int Index { get; }

    /// <summary>For <see cref="MergeAction.Replaced"/>, the statement that was replaced.</summary>
    public PolicyStatement? Previous { get; }

    /// <summary>A sentence for -Verbose.</summary>
    public string Describe()
    {
        var name = Statement.Sid is { } sid ? $"Statement '{sid}'" : "A statement without Sid";
        return Action switch
        {
            MergeAction.Added => $"{name} was added at position {Index}.",
            MergeAction.Replaced => $"{name} replaced the statement with the same Sid at position {Index}, as asked.",
            _ => $"{name} is already in the policy at position {Index} with the same meaning: unchanged.",
        };
    }
}

/// <summary>The result of a merge: the new document and what happened to each statement.</summary>
public sealed class MergeResult
{
    internal MergeResult(PolicyDocument original, PolicyDocument document, IReadOnlyList<MergeOutcome> outcomes)
    {
        Document = document;
        Outcomes = outcomes;
        Changed = outcomes.Any(o => o.Action != MergeAction.Unchanged);
        if (!Changed)
        {
            Document = original;
        }
    }

    /// <summary>The merged document (the original itself when nothing changed).</summary>
    public PolicyDocument Document { get; }

    /// <summary>One outcome per statement given, in order.</summary>
    public IReadOnlyList<MergeOutcome> Outcomes { get; }

    /// <summary>False when every statement was already there: a re-run is a no-op.</summary>
    public bool Changed { get; }
}

/// <summary>The result of a removal: the new document, what was removed, and what matched nothing.</summary>
public sealed class RemoveResult
{
    internal RemoveResult(PolicyDocument document, IReadOnlyList<PolicyStatement> removed, IReadOnlyList<string> unmatchedSids, IReadOnlyList<PolicyStatement> unmatchedStatements)
    {
        Document = document;
        Removed = removed;
        UnmatchedSids = unmatchedSids;
        UnmatchedStatements = unmatchedStatements;
    }

    /// <summary>The document without the removed statements (the original itself when nothing was removed).</summary>
    public PolicyDocument Document { get; }

    /// <summary>The statements removed, in their original order.</summary>
    public IReadOnlyList<PolicyStatement> Removed { get; }

    /// <summary>The Sid patterns that matched no statement.</summary>
    public IReadOnlyList<string> UnmatchedSids { get; }

    /// <summary>The statements given that matched no statement in the policy.</summary>
    public IReadOnlyList<PolicyStatement> UnmatchedStatements { get; }
}

/// <summary>Merges statements into a policy and removes them, never touching a statement it was not given.</summary>
/// <remarks>
/// Untouched statements keep their exact JSON and their order; every other top-level key of the
/// document keeps its place and value. Statements are compared by meaning (<see cref="StatementMeaning"/>).
/// </remarks>
public static class StatementMerger
{
    /// <summary>Adds statements to a policy.</summary>
    /// <remarks>
    /// A statement with a Sid: same Sid and same meaning leaves the policy unchanged; same Sid and
    /// another meaning is a conflict unless <paramref name="force"/>, which replaces it in place;
    /// a new Sid is appended. A statement without Sid is appended unless a statement with the same
    /// meaning (with or without Sid) is there already.
    /// </remarks>
    /// <exception cref="PolicyException">
    /// <c>StatementSidConflict</c> (ResourceExists) for a Sid that is there with another meaning;
    /// <c>StatementInvalid</c> for an entry that is not a JSON object;
    /// <c>PolicyStatementElementInvalid</c> (InvalidData) when the policy's Statement is neither an object nor an array;
    /// <c>PolicyTextTooLong</c> (LimitsExceeded) when the result is over ECR's 10240 characters.
    /// </exception>
    public static MergeResult Add(PolicyDocument policy, IEnumerable<PolicyStatement> statements, bool force = false)
    {
        if (policy is null)
        {
            throw new ArgumentNullException(nameof(policy));
        }

        // Statement as a string or number holds no statements to merge with; replacing it would lose it.
        if (policy.HasStatementElement && policy.GetElement("Statement") is not (JObject or JArray))
        {
            throw new PolicyException(ErrorIds.PolicyStatementElementInvalid, PolicyErrorKind.InvalidData, $"The policy's Statement element is {PolicyJson.Describe(policy.GetElement("Statement")!.Type)}, not a statement object or an array of statements; fix it before adding statements.", policy);
        }

        var list = policy.Statements.ToList();
        var meanings = list.Select(StatementMeaning.Of).ToList();
        var outcomes = new List<MergeOutcome>();
        foreach (var statement in statements)
        {
            if (!statement.IsObject)
            {
                throw new PolicyException(ErrorIds.StatementInvalid, PolicyErrorKind.InvalidArgument, $"The statement {statement.ToCompactJson()} is not a JSON object; a statement looks like {{\"Sid\":\"...\",\"Effect\":\"Allow\",...}}.", statement);
            }

            var meaning = StatementMeaning.Of(statement);
            if (statement.Sid is { } sid)
            {
                var index = list.FindIndex(s => string.Equals(s.Sid, sid, StringComparison.Ordinal));
                if (index < 0)
                {
                    list.Add(statement);
                    meanings.Add(meaning);
                    outcomes.Add(new MergeOutcome(statement, MergeAction.Added, list.Count - 1, null));
                }
                else if (meanings[index].Equals(meaning))
                {
                    outcomes.Add(new MergeOutcome(statement, MergeAction.Unchanged, index, null));
                }
                else if (force)
                {
                    var previous = list[index];
                    list[index] = statement;
                    meanings[index] = meaning;
                    outcomes.Add(new MergeOutcome(statement, MergeAction.Replaced, index, previous));
                }
                else
                {
                    var differing = string.Join(", ", StatementMeaning.DifferingElements(list[index], statement));
                    throw new PolicyException(
                        ErrorIds.StatementSidConflict,
                        PolicyErrorKind.ResourceExists,
                        $"The policy already has a statement with the Sid '{sid}' (position {index}) that differs in {differing}.",
                        statement,
                        remedy: Remedy.ReplaceStatementWithSameSid);
                }
            }
            else
            {
                var index = meanings.FindIndex(m => m.Equals(meaning));
                if (index >= 0)
                {
                    outcomes.Add(new MergeOutcome(statement, MergeAction.Unchanged, index, null));
                }
                else
                {
                    list.Add(statement);
                    meanings.Add(meaning);
                    outcomes.Add(new MergeOutcome(statement, MergeAction.Added, list.Count - 1, null));
                }
            }
        }

        var result = new MergeResult(policy, policy.WithStatements(list), outcomes);
        CheckLength(result.Document);
        return result;
    }

    /// <summary>Removes the statements whose Sid matches one of the patterns (<c>*</c> and <c>?</c>; case-sensitive, as IAM Sids are) or that mean the same as one of the given statements.</summary>
    /// <remarks>A given statement with a Sid removes only a statement with that Sid and the same meaning; one without Sid removes every statement with its meaning.</remarks>
    public static RemoveResult Remove(PolicyDocument policy, IEnumerable<string>? sidPatterns, IEnumerable<PolicyStatement>? statements = null)
    {
        if (policy is null)
        {
            throw new ArgumentNullException(nameof(policy));
        }

        var patterns = sidPatterns?.Where(p => p is not null).ToList() ?? new List<string>();
        var given = statements?.ToList() ?? new List<PolicyStatement>();
        var givenMeanings = given.Select(StatementMeaning.Of).ToList();
        var patternHits = new bool[patterns.Count];
        var statementHits = new bool[given.Count];
        var kept = new List<PolicyStatement>();
        var removed = new List<PolicyStatement>();
        foreach (var statement in policy.Statements)
        {
            var remove = false;
            if (statement.Sid is { } sid)
            {
                for (var i = 0; i < patterns.Count; i++)
                {
                    if (Wildcard.IsMatch(patterns[i], sid, ignoreCase: false))
                    {
                        patternHits[i] = true;
                        remove = true;
                    }
                }
            }

            if (given.Count > 0)
            {
                var meaning = StatementMeaning.Of(statement);
                for (var i = 0; i < given.Count; i++)
                {
                    if ((given[i].Sid is null || string.Equals(given[i].Sid, statement.Sid, StringComparison.Ordinal)) && givenMeanings[i].Equals(meaning))
                    {
                        statementHits[i] = true;
                        remove = true;
                    }
                }
            }

            (remove ? removed : kept).Add(statement);
        }

        var document = removed.Count == 0 ? policy : policy.WithStatements(kept);
        return new RemoveResult(
            document,
            removed,
            patterns.Where((_, i) => !patternHits[i]).ToArray(),
            given.Where((_, i) => !statementHits[i]).ToArray());
    }

    /// <summary>Refuses a document whose compact text is over ECR's limit.</summary>
    /// <exception cref="PolicyException"><c>PolicyTextTooLong</c> (LimitsExceeded), naming the size and the limit.</exception>
    public static void CheckLength(PolicyDocument document)
    {
        var length = document.CompactLength;
        if (length > PolicyDocument.MaxRegistryPolicyLength)
        {
            throw new PolicyException(
                ErrorIds.PolicyTextTooLong,
                PolicyErrorKind.LimitsExceeded,
                string.Format(CultureInfo.InvariantCulture, "The merged policy would be {0} characters of compact JSON, over ECR's limit of {1} for a registry policy. Combine statements (one statement can list several principals and resources) or remove ones no longer needed.", length, PolicyDocument.MaxRegistryPolicyLength),
                document);
        }
    }
}
