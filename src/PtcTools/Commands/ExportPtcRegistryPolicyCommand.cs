using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Policy.Export;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;
using PtcTools.Policy.Rollout;

namespace PtcTools.Commands;

/// <summary>The documents Export-PtcRegistryPolicy writes.</summary>
public enum PtcExportFormat
{
    /// <summary>A CloudFormation template in JSON, for a StackSet, with per-instance parameter overrides.</summary>
    CloudFormationJson,

    /// <summary>The same template in YAML.</summary>
    CloudFormationYaml,

    /// <summary>A Terraform JSON configuration (*.tf.json): one aws_ecr_registry_policy per provider alias.</summary>
    TerraformJson,
}

/// <summary>Export-PtcRegistryPolicy: writes the whole merged registry policy of every account x Region as a StackSet template (with per-instance parameter overrides) or a Terraform JSON configuration.</summary>
[Cmdlet(VerbsData.Export, "PtcRegistryPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(PtcRegistryPolicyExport))]
public sealed class ExportPtcRegistryPolicyCommand : TargetCmdlet
{
    private readonly List<PolicyStatement> _statements = new();

    /// <summary>The plan's statements (New-PtcPolicyStatement output, statement JSON, hashtables, ConvertFrom-Json objects); their repository ARNs become each target's.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public PtcPolicyStatement[] Statement { get; set; } = Array.Empty<PtcPolicyStatement>();

    /// <summary>The folder the documents are written to.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = string.Empty;

    /// <summary>What to write: CloudFormationJson (default), CloudFormationYaml, TerraformJson; several at once.</summary>
    [Parameter]
    public PtcExportFormat[] Format { get; set; } = { PtcExportFormat.CloudFormationJson };

    /// <summary>Replace a live statement that has an intended statement's Sid and another meaning; without it such a target fails.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        ReadStatements(Statement, _statements);
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutputPath);
        var (targets, sessions) = ResolveTargets();
        var merges = new ConcurrentDictionary<RegistryTarget, TargetMerge>();
        var results = new ConcurrentDictionary<RegistryTarget, PtcRegistryPolicyExport>();
        ForEachTarget(targets, runner => async scope =>
        {
            var target = scope.Registry;
            var result = new PtcRegistryPolicyExport { Target = Label(target), Region = target.Region, RegistryId = target.AccountId };
            results[target] = result;
            try
            {
                var client = await sessions!(target).EcrAsync(scope.Token).ConfigureAwait(false);
                var store = new EcrRegistryPolicyStore(client, sessions(target).Log) { AccountId = target.AccountId };
                var live = await store.ReadAsync(scope.Token).ConfigureAwait(false);
                var account = target.AccountId ?? live.RegistryId ?? throw new PolicyException(ErrorIds.RegistryPolicyAccountUnknown, PolicyErrorKind.InvalidOperation,
                    $"The account of {store.Description} could not be read (ECR DescribeRegistry failed; the credentials need ecr:DescribeRegistry), so its policy cannot be exported.", result.Target);
                result.RegistryId = account;
                result.Target = account + "/" + target.Region;
                var document = live.Exists ? PolicyReader.Read(live.Text ?? string.Empty, result.Target) : null;
                var merge = TargetMerge.Compute(new RegistryIdentity(account, target.Region), document, _statements, Force);
                _ = merge.Merged;
                merges[target] = merge;
                return TargetOutcome.Done("Read");
            }
            catch (PtcToolsException ex)
            {
                Fail(result, ex);
                scope.Post(() => WriteError(ErrorRecords.For(ex, result.Target)));
                return TargetOutcome.Failed(ex.ErrorId);
            }
        });

        var ready = targets.Where(merges.ContainsKey).Select(t => merges[t]).ToList();
        if (ready.Count > 0 && ShouldProcess(folder, $"Write {string.Join(", ", Format.Distinct())} for {ready.Count} target{(ready.Count == 1 ? string.Empty : "s")}"))
        {
            try
            {
                Write(folder, targets.Where(merges.ContainsKey).ToList(), merges, results);
            }
            catch (PtcToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, folder));
            }
        }

        foreach (var target in targets)
        {
            if (results.TryGetValue(target, out var result))
            {
                WriteObject(result);
            }
        }
    }

    private void Write(string folder, List<RegistryTarget> ready, ConcurrentDictionary<RegistryTarget, TargetMerge> merges, ConcurrentDictionary<RegistryTarget, PtcRegistryPolicyExport> results)
    {
        var fitting = new List<RegistryTarget>();
        foreach (var target in ready)
        {
            var merged = merges[target].Merged;
            var result = results[target];
            result.Statements = merged.Statements.Count;
            result.Length = merged.CompactLength;
            if (merged.CompactLength > PolicyDocument.MaxRegistryPolicyLength)
            {
                var ex = new PolicyException(ErrorIds.PolicyTextTooLong, PolicyErrorKind.LimitsExceeded,
                    $"The policy of {result.Target} would be {merged.CompactLength} characters after substitution, over ECR's limit of {PolicyDocument.MaxRegistryPolicyLength}; it is left out of the export.", result.Target);
                Fail(result, ex);
                WriteError(ErrorRecords.For(ex, result.Target));
                continue;
            }

            fitting.Add(target);
        }

        if (fitting.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        var formats = Format.Distinct().ToList();
        if (formats.Any(f => f is PtcExportFormat.CloudFormationJson or PtcExportFormat.CloudFormationYaml))
        {
            var template = StackSetTemplate.Build(_statements, fitting.Select(t => merges[t]).ToList(),
                $"The ECR registry policy of each account and Region, owned by this StackSet (written by PtcTools Export-PtcRegistryPolicy; {_statements.Count} planned statement{(_statements.Count == 1 ? string.Empty : "s")}, other teams' statements kept per stack instance).");
            if (formats.Contains(PtcExportFormat.CloudFormationJson))
            {
                WriteFile(Path.Combine(folder, "registry-policy.template.json"), template.ToJson());
            }

            if (formats.Contains(PtcExportFormat.CloudFormationYaml))
            {
                WriteFile(Path.Combine(folder, "registry-policy.template.yaml"), template.ToYaml());
            }

            var overrides = Path.Combine(folder, "parameter-overrides");
            for (var i = 0; i < fitting.Count; i++)
            {
                var instance = template.Instances[i];
                var result = results[fitting[i]];
                var file = Path.Combine(overrides, $"{instance.Registry.AccountId}-{instance.Registry.Region}.json");
                WriteFile(file, instance.OverridesJson());
                result.ParameterOverridesPath = file;
                result.Kept = instance.KeptStatements;
                result.Length = instance.Length;
                result.Statements = instance.Resolved.Statements.Count;
            }

            var bytes = System.Text.Encoding.UTF8.GetByteCount(template.ToJson());
            if (bytes > StackSetTemplate.MaxInlineBodyBytes)
            {
                WriteWarning($"The template is {bytes} bytes, over the {StackSetTemplate.MaxInlineBodyBytes} CloudFormation takes inline: upload it to S3 and pass --template-url.");
            }
        }

        if (formats.Contains(PtcExportFormat.TerraformJson))
        {
            var settings = AccountId is { Length: > 0 } ? new AssumeRoleSettings(RoleName, ExternalId, RoleSessionName) : null;
            var terraform = fitting.Select(t => new TerraformTarget(merges[t], t.AccountId is null || settings is null ? null : settings.RoleArn(t.AccountId, t.Partition), settings?.RoleSessionName, settings?.ExternalId)).ToList();
            WriteFile(Path.Combine(folder, "registry-policy.tf.json"), TerraformExport.Write(terraform));
        }

        foreach (var target in fitting)
        {
            results[target].Status = "Exported";
        }
    }

    private void WriteFile(string path, string text)
    {
        FileRegistryPolicyStore.WriteAtomically(path, text);
        WriteVerbose($"Wrote {path}.");
    }

    private static void Fail(PtcRegistryPolicyExport result, PtcToolsException ex)
    {
        result.Status = "Failed";
        result.ErrorId = ex.ErrorId;
        result.Error = ErrorRecords.Text(ex);
    }
}
