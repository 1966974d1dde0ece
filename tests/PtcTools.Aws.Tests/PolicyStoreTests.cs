using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Stores;
using PtcTools.Policy;
using PtcTools.Policy.Model;
using Xunit;

namespace PtcTools.Aws.Tests;

public sealed class PolicyStoreTests : IDisposable
{
    private const string Old = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Old\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}]}";
    private const string New = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"New\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111122223333\"},\"Action\":\"ecr:CreateRepository\",\"Resource\":\"*\"}]}";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ptctools-store-" + Guid.NewGuid().ToString("N"));

    public PolicyStoreTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Backups => Path.Combine(_folder, "backups");

    [Fact]
    public async Task A_missing_file_reads_as_no_policy_and_a_write_creates_it()
    {
        var store = new FileRegistryPolicyStore(Path.Combine(_folder, "new", "policy.json"));
        Assert.False((await store.ReadAsync(CancellationToken.None)).Exists);

        await store.WriteAsync(New, CancellationToken.None);

        var read = await store.ReadAsync(CancellationToken.None);
        Assert.True(read.Exists);
        Assert.Equal(New, read.Text);
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_the_old_file_intact_and_no_temp_file()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Old);
        var store = new FileRegistryPolicyStore(path) { WrapStream = s => new FailingStream(s, failAfter: 40) };

        var ex = await Assert.ThrowsAsync<PolicyException>(() => store.WriteAsync(New, CancellationToken.None));

        Assert.Equal("PolicyFileWriteFailed", ex.ErrorId);
        Assert.Equal(Old, File.ReadAllText(path));
        Assert.Equal(new[] { "policy.json" }, Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_write_killed_before_the_rename_leaves_the_old_file_whole()
    {
        // The temp file is complete but the process dies before renaming: readers still see the old policy.
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Old);
        string? temp = null;
        var store = new FileRegistryPolicyStore(path) { BeforeRename = t => { temp = t; throw new IOException("killed"); } };

        await Assert.ThrowsAsync<PolicyException>(() => store.WriteAsync(New, CancellationToken.None));

        Assert.Equal(Old, File.ReadAllText(path));
        Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(temp));
        Assert.False(File.Exists(temp));
    }

    [Fact]
    public async Task The_safe_writer_backs_up_writes_and_verifies()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Old);
        var store = new FileRegistryPolicyStore(path);
        var writer = new SafePolicyWriter(Backups);

        var outcome = await writer.WriteAsync(store, PolicyDocument.Parse(New), New, new ReadState(true, Old, null, path), force: false, CancellationToken.None);

        Assert.Equal(WriteStatus.Updated, outcome.Status);
        Assert.Equal(New, File.ReadAllText(path));
        Assert.Equal(Old, File.ReadAllText(outcome.BackupPath!));
        Assert.StartsWith(Backups, outcome.BackupPath);
    }

    [Fact]
    public async Task An_unchanged_policy_is_not_written_and_not_backed_up()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": []\n}\n");
        var before = File.GetLastWriteTimeUtc(path);
        var writer = new SafePolicyWriter(Backups);
        var text = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

        var outcome = await writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(text), text, new ReadState(true, File.ReadAllText(path), null, path), false, CancellationToken.None);

        Assert.Equal(WriteStatus.Unchanged, outcome.Status);
        Assert.Null(outcome.BackupPath);
        Assert.False(Directory.Exists(Backups));
        Assert.Equal(before, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task A_policy_changed_since_it_was_read_is_not_overwritten()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Old);
        var read = new ReadState(true, Old, null, path);
        File.WriteAllText(path, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"SomeoneElse\"}]}");
        var writer = new SafePolicyWriter(Backups);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, read, false, CancellationToken.None));

        Assert.Equal("RegistryPolicyChangedSinceRead", ex.ErrorId);
        Assert.Equal(Remedy.ReadAgainOrOverwrite, ex.Remedy);
        Assert.Contains("SomeoneElse", File.ReadAllText(path));
        Assert.False(Directory.Exists(Backups));

        var forced = await writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, read, force: true, CancellationToken.None);
        Assert.Equal(WriteStatus.Updated, forced.Status);
        Assert.Contains("SomeoneElse", File.ReadAllText(forced.BackupPath!));
    }

    [Fact]
    public async Task A_policy_deleted_by_someone_else_after_it_was_read_is_not_written_back()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Old);
        var read = new ReadState(true, Old, null, path);
        File.Delete(path);
        var writer = new SafePolicyWriter(Backups);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, read, false, CancellationToken.None));

        Assert.Equal("RegistryPolicyChangedSinceRead", ex.ErrorId);
        Assert.Contains("deleted since it was read", ex.Message);
        Assert.Equal(Remedy.ReadAgainOrOverwrite, ex.Remedy);
        Assert.False(File.Exists(path));

        var forced = await writer.WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, read, force: true, CancellationToken.None);
        Assert.Equal(WriteStatus.Created, forced.Status);
    }

    [Fact]
    public async Task A_policy_created_by_someone_else_after_an_empty_read_is_not_overwritten()
    {
        var path = Path.Combine(_folder, "policy.json");
        var read = new ReadState(false, null, null, path);
        File.WriteAllText(path, Old);
        var ex = await Assert.ThrowsAsync<PolicyException>(() => new SafePolicyWriter(Backups).WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, read, false, CancellationToken.None));
        Assert.Equal("RegistryPolicyChangedSinceRead", ex.ErrorId);
        Assert.Equal(Remedy.ReadAgainOrOverwrite, ex.Remedy);
        Assert.Equal(Old, File.ReadAllText(path));
    }

    [Fact]
    public async Task Text_that_was_never_read_does_not_replace_an_existing_different_policy_without_force()
    {
        var path = Path.Combine(_folder, "policy.json");
        File.WriteAllText(path, Old);
        var ex = await Assert.ThrowsAsync<PolicyException>(() => new SafePolicyWriter(Backups).WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, new ReadState(true, null, null, null), false, CancellationToken.None));
        Assert.Equal("RegistryPolicyChangedSinceRead", ex.ErrorId);
        Assert.Contains("not read from it", ex.Message);
        Assert.Equal(Remedy.MergeOrReplace, ex.Remedy);
    }

    [Fact]
    public async Task A_write_that_other_writers_keep_replacing_is_RegistryPolicyVerifyFailed_naming_the_statements_and_the_backups()
    {
        var store = new ScriptedStore(Old) { AfterWrite = _ => "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Raced\"}]}" };

        var ex = await Assert.ThrowsAsync<PolicyException>(() => new SafePolicyWriter(Backups).WriteAsync(store, PolicyDocument.Parse(New), New, new ReadState(true, Old, "us-east-1", null), false, CancellationToken.None));

        Assert.Equal("RegistryPolicyVerifyFailed", ex.ErrorId);
        Assert.Equal(PolicyErrorKind.WriteError, ex.Kind);
        Assert.Contains("'New' (missing)", ex.Message);
        Assert.Equal(Remedy.ReadBeforeRetrying, ex.Remedy);
        Assert.Equal(SafePolicyWriter.MaxWrites, store.Writes);
        var first = Directory.GetFiles(Backups).Select(File.ReadAllText).ToList();
        Assert.Contains(Old, first);
        Assert.All(Directory.GetFiles(Backups), b => Assert.Contains(b, ex.Message));
    }

    [Fact]
    public async Task An_interrupted_write_that_did_not_land_keeps_the_backup_says_so_and_is_not_sent_again()
    {
        var store = new ScriptedStore(Old) { FailWrite = new EcrException("EcrConnectionFailed", PolicyErrorKind.ConnectionError, "connection reset", null, 0, null, indeterminate: true) };

        var ex = await Assert.ThrowsAsync<PolicyException>(() => new SafePolicyWriter(Backups).WriteAsync(store, PolicyDocument.Parse(New), New, new ReadState(true, Old, "us-east-1", null), false, CancellationToken.None));

        Assert.Equal("RegistryPolicyWriteInterrupted", ex.ErrorId);
        var backup = Assert.Single(Directory.GetFiles(Backups));
        Assert.Equal(Old, File.ReadAllText(backup));
        Assert.Contains(backup, ex.Message);
        Assert.Contains("still holds the previous policy, so the write has not landed", ex.Message);
        Assert.Equal(Remedy.ReadBeforeRetrying, ex.Remedy);
        Assert.Equal(1, store.WriteAttempts);
    }

    [Fact]
    public async Task A_write_the_service_refuses_keeps_its_error_id_and_says_nothing_was_written()
    {
        var store = new ScriptedStore(Old) { FailWrite = new EcrException("EcrInvalidParameter", PolicyErrorKind.InvalidArgument, "Invalid registry policy provided", "InvalidParameterException", 400, null, indeterminate: false) };
        var ex = await Assert.ThrowsAsync<PolicyException>(() => new SafePolicyWriter(Backups).WriteAsync(store, PolicyDocument.Parse(New), New, new ReadState(true, Old, "us-east-1", null), false, CancellationToken.None));
        Assert.Equal("EcrInvalidParameter", ex.ErrorId);
        Assert.Contains("Nothing was written", ex.Message);
    }

    [Fact]
    public async Task A_backup_that_cannot_be_written_stops_the_write()
    {
        var blocker = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(blocker, "x");
        var store = new ScriptedStore(Old);

        var ex = await Assert.ThrowsAsync<PolicyException>(() => new SafePolicyWriter(Path.Combine(blocker, "sub")).WriteAsync(store, PolicyDocument.Parse(New), New, new ReadState(true, Old, "us-east-1", null), false, CancellationToken.None));

        Assert.Equal("RegistryPolicyBackupFailed", ex.ErrorId);
        Assert.Equal(Remedy.GiveBackupFolder, ex.Remedy);
        Assert.Equal(Old, store.Text);
        Assert.Equal(0, store.Writes);
    }

    [Theory]
    [InlineData("123456789012", "123456789012", null)]
    [InlineData(null, "123456789012", null)]
    [InlineData(null, null, null)]
    [InlineData("999999999999", "123456789012", "RegistryPolicyAccountMismatch")]
    [InlineData("999999999999", null, "RegistryPolicyAccountUnknown")]
    public async Task The_writer_checks_the_account_read_from_against_the_account_written_to(string? readAccount, string? liveAccount, string? expectedError)
    {
        var store = new ScriptedStore(Old) { RegistryId = liveAccount };
        var write = () => new SafePolicyWriter(Backups).WriteAsync(store, PolicyDocument.Parse(New), New, new ReadState(true, Old, "us-east-1", null, readAccount), force: true, CancellationToken.None);

        if (expectedError is null)
        {
            Assert.Equal(WriteStatus.Updated, (await write()).Status);
            return;
        }

        var ex = await Assert.ThrowsAsync<PolicyException>(write);
        Assert.Equal(expectedError, ex.ErrorId);
        Assert.Equal(PolicyErrorKind.InvalidOperation, ex.Kind);
        Assert.Contains(readAccount!, ex.Message);
        Assert.Contains("Nothing was written", ex.Message);
        Assert.Equal(expectedError == "RegistryPolicyAccountMismatch" ? Remedy.CheckCredentialsOrCopyPolicy : Remedy.AllowDescribeRegistryOrWriteText, ex.Remedy);
        Assert.Equal(0, store.Writes);
        Assert.False(Directory.Exists(Backups));
    }

    [Theory]
    [InlineData("123456789012", null)]
    [InlineData("999999999999", "The registry id given names account 999999999999, but the credentials in use write to the scripted policy of account 123456789012.")]
    public void An_account_the_caller_names_is_checked_and_the_message_says_what_named_it(string account, string? messageStart)
    {
        var live = new StoredPolicy(true, Old, "123456789012", "us-east-1");
        var check = () => SafePolicyWriter.CheckAccount(new ScriptedStore(Old), account, "the registry id given", live);

        if (messageStart is null)
        {
            check();
            return;
        }

        var ex = Assert.Throws<PolicyException>(check);
        Assert.Equal("RegistryPolicyAccountMismatch", ex.ErrorId);
        Assert.StartsWith(messageStart, ex.Message);
        Assert.Equal(Remedy.CheckCredentials, ex.Remedy);
    }

    [Fact]
    public async Task A_policy_from_an_account_may_be_written_to_a_file_which_has_none()
    {
        var path = Path.Combine(_folder, "policy.json");
        var outcome = await new SafePolicyWriter(Backups).WriteAsync(new FileRegistryPolicyStore(path), PolicyDocument.Parse(New), New, new ReadState(true, Old, "us-east-1", null, "111122223333"), false, CancellationToken.None);
        Assert.Equal(WriteStatus.Created, outcome.Status);
    }

    [Fact]
    public async Task Delete_backs_up_first_and_a_missing_policy_is_RegistryPolicyNotFound()
    {
        var store = new ScriptedStore(Old);
        var writer = new SafePolicyWriter(Backups);

        var outcome = await writer.DeleteAsync(store, CancellationToken.None);

        Assert.Equal(WriteStatus.Deleted, outcome.Status);
        Assert.Null(store.Text);
        Assert.Equal(Old, File.ReadAllText(outcome.BackupPath!));
        Assert.Equal("RegistryPolicyNotFound", (await Assert.ThrowsAsync<PolicyException>(() => writer.DeleteAsync(store, CancellationToken.None))).ErrorId);
    }

    private sealed class ScriptedStore : IRegistryPolicyStore
    {
        public ScriptedStore(string? text) => Text = text;

        public string? Text { get; private set; }

        public int Writes { get; private set; }

        public Func<string, string>? AfterWrite { get; set; }

        public Exception? FailWrite { get; set; }

        public int WriteAttempts { get; private set; }

        public TimeSpan Settle { get; set; } = TimeSpan.Zero;

        public IReadOnlyList<TimeSpan> ReadBackRetries { get; set; } = Array.Empty<TimeSpan>();

        public Task<IDisposable> LockAsync(CancellationToken cancellationToken) => Task.FromResult<IDisposable>(new MemoryStream());

        public string Format(PolicyDocument document) => document.ToCompactJson();

        public void CheckWritable()
        {
        }

        public string Description => "the scripted policy";

        public string BackupKey => "scripted";

        public bool IsOrigin(string? region, string? path) => region == "us-east-1";

        public string? RegistryId { get; set; } = "123456789012";

        public Task<StoredPolicy> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(new StoredPolicy(Text is not null, Text, RegistryId, "us-east-1"));

        public Task WriteAsync(string text, CancellationToken cancellationToken)
        {
            WriteAttempts++;
            if (FailWrite is not null)
            {
                throw FailWrite;
            }

            Writes++;
            Text = AfterWrite is null ? text : AfterWrite(text);
            return Task.CompletedTask;
        }

        public Task<bool> DeleteAsync(CancellationToken cancellationToken)
        {
            var had = Text is not null;
            Text = null;
            return Task.FromResult(had);
        }
    }

    private sealed class FailingStream : Stream
    {
        private readonly Stream _inner;
        private int _left;

        public FailingStream(Stream inner, int failAfter)
        {
            _inner = inner;
            _left = failAfter;
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _inner.Length;

        public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => _inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, _left);
            _inner.Write(buffer, offset, n);
            _left -= n;
            if (n < count)
            {
                throw new IOException("the disk went away");
            }
        }
    }
}
