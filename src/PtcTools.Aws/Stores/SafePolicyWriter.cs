using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Stores;

/// <summary>What the caller knows about the policy it wants to write: where and what it read.</summary>
public sealed class ReadState
{
    /// <summary>Creates the state.</summary>
    public ReadState(bool exists, string? sourceText, string? region, string? path, string? registryId = null, string? scope = null)
    {
        Exists = exists;
        SourceText = sourceText;
        Region = region;
        Path = path;
        RegistryId = registryId;
        Scope = scope;
    }

    /// <summary>False when the store had no policy at the read.</summary>
    public bool Exists { get; }

    /// <summary>The text exactly as read, or null when the policy was not read from a store.</summary>
    public string? SourceText { get; }

    /// <summary>The Region it was read from.</summary>
    public string? Region { get; }

    /// <summary>The file it was read from.</summary>
    public string? Path { get; }

    /// <summary>The account it was read from (or that an AWS.Tools response names), or null when none is known.</summary>
    public string? RegistryId { get; }

    /// <summary>The registry policy scope (V1, V2) it was read under, when known.</summary>
    public string? Scope { get; }
}

/// <summary>How a safe write ended.</summary>
public enum WriteStatus
{
    /// <summary>The store had no policy; now it has this one.</summary>
    Created,

    /// <summary>The policy was replaced.</summary>
    Updated,

    /// <summary>The store already held this policy; nothing was written.</summary>
    Unchanged,

    /// <summary>The policy was deleted.</summary>
    Deleted,
}

/// <summary>The outcome of a safe write or delete.</summary>
public sealed class WriteOutcome
{
    /// <summary>Creates the outcome.</summary>
    public WriteOutcome(WriteStatus status, StoredPolicy before, StoredPolicy after, string? backupPath)
    {
        Status = status;
        Before = before;
        After = after;
        BackupPath = backupPath;
    }

    /// <summary>How it ended.</summary>
    public WriteStatus Status { get; }

    /// <summary>The store before the write.</summary>
    public StoredPolicy Before { get; }

    /// <summary>The store after the write, as read back.</summary>
    public StoredPolicy After { get; }

    /// <summary>The backup of the previous text, when there was one.</summary>
    public string? BackupPath { get; }
}

/// <summary>The write that loses nothing: lock, check the live policy, skip no-ops, back up, write, read back, and confirm that what it changed stayed.</summary>
/// <remarks>
/// Between PtcTools writers of one machine the lock makes the guard read, the check and the write one step. ECR has no
/// conditional put, so a writer elsewhere (another machine, or not PtcTools) can still land between the guard and the
/// put, or right after it. Hence the confirmation: the read-back, made after the store's settle time, must show the
/// statements this write added, replaced or removed as it left them; when another writer took them away, they are
/// merged again onto what is live and written again, a bounded number of times. A read-back that still shows the store
/// as it was before the put is read again with a bounded backoff (ECR's reads are not documented to follow its writes
/// at once). What cannot be achieved is an error naming the statements: a lost update is never reported as success.
/// </remarks>
public sealed class SafePolicyWriter
{
    /// <summary>The most writes one call makes: the first and the merges again after other writers took statements away.</summary>
    public const int MaxWrites = 5;

    private readonly string _backupFolder;
    private readonly Action<string> _log;

    /// <summary>Creates a writer that keeps backups in a folder.</summary>
    public SafePolicyWriter(string backupFolder, Action<string>? log = null)
    {
        _backupFolder = backupFolder;
        _log = log ?? (_ => { });
    }

