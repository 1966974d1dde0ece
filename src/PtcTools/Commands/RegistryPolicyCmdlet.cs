using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>What Get, Set and Remove-PtcRegistryPolicy share: the two stores (ECR per Region, or files) and backups.</summary>
public abstract class RegistryPolicyCmdlet : TargetCmdlet
{
    /// <summary>The parameter set that works on ECR.</summary>
    protected const string EcrSet = "Ecr";

    /// <summary>The parameter set that works on files named with wildcards.</summary>
    protected const string PathSet = "Path";

    /// <summary>The parameter set that works on files named literally.</summary>
    protected const string LiteralPathSet = "LiteralPath";

    /// <summary>Policy files; wildcards are resolved.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = null!;

    /// <summary>Policy files, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = null!;

    private static readonly string[] s_awsParameters = { "Region", "ProfileName", "ProfileLocation", "AccessKey", "SecretKey", "SessionToken", "Credential", "EndpointUrl", "AllowUnencryptedHttp", "AccountId", "RoleName", "ExternalId", "RoleSessionName" };

    // -LiteralPath named on the command line, not bound from a piped object's PSPath.
    private bool _literalPathGiven;

    // The first AWS parameter named on the command line, if any.
    private string? _awsParameterGiven;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _literalPathGiven = MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
        _awsParameterGiven = s_awsParameters.FirstOrDefault(MyInvocation.BoundParameters.ContainsKey);
        // Only parameters given on the command line are bound here; a Region bound from a piped policy is fine.
        if (UsesFiles && _awsParameterGiven is { } name)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.AwsParameterNotApplicable, ErrorCategory.InvalidArgument,
                $"-{name} applies to ECR, but -Path or -LiteralPath names policy files. Leave out -{name}, or leave out the path to work on ECR.", "-" + name));
        }
    }

    /// <summary>The first AWS parameter named on the command line (not bound from a piped object), or null.</summary>
    protected string? AwsParameterGiven => _awsParameterGiven;

    /// <summary>True for a cmdlet that takes policy text from the pipeline, where Get-Content's PSPath could bind -LiteralPath unasked.</summary>
    protected virtual bool TakesPipedPolicyText => false;

    /// <summary>True when the policy piped in is a file object (Get-Item, Get-ChildItem), not text.</summary>
    protected virtual bool PipedPolicyIsFile => false;

    /// <summary>True when the cmdlet works on files.</summary>
    protected bool UsesFiles => ParameterSetName is PathSet or LiteralPathSet;

    /// <summary>The files named by -Path or -LiteralPath as full paths (<see cref="PolicyPaths"/>); a path that names none is an error written here.</summary>
    protected List<string> ResolveFiles()
    {
        var files = new List<string>();
        if (ParameterSetName == LiteralPathSet)
        {
            if (!_literalPathGiven && TakesPipedPolicyText)
            {
                // Get-Content stamps its text with the PSPath of the file it read, and that binds -LiteralPath, even beside
                // -Region: the policy would silently go back to its file instead of to ECR. A piped file object (Get-Item)
                // binds the same way: its policy by value, its PSPath by name. No target is guessed.
                var file = DisplayPath(LiteralPath.FirstOrDefault());
                var asked = _awsParameterGiven is not null ? ", not to ECR as the AWS parameters given ask" : ", not to ECR";
                var message = PipedPolicyIsFile
                    ? $"The file object piped in ('{file}') gives both the policy and, through its PSPath, -LiteralPath: the policy would be written back to that file{asked}. " +
                      $"To write ECR, pass the file as an argument: Set-PtcRegistryPolicy -PolicyText (Get-Item -LiteralPath '{file}') -Region ..., or pipe Get-PtcRegistryPolicy -LiteralPath '{file}'. To write the file, add -LiteralPath '{file}'."
                    : $"The policy text piped in carries the PSPath of '{file}' (Get-Content adds it), which binds -LiteralPath: it would be written back to that file{asked}. " +
                      $"To write ECR, pass the text as an argument: Set-PtcRegistryPolicy -PolicyText (Get-Content -Raw -LiteralPath '{file}') -Region ..., or pipe Get-PtcRegistryPolicy -LiteralPath '{file}'. To write the file, add -LiteralPath '{file}'.";
                WriteError(ErrorRecords.Create(ErrorIds.PolicyTargetAmbiguous, ErrorCategory.InvalidArgument, message, file));
                return files;
            }

            if (!_literalPathGiven && _awsParameterGiven is { } name)
            {
                // A piped file (Get-ChildItem, Get-Item) binds -LiteralPath after BeginProcessing checked: refuse it here.
                var file = LiteralPath.FirstOrDefault();
                WriteError(ErrorRecords.Create(ErrorIds.AwsParameterNotApplicable, ErrorCategory.InvalidArgument,
                    $"-{name} applies to ECR, but the object piped in names the policy file '{file}' (its PSPath binds -LiteralPath). Leave out -{name} to work on the file, or pipe nothing to work on ECR.", "-" + name));
                return files;
            }

            AddFiles(files, LiteralPath, literal: true);
            return files;
        }

        AddFiles(files, Path, literal: false);
        return files;
    }

    /// <summary>A PSPath as a user types it: the file-system path without its provider prefix (as given when it cannot be resolved).</summary>
    private string DisplayPath(string? psPath)
    {
        if (string.IsNullOrEmpty(psPath))
        {
            return string.Empty;
        }

        try
        {
            return SessionState.Path.GetUnresolvedProviderPathFromPSPath(psPath);
        }
        catch (Exception ex) when (ex is ProviderNotFoundException or DriveNotFoundException or NotSupportedException or ArgumentException or PSInvalidOperationException)
        {
            return psPath!;
        }
    }

    /// <summary>What the cmdlet asks of its files: Get reads them (a missing file is an error), Set and Remove may find none yet.</summary>
    protected virtual PolicyPathRules PathRules => PolicyPathRules.MissingIsNoPolicy;

    private void AddFiles(List<string> files, string[] paths, bool literal)
    {
        foreach (var path in paths)
        {
            try
            {
                files.AddRange(PolicyPaths.Resolve(SessionState, path, literal, PathRules));
            }
            catch (PolicyException ex)
            {
                WriteError(ErrorRecords.From(ex));
            }
        }
    }

    /// <summary>The policy a store snapshot holds, or an empty one with Exists = false.</summary>
    protected static PtcRegistryPolicy ToPolicy(StoredPolicy stored, object target)
    {
        var document = !stored.Exists ? PolicyDocument.CreateEmpty()
            : stored.Path is { } file ? PolicyFile.Parse(stored.Text ?? string.Empty, file)
            : PolicyReader.Read(stored.Text ?? string.Empty, target);
        return new PtcRegistryPolicy(document)
        {
            Exists = stored.Exists,
            SourceText = stored.Text,
            RegistryId = stored.RegistryId,
            Region = stored.Region,
            Scope = stored.Scope,
            Path = stored.Path,
        };
    }

    /// <summary>The store of a target's registry policy, over its client; a write asks the target's commit guard first.</summary>
    protected static async System.Threading.Tasks.Task<EcrRegistryPolicyStore> StoreAsync(TargetSession session, Aws.Targets.TargetScope scope, System.TimeSpan? settle = null)
    {
        var client = await session.EcrAsync(scope.Token).ConfigureAwait(false);
        var store = new EcrRegistryPolicyStore(client, session.Log) { AccountId = session.Target.AccountId, BeforeWrite = scope.EnterCommit };
        if (settle is { } time)
        {
            store.Settle = time;
        }

        return store;
    }

    /// <summary>True when -WhatIf is in force (the parameter, or $WhatIfPreference).</summary>
    protected bool WhatIfActive =>
        (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter { IsPresent: true }) ||
        (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")));

    /// <summary>The journal of this run's plan (null without a path, or under -WhatIf, which finishes nothing); a journal of another plan stops the command.</summary>
    protected Aws.Targets.TargetJournal? OpenJournal(string? path, IReadOnlyList<Aws.Targets.RegistryTarget> targets, string command, IEnumerable<string> parts, string summary)
    {
        if (path is null || WhatIfActive || targets.Count == 0)
        {
            return null;
        }

        // The role is part of the plan (another role may reach other permissions); the session name is not (its default is a time).
        var all = parts.Concat(new[] { "role:" + (AccountId is { Length: > 0 } ? RoleName : string.Empty), "endpoint:" + (EndpointUrl ?? string.Empty) }).ToList();
        var plan = Aws.Targets.TargetJournal.PlanHash(command, all, targets);
        try
        {
            var journal = Aws.Targets.TargetJournal.Open(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path), command, plan, $"{summary} on {targets.Count} target{(targets.Count == 1 ? string.Empty : "s")}");
            WriteVerbose($"Journal {journal.Path}: {journal.FinishedCount} of {targets.Count} targets finished earlier.");
            return journal;
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, path));
            return null;
        }
    }

    /// <summary>Reports a target the journal has as finished in an earlier run (pipeline thread).</summary>
    protected void SkippedFromJournal(Aws.Targets.RegistryTarget target, Aws.Targets.JournalEntry entry)
    {
        var at = entry.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        WriteVerbose($"{target.Describe()}: {entry.Status} at {at} (journal); skipped.");
        if (EmitsSkipped)
        {
            WriteObject(new PtcRegistryPolicyWriteResult { Target = Label(target), Region = target.Region, RegistryId = target.AccountId, Status = "Skipped", Error = $"{entry.Status} in an earlier run ({at}), as the journal records." });
        }
    }

    /// <summary>True when a target skipped from the journal gets a result object (Set always, Remove with -PassThru).</summary>
    protected virtual bool EmitsSkipped => true;

    /// <summary>Reports a target's failure from its worker: an error record, or after Ctrl+C (when the pipeline takes no more records) a line on the host and an entry in $Error, so the user still learns what state the target is in.</summary>
    protected void ReportFailure(Aws.Targets.TargetScope scope, PtcToolsException exception, string label)
    {
        // Across accounts the target is what a user needs to find the failed one; alone, the exception's own target stays.
        var record = AccountId is { Length: > 0 } ? ErrorRecords.For(exception, label) : ErrorRecords.From(exception, label);
        if (scope.Token.IsCancellationRequested || Stopping)
        {
            scope.PostReport(() => ReportWhileStopping(record));
            return;
        }

        scope.PostReport(() =>
        {
            if (Stopping)
            {
                ReportWhileStopping(record);
            }
            else
            {
                WriteError(record);
            }
        });
    }

    /// <summary>Writes a domain error as a non-terminating error for one target.</summary>
    protected void WriteTargetError(PtcToolsException exception, object target) => WriteError(ErrorRecords.From(exception, target));
}
