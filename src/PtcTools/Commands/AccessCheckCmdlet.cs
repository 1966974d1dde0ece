using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy.Analysis;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>What the access checks share: where the registry is (-RegistryId, -Region, -Scope) and how a policy is read.</summary>
public abstract class AccessCheckCmdlet : PSCmdlet
{
    /// <summary>The account that owns the registry; default: the policy's RegistryId when read from ECR, else the one account its repository ARNs name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <summary>The registry's Region; default: the policy's Region when read from ECR, else the one Region its repository ARNs name.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>The registry policy scope: V1 (only the three registry actions) or V2 (every ECR action). Default: the policy's scope when known, else V2.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public RegistryPolicyScope? Scope { get; set; }

    /// <summary>Return $true when the result is Pass, else $false, instead of the result.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>The options for a check of these policies: the parameters, else what the policy objects remember.</summary>
    protected AccessAnalysisOptions Options(params PtcRegistryPolicy?[] policies) => OptionsFor(RegistryId, Region, Scope, policies);

    /// <summary>The given registry, Region and scope, else what the first of the policies remembers (else V2 and inference from the ARNs).</summary>
    /// <remarks>A policy converted from a parameter value remembers what its properties name: a deserialized PtcRegistryPolicy, an AWS.Tools response.</remarks>
    internal static AccessAnalysisOptions OptionsFor(string? registryId, string? region, RegistryPolicyScope? scope, params PtcRegistryPolicy?[] policies)
    {
        var registry = PolicyRegistry.Of(registryId, region, scope, policies);
        return new AccessAnalysisOptions { RegistryId = registry.RegistryId, Region = registry.Region, Scope = registry.Scope };
    }

    /// <summary>Writes the result, or with -Quiet whether it passed.</summary>
    protected void Emit(AccessCheckResult result)
    {
        WriteVerbose($"{result.Check}: {result.Classes} request classes of registry {result.RegistryId} in {result.Region} decided in {result.Elapsed.TotalMilliseconds:0} ms.");
        if (result.Result == AccessCheckStatus.Unknown)
        {
            WriteWarning($"{result.Check} could not be decided exactly: {string.Join(" ", result.Reasons.Select(r => r.Description))}");
        }

        if (Quiet)
        {
            WriteObject(result.Result == AccessCheckStatus.Pass);
        }
        else
        {
            WriteObject(new PtcAccessCheckResult(result));
        }
    }
}