    /// <summary>The default backup folder: <c>PtcTools/backups</c> under the user's local application data.</summary>
    public static string DefaultBackupFolder
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(root))
            {
                root = Path.Combine(Path.GetTempPath(), "ptctools-" + Environment.UserName);
            }

            return Path.Combine(root, "PtcTools", "backups");
        }
    }

    /// <summary>Two texts hold the same policy when they parse to the same compact JSON (white space and formatting aside).</summary>
    public static bool SamePolicy(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        try
        {
            return string.Equals(PolicyJson.ToCompact(PolicyJson.ParseToken(a)), PolicyJson.ToCompact(PolicyJson.ParseToken(b)), StringComparison.Ordinal);
        }
        catch (PolicyJsonException)
        {
            return false;
        }
    }

    /// <summary>The checks of a write against the live policy, without reading or writing: the account, the store's own (a read-only file), and, unless <paramref name="force"/>, that the live policy is the one that was read.</summary>
    /// <remarks>-WhatIf runs exactly these, so a preview that says "Replace" means the real run would write.</remarks>
    /// <exception cref="PolicyException"><c>RegistryPolicyAccountMismatch</c>, <c>RegistryPolicyAccountUnknown</c>, <c>RegistryPolicyChangedSinceRead</c>, or the store's error.</exception>
    public static void Check(IRegistryPolicyStore store, PolicyDocument desired, ReadState read, StoredPolicy live, bool force) =>
        Check(store, read, live, force, live.Exists && SamePolicy(live.Text, store.Format(desired)));

    /// <summary>The checks of a plan against its own snapshot (what -WhatIf and the prompt show), before anything is read or written.</summary>
    /// <exception cref="PolicyException">As <see cref="Check(IRegistryPolicyStore, PolicyDocument, ReadState, StoredPolicy, bool)"/>, and <c>RegistryPolicyAccountMismatch</c> for an account the plan names.</exception>
    public static void Check(WritePlan plan)
    {
        Check(plan.Store, plan.Read, plan.Live, plan.Force, plan.Status == WritePlanStatus.Unchanged);
        if (plan.NamedAccount is { } named)
        {
            CheckAccount(plan.Store, named.Account, named.NamedBy, plan.Live);
        }
    }

    // holdsDesired: the live policy already is the one to write (worked out once by the caller).
    private static void Check(IRegistryPolicyStore store, ReadState read, StoredPolicy live, bool force, bool holdsDesired)
    {
        CheckAccount(store, read, live);
        if (holdsDesired)
        {
            return;
        }

        store.CheckWritable();
        if (!force)
        {
            CheckChangedSinceRead(store, read, live);
        }
    }

    // Called only when the live policy is not already the one to write.
    private static void CheckChangedSinceRead(IRegistryPolicyStore store, ReadState read, StoredPolicy live)
    {
        if (!live.Exists)
        {
            // A deletion is a change too: writing back what was read before it would undo it unseen.
            if (read.Exists && read.SourceText is not null && store.IsOrigin(read.Region, read.Path))
            {
                throw new PolicyException(ErrorIds.RegistryPolicyChangedSinceRead, PolicyErrorKind.InvalidOperation,
                    $"{Capital(store.Description)} was deleted since it was read (by another writer: someone else, a pipeline, or another command of yours). Nothing was written.",
                    store.Description, remedy: Remedy.ReadAgainOrOverwrite);
            }

            return;
        }

        if (store.IsOrigin(read.Region, read.Path) && (read.SourceText is not null || !read.Exists))
        {
            if (!read.Exists || !SamePolicy(live.Text, read.SourceText))
            {
                throw new PolicyException(ErrorIds.RegistryPolicyChangedSinceRead, PolicyErrorKind.InvalidOperation,
                    $"{Capital(store.Description)} changed since it was read (by another writer: someone else, a pipeline, or another command of yours). Nothing was written.",
                    store.Description, remedy: Remedy.ReadAgainOrOverwrite);
            }

            return;
        }

        throw new PolicyException(ErrorIds.RegistryPolicyChangedSinceRead, PolicyErrorKind.InvalidOperation,
            $"{Capital(store.Description)} already holds a different policy, and the policy given was not read from it, so writing would replace statements you have not seen. Nothing was written.",
            store.Description, remedy: Remedy.MergeOrReplace);
    }

    /// <summary>Refuses to write a policy that belongs to one account into another: the account it was read from must be the account the store is in.</summary>
    /// <remarks>Not overridden by force: credentials that point at the wrong account are a mistake to fix, not a conflict to resolve.</remarks>
    /// <exception cref="PolicyException"><c>RegistryPolicyAccountMismatch</c>, or <c>RegistryPolicyAccountUnknown</c> when the store's account could not be read.</exception>
    public static void CheckAccount(IRegistryPolicyStore store, ReadState read, StoredPolicy live) => CheckAccount(store, read.RegistryId, null, live);

    /// <summary>Refuses to write to a store in another account than <paramref name="account"/>, which the caller names (<paramref name="namedBy"/> says what named it, in domain words such as "the registry id given"), or, when <paramref name="namedBy"/> is null, the policy was read from.</summary>
    /// <exception cref="PolicyException"><c>RegistryPolicyAccountMismatch</c> or <c>RegistryPolicyAccountUnknown</c>.</exception>
    public static void CheckAccount(IRegistryPolicyStore store, string? account, string? namedBy, StoredPolicy live)
    {
        // A file belongs to no account, and a policy that names none (JSON text) has nothing to compare.
        if (account is null || store is FileRegistryPolicyStore)
        {
            return;
        }

        var named = namedBy is null ? $"The policy was read from account {account}" : $"{Capital(namedBy)} names account {account}";
        if (live.RegistryId is null)
        {
            throw new PolicyException(ErrorIds.RegistryPolicyAccountUnknown, PolicyErrorKind.InvalidOperation,
                $"{named}, but the account of {store.Description} could not be read (ECR DescribeRegistry failed; the credentials need ecr:DescribeRegistry), " +
                "so it cannot be confirmed that this writes to that account. Nothing was written.",
                store.Description, remedy: namedBy is null ? Remedy.AllowDescribeRegistryOrWriteText : Remedy.AllowDescribeRegistryOrNameNoAccount);
        }

        if (!string.Equals(account, live.RegistryId, StringComparison.Ordinal))
        {
            // For a policy read from another account, the message names the accounts the copy would change in its Resource ARNs.
            throw new PolicyException(ErrorIds.RegistryPolicyAccountMismatch, PolicyErrorKind.InvalidOperation,
                $"{named}, but the credentials in use write to {store.Description} of account {live.RegistryId}. Nothing was written." +
                (namedBy is null ? $" A copy to account {live.RegistryId} would need the account {account} changed in its Resource ARNs." : string.Empty),
                store.Description, remedy: namedBy is null ? Remedy.CheckCredentialsOrCopyPolicy : Remedy.CheckCredentials);
        }
    }

    /// <summary>Writes the policy safely: <see cref="ApplyAsync"/> of a plan that has no snapshot, so the guard read is the only look before the write.</summary>
    /// <exception cref="PolicyException">As <see cref="ApplyAsync"/>.</exception>
    public Task<WriteOutcome> WriteAsync(IRegistryPolicyStore store, PolicyDocument desired, string text, ReadState read, bool force, CancellationToken cancellationToken) =>
        ApplyAsync(WritePlan.Unread(store, desired, text, read, force), cancellationToken);

    /// <summary>
    /// Carries out a plan: under the write lock, reads the store once as the guard (it must still be the snapshot the plan
    /// was worked out from, or pass the same checks), backs up what it replaces and writes; then reads it back (after the
    /// store's settle, and again within <see cref="IRegistryPolicyStore.ReadBackRetries"/> while the read still shows the
    /// store as it was before the write) and confirms that the statements this write changed are as it left them.
    /// </summary>
    /// <exception cref="PolicyException">
    /// <c>RegistryPolicyChangedSinceRead</c> or <c>RegistryPolicyAccountMismatch</c> (nothing written), <c>RegistryPolicyBackupFailed</c> (nothing written),
    /// <c>RegistryPolicyWriteInterrupted</c> (the outcome is unknown or the call was stopped; the message says whether it may have landed and names the backup),
    /// <c>RegistryPolicyVerifyFailed</c> (the write was accepted but reads kept showing the policy before it past the bound, or another writer took statements
    /// of this write away and merging them again did not hold; the message says which), <c>RegistryPolicyLockTimeout</c>, or the store's own error for a
    /// refused write (nothing written).
    /// </exception>
    public async Task<WriteOutcome> ApplyAsync(WritePlan plan, CancellationToken cancellationToken)
    {
        var store = plan.Store;
        StoredPolicy guard;
        PolicyDocument? replaced;
        var backups = new List<string>();
        using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            // The guard: the one read between the plan and the put. When it is the snapshot, what the plan worked out holds.
            guard = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
            var asPlanned = plan.IsSnapshot(guard);
            var holds = guard.Exists && (asPlanned ? plan.Status == WritePlanStatus.Unchanged : SamePolicy(guard.Text, plan.Text));
            CheckAccount(store, plan.Read, guard);
            if (plan.NamedAccount is { } named)
            {
                CheckAccount(store, named.Account, named.NamedBy, guard);
            }

            Check(store, plan.Read, guard, plan.Force, holds);
            if (holds)
            {
                _log($"{Capital(store.Description)} already holds this policy; nothing to write.");
                return new WriteOutcome(WriteStatus.Unchanged, guard, guard, null);
            }

            replaced = asPlanned ? plan.Before : WritePlan.TryParse(guard);
            if (guard.Exists)
            {
                backups.Add(Backup(store, guard.Text!));
            }

            await PutAsync(store, plan.Text, guard, backups, cancellationToken).ConfigureAwait(false);
        }

        var after = await ReadBackAsync(store, plan.Text, guard, guard, backups, cancellationToken).ConfigureAwait(false);
        var intent = WriteIntent.Between(replaced, plan.Desired);
        after = await ConfirmAsync(store, intent, plan.Text, after, guard, plan.Read, backups, cancellationToken).ConfigureAwait(false);
        _log($"Wrote {store.Description} and confirmed it ({plan.Text.Length} characters).");
        return new WriteOutcome(guard.Exists ? WriteStatus.Updated : WriteStatus.Created, guard, after, backups.Count == 0 ? null : backups[0]);
    }

    /// <summary>Deletes the policy after backing it up.</summary>
    /// <exception cref="PolicyException"><c>RegistryPolicyNotFound</c> when there is none, or the errors of <see cref="WriteAsync"/>.</exception>
    public async Task<WriteOutcome> DeleteAsync(IRegistryPolicyStore store, CancellationToken cancellationToken)
    {
        using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
        {
            var live = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!live.Exists)
            {
                throw new PolicyException(ErrorIds.RegistryPolicyNotFound, PolicyErrorKind.ObjectNotFound, $"{Capital(store.Description)} does not exist; there is nothing to remove.", store.Description);
            }

            store.CheckWritable();
            var backup = Backup(store, live.Text!);
            try
            {
                await store.DeleteAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Interrupted(ex, cancellationToken))
            {
                // As for a write: the outcome of a lost answer is read, and a delete is never sent twice blindly.
                var now = cancellationToken.IsCancellationRequested ? null : await TryReadAsync(store, cancellationToken).ConfigureAwait(false);
                if (now is { Exists: false })
                {
                    _log($"The answer to removing {store.Description} was lost, but it is gone.");
                }
                else
                {
                    throw new PolicyException(ErrorIds.RegistryPolicyWriteInterrupted, PolicyErrorKind.WriteError,
                        $"Removing {store.Description} was {Cause(ex, cancellationToken)}; " +
                        (now is null ? "it may or may not still exist. " : SamePolicy(now.Text, live.Text) ? "it still exists, but a delayed removal could still land. " : "it now holds a policy someone else wrote. ") +
                        $"The policy is saved in {backup}.", store.Description, ex, Remedy.ReadBeforeRetrying);
                }
            }

            return new WriteOutcome(WriteStatus.Deleted, live, new StoredPolicy(false, null, live.RegistryId, live.Region, live.Scope, live.Path), backup);
        }
    }

    // Sends a write once. A write whose answer was lost is not sent again blindly: the live policy says whether it
    // landed. Only a server error (an answer that says the write failed) with the previous policy still in place is
    // sent again.
    private async Task PutAsync(IRegistryPolicyStore store, string text, StoredPolicy before, List<string> backups, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.WriteAsync(text, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (Interrupted(ex, cancellationToken))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    throw Stopped(store, backups, "while the write was on its way, so it may or may not have landed", ex);
                }

                var now = await TryReadAsync(store, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw Stopped(store, backups, "after the answer to the write was lost, so it may or may not have landed", ex);
                }

                if (now is { Exists: true } && SamePolicy(now.Text, text))
                {
                    _log($"The answer to the write of {store.Description} was lost ({Describe(ex)}), but reading it shows the write landed; it is not sent again.");
                    return;
                }

                var unchanged = now is not null && now.Exists == before.Exists && (!before.Exists || SamePolicy(now.Text, before.Text));
                if (unchanged && ex is AwsServiceException { StatusCode: >= 500 } && attempt < 3)
                {
                    _log($"The write of {store.Description} failed on the server ({Describe(ex)}) and did not land; sending it again.");
                    continue;
                }

                throw new PolicyException(ErrorIds.RegistryPolicyWriteInterrupted, PolicyErrorKind.WriteError,
                    ($"The write to {store.Description} was interrupted ({Describe(ex)}). " +
                    (now is null ? "Its outcome could not be read: it may hold the old or the new policy. "
                        : unchanged ? "It still holds the previous policy, so the write has not landed; a delayed write could still land, so it was not sent again. "
                        : "It now holds neither the previous policy nor this one: another writer changed it meanwhile, and this write was not sent again. ") +
                    BackupSentence(backups, before)).TrimEnd(),
                    store.Description, ex, Remedy.ReadBeforeRetrying);
            }
            catch (PtcToolsException ex)
            {
                throw new PolicyException(ex.ErrorId, ex.Kind, ex.Message + $" Nothing was written to {store.Description}.", ex.Target, ex);
            }
        }
    }

    // The read-back of a write: after the store's settle (a writer elsewhere may still land), and, on a store whose reads
    // may lag behind its writes, again with a bounded backoff while it still shows the store as the guard saw it before
    // this call's first put (no policy, or the text the plan replaced): that is the read not having caught up, not a
    // mismatch. Past the bound it is RegistryPolicyVerifyFailed; the write is not sent again (it was accepted).
    // The rule compares with the guard, not with the state before a merge-again put: that state is another writer's
    // text, and a read that shows it again is that writer still at work, which the merge loop answers (its writes are
    // counted and bounded); a lagging read there costs one more put of the same merged text.
    private async Task<StoredPolicy> ReadBackAsync(IRegistryPolicyStore store, string text, StoredPolicy guard, StoredPolicy before, List<string> backups, CancellationToken cancellationToken)
    {
        await WaitAsync(store.Settle, store, backups, cancellationToken).ConfigureAwait(false);
        var retries = store.ReadBackRetries;
        for (var attempt = 0; ; attempt++)
        {
            var now = await ReadAfterWriteAsync(store, backups, cancellationToken).ConfigureAwait(false);
            var behind = retries.Count > 0 && !(now.Exists && string.Equals(now.Text, text, StringComparison.Ordinal)) &&
                now.Exists == guard.Exists && (!now.Exists || string.Equals(now.Text, guard.Text, StringComparison.Ordinal));
            if (!behind)
            {
                return now;
            }

            var shows = now.Exists ? "the policy it replaced" : "no policy";
            if (attempt >= retries.Count)
            {
                var waited = store.Settle + TimeSpan.FromTicks(retries.Sum(r => r.Ticks));
                throw new PolicyException(ErrorIds.RegistryPolicyVerifyFailed, PolicyErrorKind.WriteError,
                    $"The write to {store.Description} was accepted, but {attempt + 1} reads of it over {waited.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} seconds after it still show {shows}: " +
                    $"either the store has not applied it yet, or another writer put {(now.Exists ? "that policy" : "the deletion")} back. The write was not sent again. {BackupSentence(backups, before)}" +
                    "Read the policy again in a minute to see which one stands.",
                    store.Description);
            }

            _log($"Reading {store.Description} back right after the write shows {shows} (a read that has not caught up with the write yet); reading again in {retries[attempt].TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms ({attempt + 1} of {retries.Count}).");
            await WaitAsync(retries[attempt], store, backups, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WaitAsync(TimeSpan time, IRegistryPolicyStore store, List<string> backups, CancellationToken cancellationToken)
    {
        if (time <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Stopped(store, backups, "after the write landed, before it was read back and confirmed");
        }
    }

    private static async Task<StoredPolicy> ReadAfterWriteAsync(IRegistryPolicyStore store, List<string> backups, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw Stopped(store, backups, "after the write landed, before it was read back and confirmed");
        }
        catch (PtcToolsException ex)
        {
            throw new PolicyException(ErrorIds.RegistryPolicyVerifyFailed, PolicyErrorKind.WriteError,
                $"The write to {store.Description} landed, but it could not be read back to confirm it ({ex.Message}). {BackupSentence(backups, null)}", store.Description, ex);
        }
    }

    // The statements this write changed must stay as it left them, as the read-back (after the store's settle) shows.
    // A writer that landed after this one without them is answered by merging them again onto what is there.
    private async Task<StoredPolicy> ConfirmAsync(IRegistryPolicyStore store, WriteIntent intent, string written, StoredPolicy current, StoredPolicy guard, ReadState read, List<string> backups, CancellationToken cancellationToken)
    {
        var writes = 1;
        while (true)
        {
            var unmet = Unmet(store, intent, written, current, backups);
            if (unmet.Count == 0)
            {
                return current;
            }

            if (writes >= MaxWrites)
            {
                throw new PolicyException(ErrorIds.RegistryPolicyVerifyFailed, PolicyErrorKind.WriteError,
                    $"After writing {store.Description} {writes} times, other writers keep replacing it: {string.Join(", ", unmet)}. The write is not done; what stands is theirs. {BackupSentence(backups, null)}Try again when the other writer has finished.",
                    store.Description, remedy: Remedy.ReadBeforeRetrying);
            }

            _log($"Another writer replaced {store.Description} after this write: {string.Join(", ", unmet)}. Merging them again onto what is there now (write {writes + 1} of at most {MaxWrites}).");
            StoredPolicy live;
            string text;
            using (await store.LockAsync(cancellationToken).ConfigureAwait(false))
            {
                live = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
                CheckAccount(store, read, live);
                var merged = Merge(store, intent, live, unmet, backups);
                text = store.Format(merged);
                if (live.Exists && SamePolicy(live.Text, text))
                {
                    // Someone merged them in meanwhile: nothing to write.
                    current = live;
                    continue;
                }

                if (live.Exists)
                {
                    backups.Add(Backup(store, live.Text!));
                }

                await PutAsync(store, text, live, backups, cancellationToken).ConfigureAwait(false);
                writes++;
            }

            written = text;
            current = await ReadBackAsync(store, text, guard, live, backups, cancellationToken).ConfigureAwait(false);
        }
    }

    // The read-back is parsed only when it is not exactly the text this write sent (which meets the intent by construction).
    private static IReadOnlyList<string> Unmet(IRegistryPolicyStore store, WriteIntent intent, string written, StoredPolicy current, List<string> backups)
    {
        if (current.Exists && string.Equals(current.Text, written, StringComparison.Ordinal))
        {
            return Array.Empty<string>();
        }

        var document = WritePlan.TryParse(current);
        if (current.Exists && document is null)
        {
            throw new PolicyException(ErrorIds.RegistryPolicyVerifyFailed, PolicyErrorKind.WriteError,
                $"After the write, {store.Description} holds text that is not a policy PtcTools can read; another writer replaced it. {BackupSentence(backups, null)}", store.Description);
        }

        return intent.Unmet(document);
    }

    private static PolicyDocument Merge(IRegistryPolicyStore store, WriteIntent intent, StoredPolicy live, IReadOnlyList<string> unmet, List<string> backups)
    {
        var current = WritePlan.TryParse(live);
        if (live.Exists && current is null)
        {
            throw new PolicyException(ErrorIds.RegistryPolicyVerifyFailed, PolicyErrorKind.WriteError,
                $"Another writer replaced {store.Description} with text that is not a policy, taking away {string.Join(", ", unmet)}; they cannot be merged onto it. {BackupSentence(backups, null)}", store.Description);
        }

        var merged = intent.ApplyTo(current);
        if (merged.CompactLength > PolicyDocument.MaxRegistryPolicyLength)
        {
            throw new PolicyException(ErrorIds.RegistryPolicyVerifyFailed, PolicyErrorKind.WriteError,
                $"Another writer replaced {store.Description}, taking away {string.Join(", ", unmet)}; merged onto what it wrote, the policy would be {merged.CompactLength.ToString("N0", CultureInfo.InvariantCulture)} characters, over ECR's limit of 10,240, so it was not written again. {BackupSentence(backups, null)}", store.Description);
        }

        return merged;
    }

    // After a lost answer: where things stand, or null when that cannot be read either.
    private static async Task<StoredPolicy?> TryReadAsync(IRegistryPolicyStore store, CancellationToken cancellationToken)
    {
        try
        {
            return await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PtcToolsException or IOException or TimeoutException or System.Net.Http.HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static PolicyException Stopped(IRegistryPolicyStore store, List<string> backups, string when, Exception? inner = null) =>
        new(ErrorIds.RegistryPolicyWriteInterrupted, PolicyErrorKind.WriteError,
            $"The write to {store.Description} was stopped (Ctrl+C) {when}. {BackupSentence(backups, null)}".TrimEnd(),
            store.Description, inner ?? new OperationCanceledException(), Remedy.ReadBeforeRetrying);

    private static string BackupSentence(List<string> backups, StoredPolicy? before) =>
        backups.Count == 0 ? (before is { Exists: false } ? "It had no policy before. " : string.Empty)
        : backups.Count == 1 ? $"The previous policy is saved in {backups[0]}. "
        : $"The policies it replaced are saved in {string.Join(", ", backups)}. ";

    private string Backup(IRegistryPolicyStore store, string text)
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'.'fff'Z'", CultureInfo.InvariantCulture);
        var file = Path.Combine(_backupFolder, $"{Safe(store.BackupKey)}-{stamp}-{Guid.NewGuid().ToString("N").Substring(0, 6)}.json");
        try
        {
            FileRegistryPolicyStore.WriteAtomically(file, text);
        }
        catch (PolicyException ex)
        {
            throw new PolicyException(ErrorIds.RegistryPolicyBackupFailed, PolicyErrorKind.WriteError,
                $"The backup of {store.Description} could not be written to {file}, so nothing was changed: {ex.InnerException?.Message ?? ex.Message}", _backupFolder, ex, Remedy.GiveBackupFolder);
        }

        _log($"Backed up {store.Description} to {file}.");
        return file;
    }

    private static bool Interrupted(Exception ex, CancellationToken cancellationToken) =>
        (ex is OperationCanceledException && cancellationToken.IsCancellationRequested) ||
        ex is TimeoutException or IOException or System.Net.Http.HttpRequestException ||
        ex is AwsServiceException { Indeterminate: true };

    private static string Cause(Exception ex, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? "stopped (Ctrl+C)" : $"interrupted ({Describe(ex)})";

    private static string Describe(Exception ex) => ServerText.Clean(ex.Message, 300).TrimEnd('.');

    private static string Safe(string key)
    {
        var chars = key.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '-' && chars[i] != '_')
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }

    private static string Capital(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);
}
