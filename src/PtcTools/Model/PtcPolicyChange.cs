using System.Management.Automation;
using Newtonsoft.Json;
using PtcTools.Policy.Json;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Merge;

namespace PtcTools;

/// <summary>One statement-level (or top-level element) difference between two policies, as Compare-PtcRegistryPolicy emits it; with -Access, also access the change adds or removes (Element Access).</summary>
public sealed class PtcPolicyChange
{
    /// <summary>The element name of an access change.</summary>
    public const string AccessElement = "Access";

    private readonly PolicyChangeKind _accessChange;

    /// <summary>Wraps a domain change.</summary>
    public PtcPolicyChange(PolicyChange change)
    {
        PolicyChange = change;
        ReferenceStatement = change.Reference is { } r ? new PtcPolicyStatement(r) : null;
        DifferenceStatement = change.Difference is { } d ? new PtcPolicyStatement(d) : null;
    }

    /// <summary>Access a change adds (Added: the witness is allowed by the difference policy only) or removes (Removed: by the reference policy only).</summary>
    public PtcPolicyChange(PolicyChangeKind change, AccessWitness witness)
    {
        _accessChange = change;
        Witness = new PtcAccessWitness(witness);
    }

    /// <summary>The domain change behind this object (null for an access change).</summary>
    [Hidden, JsonIgnore] // internals: not in ConvertTo-Json, Export-Csv or Format-List *, still $x.PolicyChange
    public PolicyChange? PolicyChange { get; }

    /// <summary>Added, Removed, Modified or Unchanged.</summary>
    public PolicyChangeKind Change => PolicyChange?.Kind ?? _accessChange;

    /// <summary><c>Statement</c>, the top-level key that differs (Version, Id, ...), or <c>Access</c>.</summary>
    public string Element => PolicyChange?.Element ?? AccessElement;

    /// <summary>The statement id, when the statement has one.</summary>
    public string? Sid => PolicyChange?.Sid;

    /// <summary>For a modified statement, the elements whose meaning differs.</summary>
    public PtcValueList<string> ChangedElements => new(PolicyChange?.ChangedKeys ?? System.Array.Empty<string>());

    /// <summary>The position in the reference policy, or -1.</summary>
    public int ReferenceIndex => PolicyChange?.ReferenceIndex ?? -1;

    /// <summary>The position in the difference policy, or -1.</summary>
    public int DifferenceIndex => PolicyChange?.DifferenceIndex ?? -1;

    /// <summary>For an access change: who it reaches (Public, OtherOrganization, OtherAccount, Service, Trusted); else null.</summary>
    public AccessClassification? Access => Witness?.Access;

    /// <summary>For an access change: a request that shows it, which binds to Test-PtcPermission by property name; else null.</summary>
    public PtcAccessWitness? Witness { get; }

    /// <summary>The statement in the reference policy (null when added).</summary>
    /// <remarks>Hidden from ConvertTo-Json and Export-Csv, where ReferenceJson holds the same statement as text.</remarks>
    [Hidden, JsonIgnore]
    public PtcPolicyStatement? ReferenceStatement { get; }

    /// <summary>The statement in the difference policy (null when removed).</summary>
    /// <remarks>Hidden from ConvertTo-Json and Export-Csv, where DifferenceJson holds the same statement as text.</remarks>
    [Hidden, JsonIgnore]
    public PtcPolicyStatement? DifferenceStatement { get; }

    /// <summary>The compact JSON on the reference side (statement or element value), or null.</summary>
    public string? ReferenceJson => PolicyChange?.Reference?.ToCompactJson() ?? (PolicyChange?.ReferenceValue is { } v ? PolicyJson.ToCompact(v) : null);

    /// <summary>The compact JSON on the difference side (statement or element value), or null.</summary>
    public string? DifferenceJson => PolicyChange?.Difference?.ToCompactJson() ?? (PolicyChange?.DifferenceValue is { } v ? PolicyJson.ToCompact(v) : null);

    /// <summary>One line for people.</summary>
    public string Description => PolicyChange?.Describe() ?? Witness!.Description;

    /// <summary>The description.</summary>
    public override string ToString() => Description;
}
