using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Stores;

/// <summary>What a write will do to a store, as one snapshot of it shows.</summary>
public enum WritePlanStatus
{
    /// <summary>The store has no policy; the write creates it.</summary>
    Create,

    /// <summary>The store holds another policy; the write replaces it.</summary>
    Replace,

    /// <summary>The store already holds this policy; nothing is written.</summary>
    Unchanged,
}

/// <summary>
/// One write to one store, worked out once from one snapshot of it: the live policy (parsed once), what the write does
/// (create, replace, nothing), the statement-level change, the lint findings for the store's scope, account and Region,
/// and, when asked for, the access the write newly grants. <see cref="SafePolicyWriter.ApplyAsync"/> carries it out.
/// </summary>
/// <remarks>
/// The snapshot is either a read of the store made for the plan, or the caller's own read of that store (a policy piped
/// from Get-PtcRegistryPolicy remembers its text, account and scope), so a pipeline reads the store once before the write;
/// applying the plan reads it once more as the guard against a writer that came in between.
/// </remarks>
public sealed class WritePlan
{
    private readonly Lazy<AccessCheckResult> _accessChange;
    private readonly bool _unread;

    private WritePlan(IRegistryPolicyStore store, StoredPolicy live, PolicyDocument? before, PolicyDocument desired, ReadState read, bool force, bool fromCaller, IReadOnlyList<PolicyFinding> findings, string? text = null, bool unread = false)
    {
        Store = store;
        Live = live;
        Before = before;
        Desired = desired;
        Text = text ?? store.Format(desired);
        _unread = unread;
        Read = read;
        Force = force;
        FromCallersRead = fromCaller;
        Findings = findings;
        Scope = ScopeOf(live.Scope);
        Status = !live.Exists ? WritePlanStatus.Create : Holds(live, before, Text, desired) ? WritePlanStatus.Unchanged : WritePlanStatus.Replace;
        Changes = PolicyDiffer.Compare(before ?? PolicyDocument.CreateEmpty(), desired).Where(c => c.Kind != PolicyChangeKind.Unchanged).ToList();
        _accessChange = new Lazy<AccessCheckResult>(() => AccessAnalyzer.CheckNoNewAccess(Before ?? PolicyDocument.CreateEmpty(), Desired,
            new AccessAnalysisOptions { RegistryId = Live.RegistryId ?? Read.RegistryId, Region = Live.Region, Scope = Scope }));
    }

    /// <summary>The store written.</summary>
    public IRegistryPolicyStore Store { get; }

    /// <summary>The snapshot of the store the plan was worked out from.</summary>
    public StoredPolicy Live { get; }

    /// <summary>The snapshot's policy, parsed once; null when the store had none, or text that is not a policy.</summary>
    public PolicyDocument? Before { get; }

    /// <summary>The policy to write.</summary>
    public PolicyDocument Desired { get; }

    /// <summary>The text the store keeps for <see cref="Desired"/> (ECR: compact; a file: indented).</summary>
    public string Text { get; }

    /// <summary>What the caller read, for the changed-since-read and account checks.</summary>
    public ReadState Read { get; }

    /// <summary>Overwrite a policy that changed since it was read.</summary>
    public bool Force { get; }

    /// <summary>True when the snapshot is the caller's own read of this store, not a read made for the plan.</summary>
    public bool FromCallersRead { get; }

    /// <summary>An account the caller names (such as a registry id given), checked against the store's at the guard; null for none.</summary>
    public (string Account, string NamedBy)? NamedAccount { get; private set; }

    /// <summary>Create, Replace or Unchanged, as the snapshot shows.</summary>
    public WritePlanStatus Status { get; }

    /// <summary>The registry policy scope the snapshot was read under (V2 when unknown, ECR's default).</summary>
    public RegistryPolicyScope Scope { get; }

    /// <summary>The statements added, removed or changed in meaning (Compare-PtcRegistryPolicy's differ).</summary>
    public IReadOnlyList<PolicyChange> Changes { get; }

    /// <summary>The lint findings of Warning and Error severity for this store's scope, account and Region; empty when validation was skipped.</summary>
    public IReadOnlyList<PolicyFinding> Findings { get; }

    /// <summary>The access the write would newly grant (the no-new-access check), worked out the first time it is asked for.</summary>
    /// <exception cref="PolicyException">When the analysis cannot run on these policies.</exception>
    public AccessCheckResult AccessChange => _accessChange.Value;

