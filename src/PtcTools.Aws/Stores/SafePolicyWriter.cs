using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Stores;

/// <summary>What the caller knows about the policy it wants to write: where and what it read.</summary>
public sealed class ReadState
{
    /// <summary>Creates the state.</summary>
    public ReadState(bool exists, string? sourceText, string? region, string? path, string? registryId = null)
    {
        Exists = exists;
        SourceText = sourceText;
        Region = region;
        Path = path;
        RegistryId = registryId;
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

/// <summary>The write that loses nothing: check the live policy, skip no-ops, back up, write, read back, verify.</summary>
public sealed class SafePolicyWriter
{
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

    /// <summary>Checks what <see cref="WriteAsync"/> would do, without writing: throws what it would throw before writing, else returns the live policy.</summary>
    public async Task<StoredPolicy> PrepareAsync(IRegistryPolicyStore store, PolicyDocument desired, ReadState read, bool force, CancellationToken cancellationToken)
    {
        var live = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        CheckAccount(store, read, live);
        if (force)
        {
            return live;
        }

        if (!live.Exists)
        {
            // A deletion is a change too: writing back what was read before it would undo it unseen.
            if (read.Exists && read.SourceText is not null && store.IsOrigin(read.Region, read.Path))
            {
                throw new PolicyException("RegistryPolicyChangedSinceRead", PolicyErrorKind.InvalidOperation,
                    $"{Capital(store.Description)} was deleted since it was read (by another writer: someone else, a pipeline, or another command of yours). Nothing was written. Read it again with Get-PtcRegistryPolicy to start from what is there now, or use -Force to write the policy anyway.",
                    store.Description);
            }

            return live;
        }

        if (SamePolicy(live.Text, desired.ToCompactJson()))
        {
            return live;
        }

        if (store.IsOrigin(read.Region, read.Path) && (read.SourceText is not null || !read.Exists))
        {
            if (!read.Exists || !SamePolicy(live.Text, read.SourceText))
            {
                throw new PolicyException("RegistryPolicyChangedSinceRead", PolicyErrorKind.InvalidOperation,
                    $"{Capital(store.Description)} changed since it was read (by another writer: someone else, a pipeline, or another command of yours). Nothing was written. Read it again with Get-PtcRegistryPolicy, apply your change, and run Set-PtcRegistryPolicy again, or use -Force to overwrite the other change.",
                    store.Description);
            }

            return live;
        }

        throw new PolicyException("RegistryPolicyChangedSinceRead", PolicyErrorKind.InvalidOperation,
            $"{Capital(store.Description)} already holds a different policy, and the policy given was not read from it, so writing would replace statements you have not seen. Nothing was written. Read it with Get-PtcRegistryPolicy and merge with Add-PtcRegistryStatement, or use -Force to replace it whole.",
            store.Description);
    }

    /// <summary>Refuses to write a policy that belongs to one account into another: the account it was read from must be the account the store is in.</summary>
    /// <remarks>Not overridden by force: credentials that point at the wrong account are a mistake to fix, not a conflict to resolve.</remarks>
    /// <exception cref="PolicyException"><c>RegistryPolicyAccountMismatch</c>, or <c>RegistryPolicyAccountUnknown</c> when the store's account could not be read.</exception>
    public static void CheckAccount(IRegistryPolicyStore store, ReadState read, StoredPolicy live) => CheckAccount(store, read.RegistryId, null, live);

    /// <summary>Refuses to write to a store in another account than <paramref name="account"/>, which a parameter such as <c>-RegistryId</c> names (or, when <paramref name="parameter"/> is null, the policy was read from).</summary>
    /// <exception cref="PolicyException"><c>RegistryPolicyAccountMismatch</c> or <c>RegistryPolicyAccountUnknown</c>.</exception>
    public static void CheckAccount(IRegistryPolicyStore store, string? account, string? parameter, StoredPolicy live)
    {
        // A file belongs to no account, and a policy that names none (JSON text) has nothing to compare.
        if (account is null || store is FileRegistryPolicyStore)
        {
            return;
        }

        var named = parameter is null ? $"The policy was read from account {account}" : $"{parameter} names account {account}";
        if (live.RegistryId is null)
        {
            throw new PolicyException("RegistryPolicyAccountUnknown", PolicyErrorKind.InvalidOperation,
                $"{named}, but the account of {store.Description} could not be read (ECR DescribeRegistry failed; the credentials need ecr:DescribeRegistry), " +
                "so it cannot be confirmed that this writes to that account. Nothing was written. Allow ecr:DescribeRegistry" +
                (parameter is null ? ", or pipe the policy's PolicyText instead of the policy to write it without the account check." : $", or leave out {parameter}."),
                store.Description);
        }

        if (!string.Equals(account, live.RegistryId, StringComparison.Ordinal))
        {
            throw new PolicyException("RegistryPolicyAccountMismatch", PolicyErrorKind.InvalidOperation,
                $"{named}, but the credentials in use write to {store.Description} of account {live.RegistryId}. Nothing was written. " +
                "Check -ProfileName, -Credential or the session credentials." +
                (parameter is null
                    ? $" To copy the policy to account {live.RegistryId} on purpose, pipe its PolicyText instead of the policy, after changing the account {account} in its Resource ARNs (Test-PtcRegistryPolicy -RegistryId {live.RegistryId} finds them)."
                    : string.Empty),
                store.Description);
        }
    }

    /// <summary>Writes the policy safely.</summary>
    /// <exception cref="PolicyException">
    /// <c>RegistryPolicyChangedSinceRead</c> or <c>RegistryPolicyAccountMismatch</c> (nothing written), <c>RegistryPolicyBackupFailed</c> (nothing written),
    /// <c>RegistryPolicyWriteInterrupted</c> (outcome unknown; the backup is kept), <c>RegistryPolicyVerifyFailed</c> (read back differs),
    /// or the store's own error for a refused write (nothing written).
    /// </exception>
    public async Task<WriteOutcome> WriteAsync(IRegistryPolicyStore store, PolicyDocument desired, string text, ReadState read, bool force, CancellationToken cancellationToken)
    {
        var live = await PrepareAsync(store, desired, read, force, cancellationToken).ConfigureAwait(false);
        if (live.Exists && SamePolicy(live.Text, text))
        {
            _log($"{Capital(store.Description)} already holds this policy; nothing to write.");
            return new WriteOutcome(WriteStatus.Unchanged, live, live, null);
        }

        var backup = live.Exists ? Backup(store, live.Text!) : null;
        try
        {
            await store.WriteAsync(text, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Interrupted(ex))
        {
            throw new PolicyException("RegistryPolicyWriteInterrupted", PolicyErrorKind.WriteError,
                $"The write to {store.Description} was interrupted ({ex.Message}); it may hold the old or the new policy. " +
                (backup is null ? "It had no policy before. " : $"The previous policy is saved in {backup}. ") +
                "Read it with Get-PtcRegistryPolicy before trying again.", store.Description, ex);
        }
        catch (PolicyException ex)
        {
            throw new PolicyException(ex.ErrorId, ex.Kind, ex.Message + $" Nothing was written to {store.Description}.", ex.Target, ex);
        }

        var after = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!after.Exists || !SamePolicy(after.Text, text))
        {
            throw new PolicyException("RegistryPolicyVerifyFailed", PolicyErrorKind.WriteError,
                $"After writing, {store.Description} reads back {(after.Exists ? "a different policy" : "no policy")}; another writer may have raced this one. " +
                (backup is null ? string.Empty : $"The previous policy is saved in {backup}."), store.Description);
        }

        _log($"Wrote {store.Description} and read it back ({text.Length} characters).");
        return new WriteOutcome(live.Exists ? WriteStatus.Updated : WriteStatus.Created, live, after, backup);
    }

    /// <summary>Deletes the policy after backing it up.</summary>
    /// <exception cref="PolicyException"><c>RegistryPolicyNotFound</c> when there is none, or the errors of <see cref="WriteAsync"/>.</exception>
    public async Task<WriteOutcome> DeleteAsync(IRegistryPolicyStore store, CancellationToken cancellationToken)
    {
        var live = await store.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!live.Exists)
        {
            throw new PolicyException("RegistryPolicyNotFound", PolicyErrorKind.ObjectNotFound, $"{Capital(store.Description)} does not exist; there is nothing to remove.", store.Description);
        }

        var backup = Backup(store, live.Text!);
        try
        {
            await store.DeleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Interrupted(ex))
        {
            throw new PolicyException("RegistryPolicyWriteInterrupted", PolicyErrorKind.WriteError,
                $"Removing {store.Description} was interrupted ({ex.Message}); it may or may not still exist. The policy is saved in {backup}.", store.Description, ex);
        }

        return new WriteOutcome(WriteStatus.Deleted, live, new StoredPolicy(false, null, live.RegistryId, live.Region, live.Scope, live.Path), backup);
    }

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
            throw new PolicyException("RegistryPolicyBackupFailed", PolicyErrorKind.WriteError,
                $"The backup of {store.Description} could not be written to {file}, so nothing was changed: {ex.InnerException?.Message ?? ex.Message} Pass -BackupPath with a writable folder.", _backupFolder, ex);
        }

        _log($"Backed up {store.Description} to {file}.");
        return file;
    }

    private static bool Interrupted(Exception ex) =>
        ex is OperationCanceledException or TimeoutException or IOException or System.Net.Http.HttpRequestException ||
        ex is EcrException { Indeterminate: true };

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
