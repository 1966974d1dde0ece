using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using EcrEmulator;
using PtcTools.Aws.Auth;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Aws.Tests;

/// <summary>Issue 18, items 1, 3 and 7: no lost update reported as success, no write sent twice blindly, files kept as they are.</summary>
public sealed class SafeWriteTests : IDisposable
{
    private const string Ours = "{\"Sid\":\"Ours\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:CreateRepository\",\"Resource\":\"*\"}";
    private const string Theirs = "{\"Sid\":\"Theirs\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"444455556666\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}";
    private const string Old = "{\"Sid\":\"Old\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}";
    private readonly EcrEmulatorServer _emulator = EcrEmulatorServer.Start(new EmulatorOptions());
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptctools-safewrite-" + Guid.NewGuid().ToString("N"));
    private readonly List<string> _log = new();

    public SafeWriteTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        _emulator.Dispose();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            foreach (var file in Directory.GetFiles(_folder, "*", SearchOption.AllDirectories))
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        Directory.Delete(_folder, recursive: true);
    }

    private static string Policy(params string[] statements) => "{\"Version\":\"2012-10-17\",\"Statement\":[" + string.Join(",", statements) + "]}";

    private SafePolicyWriter Writer => new(Path.Combine(_folder, "backups"), m => { lock (_log) { _log.Add(m); } });

    private EcrRegistryPolicyStore Ecr(TimeSpan? settle = null) =>
        new(new EcrClient(new EcrClientOptions("us-east-1", new AwsCredentials("AKIDPTCTOOLSEXAMPLE", "ptctools/emulator/secret/EXAMPLEKEY"))
        {
            EndpointUrl = _emulator.Endpoint.ToString(),
            Retry = new RetryPolicy(4, TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(50), seed: 2),
            AttemptTimeout = TimeSpan.FromSeconds(5),
        }))
        { Settle = settle ?? TimeSpan.Zero, LockFolder = Path.Combine(_folder, "locks") };

    private Task<WriteOutcome> WriteEcr(string before, string desired, EcrRegistryPolicyStore? store = null) =>
        Writer.WriteAsync(store ?? Ecr(), PolicyDocument.Parse(desired), desired, new ReadState(true, before, "us-east-1", null), force: false, CancellationToken.None);

    [Fact]
    public async Task A_writer_that_lands_right_after_ours_without_our_statement_is_answered_by_merging_it_again()
    {
        _emulator.State.PolicyText = Policy(Old);

        // Another writer read the policy before ours landed and writes Old + Theirs right after it.
        _emulator.Faults.ChangePolicyAfterPut(Policy(Old, Theirs));
        var outcome = await WriteEcr(Policy(Old), Policy(Old, Ours));

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.Equal(Policy(Old, Theirs, Ours), _emulator.State.PolicyText);
        Assert.Equal(2, _emulator.Requests.CountOf("PutRegistryPolicy"));
        Assert.Contains(_log, m => m.Contains("'Ours' (missing)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_removal_that_another_writer_undid_is_made_again_and_their_statement_kept()
    {
        _emulator.State.PolicyText = Policy(Old, Ours);
        _emulator.Faults.ChangePolicyAfterPut(Policy(Old, Ours, Theirs));

        await WriteEcr(Policy(Old, Ours), Policy(Ours));

        Assert.Equal(Policy(Ours, Theirs), _emulator.State.PolicyText);
    }

    [Fact]
    public async Task A_writer_that_keeps_taking_our_statement_away_is_RegistryPolicyVerifyFailed_naming_it_not_success()
    {
        _emulator.State.PolicyText = Policy(Old);
        _emulator.Faults.ChangePolicyAfterPut(Policy(Old, Theirs), count: 100);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => WriteEcr(Policy(Old), Policy(Old, Ours)));

        Assert.Equal("RegistryPolicyVerifyFailed", ex.ErrorId);
        Assert.Contains("'Ours' (missing)", ex.Message);
        Assert.Equal(SafePolicyWriter.MaxWrites, _emulator.Requests.CountOf("PutRegistryPolicy"));
    }

    [Fact]
    public async Task A_writer_that_lands_within_the_settle_before_the_read_back_is_caught_by_it()
    {
        _emulator.State.PolicyText = Policy(Old);
        var store = Ecr(settle: TimeSpan.FromMilliseconds(1500));
        var write = WriteEcr(Policy(Old), Policy(Old, Ours), store);

        // Wait for our read-back, then land the other writer's text (without Ours) during the settle.
        var deadline = Stopwatch.StartNew();
        while (_emulator.Requests.CountOf("PutRegistryPolicy") == 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(10);
        }

        await Task.Delay(300);
        _emulator.State.PolicyText = Policy(Old, Theirs);
        var outcome = await write;

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.Equal(Policy(Old, Theirs, Ours), _emulator.State.PolicyText);
    }

    [Fact]
    public async Task A_read_back_that_has_not_caught_up_with_the_first_put_is_read_again_and_the_write_is_Created()
    {
        // Issue 16 item 3: users saw RegistryPolicyNotFoundException on the first apply; the read right after a put lags.
        _emulator.State.PolicyText = null;
        _emulator.Faults.StaleReadsAfterPut(2);

        var outcome = await Writer.WriteAsync(Ecr(), PolicyDocument.Parse(Policy(Ours)), Policy(Ours), new ReadState(false, null, "us-east-1", null), force: false, CancellationToken.None);

        Assert.Equal(WriteStatus.Created, outcome.Status);
        Assert.Equal(Policy(Ours), outcome.After.Text);
        Assert.Equal(1, _emulator.Requests.CountOf("PutRegistryPolicy"));
        // The guard, two reads that still show no policy, and the one that shows the write.
        Assert.Equal(4, _emulator.Requests.CountOf("GetRegistryPolicy"));
        Assert.Contains(_log, m => m.Contains("has not caught up", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_read_back_that_never_catches_up_is_RegistryPolicyVerifyFailed_after_the_bound_and_the_write_is_not_sent_again()
    {
        _emulator.State.PolicyText = Policy(Old);
        _emulator.Faults.StaleReadsAfterPut(100);
        var store = Ecr();
        store.ReadBackRetries = new[] { TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40) };

        var ex = await Assert.ThrowsAsync<PolicyException>(() => WriteEcr(Policy(Old), Policy(Old, Ours), store));

        Assert.Equal("RegistryPolicyVerifyFailed", ex.ErrorId);
        Assert.Contains("was accepted, but 3 reads of it", ex.Message);
        Assert.Contains("still show the policy it replaced", ex.Message);
        Assert.Contains("The write was not sent again", ex.Message);
        Assert.Equal(1, _emulator.Requests.CountOf("PutRegistryPolicy"));
        Assert.Equal(1 + 3, _emulator.Requests.CountOf("GetRegistryPolicy"));
    }

    [Fact]
    public void The_read_back_bound_is_the_one_docs_decisions_gives_for_API_PutRegistryPolicy_and_API_GetRegistryPolicy()
    {
        // API_PutRegistryPolicy.html and API_GetRegistryPolicy.html document no condition on the put and no
        // read-after-write: docs/decisions.md, "Issue 16 item 3", sets the bound these pin.
        Assert.Equal(new[] { 200, 400, 800, 1600 }, EcrRegistryPolicyStore.DefaultReadBackRetries.Select(t => (int)t.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(3), TimeSpan.FromTicks(EcrRegistryPolicyStore.DefaultReadBackRetries.Sum(t => t.Ticks)));
        Assert.Empty(new FileRegistryPolicyStore(Path.Combine(_folder, "p.json")).ReadBackRetries);
        var decisions = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "decisions.md"));
        var section = decisions[decisions.IndexOf("## Issue 16 item 3", StringComparison.Ordinal)..];
        Assert.Contains("API_PutRegistryPolicy", section);
        Assert.Contains("API_GetRegistryPolicy", section);
        Assert.Contains("0.2, 0.4, 0.8 and 1.6 seconds", section);
    }

    [Fact]
    public async Task A_writer_that_merged_ours_in_needs_no_second_write()
    {
        _emulator.State.PolicyText = Policy(Old);
        _emulator.Faults.ChangePolicyAfterPut(Policy(Old, Ours, Theirs));

        var outcome = await WriteEcr(Policy(Old), Policy(Old, Ours));

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.Equal(1, _emulator.Requests.CountOf("PutRegistryPolicy"));
        Assert.Equal(Policy(Old, Ours, Theirs), outcome.After.Text);
    }

    [Fact]
    public async Task A_lost_answer_of_a_write_that_another_writer_overtook_is_interrupted_and_not_sent_again()
    {
        _emulator.State.PolicyText = Policy(Old);
        _emulator.Faults.DropResponse(1, "PutRegistryPolicy");
        _emulator.Faults.ChangePolicyAfterPut(Policy(Old, Theirs));

        var ex = await Assert.ThrowsAsync<PolicyException>(() => WriteEcr(Policy(Old), Policy(Old, Ours)));

        Assert.Equal("RegistryPolicyWriteInterrupted", ex.ErrorId);
        Assert.Contains("neither the previous policy nor this one", ex.Message);
        Assert.Equal(1, _emulator.Requests.CountOf("PutRegistryPolicy"));
        Assert.Equal(Policy(Old, Theirs), _emulator.State.PolicyText);
    }

    [Fact]
    public async Task A_lost_answer_of_a_delete_that_landed_is_a_success()
    {
        _emulator.State.PolicyText = Policy(Old);
        _emulator.Faults.DropResponse(1, "DeleteRegistryPolicy");

        var outcome = await Writer.DeleteAsync(Ecr(), CancellationToken.None);

        Assert.Equal(WriteStatus.Deleted, outcome.Status);
        Assert.Null(_emulator.State.PolicyText);
        Assert.Equal(1, _emulator.Requests.CountOf("DeleteRegistryPolicy"));
    }

    [Fact]
    public async Task A_registry_answering_without_policyText_is_not_written_even_with_force()
    {
        _emulator.State.PolicyText = Policy(Old);
        _emulator.Faults.Respond(new EcrEmulator.Control.CannedResponse(200, "{\"registryId\":\"111122223333\"}"), 10, "GetRegistryPolicy");

        var ex = await Assert.ThrowsAsync<EcrException>(() => Writer.WriteAsync(Ecr(), PolicyDocument.Parse(Policy(Ours)), Policy(Ours), new ReadState(true, null, null, null), force: true, CancellationToken.None));
        var removing = await Assert.ThrowsAsync<EcrException>(() => Writer.DeleteAsync(Ecr(), CancellationToken.None));

        Assert.Equal("EcrResponseInvalid", ex.ErrorId);
        Assert.Equal("EcrResponseInvalid", removing.ErrorId);
        Assert.Contains("no policyText", ex.Message);
        Assert.Equal(0, _emulator.Requests.CountOf("PutRegistryPolicy") + _emulator.Requests.CountOf("DeleteRegistryPolicy"));
        Assert.Equal(Policy(Old), _emulator.State.PolicyText);
    }

    [Fact]
    public async Task The_lock_serializes_writers_and_one_held_too_long_is_RegistryPolicyLockTimeout()
    {
        var folder = Path.Combine(_folder, "locks");
        using (await PolicyLock.AcquireAsync("the-key", "the policy", CancellationToken.None, folder))
        {
            var ex = await Assert.ThrowsAsync<PolicyException>(() => PolicyLock.AcquireAsync("the-key", "the policy", CancellationToken.None, folder, TimeSpan.FromMilliseconds(200)));
            Assert.Equal("RegistryPolicyLockTimeout", ex.ErrorId);
            using (await PolicyLock.AcquireAsync("another-key", "another policy", CancellationToken.None, folder, TimeSpan.FromMilliseconds(200)))
            {
            }
        }

        using (await PolicyLock.AcquireAsync("the-key", "the policy", CancellationToken.None, folder, TimeSpan.FromMilliseconds(200)))
        {
        }
    }

    [Fact]
    public async Task Concurrent_writers_of_one_file_in_one_process_lose_nothing()
    {
        var path = Path.Combine(_folder, "shared.json");
        File.WriteAllText(path, Policy());
        var succeeded = new System.Collections.Concurrent.ConcurrentBag<string>();

        async Task RunWriter(int id)
        {
            for (var round = 0; round < 25; round++)
            {
                var sid = $"W{id}R{round}";
                for (var attempt = 0; attempt < 50; attempt++)
                {
                    var store = new FileRegistryPolicyStore(path) { LockFolder = Path.Combine(_folder, "locks") };
                    var read = await store.ReadAsync(CancellationToken.None);
                    var desired = PtcTools.Policy.Merge.StatementMerger.Add(PolicyDocument.Parse(read.Text!), new[] { PolicyStatement.Parse("{\"Sid\":\"" + sid + "\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"ecr:*\",\"Resource\":\"*\"}") }).Document;
                    try
                    {
                        await Writer.WriteAsync(store, desired, store.Format(desired), new ReadState(true, read.Text, null, path), false, CancellationToken.None);
                        succeeded.Add(sid);
                        break;
                    }
                    catch (PolicyException ex) when (ex.ErrorId == "RegistryPolicyChangedSinceRead")
                    {
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Task.Run(() => RunWriter(i))));

        var sids = PolicyDocument.Parse(File.ReadAllText(path)).Statements.Select(s => s.Sid).ToHashSet();
        Assert.Equal(75, succeeded.Count);
        Assert.All(succeeded, sid => Assert.Contains(sid, sids));
    }

    [Fact]
    public async Task A_read_only_file_is_refused_before_anything_is_written_and_with_force_keeps_its_mode()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder, "read-only.json");
        File.WriteAllText(path, Policy(Old));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var desired = PolicyDocument.Parse(Policy(Old, Ours));

        var ex = await Assert.ThrowsAsync<PolicyException>(() => Writer.WriteAsync(new FileRegistryPolicyStore(path), desired, Policy(Old, Ours), new ReadState(true, Policy(Old), null, path), false, CancellationToken.None));

        Assert.Equal("PolicyFileReadOnly", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.PermissionDenied, ex.Kind);
        Assert.Equal(Policy(Old), File.ReadAllText(path));
        Assert.False(Directory.Exists(Path.Combine(_folder, "backups")));

        var outcome = await Writer.WriteAsync(new FileRegistryPolicyStore(path) { AllowReadOnly = true }, desired, Policy(Old, Ours), new ReadState(true, Policy(Old), null, path), false, CancellationToken.None);

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.Equal(Policy(Old, Ours), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_file_keeps_its_mode_across_a_write()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var path = Path.Combine(_folder, "private.json");
        File.WriteAllText(path, Policy(Old));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await Writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(Policy(Ours)), Policy(Ours), new ReadState(true, Policy(Old), null, path), false, CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_symbolic_link_is_written_through_and_stays_a_link()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // making links needs a privilege there
        }

        var target = Path.Combine(_folder, "real", "policy.json");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, Policy(Old));
        var link = Path.Combine(_folder, "link.json");
        File.CreateSymbolicLink(link, Path.Combine("real", "policy.json"));

        var outcome = await Writer.WriteAsync(new FileRegistryPolicyStore(link), PolicyDocument.Parse(Policy(Ours)), Policy(Ours), new ReadState(true, Policy(Old), null, link), false, CancellationToken.None);

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(Policy(Ours), File.ReadAllText(target));
        Assert.Empty(Directory.GetFiles(_folder, ".*.tmp"));
    }

    [Fact]
    public async Task A_file_that_is_not_UTF_8_is_refused_on_reading_so_nothing_is_written()
    {
        var path = Path.Combine(_folder, "latin1.json");
        // Another team's statement saved as Latin-1: the 0xE9 of "Café" is not UTF-8.
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Caf").Concat(new byte[] { 0xE9 }).Concat(Encoding.UTF8.GetBytes("\",\"Effect\":\"Allow\"}]}")).ToArray());
        var original = File.ReadAllBytes(path);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => new FileRegistryPolicyStore(path).ReadAsync(CancellationToken.None));
        var writing = await Assert.ThrowsAsync<PolicyException>(() => Writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(Policy(Ours)), Policy(Ours), new ReadState(true, null, null, path), true, CancellationToken.None));

        Assert.Equal("PolicyFileEncodingInvalid", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidData, ex.Kind);
        Assert.Contains("at byte", ex.Message);
        Assert.Equal("PolicyFileEncodingInvalid", writing.ErrorId);
        Assert.Equal(original, File.ReadAllBytes(path));
        Assert.False(Directory.Exists(Path.Combine(_folder, "backups")));
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF }, "utf-8")]
    [InlineData(new byte[] { 0xFF, 0xFE }, "utf-16")]
    public async Task A_file_with_a_byte_order_mark_reads_as_its_text(byte[] bom, string encoding)
    {
        var path = Path.Combine(_folder, "bom.json");
        File.WriteAllBytes(path, bom.Concat(Encoding.GetEncoding(encoding).GetBytes(Policy(Old))).ToArray());

        Assert.Equal(Policy(Old), (await new FileRegistryPolicyStore(path).ReadAsync(CancellationToken.None)).Text);
    }

    [Fact]
    public void A_lone_surrogate_is_refused_before_any_file_is_made()
    {
        var path = Path.Combine(_folder, "surrogate.json");

        var ex = Assert.Throws<PolicyException>(() => FileRegistryPolicyStore.WriteAtomically(path, "{\"Sid\":\"" + new string('\ud800', 1) + "\"}"));

        Assert.Equal("PolicyTextInvalidUnicode", ex.ErrorId);
        Assert.Empty(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Temp_files_left_by_a_killed_write_are_removed_by_the_next_write()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Policy(Old));
        var leftover = Path.Combine(_folder, ".policy.json.0badf00d.tmp");
        File.WriteAllText(leftover, "half a pol");
        var unrelated = Path.Combine(_folder, ".other.json.0badf00d.tmp");
        File.WriteAllText(unrelated, "not ours");

        await Writer.WriteAsync(new FileRegistryPolicyStore(path) { LockFolder = Path.Combine(_folder, "locks") }, PolicyDocument.Parse(Policy(Ours)), Policy(Ours), new ReadState(true, Policy(Old), null, path), false, CancellationToken.None);

        Assert.False(File.Exists(leftover));
        Assert.True(File.Exists(unrelated));
    }
}
