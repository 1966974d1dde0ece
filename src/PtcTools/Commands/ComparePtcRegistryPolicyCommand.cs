using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Compare-PtcRegistryPolicy: statement-level differences between two policies, judged by meaning.</summary>
[Cmdlet(VerbsData.Compare, "PtcRegistryPolicy")]
[OutputType(typeof(PtcPolicyChange))]
public sealed class ComparePtcRegistryPolicyCommand : PSCmdlet
{
    private PolicyDocument? _reference;

    /// <summary>The policy to compare against (before): a PtcRegistryPolicy, JSON text, a policy file object, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [PolicyArgument]
    public PtcRegistryPolicy ReferencePolicy { get; set; } = null!;

    /// <summary>The policy compared (after); from the pipeline by value (a piped PtcRegistryPolicy keeps its registry, Region and scope) or by its PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    [PolicyArgument]
    public PtcRegistryPolicy DifferencePolicy { get; set; } = null!;

    /// <summary>Also emits the statements that are the same in both.</summary>
    [Parameter]
    public SwitchParameter IncludeEqual { get; set; }

    /// <summary>After the statement changes, the access the change adds and removes, as classes with a witness each.</summary>
    [Parameter]
    public SwitchParameter Access { get; set; }

    /// <summary>With -Access: the account that owns the registry; default: the policies' RegistryId, else the one account their repository ARNs name.</summary>
    [Parameter]
    public string? RegistryId { get; set; }

    /// <summary>With -Access: the registry's Region; default: the policies' Region, else the one their repository ARNs name.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>With -Access: the registry policy scope (V1 or V2); default: the policies' scope, else V2.</summary>
    [Parameter]
    public RegistryPolicyScope? Scope { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _reference = ReferencePolicy.Document;
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ReferencePolicy.ErrorTarget));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var policy in PipelineArray.Policies(DifferencePolicy))
        {
            ProcessPolicy(policy);
        }
    }

    private void ProcessPolicy(PtcRegistryPolicy policy)
    {
        PolicyDocument difference;
        try
        {
            difference = policy.Document;
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, policy.ErrorTarget));
            return;
        }

        foreach (var change in PolicyDiffer.Compare(_reference!, difference))
        {
            if (IncludeEqual || change.Kind != PolicyChangeKind.Unchanged)
            {
                WriteObject(new PtcPolicyChange(change));
            }
        }

        if (Access)
        {
            WriteAccess(policy, difference);
        }
    }

    private void WriteAccess(PtcRegistryPolicy policy, PolicyDocument difference)
    {
        AccessCheckResult added, removed;
        try
        {
            (added, removed) = AccessAnalyzer.CompareAccess(_reference!, difference, AccessCheckCmdlet.OptionsFor(RegistryId, Region, Scope, policy, ReferencePolicy));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, policy.ErrorTarget));
            return;
        }

        foreach (var (result, change) in new[] { (added, PolicyChangeKind.Added), (removed, PolicyChangeKind.Removed) })
        {
            if (result.Result == AccessCheckStatus.Unknown)
            {
                WriteWarning($"The access {(change == PolicyChangeKind.Added ? "the change adds" : "the change removes")} could not be decided exactly: {string.Join(" ", result.Reasons.Select(r => r.Description))}");
            }

            foreach (var witness in result.Witnesses)
            {
                WriteObject(new PtcPolicyChange(change, witness));
            }
        }
    }
}
