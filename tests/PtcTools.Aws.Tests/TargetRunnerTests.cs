using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>Issue 14 items 2 and 3: targets at once, output in target order on the pipeline thread, stops that leave no target half-written, the journal.</summary>
public sealed class TargetRunnerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptctools-runner-" + Guid.NewGuid().ToString("N"));

    public TargetRunnerTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static IReadOnlyList<RegistryTarget> Targets(int accounts, params string[] regions) =>
        RegistryTarget.Product(Enumerable.Range(1, accounts).Select(i => (string?)(200000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList(), regions);

    private static void Run(TargetRunner runner, IReadOnlyList<RegistryTarget> targets, Func<TargetScope, Task<TargetOutcome>> work, TargetJournal? journal = null, Action<RegistryTarget, JournalEntry>? skipped = null)
    {
        var run = runner.RunAsync(targets, work, journal, skipped);
        runner.Pump(run, () => { });
    }

    [Fact]
    public void No_more_targets_than_the_throttle_limit_run_at_once_and_all_of_them_run()
    {
        var targets = Targets(10, "us-east-1", "eu-west-1");
        var now = 0;
        var most = 0;
        var done = new ConcurrentBag<string>();
        using var runner = new TargetRunner(4, CancellationToken.None);
        Run(runner, targets, async scope =>
        {
            var running = Interlocked.Increment(ref now);
            InterlockedMax(ref most, running);
            await Task.Delay(20).ConfigureAwait(false);
            Interlocked.Decrement(ref now);
            done.Add(scope.Key);
            return TargetOutcome.Done("Read");
        });
        Assert.Equal(targets.Count, done.Count);
        Assert.True(most <= 4, $"{most} ran at once");
        Assert.True(most > 1, "the targets ran one at a time");
        Assert.Equal(targets.Count, runner.Progress.Done);
    }

    [Fact]
    public void Output_is_written_on_the_pump_thread_in_target_order_whichever_ends_first()
    {
        var targets = Targets(6, "us-east-1");
        var written = new List<string>();
        var threads = new HashSet<int>();
        var pump = Environment.CurrentManagedThreadId;
        using var runner = new TargetRunner(6, CancellationToken.None);
        Run(runner, targets, async scope =>
        {
            // The first target ends last.
            await Task.Delay(scope.Key.StartsWith("200000000001", StringComparison.Ordinal) ? 200 : 10).ConfigureAwait(false);
            scope.Post(() =>
            {
                threads.Add(Environment.CurrentManagedThreadId);
                written.Add(scope.Key);
            });
            return TargetOutcome.Done("Read");
        });
        Assert.Equal(targets.Select(t => t.Key), written);
        Assert.Equal(new[] { pump }, threads);
    }

    [Fact]
    public void A_question_is_answered_on_the_pump_thread()
    {
        var pump = Environment.CurrentManagedThreadId;
        var asked = new ConcurrentBag<int>();
        using var runner = new TargetRunner(3, CancellationToken.None);
        Run(runner, Targets(3, "us-east-1"), async scope =>
        {
            var yes = await scope.InvokeAsync(() =>
            {
                asked.Add(Environment.CurrentManagedThreadId);
                return scope.Key.StartsWith("200000000002", StringComparison.Ordinal);
            }).ConfigureAwait(false);
            return yes ? TargetOutcome.Done("Updated") : new TargetOutcome("Declined", false);
        });
        Assert.All(asked, id => Assert.Equal(pump, id));
        Assert.Equal(3, runner.Progress.Done);
    }

    [Fact]
    public void A_stop_starts_no_new_target_and_cancels_those_that_have_not_written()
    {
        using var stop = new CancellationTokenSource();
        var started = 0;
        var cancelled = 0;
        using var runner = new TargetRunner(2, stop.Token);
        Run(runner, Targets(10, "us-east-1"), async scope =>
        {
            if (Interlocked.Increment(ref started) == 2)
            {
                stop.Cancel();
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), scope.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref cancelled);
                throw;
            }

            return TargetOutcome.Done("Read");
        });
        Assert.Equal(2, started);
        Assert.Equal(2, cancelled);
    }

    [Fact]
    public void A_write_already_sent_finishes_after_a_stop_and_is_recorded()
    {
        using var stop = new CancellationTokenSource();
        var journal = TargetJournal.Open(Path.Combine(_folder, "j.json"), "Test", "plan", "a test");
        var finished = false;
        using var runner = new TargetRunner(1, stop.Token, TimeSpan.FromSeconds(20));
        var targets = Targets(3, "us-east-1");
        Run(runner, targets, async scope =>
        {
            scope.EnterCommit();
            stop.Cancel();
            await Task.Delay(300, scope.Token).ConfigureAwait(false);
            finished = true;
            return TargetOutcome.Done("Updated");
        }, journal);
        Assert.True(finished);
        Assert.NotNull(journal.Finished(targets[0]));
        Assert.Null(journal.Finished(targets[1]));
        // After the stop, a target that has not sent its write is refused one.
        using var second = new TargetRunner(1, new CancellationToken(true));
        var scopeRefused = new TargetScopeProbe();
        Assert.Equal(ErrorIds.TargetStoppedBeforeWrite, scopeRefused.EnterCommitAfterStop());
    }

    [Fact]
    public void A_write_that_outlasts_the_grace_period_is_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var cancelled = false;
        using var runner = new TargetRunner(1, stop.Token, TimeSpan.FromMilliseconds(100));
        Run(runner, Targets(1, "us-east-1"), async scope =>
        {
            scope.EnterCommit();
            stop.Cancel();
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(30), scope.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }

            return TargetOutcome.Done("Updated");
        });
        Assert.True(cancelled);
    }

    [Fact]
    public void A_failure_on_the_pump_stops_the_run_and_is_thrown_once_every_started_target_ended()
    {
        var ended = 0;
        using var runner = new TargetRunner(2, CancellationToken.None);
        var error = Assert.Throws<InvalidOperationException>(() => Run(runner, Targets(20, "us-east-1"), async scope =>
        {
            scope.Post(() => throw new InvalidOperationException("stop here"));
            try
            {
                await Task.Delay(50, scope.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Increment(ref ended);
            }

            return TargetOutcome.Done("Read");
        }));
        Assert.Equal("stop here", error.Message);
        Assert.True(ended < 20, $"{ended} targets ran after the failure");
    }

    [Fact]
    public void The_journal_skips_finished_targets_and_runs_failed_ones_again()
    {
        var path = Path.Combine(_folder, "rollout.journal");
        var targets = Targets(3, "us-east-1", "eu-west-1");
        var plan = TargetJournal.PlanHash("Set", new[] { "statement:x" }, targets);
        using (var runner = new TargetRunner(3, CancellationToken.None))
        {
            Run(runner, targets, scope => Task.FromResult(scope.Key.StartsWith("200000000002", StringComparison.Ordinal) ? TargetOutcome.Failed("EcrThrottled") : TargetOutcome.Done("Updated")), TargetJournal.Open(path, "Set", plan, "test"));
        }

        var again = new ConcurrentBag<string>();
        var skipped = new List<string>();
        using (var runner = new TargetRunner(3, CancellationToken.None))
        {
            Run(runner, targets, scope =>
            {
                again.Add(scope.Key);
                return Task.FromResult(TargetOutcome.Done("Updated"));
            }, TargetJournal.Open(path, "Set", plan, "test"), (t, e) => skipped.Add(t.Key + ":" + e.Status));
        }

        Assert.Equal(new[] { "200000000002/eu-west-1", "200000000002/us-east-1" }, again.OrderBy(k => k));
        Assert.Equal(4, skipped.Count);
        Assert.All(skipped, s => Assert.EndsWith(":Updated", s));
    }

    [Fact]
    public void A_journal_of_another_plan_is_refused()
    {
        var path = Path.Combine(_folder, "other.journal");
        var targets = Targets(2, "us-east-1");
        TargetJournal.Open(path, "Set", TargetJournal.PlanHash("Set", new[] { "statement:a" }, targets), "merge a");
        var error = Assert.Throws<PolicyException>(() => TargetJournal.Open(path, "Set", TargetJournal.PlanHash("Set", new[] { "statement:b" }, targets), "merge b"));
        Assert.Equal("JournalPlanMismatch", error.ErrorId);
        Assert.Contains("merge a", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(TargetJournal.PlanHash("Set", new[] { "statement:a" }, targets), TargetJournal.PlanHash("Set", new[] { "statement:a" }, Targets(3, "us-east-1")));
    }

    [Fact]
    public void A_file_that_is_not_a_journal_is_refused_and_left_alone()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
        Assert.Equal("JournalInvalid", Assert.Throws<PolicyException>(() => TargetJournal.Open(path, "Set", "p", "s")).ErrorId);
        Assert.Equal("{\"Version\":\"2012-10-17\",\"Statement\":[]}", File.ReadAllText(path));
    }

    [Fact]
    public void Every_journal_entry_leaves_a_complete_file()
    {
        var path = Path.Combine(_folder, "atomic.journal");
        var targets = Targets(40, "us-east-1");
        var journal = TargetJournal.Open(path, "Set", "plan", "test");
        Parallel.ForEach(targets, t => journal.Record(t, TargetOutcome.Done("Updated")));
        var reopened = TargetJournal.Open(path, "Set", "plan", "test");
        Assert.All(targets, t => Assert.NotNull(reopened.Finished(t)));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp*"));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("11112222333a")]
    public void An_account_id_that_is_not_12_digits_is_refused(string account)
    {
        Assert.Equal("AccountIdInvalid", Assert.Throws<PolicyException>(() => RegistryTarget.Product(new[] { account }, new[] { "us-east-1" })).ErrorId);
    }

    [Theory]
    [InlineData("bad name", null, null, "RoleNameInvalid")]
    [InlineData(null, "x", null, "ExternalIdInvalid")]
    [InlineData(null, null, "has space", "RoleSessionNameInvalid")]
    public void Role_settings_are_checked_against_the_STS_model(string? role, string? externalId, string? session, string errorId)
    {
        // STS API reference, AssumeRole (the patterns of ../shared/reference/sts-2011-06-15.model.json): RoleSessionName is
        // 2 to 64 of [\w+=,.@-], ExternalId 2 to 1224 of [\w+=,./@:-]; IAM role names up to 64 of [\w+=,.@-].
        Assert.Equal(errorId, Assert.Throws<AwsClientException>(() => new AssumeRoleSettings(role, externalId, session)).ErrorId);
    }

    [Fact]
    public void The_role_ARN_follows_the_partition()
    {
        // The default role: Organizations User Guide, "Accessing member accounts" (orgs_manage_accounts_access.html).
        var settings = new AssumeRoleSettings();
        Assert.Equal("arn:aws-cn:iam::444455556666:role/OrganizationAccountAccessRole", settings.RoleArn("444455556666", "aws-cn"));
        Assert.StartsWith("PtcTools-", settings.RoleSessionName, StringComparison.Ordinal);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Drives a scope of a stopped runner.</summary>
    private sealed class TargetScopeProbe
    {
        public string? EnterCommitAfterStop()
        {
            using var stop = new CancellationTokenSource();
            string? id = null;
            using var runner = new TargetRunner(1, stop.Token);
            var run = runner.RunAsync(Targets(1, "us-east-1"), scope =>
            {
                stop.Cancel();
                try
                {
                    scope.EnterCommit();
                }
                catch (PolicyException ex)
                {
                    id = ex.ErrorId;
                }

                return Task.FromResult(TargetOutcome.Done("Read"));
            });
            runner.Pump(run, () => { });
            return id;
        }
    }
}
