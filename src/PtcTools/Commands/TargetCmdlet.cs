using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using PtcTools.Aws;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Commands;

/// <summary>
/// The AWS cmdlets that work on account x Region targets: -AccountId with the role to assume in each, -ThrottleLimit,
/// and the one template method, <see cref="ForEachTarget"/>, that runs a cmdlet's work for every target.
/// </summary>
/// <remarks>
/// A new AWS cmdlet (the readiness check, say) derives from this class and writes its per-target work as a function of
/// a <see cref="TargetSession"/>, which gives it that target's ECR client and credentials; -AccountId then works for it
/// too. The work runs on worker threads: it writes nothing itself, it posts output to the pipeline thread through the
/// session.
/// </remarks>
public abstract class TargetCmdlet : AwsCmdlet
{
    private static readonly string[] s_anyRegion = { "us-east-1" };

    /// <summary>Accounts to work on, each through the role -RoleName names; without it, the account of the credentials.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AccountId { get; set; }

    /// <summary>The role to assume in each account of -AccountId.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string RoleName { get; set; } = AssumeRoleSettings.DefaultRoleName;

    /// <summary>The external id the role's trust policy asks for.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ExternalId { get; set; }

    /// <summary>The role session name that the accounts' CloudTrail shows; default PtcTools-yyyyMMddTHHmmss.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RoleSessionName { get; set; }

    /// <summary>How many targets are worked on at once.</summary>
    [Parameter]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>The most targets at once -ThrottleLimit takes.</summary>
    public const int MaxThrottleLimit = 256;

    private TargetRunner? _runner;
    private ProgressRecord? _progress;
    private string? _progressText;

    /// <summary>The runner of the current <see cref="ForEachTarget"/>, or null.</summary>
    protected TargetRunner? Runner => _runner;

