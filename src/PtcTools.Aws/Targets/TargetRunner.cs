using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Targets;

/// <summary>How one target ended, for the journal and the progress counts.</summary>
public sealed class TargetOutcome
{
    /// <summary>Creates an outcome.</summary>
    public TargetOutcome(string status, bool succeeded, string? errorId = null)
    {
        Status = status;
        Succeeded = succeeded;
        ErrorId = errorId;
    }

    /// <summary>What happened: Created, Updated, Unchanged, Removed, Read, Failed, Planned, ...</summary>
    public string Status { get; }

    /// <summary>True when the target is finished (a rerun with the same journal skips it); false when it failed and a rerun tries it again.</summary>
    public bool Succeeded { get; }

    /// <summary>The error id of a failure.</summary>
    public string? ErrorId { get; }

    /// <summary>A finished target.</summary>
    public static TargetOutcome Done(string status) => new(status, true);

    /// <summary>A failed target.</summary>
    public static TargetOutcome Failed(string errorId) => new("Failed", false, errorId);
}

/// <summary>What a worker of one target may use: the target, its cancellation, the commit guard, and the pipeline thread.</summary>
public sealed class TargetScope
{
    private readonly object _gate = new();
    private readonly CancellationTokenSource _cancel;
    private readonly TargetRunner _runner;
    private bool _committed;

    internal TargetScope(RegistryTarget? target, string key, int index, TargetRunner runner)
    {
        Target = target;
        Key = key;
        Index = index;
        _runner = runner;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(runner.ForcedStop);
    }

    /// <summary>The account x Region target, or null for an item that is not one (a policy file).</summary>
    public RegistryTarget? Target { get; }

    /// <summary>The target, for a run of account x Region targets.</summary>
    public RegistryTarget Registry => Target ?? throw new InvalidOperationException("This item is not an account x Region target.");

    /// <summary>The target's key, or the item (a file path).</summary>
    public string Key { get; }

    /// <summary>The target's place in the run: its output is written in this order.</summary>
    internal int Index { get; }

    /// <summary>Cancelled at once when the run stops, unless a write of this target is on its way: then only after the grace period.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Called right before a write is sent: throws when the run is stopping (nothing was sent), else marks the target as committed, so a stop lets the write, its read-back and its confirmation finish (within the grace period) rather than leave it half-done.</summary>
    /// <exception cref="PolicyException"><see cref="ErrorIds.TargetStoppedBeforeWrite"/>: the run is stopping and this target had not started writing.</exception>
    public void EnterCommit()
    {
        lock (_gate)
        {
            if (_cancel.IsCancellationRequested)
            {
                throw new PolicyException(ErrorIds.TargetStoppedBeforeWrite, PolicyErrorKind.OperationTimeout, $"The run was stopped before {Target?.Describe() ?? Key} was written; nothing was sent.", Key);
            }

            _committed = true;
        }
    }

    /// <summary>Runs an action on the pipeline thread (WriteObject, WriteError, WriteProgress) without waiting for it; dropped once the pipeline has failed or stopped.</summary>
    public void Post(Action action) => _runner.Post(action, false, Index);

    /// <summary>Runs an action on the pipeline thread even after the pipeline has failed or stopped: how a target stopped mid-write is still reported (the action must not need the pipeline).</summary>
    public void PostReport(Action action) => _runner.Post(action, true, Index);

    /// <summary>Runs a function on the pipeline thread (ShouldProcess) and returns what it returned.</summary>
    /// <exception cref="OperationCanceledException">The run stopped before it was answered.</exception>
    public Task<T> InvokeAsync<T>(Func<T> function) => _runner.InvokeAsync(function, Token);

    internal void Stop(TimeSpan grace)
    {
        lock (_gate)
        {
            if (_committed)
            {
                _cancel.CancelAfter(grace);
            }
            else
            {
                _cancel.Cancel();
            }
        }
    }

