using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using PtcTools.Aws.Stores;
using PtcTools.Aws.Targets;
using PtcTools.Policy.Rollout;
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

    /// <inheritdoc />
    protected override bool PipedPolicyIsFile => PSValue.Unwrap(PolicyText?.Given) is System.IO.FileSystemInfo;

    /// <summary>The parameter set that merges statements into every target's live policy.</summary>
    private const string StatementSet = "Statement";

    /// <summary>The policy: a PtcRegistryPolicy (best: it remembers what was read), JSON text, a policy file object, or an object with PolicyText.</summary>
    /// <remarks>Not Mandatory for the binder (so -Statement can stand without it, and the binder picks the sets as it always did); a set that needs it and lacks it is PolicyMissing.</remarks>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputObject", "Policy")]
    [PolicyArgument]
    public PtcRegistryPolicy PolicyText { get; set; } = null!;

    /// <summary>Statements to merge into the live policy of every target (New-PtcPolicyStatement output, statement JSON, hashtables, ConvertFrom-Json objects): each target keeps its other statements, and its repository ARNs are the target's.</summary>
    [Parameter(Mandatory = true, ParameterSetName = StatementSet)]
    public PtcPolicyStatement[] Statement { get; set; } = Array.Empty<PtcPolicyStatement>();

    /// <summary>A journal of the finished targets: a rerun with it skips them and tries the failed ones again.</summary>
    [Parameter(ParameterSetName = EcrSet)]
    [Parameter(ParameterSetName = StatementSet)]
    [ValidateNotNullOrEmpty]
    public string? JournalPath { get; set; }

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

    // Read on the pipeline thread: the workers that describe targets cannot read session variables.
    private bool _describing;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _describing = Describing();
        var given = MyInvocation.BoundParameters.ContainsKey(nameof(PolicyText)) && PolicyText is not null;
        if (ParameterSetName == StatementSet)
        {
            if (given)
            {
                ThrowTerminatingError(ErrorRecords.Create(ErrorIds.PolicyAndStatementGiven, ErrorCategory.InvalidArgument,
                    "-Statement merges statements into each target's live policy; a whole policy (-PolicyText, or piped in) cannot come with it. Give one or the other.", "-Statement"));
            }

            MergeStatements();
            return;
        }

        if (!given)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.PolicyMissing, ErrorCategory.InvalidArgument,
                "No policy was given: pipe one in (Get-PtcRegistryPolicy | Add-PtcRegistryStatement ...), pass -PolicyText, or merge statements into each target with -Statement.", "-PolicyText"));
        }

        foreach (var policy in PipelineArray.Policies(PolicyText!))
        {
            ProcessPolicy(policy, policy.ErrorTarget);
        }
    }

    // given: what the user gave, the target of the policy's errors.
    private void ProcessPolicy(PtcRegistryPolicy policy, object given)
    {
        PolicyDocument document;
        try
        {
            // Bound by property name, it is empty for a policy that was not read from ECR: then there is nothing to check.
            if (!string.IsNullOrEmpty(RegistryId) && !Arn.IsAccountId(RegistryId))
            {
                throw new PolicyException(ErrorIds.RegistryIdInvalid, PolicyErrorKind.InvalidArgument, $"'{RegistryId}' is not a registry id; give the 12-digit account id the policy must be written to.", RegistryId);
            }

            document = policy.Document;
            CheckLength(document, given);

            // A lone surrogate cannot be written as UTF-8 to any store; refused before anything is read or written.
            PolicyFileSystem.Utf8Bytes(document.ToCompactJson(), "the policy");
        }
        catch (PolicyException ex)
        {
            WriteError(ErrorRecords.From(ex, given));
            return;
        }

        var read = ReadStateOf(policy);
        var writer = Writer();
        if (UsesFiles || (Region is not { Length: > 0 } && AwsParameterGiven is null && read.Path is not null))
        {
            // A policy read from a file goes back to that file unless a target (a Region, or any AWS parameter) is named.
            var files = UsesFiles ? ResolveFiles() : new List<string> { read.Path! };
            ForEachFile(files, runner => scope => WriteTargetAsync(scope, () => Task.FromResult<IRegistryPolicyStore>(FileStore(scope.Key)), scope.Key, document, read, writer, given));
            return;
        }

        var (targets, sessions) = ResolveTargets();
        var journal = OpenJournal(JournalPath, targets, "Set-PtcRegistryPolicy", new[] { "policy:" + document.ToCompactJson(), "force:" + Force.IsPresent, "skipValidation:" + SkipValidation.IsPresent, "registryId:" + RegistryId }, $"write a policy of {document.Statements.Count} statements");
        var settle = SettleTime();
        ForEachTarget(
            targets,
            runner => async scope => await WriteTargetAsync(scope, async () => await StoreAsync(sessions!(scope.Registry), scope, settle).ConfigureAwait(false), Label(scope.Registry), document, read, writer, given).ConfigureAwait(false),
            journal,
            SkippedFromJournal);
    }

    // What names the account in the writer's account check (the recommended action names -RegistryId).
    private const string RegistryIdGiven = "the registry id given";

    private SafePolicyWriter Writer() => new(BackupPath is null ? SafePolicyWriter.DefaultBackupFolder : SessionState.Path.GetUnresolvedProviderPathFromPSPath(BackupPath), Log);

    // -Statement: every target's live policy with the statements merged in (placed in its account and Region), written safely.
    private void MergeStatements()
    {
        var statements = new List<PolicyStatement>();
        ReadStatements(Statement, statements);

        if (statements.Count == 0)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.StatementMissing, ErrorCategory.InvalidArgument, "-Statement is empty: give the statements to merge into every target's policy (New-PtcPolicyStatement output, statement JSON or hashtables).", "-Statement"));
        }

        var writer = Writer();
        var (targets, sessions) = ResolveTargets();
        var parts = statements.Select(st => "statement:" + st.ToCompactJson()).Concat(new[] { "force:" + Force.IsPresent, "skipValidation:" + SkipValidation.IsPresent });
        var journal = OpenJournal(JournalPath, targets, "Set-PtcRegistryPolicy -Statement", parts, $"merge {statements.Count} statement{(statements.Count == 1 ? string.Empty : "s")} ({string.Join(", ", statements.Select(st => st.Sid ?? "no Sid"))})");
        var settle = SettleTime();
        ForEachTarget(targets, runner => scope => MergeTargetAsync(scope, sessions!(scope.Registry), statements, writer, settle), journal, SkippedFromJournal);
    }

    private async Task<TargetOutcome> MergeTargetAsync(TargetScope scope, TargetSession session, IReadOnlyList<PolicyStatement> statements, SafePolicyWriter writer, TimeSpan settle)
    {
        var target = scope.Registry;
        var label = Label(target);
        var summary = new PtcRegistryPolicyWriteResult { Target = label, Region = target.Region, RegistryId = target.AccountId };
        try
        {
            var store = await StoreAsync(session, scope, settle).ConfigureAwait(false);
            for (var attempt = 1; ; attempt++)
            {
                // The plan's snapshot: this target's live policy, which the statements are merged into.
                var live = await store.ReadAsync(scope.Token).ConfigureAwait(false);
                var account = target.AccountId ?? live.RegistryId ?? throw new PolicyException(ErrorIds.RegistryPolicyAccountUnknown, PolicyErrorKind.InvalidOperation,
                    $"The account of {store.Description} could not be read (ECR DescribeRegistry failed; the credentials need ecr:DescribeRegistry), so the statements' repository ARNs cannot be placed in it. Nothing was written.", label);
                summary.RegistryId = account;
                var before = live.Exists ? PolicyReader.Read(live.Text ?? string.Empty, label) : null;
                var merge = TargetMerge.Compute(new RegistryIdentity(account, target.Region), before, statements, Force);
                var read = new ReadState(live.Exists, live.Text, target.Region, null, live.RegistryId, live.Scope);
                var plan = WritePlan.Create(store, live, merge.Merged, read, force: false, validate: !SkipValidation, before);
                summary.Statements = plan.Desired.Statements.Count;
                summary.Length = plan.Desired.CompactLength;
                if (plan.Status == WritePlanStatus.Unchanged)
                {
                    summary.Status = "Unchanged";
                    scope.Post(() => Emit(summary, live, label));
                    return TargetOutcome.Done("Unchanged");
                }

                if (!await ConfirmPlanAsync(scope, plan, label, label).ConfigureAwait(false))
                {
                    return new TargetOutcome(WhatIfActive ? "WhatIf" : "Declined", false);
                }

                try
                {
                    var outcome = await writer.ApplyAsync(plan, scope.Token).ConfigureAwait(false);
                    summary.Status = outcome.Status.ToString();
                    summary.BackupPath = outcome.BackupPath;
                    scope.Post(() => Emit(summary, outcome.After, label));
                    return TargetOutcome.Done(summary.Status);
                }
                catch (PolicyException ex) when (ex.ErrorId == ErrorIds.RegistryPolicyChangedSinceRead && attempt < 3)
                {
                    // Another writer landed between this read and the guard: merge again onto what it left.
                    session.Log($"{store.Description} changed since it was read; reading it again and merging the statements onto it (attempt {attempt + 1} of 3).");
                }
            }
        }
        catch (PtcToolsException ex) when (ex.ErrorId == ErrorIds.TargetStoppedBeforeWrite)
        {
            throw new OperationCanceledException(ex.Message, ex);
        }
        catch (PtcToolsException ex)
        {
            return Failed(scope, summary, ex, label);
        }
    }

    // The checks of the plan (what the real run refuses, -WhatIf says it would refuse), the lint warnings, then ShouldProcess with the plan's description.
    private async Task<bool> ConfirmPlanAsync(TargetScope scope, WritePlan plan, object lintTarget, string label)
    {
        try
        {
            SafePolicyWriter.Check(plan);
            var warnings = Validate(plan, lintTarget);
            var prefix = ParameterSetName == StatementSet ? label + ": " : string.Empty;
            scope.Post(() => warnings.ForEach(w => WriteWarning(prefix + w)));
        }
        catch (PtcToolsException ex) when (WhatIfActive)
        {
            await scope.InvokeAsync(() => ShouldProcess($"Set-PtcRegistryPolicy would be refused for {plan.Store.Description}: {ex.ErrorId}: {ErrorRecords.Text(ex)}", string.Empty, "Set-PtcRegistryPolicy")).ConfigureAwait(false);
            throw;
        }

        var description = Describe(plan);
        return await scope.InvokeAsync(() => ShouldProcess(description, $"{description}{Environment.NewLine}Write it?", "Set-PtcRegistryPolicy")).ConfigureAwait(false);
    }

    private TargetOutcome Failed(TargetScope scope, PtcRegistryPolicyWriteResult summary, PtcToolsException ex, string label)
    {
        summary.Status = "Failed";
        summary.ErrorId = ex.ErrorId;
        summary.Error = ErrorRecords.Text(ex);
        ReportFailure(scope, ex, label);
        if (!PassThru)
        {
            scope.Post(() => WriteObject(summary));
        }

        return TargetOutcome.Failed(ex.ErrorId);
    }

    private string Describe(WritePlan plan)
    {
        var document = plan.Desired;
        var changes = StatementDiff.Describe(plan.Changes);
        var description = $"{(plan.Live.Exists ? "Replace" : "Create")} {plan.Store.Description}: {document.Statements.Count} statement{(document.Statements.Count == 1 ? string.Empty : "s")}, {document.CompactLength} characters." +
            Environment.NewLine + (changes.Count == 0 ? "  (no statement changes)" : string.Join(Environment.NewLine, changes.Select(c => "  " + c)));
        if (_describing)
        {
            // Beside the statement diff, what the write would newly allow (computed only when someone will read it).
            description += Environment.NewLine + string.Join(Environment.NewLine, AccessDiff.Describe(plan));
        }

        return description;
    }

    private async Task<TargetOutcome> WriteTargetAsync(TargetScope scope, Func<Task<IRegistryPolicyStore>> makeStore, string label, PolicyDocument document, ReadState read, SafePolicyWriter writer, object given)
    {
        var summary = new PtcRegistryPolicyWriteResult { Target = label, Statements = document.Statements.Count };
        try
        {
            var store = await makeStore().ConfigureAwait(false);
            var file = store as FileRegistryPolicyStore;
            var ecr = store as EcrRegistryPolicyStore;
            summary.Target = file?.Path ?? label;
            summary.Path = file?.Path;
            summary.Region = file is null ? scope.Target?.Region : null;
            summary.Length = document.CompactLength;

            // The plan starts from the caller's read of this store when there is one (Get | Add | Set reads it once before
            // the guard); -WhatIf, and a plan that would write nothing, look at the store as it is now. So does a plan whose
            // findings would refuse the write: the account of the store is known only from a read of it, and credentials of
            // another account are the mistake to report first (the findings were worked out for the read's account).
            var callers = WhatIfActive ? null : WritePlan.FromCaller(store, read, ecr?.AccountId);
            var plan = callers is null ? null : WritePlan.CreateFromCallersRead(store, callers, document, read, Force, validate: !SkipValidation);
            if (plan is null || plan.Status == WritePlanStatus.Unchanged || plan.Findings.Any(f => f.Severity == FindingSeverity.Error))
            {
                var live = await store.ReadAsync(scope.Token).ConfigureAwait(false);
                plan = WritePlan.Create(store, live, document, read, Force, validate: !SkipValidation);
            }
            else
            {
                ecr?.UseScope(read.Scope);
            }

            plan.WithNamedAccount(RegistryId, RegistryIdGiven);
            summary.RegistryId = plan.Live.RegistryId;
            try
            {
                // Before anything else, even "Unchanged": a policy from one account piped to credentials of another is a mistake to report.
                SafePolicyWriter.CheckAccount(store, read, plan.Live);
                SafePolicyWriter.CheckAccount(store, string.IsNullOrEmpty(RegistryId) ? null : RegistryId, RegistryIdGiven, plan.Live);
            }
            catch (PtcToolsException ex) when (WhatIfActive)
            {
                await scope.InvokeAsync(() => ShouldProcess($"Set-PtcRegistryPolicy would be refused for {store.Description}: {ex.ErrorId}: {ErrorRecords.Text(ex)}", string.Empty, "Set-PtcRegistryPolicy")).ConfigureAwait(false);
                throw;
            }

            if (plan.Status == WritePlanStatus.Unchanged)
            {
                summary.Status = "Unchanged";
                var unchanged = plan.Live;
                scope.Post(() =>
                {
                    WriteVerbose($"{store.Description} already holds this policy; nothing to write.");
                    Emit(summary, unchanged, file?.Path ?? label);
                });
                return TargetOutcome.Done("Unchanged");
            }

            if (!await ConfirmPlanAsync(scope, plan, given, label).ConfigureAwait(false))
            {
                return new TargetOutcome(WhatIfActive ? "WhatIf" : "Declined", false);
            }

            var outcome = await writer.ApplyAsync(plan, scope.Token).ConfigureAwait(false);
            summary.Status = outcome.Status.ToString();
            summary.BackupPath = outcome.BackupPath;
            summary.RegistryId = outcome.After.RegistryId ?? outcome.Before.RegistryId ?? summary.RegistryId;
            scope.Post(() => Emit(summary, outcome.After, file?.Path ?? label));
            return TargetOutcome.Done(summary.Status);
        }
        catch (PtcToolsException ex) when (ex.ErrorId == ErrorIds.TargetStoppedBeforeWrite)
        {
            throw new OperationCanceledException(ex.Message, ex);
        }
        catch (PtcToolsException ex)
        {
            return Failed(scope, summary, ex, label);
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

    // What the caller read: the origin the conversion captured, when it is what a store was read as (HasReadState: a live
    // or deserialized PtcRegistryPolicy, the file of a policy file object); text or other objects were not read from any
    // store, though an AWS.Tools response (Get-ECRRegistryPolicy) names the account it was read from. Call it after the
    // document was read.
    private static ReadState ReadStateOf(PtcRegistryPolicy policy) =>
        policy.HasReadState
            ? new ReadState(policy.Exists, policy.SourceText, policy.Region, policy.Path, NonEmpty(policy.RegistryId), NonEmpty(policy.Scope))
            : new ReadState(true, null, null, null, NonEmpty(policy.RegistryId));

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    // ECR refuses longer text whatever the content, so this holds even with -SkipValidation.
    private static void CheckLength(PolicyDocument document, object given)
    {
        if (document.CompactLength > PolicyDocument.MaxRegistryPolicyLength)
        {
            throw new PolicyException(ErrorIds.PolicyTextTooLong, PolicyErrorKind.LimitsExceeded,
                $"The policy is {document.CompactLength} characters as ECR stores it; ECR accepts at most {PolicyDocument.MaxRegistryPolicyLength}.", given);
        }
    }

    // The plan's lint findings for this target (its scope, account and Region as read): Errors refuse the write, unless -SkipValidation.
    private static List<string> Validate(WritePlan plan, object target)
    {
        var warnings = new List<string>();
        var findings = plan.Findings;

        // Only this target's account and Region show PTC102, which Test-PtcRegistryPolicy could not know; say it here, without refusing.
        foreach (var finding in findings.Where(f => f.Severity == FindingSeverity.Warning && f.RuleId == "PTC102"))
        {
            warnings.Add($"[{finding.RuleId}] {Name(finding)}: {finding.Message}");
        }

        var errors = findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new PolicyException(ErrorIds.PolicyValidationFailed, PolicyErrorKind.InvalidData,
                $"The policy has {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")} that ECR would refuse or that would not grant what they say: " +
                string.Join("; ", errors.Select(f => $"[{f.RuleId}] {Name(f)}: {f.Message.TrimEnd('.')}")) +
                ". Fix them (Test-PtcRegistryPolicy explains each rule), or pass -SkipValidation to write anyway.", target);
        }

        return warnings;
    }

    // Findings about the whole policy (no statement) have StatementIndex -1.
    private static string Name(PolicyFinding finding) =>
        finding.Sid is not null ? $"statement '{finding.Sid}'"
        : finding.StatementIndex >= 0 ? $"statement {finding.StatementIndex.ToString(CultureInfo.InvariantCulture)}"
        : "the policy";
}