    /// <summary>Plans a write from a snapshot of the store.</summary>
    /// <param name="store">The store written.</param>
    /// <param name="live">The snapshot: a read of the store, or the caller's read of it (see <see cref="FromCaller"/>).</param>
    /// <param name="desired">The policy to write.</param>
    /// <param name="read">What the caller read.</param>
    /// <param name="force">Overwrite a policy that changed since it was read.</param>
    /// <param name="validate">Lint the policy for the store (false: -SkipValidation).</param>
    /// <param name="before">The snapshot's policy when the caller has parsed it already (it is then not parsed again).</param>
    public static WritePlan Create(IRegistryPolicyStore store, StoredPolicy live, PolicyDocument desired, ReadState read, bool force, bool validate, PolicyDocument? before = null) =>
        Create(store, live, desired, read, force, validate, before, fromCaller: false);

    /// <summary>
    /// The snapshot the caller's read gives of <paramref name="store"/>, or null when it is not a read of that store (text,
    /// a policy from another Region, file or account) and the plan needs a read of its own.
    /// </summary>
    public static StoredPolicy? FromCaller(IRegistryPolicyStore store, ReadState read, string? storeAccount)
    {
        var fromStore = read.SourceText is not null || !read.Exists;
        if (!fromStore || !store.IsOrigin(read.Region, read.Path))
        {
            return null;
        }

        if (storeAccount is not null && read.RegistryId is not null && !string.Equals(storeAccount, read.RegistryId, StringComparison.Ordinal))
        {
            return null;
        }

        return new StoredPolicy(read.Exists, read.Exists ? read.SourceText : null, read.RegistryId, read.Path is null ? read.Region : null, read.Scope, read.Path);
    }

    /// <summary>Plans a write from the caller's read of the store (<see cref="FromCaller"/>).</summary>
    public static WritePlan CreateFromCallersRead(IRegistryPolicyStore store, StoredPolicy callersRead, PolicyDocument desired, ReadState read, bool force, bool validate) =>
        Create(store, callersRead, desired, read, force, validate, null, fromCaller: true);

    /// <summary>Names an account the caller gives, checked against the store's account at the guard; <paramref name="namedBy"/> says in domain words what named it (such as "the registry id given").</summary>
    public WritePlan WithNamedAccount(string? account, string namedBy)
    {
        NamedAccount = string.IsNullOrEmpty(account) ? null : (account!, namedBy);
        return this;
    }

    /// <summary>True when <paramref name="live"/> is exactly the snapshot (same presence and the same text, character for character).</summary>
    public bool IsSnapshot(StoredPolicy live) =>
        !_unread && live.Exists == Live.Exists && (!live.Exists || string.Equals(live.Text, Live.Text, StringComparison.Ordinal));

    // A plan with no snapshot (SafePolicyWriter.WriteAsync): the guard read is its only look at the store.
    internal static WritePlan Unread(IRegistryPolicyStore store, PolicyDocument desired, string text, ReadState read, bool force) =>
        new(store, new StoredPolicy(false, null), null, desired, read, force, false, Array.Empty<PolicyFinding>(), text, unread: true);

    private static WritePlan Create(IRegistryPolicyStore store, StoredPolicy live, PolicyDocument desired, ReadState read, bool force, bool validate, PolicyDocument? before, bool fromCaller)
    {
        var parsed = before ?? TryParse(live);
        var findings = validate
            ? PolicyLinter.Lint(desired, new LintOptions { Scope = ScopeOf(live.Scope), RegistryId = live.RegistryId, Region = live.Region, MinimumSeverity = FindingSeverity.Warning })
            : Array.Empty<PolicyFinding>();
        return new WritePlan(store, live, parsed, desired, read, force, fromCaller, findings);
    }

    /// <summary>The registry policy scope a store reported: V1 only when it says so; V2 (ECR's default) otherwise.</summary>
    public static RegistryPolicyScope ScopeOf(string? scope) =>
        string.Equals(scope, "V1", StringComparison.OrdinalIgnoreCase) ? RegistryPolicyScope.V1 : RegistryPolicyScope.V2;

    // The snapshot holds the policy when its text is the text to write, or parses to the same compact JSON.
    private static bool Holds(StoredPolicy live, PolicyDocument? before, string text, PolicyDocument desired) =>
        string.Equals(live.Text, text, StringComparison.Ordinal) ||
        (before is not null ? string.Equals(before.ToCompactJson(), desired.ToCompactJson(), StringComparison.Ordinal) : SafePolicyWriter.SamePolicy(live.Text, text));

    internal static PolicyDocument? TryParse(StoredPolicy stored)
    {
        if (!stored.Exists || stored.Text is null)
        {
            return null;
        }

        try
        {
            return PolicyDocument.Parse(stored.Text);
        }
        catch (PolicyJsonException)
        {
            return null;
        }
    }
}