    internal void Dispose() => _cancel.Dispose();
}

/// <summary>A snapshot of a run's counts, for Write-Progress.</summary>
public readonly struct TargetProgress
{
    /// <summary>Creates a snapshot.</summary>
    public TargetProgress(int total, int done, int failed, int skipped, int running)
    {
        Total = total;
        Done = done;
        Failed = failed;
        Skipped = skipped;
        Running = running;
    }

    /// <summary>All targets of the run.</summary>
    public int Total { get; }

    /// <summary>Finished in this run.</summary>
    public int Done { get; }

    /// <summary>Failed in this run.</summary>
    public int Failed { get; }

    /// <summary>Finished in an earlier run (the journal's).</summary>
    public int Skipped { get; }

    /// <summary>In progress now.</summary>
    public int Running { get; }

    /// <summary>Not finished yet.</summary>
    public int Remaining => Total - Done - Failed - Skipped;
}

/// <summary>
/// The one way every AWS cmdlet works on its account x Region targets: at most <c>throttleLimit</c> at once, each
/// target's result reported as it ends, a journal of finished targets, and a stop (Ctrl+C, or a failure under
/// -ErrorAction Stop) that starts no new target and lets a write already sent finish.
/// </summary>
/// <remarks>
/// Nothing here knows PowerShell. Workers run on the thread pool; what must happen on the pipeline thread (writing
/// output, errors, progress, asking ShouldProcess) is posted to it and run by <see cref="Pump"/>, which the cmdlet
/// calls on that thread.
/// </remarks>
public sealed class TargetRunner : IDisposable
{
    /// <summary>How long a write already sent may take to finish (its read-back and confirmation) after a stop.</summary>
    public static readonly TimeSpan DefaultCommitGrace = TimeSpan.FromSeconds(3);

    private readonly BlockingCollection<Posted> _queue = new();
    private readonly Dictionary<int, List<Action>> _held = new();
    private readonly HashSet<int> _ended = new();
    private int _next;
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _forced = new();
    private readonly List<TargetScope> _active = new();
    private readonly object _gate = new();
    private readonly TimeSpan _grace;
    private ExceptionDispatchInfo? _pipelineFailure;
    private int _done;
    private int _failed;
    private int _skipped;
    private int _running;
    private int _total;

