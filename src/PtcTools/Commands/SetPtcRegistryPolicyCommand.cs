using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Set-PtcRegistryPolicy: writes a registry policy to ECR Regions or files, safely (check, back up, write, verify).</summary>
[Cmdlet(VerbsCommon.Set, "PtcRegistryPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = EcrSet)]
[OutputType(typeof(PtcRegistryPolicyWriteResult), typeof(PtcRegistryPolicy))]
public sealed class SetPtcRegistryPolicyCommand : RegistryPolicyCmdlet
{
    /// <inheritdoc />
    protected override bool TakesPipedPolicyText => true;

    /// <summary>The policy: a PtcRegistryPolicy (best: it remembers what was read), JSON text, or an object with PolicyText.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputObject", "Policy")]
    public object PolicyText { get; set; } = null!;

    /// <summary>The account the policy must be written to; a write that would reach another account is refused. Binds from a policy read from ECR and from AWS.Tools responses.</summary>
    [Parameter(ParameterSetName = EcrSet, ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <summary>Overwrite even when the live policy changed since it was read, or was not read at all.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Write even when the policy check finds an error.</summary>
    [Parameter]
    public SwitchParameter SkipValidation { get; set; }

    /// <summary>The folder for backups of the previous policy.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BackupPath { get; set; }

    /// <summary>Emit the policy as read back after the write instead of the summary.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() => PipelineArray.ForEach(PolicyText, p => PolicyText = p, ProcessPolicy);

    private void ProcessPolicy()
    {
        PolicyDocument document;
        try
        {
            // Bound by property name, it is empty for a policy that was not read from ECR: then there is nothing to check.
            if (!string.IsNullOrEmpty(RegistryId) && !Arn.IsAccountId(RegistryId))
            {
                throw new PolicyException("RegistryIdInvalid", PolicyErrorKind.InvalidArgument, $"'{RegistryId}' is not a registry id; give the 12-digit account id the policy must be written to.", RegistryId);
            }

            document = PolicyInput.ToDocument(PolicyText);
            CheckLength(document);

            // A lone surrogate cannot be written as UTF-8 to any store; refused before anything is read or written.
            PolicyFileSystem.Utf8Bytes(document.ToCompactJson(), "the policy");
        }
        catch (PolicyException ex)
        {
            WriteError(ErrorRecords.From(ex, PolicyText));
            return;
        }

        var read = ReadStateOf(PolicyText);
        var writer = new SafePolicyWriter(BackupPath is null ? SafePolicyWriter.DefaultBackupFolder : SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath), Log);
        var targets = Targets(read);
        for (var i = 0; i < targets.Count; i++)
        {
            var (label, makeStore) = targets[i];
            if (targets.Count > 1)
            {
                WriteProgress(new ProgressRecord(1, "Set-PtcRegistryPolicy", $"{label} ({i + 1} of {targets.Count})") { PercentComplete = i * 100 / targets.Count });
            }

            WriteTarget(label, makeStore, document, read, writer);
        }

        if (targets.Count > 1)
        {
            WriteProgress(new ProgressRecord(1, "Set-PtcRegistryPolicy", "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private void WriteTarget(string label, Func<IRegistryPolicyStore> makeStore, PolicyDocument document, ReadState read, SafePolicyWriter writer)
    {
        var summary = new PtcRegistryPolicyWriteResult { Target = label, Statements = document.Statements.Count };
        try
        {
            var store = makeStore();
            var file = store as FileRegistryPolicyStore;
            summary.Target = file?.Path ?? label;
            summary.Path = file?.Path;
            summary.Region = file is null ? label : null;

            // Files get indented text for reviews; ECR gets the compact text it stores.
            var text = store.Format(document);
            summary.Length = document.CompactLength;
            var live = Run(store.ReadAsync);
            summary.RegistryId = live.RegistryId;
            if (file is null && !string.IsNullOrEmpty(live.Region))
            {
                // The Region the chain resolved (AWS_REGION, the profile, ...), not "(default Region)".
                label = live.Region!;
                summary.Target = label;
                summary.Region = label;
            }

            try
            {
                // Before anything else, even "Unchanged": a policy from one account piped to credentials of another is a mistake to report.
                SafePolicyWriter.CheckAccount(store, read, live);
                SafePolicyWriter.CheckAccount(store, string.IsNullOrEmpty(RegistryId) ? null : RegistryId, "-RegistryId", live);
                if (live.Exists && SafePolicyWriter.SamePolicy(live.Text, text))
                {
                    summary.Status = "Unchanged";
                    WriteVerbose($"{store.Description} already holds this policy; nothing to write.");
                    Emit(summary, live, file?.Path ?? label);
                    return;
                }

                // The checks the write makes, so -WhatIf shows what the real run would do, not a diff it would refuse.
                SafePolicyWriter.Check(store, document, read, live, Force);
                Validate(document, live, file is null ? live.Region : null);
            }
            catch (PolicyException ex) when (WhatIfActive)
            {
                ShouldProcess($"Set-PtcRegistryPolicy would be refused for {store.Description}: {ex.ErrorId}: {ex.Message}", string.Empty, "Set-PtcRegistryPolicy");
                throw;
            }

            var before = live.Exists ? TryParse(live.Text) : null;
            var changes = StatementDiff.Describe(before, document);
            var description = $"{(live.Exists ? "Replace" : "Create")} {store.Description}: {document.Statements.Count} statement{(document.Statements.Count == 1 ? string.Empty : "s")}, {document.CompactLength} characters." +
                Environment.NewLine + (changes.Count == 0 ? "  (no statement changes)" : string.Join(Environment.NewLine, changes.Select(c => "  " + c)));
            if (Describing())
            {
                // Beside the statement diff, what the write would newly allow (computed only when someone will read it).
                var scope = string.Equals(live.Scope, "V1", StringComparison.OrdinalIgnoreCase) ? RegistryPolicyScope.V1 : RegistryPolicyScope.V2;
                description += Environment.NewLine + string.Join(Environment.NewLine, AccessDiff.Describe(before, document, live.RegistryId ?? RegistryId, file is null ? live.Region : null, scope));
            }

            if (!ShouldProcess(description, $"{description}{Environment.NewLine}Write it?", "Set-PtcRegistryPolicy"))
            {
                return;
            }

            var outcome = Run(ct => writer.WriteAsync(store, document, text, read, Force, ct));
            summary.Status = outcome.Status.ToString();
            summary.BackupPath = outcome.BackupPath;
            summary.RegistryId = outcome.After.RegistryId ?? summary.RegistryId;
            Emit(summary, outcome.After, file?.Path ?? label);
        }
        catch (PolicyException ex)
        {
            summary.Status = "Failed";
            summary.ErrorId = ex.ErrorId;
            summary.Error = ex.Message;
            if (Stopping)
            {
                // Ctrl+C: the pipeline takes no more records, but the user must learn whether the write landed and where the backup is.
                ReportWhileStopping(ErrorRecords.From(ex, label));
                throw new PipelineStoppedException();
            }

            WriteError(ErrorRecords.From(ex, label));
            if (!PassThru)
            {
                WriteObject(summary);
            }
        }
    }

    // True when ShouldProcess will show the description: -WhatIf, or a confirmation prompt for this Medium-impact write.
    private bool Describing()
    {
        bool Bound(string name) => MyInvocation.BoundParameters.TryGetValue(name, out var value) && value is SwitchParameter { IsPresent: true };
        if (Bound("WhatIf") || Bound("Confirm") || LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference")))
        {
            return true;
        }

        return GetVariableValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium;
    }

    private void Emit(PtcRegistryPolicyWriteResult summary, StoredPolicy after, object target)
    {
        WriteObject(PassThru ? ToPolicy(after, target) : summary);
    }

    private List<(string Label, Func<IRegistryPolicyStore> MakeStore)> Targets(ReadState read)
    {
        var targets = new List<(string, Func<IRegistryPolicyStore>)>();
        if (UsesFiles)
        {
            foreach (var file in ResolveFiles())
            {
                targets.Add((file, () => FileStore(file)));
            }
        }
        else if (Region is not { Length: > 0 } && AwsParameterGiven is null && read.Path is not null)
        {
            // A policy read from a file goes back to that file unless a target (a Region, or any AWS parameter) is named.
            targets.Add((read.Path, () => FileStore(read.Path)));
        }
        else
        {
            foreach (var region in RegionsOrDefault())
            {
                targets.Add((region ?? "(default Region)", () =>
                {
                    var client = CreateClient(region);
                    return new EcrRegistryPolicyStore(client, Log) { Settle = SettleTime() };
                }));
            }
        }

        return targets;
    }

    private FileRegistryPolicyStore FileStore(string path) => new(path) { AllowReadOnly = Force, Log = Log };

    // PTCTOOLS_WRITE_SETTLE_MS tunes how long a write to ECR waits before it looks once more that its statements stayed.
    private TimeSpan SettleTime()
    {
        var setting = Environment.GetEnvironmentVariable("PTCTOOLS_WRITE_SETTLE_MS");
        if (string.IsNullOrEmpty(setting))
        {
            return EcrRegistryPolicyStore.DefaultSettle;
        }

        if (int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 60000)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        WriteWarning($"PTCTOOLS_WRITE_SETTLE_MS is '{setting}', not a number of milliseconds from 0 to 60000; using {EcrRegistryPolicyStore.DefaultSettle.TotalMilliseconds} ms.");
        return EcrRegistryPolicyStore.DefaultSettle;
    }

    private bool WhatIfActive =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter { IsPresent: true }) ||
        (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")));

    // What the caller read, from a live or deserialized PtcRegistryPolicy; text or other objects were not read from any store.
    private static ReadState ReadStateOf(object input)
    {
        var baseObject = input is PSObject pso ? pso.BaseObject : input;
        if (baseObject is PtcRegistryPolicy policy)
        {
            return new ReadState(policy.Exists, policy.SourceText, policy.Region, policy.Path, NonEmpty(policy.RegistryId));
        }

        if (input is PSObject wrapped && wrapped.TypeNames.Any(t => t.EndsWith("PtcTools.PtcRegistryPolicy", StringComparison.Ordinal)))
        {
            string? Text(string name) => wrapped.Properties[name]?.Value?.ToString();
            var exists = wrapped.Properties["Exists"]?.Value is not { } e || LanguagePrimitives.IsTrue(e);
            return new ReadState(exists, Text("SourceText"), Text("Region"), Text("Path"), NonEmpty(Text("RegistryId")));
        }

        // An AWS.Tools response (Get-ECRRegistryPolicy) names the account it was read from; plain text names none.
        var registryId = baseObject is string ? null : PSObject.AsPSObject(input).Properties["RegistryId"]?.Value?.ToString();
        return new ReadState(true, null, null, null, NonEmpty(registryId));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // ECR refuses longer text whatever the content, so this holds even with -SkipValidation.
    private void CheckLength(PolicyDocument document)
    {
        if (document.CompactLength > PolicyDocument.MaxRegistryPolicyLength)
        {
            throw new PolicyException("PolicyTextTooLong", PolicyErrorKind.LimitsExceeded,
                $"The policy is {document.CompactLength} characters as ECR stores it; ECR accepts at most {PolicyDocument.MaxRegistryPolicyLength}.", PolicyText);
        }
    }

    // The linter's Error findings for this target (its scope, account and Region as read), unless -SkipValidation.
    private void Validate(PolicyDocument document, StoredPolicy live, string? region)
    {
        if (SkipValidation)
        {
            return;
        }

        var options = new LintOptions
        {
            Scope = string.Equals(live.Scope, "V1", StringComparison.OrdinalIgnoreCase) ? RegistryPolicyScope.V1 : RegistryPolicyScope.V2,
            RegistryId = live.RegistryId,
            Region = region,
            MinimumSeverity = FindingSeverity.Warning,
        };
        var findings = PolicyLinter.Lint(document, options);

        // Only this target's account and Region show PTC102, which Test-PtcRegistryPolicy could not know; say it here, without refusing.
        foreach (var finding in findings.Where(f => f.Severity == FindingSeverity.Warning && f.RuleId == "PTC102"))
        {
            WriteWarning($"[{finding.RuleId}] {Name(finding)}: {finding.Message}");
        }

        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new PolicyException("PolicyValidationFailed", PolicyErrorKind.InvalidData,
                $"The policy has {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")} that ECR would refuse or that would not grant what they say: " +
                string.Join("; ", errors.Select(f => $"[{f.RuleId}] {Name(f)}: {f.Message.TrimEnd('.')}")) +
                ". Fix them (Test-PtcRegistryPolicy explains each rule), or pass -SkipValidation to write anyway.", PolicyText);
        }
    }

    // Findings about the whole policy (no statement) have StatementIndex -1.
    private static string Name(PolicyFinding finding) =>
        finding.Sid is not null ? $"statement '{finding.Sid}'"
        : finding.StatementIndex >= 0 ? $"statement {finding.StatementIndex.ToString(CultureInfo.InvariantCulture)}"
        : "the policy";

    private static PolicyDocument? TryParse(string? text)
    {
        try
        {
            return text is null ? null : PolicyReader.Read(text);
        }
        catch (PolicyJsonException)
        {
            return null;
        }
    }
}