    /// <summary>The targets of this call: every account of -AccountId (or the caller's own) x every Region of -Region (or the Region chain's); a Region or credential failure is written here, per Region.</summary>
    /// <returns>The targets and the session factory, or no targets when none could be resolved.</returns>
    protected (IReadOnlyList<RegistryTarget> Targets, Func<RegistryTarget, TargetSession>? Sessions) ResolveTargets()
    {
        if (ThrottleLimit < 1 || ThrottleLimit > MaxThrottleLimit)
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.ThrottleLimitInvalid, ErrorCategory.InvalidArgument,
                $"-ThrottleLimit {ThrottleLimit.ToString(CultureInfo.InvariantCulture)} is out of range: give 1 to {MaxThrottleLimit} targets at once (default 8).", ThrottleLimit));
        }

        AssumeRoleSettings? roles = null;
        IReadOnlyList<string?> accounts = new string?[] { null };
        try
        {
            if (AccountId is { Length: > 0 })
            {
                roles = new AssumeRoleSettings(RoleName, ExternalId, RoleSessionName);
                accounts = AccountId;
                RegistryTarget.Product(accounts, s_anyRegion);
            }
            else if (MyInvocation.BoundParameters.ContainsKey(nameof(ExternalId)) || MyInvocation.BoundParameters.ContainsKey(nameof(RoleSessionName)) || MyInvocation.BoundParameters.ContainsKey(nameof(RoleName)))
            {
                throw new PolicyException(ErrorIds.AccountIdMissing, PolicyErrorKind.InvalidArgument, "-RoleName, -ExternalId and -RoleSessionName say how to reach the accounts of -AccountId; give -AccountId too, or leave them out to use the credentials' own account.", "-AccountId");
            }
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target ?? "-AccountId"));
        }

        var regions = new List<string>();
        foreach (var region in RegionsOrDefault())
        {
            try
            {
                var (resolved, _) = ResolveRegionAndCredentials(region);
                if (!regions.Contains(resolved))
                {
                    regions.Add(resolved);
                }
            }
            catch (PtcToolsException ex)
            {
                WriteError(ErrorRecords.From(ex, RegionTarget(region)));
            }
        }

        if (regions.Count == 0)
        {
            return (Array.Empty<RegistryTarget>(), null);
        }

        var targets = RegistryTarget.Product(accounts, regions);
        var caller = Credentials!;
        var endpoint = EcrEndpoint;
        var stsEndpoint = StsEndpoint;
        var allowHttp = (bool)AllowUnencryptedHttp;
        AccountCredentials? assumed = roles is null ? null : new AccountCredentials(caller, roles, r => new AwsClientOptions(r, caller) { EndpointUrl = stsEndpoint, Log = Log, AllowUnencryptedHttp = allowHttp });
        var prefix = targets.Count > 1;
        return (targets, t => new TargetSession(t, assumed, caller, endpoint, allowHttp, prefix ? m => Log($"[{t.Describe()}] {m}") : Log));
    }

    /// <summary>
    /// The template method of every AWS cmdlet: runs <paramref name="work"/> for each target, -ThrottleLimit at once,
    /// writing what the work posts on this (the pipeline) thread as it comes, with Write-Progress (done, failed,
    /// remaining) for more than one target. A failed target is the work's to report; the others go on. Ctrl+C, or an
    /// error under -ErrorAction Stop, starts no new target and lets a write already sent finish (see <see cref="TargetRunner"/>).
    /// </summary>
    protected void ForEachTarget(IReadOnlyList<RegistryTarget> targets, Func<TargetRunner, Func<TargetScope, Task<TargetOutcome>>> work, TargetJournal? journal = null, Action<RegistryTarget, JournalEntry>? skipped = null) =>
        Pump(targets.Count, Math.Min(ThrottleLimit, Math.Max(1, targets.Count)), runner => runner.RunAsync(targets, work(runner), journal, skipped));

    /// <summary>The same for policy files (one at a time, in order): the work's scope has the file as its key.</summary>
    protected void ForEachFile(IReadOnlyList<string> files, Func<TargetRunner, Func<TargetScope, Task<TargetOutcome>>> work) =>
        Pump(files.Count, 1, runner => runner.RunAsync(files, work(runner)));

    private void Pump(int count, int throttle, Func<TargetRunner, Task> start)
    {
        using var runner = new TargetRunner(throttle, StopToken);
        var targets = new object[count];
        _runner = runner;
        _progress = targets.Length > 1 ? new ProgressRecord(Math.Abs(GetType().Name.GetHashCode() % 1000) + 1, MyInvocation.MyCommand.Name, "Starting") : null;
        _progressText = null;
        try
        {
            var run = start(runner);
            runner.Pump(run, () =>
            {
                DrainLog();
                WriteRunProgress(runner.Progress, false);
            });
            DrainLog();
        }
        finally
        {
            _runner = null;
        }

        if (Stopping)
        {
            throw new PipelineStoppedException();
        }

        WriteRunProgress(runner.Progress, true);
    }

    private void WriteRunProgress(TargetProgress progress, bool completed)
    {
        if (_progress is null || Stopping)
        {
            return;
        }

        var text = $"{progress.Done} done, {progress.Failed} failed, {progress.Remaining} remaining" + (progress.Skipped > 0 ? $", {progress.Skipped} finished earlier (journal)" : string.Empty);
        if (!completed && text == _progressText)
        {
            return;
        }

        _progressText = text;
        _progress.StatusDescription = text;
        _progress.PercentComplete = progress.Total == 0 ? 100 : (progress.Total - progress.Remaining) * 100 / progress.Total;
        _progress.RecordType = completed ? ProgressRecordType.Completed : ProgressRecordType.Processing;
        WriteProgress(_progress);
    }

    /// <summary>Reads -Statement items (New-PtcPolicyStatement output, statement JSON, hashtables) into <paramref name="into"/>; one that is not a statement stops the cmdlet before any target is called.</summary>
    protected void ReadStatements(IEnumerable<PtcPolicyStatement>? items, List<PolicyStatement> into)
    {
        foreach (var item in items ?? Array.Empty<PtcPolicyStatement>())
        {
            try
            {
                into.Add(Transforms.StatementInput.ToStatement(item));
            }
            catch (PtcToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, item?.ErrorTarget));
            }
        }
    }

    /// <summary>The result label of a target: the Region for the caller's own account, else account/Region.</summary>
    protected static string Label(RegistryTarget target) => target.AccountId is null ? target.Region : target.AccountId + "/" + target.Region;
}

/// <summary>What one target's work needs: its target, its credentials (the caller's, or the role's in its account), and its clients.</summary>
public sealed class TargetSession
{
    private readonly AccountCredentials? _assumed;
    private readonly AwsCredentials _caller;
    private readonly string? _endpoint;
    private readonly bool _allowHttp;

    internal TargetSession(RegistryTarget target, AccountCredentials? assumed, AwsCredentials caller, string? endpoint, bool allowHttp, Action<string> log)
    {
        Target = target;
        _assumed = assumed;
        _caller = caller;
        _endpoint = endpoint;
        _allowHttp = allowHttp;
        Log = log;
    }

    /// <summary>The target.</summary>
    public RegistryTarget Target { get; }

    /// <summary>Where this target's verbose notes go (prefixed with the target when a run has several).</summary>
    public Action<string> Log { get; }

    /// <summary>The credentials for the target: the role's in its account (assumed once per account), or the caller's.</summary>
    public Task<AwsCredentials> CredentialsAsync(System.Threading.CancellationToken cancellationToken) =>
        _assumed is null ? Task.FromResult(_caller) : _assumed.ForAsync(Target, cancellationToken);

    /// <summary>An ECR client for the target.</summary>
    public async Task<EcrClient> EcrAsync(System.Threading.CancellationToken cancellationToken)
    {
        var credentials = await CredentialsAsync(cancellationToken).ConfigureAwait(false);
        return new EcrClient(new EcrClientOptions(Target.Region, credentials) { EndpointUrl = _endpoint, Log = Log, AllowUnencryptedHttp = _allowHttp });
    }
}
