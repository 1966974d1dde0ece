using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Aws.Targets;
using PtcTools.Policy;

namespace PtcTools.Commands;

/// <summary>Remove-PtcRegistryPolicy: deletes the registry policy of ECR Regions or policy files, after a backup.</summary>
[Cmdlet(VerbsCommon.Remove, "PtcRegistryPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = EcrSet)]
[OutputType(typeof(PtcRegistryPolicyWriteResult))]
public sealed class RemovePtcRegistryPolicyCommand : RegistryPolicyCmdlet
{
    private static readonly string[] s_removeChange = { "remove the registry policy" };

    /// <summary>The folder for the backup of the removed policy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>Emit a summary with the backup file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>A journal of the finished targets: a rerun with it skips them and tries the failed ones again.</summary>
    [Parameter(ParameterSetName = EcrSet)]
    [ValidateNotNullOrEmpty]
    public string? JournalPath { get; set; }

    /// <inheritdoc />
    protected override bool EmitsSkipped => PassThru;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var writer = new SafePolicyWriter(BackupPath is null ? SafePolicyWriter.DefaultBackupFolder : SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath), Log);
        if (UsesFiles && JournalPath is not null)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.AwsParameterNotApplicable, ErrorCategory.InvalidArgument, "-JournalPath records account x Region targets of ECR; it does not apply to policy files.", "-JournalPath"));
        }

        if (UsesFiles)
        {
            foreach (var file in ResolveFiles())
            {
                FileRegistryPolicyStore store;
                try
                {
                    store = new FileRegistryPolicyStore(file) { Log = Log };
                }
                catch (PtcToolsException ex)
                {
                    WriteError(ErrorRecords.From(ex, file));
                    continue;
                }

                Remove(file, store, writer);
            }

            return;
        }

        var (targets, sessions) = ResolveTargets();
        var journal = OpenJournal(JournalPath, targets, "Remove-PtcRegistryPolicy", s_removeChange, s_removeChange[0]);
        ForEachTarget(targets, runner => async scope =>
        {
            var session = sessions!(scope.Registry);
            var label = Label(scope.Registry);
            try
            {
                var store = await StoreAsync(session, scope).ConfigureAwait(false);
                if (!await scope.InvokeAsync(() => ShouldProcess($"Remove {store.Description} (a backup is kept first).", $"Remove {store.Description}? A backup is kept first.", "Remove-PtcRegistryPolicy")).ConfigureAwait(false))
                {
                    return new TargetOutcome(WhatIfActive ? "WhatIf" : "Declined", false);
                }

                var outcome = await writer.DeleteAsync(store, scope.Token).ConfigureAwait(false);
                scope.Post(() =>
                {
                    WriteVerbose($"Removed {store.Description}; the removed policy is saved in {outcome.BackupPath}.");
                    if (PassThru)
                    {
                        WriteObject(Removed(label, scope.Registry.Region, store, outcome));
                    }
                });
                return TargetOutcome.Done("Removed");
            }
            catch (PtcToolsException ex) when (ex.ErrorId == ErrorIds.TargetStoppedBeforeWrite)
            {
                throw new System.OperationCanceledException(ex.Message, ex);
            }
            catch (PtcToolsException ex)
            {
                ReportFailure(scope, ex, label);
                if (PassThru)
                {
                    scope.Post(() => WriteObject(new PtcRegistryPolicyWriteResult { Target = label, Region = scope.Registry.Region, RegistryId = scope.Registry.AccountId, Status = "Failed", ErrorId = ex.ErrorId, Error = ErrorRecords.Text(ex) }));
                }

                return TargetOutcome.Failed(ex.ErrorId);
            }
        }, journal, SkippedFromJournal);
    }

    private static PtcRegistryPolicyWriteResult Removed(string label, string? region, IRegistryPolicyStore store, WriteOutcome outcome)
    {
        var file = store as FileRegistryPolicyStore;
        return new PtcRegistryPolicyWriteResult
        {
            Target = label,
            Region = file is null ? region : null,
            Path = file?.Path,
            RegistryId = outcome.Before.RegistryId,
            Status = "Removed",
            BackupPath = outcome.BackupPath,
            Length = outcome.Before.Text?.Length ?? 0,
        };
    }

    private void Remove(string label, IRegistryPolicyStore store, SafePolicyWriter writer)
    {
        try
        {
            if (!ShouldProcess($"Remove {store.Description} (a backup is kept first).", $"Remove {store.Description}? A backup is kept first.", "Remove-PtcRegistryPolicy"))
            {
                return;
            }

            var outcome = Run(ct => writer.DeleteAsync(store, ct));
            WriteVerbose($"Removed {store.Description}; the removed policy is saved in {outcome.BackupPath}.");
            if (PassThru)
            {
                WriteObject(Removed(label, label, store, outcome));
            }
        }
        catch (PtcToolsException ex)
        {
            if (Stopping)
            {
                // Ctrl+C: the pipeline takes no more records, but the user must learn whether the policy is gone and where the backup is.
                ReportWhileStopping(ErrorRecords.From(ex, label));
                throw new PipelineStoppedException();
            }

            WriteError(ErrorRecords.From(ex, label));
        }
    }
}
