using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Analysis;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Test-PtcAccessNotGranted: a guardrail such as "nobody outside the organization can ever ecr:CreateRepository". Pass, or Fail with witnesses.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PtcAccessNotGranted")]
[OutputType(typeof(PtcAccessCheckResult))]
[OutputType(typeof(bool))]
public sealed class TestPtcAccessNotGrantedCommand : AccessCheckCmdlet
{
    /// <summary>The registry policy: a PtcRegistryPolicy (piped, it keeps its registry, Region and scope), JSON text, a policy file object, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    [PolicyArgument]
    public PtcRegistryPolicy Policy { get; set; } = null!;

    /// <summary>The actions that must not be granted (names or patterns such as ecr:Create*); default every action.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ActionCompleter))]
    public string[]? Action { get; set; }

    /// <summary>Whom they must not be granted to: account ids, account, user, role or session ARNs, service principals, or *; default everyone.</summary>
    [Parameter]
    public string[]? Principal { get; set; }

    /// <summary>On which repositories (names or patterns such as team-a/*); default every repository and the actions without one.</summary>
    [Parameter]
    public string[]? RepositoryName { get; set; }

    /// <summary>Accounts whose principals the guardrail does not cover (with -OrganizationId: only principals outside the trust zone count).</summary>
    [Parameter]
    public string[]? TrustedAccount { get; set; }

    /// <summary>Organizations (o-...) whose principals the guardrail does not cover.</summary>
    [Parameter]
    public string[]? OrganizationId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        try
        {
            var options = Options(Policy);
            var query = new AccessQuery { OutsideTrustZoneOnly = TrustedAccount is { Length: > 0 } || OrganizationId is { Length: > 0 } };
            foreach (var a in TrustedAccount ?? System.Array.Empty<string>()) { options.TrustedAccounts.Add(a); }
            foreach (var o in OrganizationId ?? System.Array.Empty<string>()) { options.OrganizationIds.Add(o); }
            foreach (var a in Action ?? System.Array.Empty<string>()) { query.Actions.Add(a); }
            foreach (var p in Principal ?? System.Array.Empty<string>()) { query.Principals.Add(p); }
            foreach (var r in RepositoryName ?? System.Array.Empty<string>()) { query.RepositoryNames.Add(r); }
            Emit(AccessAnalyzer.CheckAccessNotGranted(Policy.Document, query, options));
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, Policy.ErrorTarget));
        }
    }
}
