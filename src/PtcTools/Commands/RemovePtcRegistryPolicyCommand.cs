using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Policy;

namespace PtcTools.Commands;

/// <summary>Remove-PtcRegistryPolicy: deletes the registry policy of ECR Regions or policy files, after a backup.</summary>
[Cmdlet(VerbsCommon.Remove, "PtcRegistryPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = EcrSet)]
[OutputType(typeof(PtcRegistryPolicyWriteResult))]
public sealed class RemovePtcRegistryPolicyCommand : RegistryPolicyCmdlet
{
    /// <summary>The folder for the backup of the removed policy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>Emit a summary with the backup file.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var writer = new SafePolicyWriter(BackupPath is null ? SafePolicyWriter.DefaultBackupFolder : SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath), Log);
        if (UsesFiles)
        {
            foreach (var file in ResolveFiles())
            {
                FileRegistryPolicyStore store;
                try
                {
                    store = new FileRegistryPolicyStore(file) { Log = Log };
                }
                catch (PolicyException ex)
                {
                    WriteError(ErrorRecords.From(ex, file));
                    continue;
                }

                Remove(file, store, writer);
            }

            return;
        }

        foreach (var region in RegionsOrDefault())
        {
            try
            {
                var client = CreateClient(region);
                Remove(client.Region, new EcrRegistryPolicyStore(client, Log), writer);
            }
            catch (PolicyException ex)
            {
                WriteError(ErrorRecords.From(ex, RegionTarget(region)));
            }
        }
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
                var file = store as FileRegistryPolicyStore;
                WriteObject(new PtcRegistryPolicyWriteResult
                {
                    Target = label,
                    Region = file is null ? label : null,
                    Path = file?.Path,
                    RegistryId = outcome.Before.RegistryId,
                    Status = "Removed",
                    BackupPath = outcome.BackupPath,
                    Length = outcome.Before.Text?.Length ?? 0,
                });
            }
        }
        catch (PolicyException ex)
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
