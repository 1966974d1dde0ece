using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;
using PtcTools.Policy.Rollout;

namespace PtcTools.Commands;

/// <summary>Get-PtcRegistryPolicyDrift: compares the live registry policy of every account x Region with the intended statements.</summary>
[Cmdlet(VerbsCommon.Get, "PtcRegistryPolicyDrift")]
[OutputType(typeof(PtcRegistryPolicyDrift))]
public sealed class GetPtcRegistryPolicyDriftCommand : TargetCmdlet
{
    private readonly List<PolicyStatement> _statements = new();

    /// <summary>The intended statements (New-PtcPolicyStatement output, statement JSON, hashtables, ConvertFrom-Json objects); their repository ARNs are placed in each target's account and Region.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public PtcPolicyStatement[] Statement { get; set; } = Array.Empty<PtcPolicyStatement>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        ReadStatements(Statement, _statements);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var (targets, sessions) = ResolveTargets();
        ForEachTarget(targets, runner => async scope =>
        {
            var target = scope.Registry;
            var result = new PtcRegistryPolicyDrift { Target = Label(target), Region = target.Region, RegistryId = target.AccountId };
            try
            {
                var client = await sessions!(target).EcrAsync(scope.Token).ConfigureAwait(false);
                var store = new EcrRegistryPolicyStore(client, sessions(target).Log) { AccountId = target.AccountId };
                var live = await store.ReadAsync(scope.Token).ConfigureAwait(false);
                var account = target.AccountId ?? live.RegistryId ?? throw new PolicyException(ErrorIds.RegistryPolicyAccountUnknown, PolicyErrorKind.InvalidOperation,
                    $"The account of {store.Description} could not be read (ECR DescribeRegistry failed; the credentials need ecr:DescribeRegistry), so the statements cannot be placed in it.", result.Target);
                result.RegistryId = account;
                var document = live.Exists ? PolicyReader.Read(live.Text ?? string.Empty, result.Target) : null;
                var merge = TargetMerge.Compute(new RegistryIdentity(account, target.Region), document, _statements, force: true);
                string Name(StatementDrift d) => d.Sid ?? (d.Intended ?? d.Live)!.ToCompactJson();
                result.Missing = merge.Drift.Where(d => d.Kind == DriftKind.Missing).Select(Name).ToArray();
                result.Changed = merge.Drift.Where(d => d.Kind == DriftKind.Changed).Select(Name).ToArray();
                result.Foreign = merge.Drift.Where(d => d.Kind == DriftKind.Foreign).Select(Name).ToArray();
                result.Statements = merge.Drift.Select(d => new PtcStatementDrift { Kind = d.Kind.ToString(), Sid = d.Sid, Intended = d.Intended?.ToCompactJson(), Live = d.Live?.ToCompactJson() }).ToList();
                result.Status = merge.InSync ? "InSync" : "Drifted";
                scope.Post(() => WriteObject(result));
                return TargetOutcome.Done(result.Status);
            }
            catch (PtcToolsException ex)
            {
                result.Status = "Failed";
                result.ErrorId = ex.ErrorId;
                result.Error = ErrorRecords.Text(ex);
                scope.Post(() =>
                {
                    WriteError(ErrorRecords.For(ex, result.Target));
                    WriteObject(result);
                });
                return TargetOutcome.Failed(ex.ErrorId);
            }
        });
    }
}