    /// <summary>Creates a runner.</summary>
    /// <param name="throttleLimit">How many targets run at once (at least 1).</param>
    /// <param name="stop">The user's stop (Ctrl+C).</param>
    /// <param name="commitGrace">How long a write already sent may take to finish after a stop (default <see cref="DefaultCommitGrace"/>).</param>
    public TargetRunner(int throttleLimit, CancellationToken stop, TimeSpan? commitGrace = null)
    {
        if (throttleLimit < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throttleLimit));
        }

        ThrottleLimit = throttleLimit;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        _grace = commitGrace ?? DefaultCommitGrace;
        _stop.Token.Register(StopActive);
    }

    /// <summary>How many targets run at once.</summary>
    public int ThrottleLimit { get; }

    /// <summary>Cancelled when the run stops: no new target starts.</summary>
    public CancellationToken Stopping => _stop.Token;

    /// <summary>Cancelled when the run must end now (the pipeline failed): every target, committed or not.</summary>
    internal CancellationToken ForcedStop => _forced.Token;

    /// <summary>The counts now.</summary>
    public TargetProgress Progress => new(Volatile.Read(ref _total), Volatile.Read(ref _done), Volatile.Read(ref _failed), Volatile.Read(ref _skipped), Volatile.Read(ref _running));

    /// <summary>Stops the run: no new target starts; targets not writing are cancelled, a write already sent gets the grace period.</summary>
    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Runs the work for every target, skipping those the journal has as finished; returns when every started target has ended.</summary>
    /// <param name="targets">The targets, in order.</param>
    /// <param name="work">The work of one target; it reports its own output through the scope and returns how it ended.</param>
    /// <param name="journal">The journal, or null.</param>
    /// <param name="skipped">Called on the pipeline thread for a target the journal has as finished.</param>
    public Task RunAsync(IReadOnlyList<RegistryTarget> targets, Func<TargetScope, Task<TargetOutcome>> work, TargetJournal? journal = null, Action<RegistryTarget, JournalEntry>? skipped = null) =>
        RunItemsAsync(targets.Select(t => ((RegistryTarget?)t, t.Key)).ToList(), work, journal, skipped);

    /// <summary>Runs the work for items that are not account x Region targets (policy files), the same way, without a journal.</summary>
    public Task RunAsync(IReadOnlyList<string> items, Func<TargetScope, Task<TargetOutcome>> work) =>
        RunItemsAsync(items.Select(i => ((RegistryTarget?)null, i)).ToList(), work, null, null);

    private async Task RunItemsAsync(IReadOnlyList<(RegistryTarget? Target, string Key)> targets, Func<TargetScope, Task<TargetOutcome>> work, TargetJournal? journal, Action<RegistryTarget, JournalEntry>? skipped)
    {
        Interlocked.Exchange(ref _total, targets.Count);
        using var slots = new SemaphoreSlim(ThrottleLimit, ThrottleLimit);
        var running = new List<Task>();
        try
        {
            for (var index = 0; index < targets.Count; index++)
            {
                var (target, key) = targets[index];
                if (target is not null && journal?.Finished(target) is { } entry)
                {
                    Interlocked.Increment(ref _skipped);
                    if (skipped is not null)
                    {
                        Post(() => skipped(target, entry), false, index);
                    }

                    Post(null, false, index, ended: true);

                    continue;
                }

                try
                {
                    await slots.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                if (_stop.IsCancellationRequested)
                {
                    // A slot freed by the stop itself: still no new target.
                    slots.Release();
                    break;
                }

                var at = index;
                running.Add(Task.Run(() => RunOneAsync(target, key, at, work, journal, slots)));
            }
        }
        finally
        {
            await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
            _queue.CompleteAdding();
        }

        // A worker's unexpected exception is the run's.
        foreach (var task in running)
        {
            if (task.IsFaulted)
            {
                ExceptionDispatchInfo.Capture(task.Exception!.GetBaseException()).Throw();
            }
        }
    }

    private async Task RunOneAsync(RegistryTarget? target, string key, int index, Func<TargetScope, Task<TargetOutcome>> work, TargetJournal? journal, SemaphoreSlim slots)
    {
        var scope = new TargetScope(target, key, index, this);
        lock (_gate)
        {
            _active.Add(scope);
        }

        if (_stop.IsCancellationRequested)
        {
            scope.Stop(_grace);
        }

        Interlocked.Increment(ref _running);
        try
        {
            var outcome = await work(scope).ConfigureAwait(false);
            Interlocked.Increment(ref outcome.Status == "Failed" ? ref _failed : ref _done);
            if (target is not null)
            {
                journal?.Record(target, outcome);
            }
        }
        catch (OperationCanceledException) when (scope.Token.IsCancellationRequested || _stop.IsCancellationRequested)
        {
            // Stopped before it wrote anything: not in the journal, so a rerun does it.
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            lock (_gate)
            {
                _active.Remove(scope);
            }

            scope.Dispose();
            Post(null, false, index, ended: true);
            slots.Release();
        }
    }

    private void StopActive()
    {
        List<TargetScope> active;
        lock (_gate)
        {
            active = _active.ToList();
        }

        foreach (var scope in active)
        {
            scope.Stop(_grace);
        }
    }

    /// <summary>Queues an action for the pipeline thread; dropped once the pipeline has failed.</summary>
    internal void Post(Action? action, bool always, int index, bool ended = false)
    {
        try
        {
            _queue.Add(new Posted(action, always, index, ended));
        }
        catch (InvalidOperationException)
        {
            // The run has ended; nothing listens any more.
        }
    }

    internal Task<T> InvokeAsync<T>(Func<T> function, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var registration = cancellationToken.Register(() => answer.TrySetCanceled());
        Post(
            () =>
        {
            if (answer.Task.IsCompleted)
            {
                return;
            }

            try
            {
                answer.TrySetResult(function());
            }
            catch (Exception ex)
            {
                answer.TrySetCanceled();
                throw new PipelineActionException(ex);
            }
        }, false, -1);
        return answer.Task.ContinueWith(t =>
        {
            registration.Dispose();
            return t;
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Runs what the workers post, on the calling (pipeline) thread, until <paramref name="run"/> ends; calls
    /// <paramref name="idle"/> between posts (verbose notes, progress). When a posted action throws (WriteError
    /// under -ErrorAction Stop, a stopped pipeline), the run is stopped, the rest of what is posted is dropped, and
    /// the exception is thrown once every started target has ended.
    /// </summary>
    public void Pump(Task run, Action idle)
    {
        while (true)
        {
            Posted item;
            try
            {
                if (!_queue.TryTake(out item, 50))
                {
                    item = default;
                }
            }
            catch (InvalidOperationException)
            {
                item = default;
            }

            if (item.Ended)
            {
                _ended.Add(item.Index);
                while (_ended.Contains(_next))
                {
                    _next++;
                    Release(_next);
                }
            }
            else if (item.Action is { } action)
            {
                if (item.Always || item.Index < 0 || item.Index == _next)
                {
                    Execute(action, item.Always);
                }
                else
                {
                    // Output is written in target order, whichever target ends first.
                    if (!_held.TryGetValue(item.Index, out var list))
                    {
                        _held[item.Index] = list = new List<Action>();
                    }

                    list.Add(action);
                }
            }

            if (_pipelineFailure is null)
            {
                try
                {
                    idle();
                }
                catch (Exception ex)
                {
                    _pipelineFailure = ExceptionDispatchInfo.Capture(ex);
                    Stop();
                }
            }

            if (_queue.IsCompleted)
            {
                // Targets that never started (a stop) hold back nothing; what later targets wrote still comes, in order.
                foreach (var index in _held.Keys.OrderBy(i => i).ToList())
                {
                    Release(index);
                }

                break;
            }
        }

        _pipelineFailure?.Throw();
        run.GetAwaiter().GetResult();
    }

    private void Release(int index)
    {
        if (_held.TryGetValue(index, out var list))
        {
            _held.Remove(index);
            foreach (var action in list)
            {
                Execute(action, false);
            }
        }
    }

    private void Execute(Action action, bool always)
    {
        if (_pipelineFailure is not null)
        {
            if (always)
            {
                try
                {
                    action();
                }
                catch (Exception)
                {
                    // A report after a failure is best effort.
                }
            }

            // Otherwise dropped: the stop cancelled every waiting question.
            return;
        }

        try
        {
            action();
        }
        catch (Exception ex)
        {
            _pipelineFailure = ExceptionDispatchInfo.Capture(ex is PipelineActionException wrapped ? wrapped.InnerException! : ex);
            Stop();
        }
    }

    private readonly struct Posted
    {
        public Posted(Action? action, bool always, int index, bool ended)
        {
            Action = action;
            Always = always;
            Index = index;
            Ended = ended;
        }

        public Action? Action { get; }

        public bool Always { get; }

        public int Index { get; }

        public bool Ended { get; }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Dispose();
        _forced.Dispose();
        _queue.Dispose();
    }

    /// <summary>Marks an exception thrown by a function run for a worker, so the pump reports the original.</summary>
    private sealed class PipelineActionException : Exception
    {
        public PipelineActionException(Exception inner)
            : base(inner.Message, inner)
        {
        }
    }
}
