using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Stores;

/// <summary>
/// An exclusive lock between PtcTools processes of one user on one machine, held across the read, check and write of a policy.
/// </summary>
/// <remarks>
/// It is a lock file opened without sharing: .NET maps that to an exclusive <c>flock</c> on Unix and to a share mode on
/// Windows, which the system drops when the process dies, so a killed writer never leaves the lock taken. The files
/// live in the user's local application data (not beside the policy file, where a GitOps repository would see them),
/// are empty, and are never deleted: deleting a lock file while another process waits on it would let two hold it.
/// </remarks>
public static class PolicyLock
{
    /// <summary>How long a writer waits for another PtcTools write of the same policy to finish.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The folder of the lock files: <c>PtcTools/locks</c> under the user's local application data, or the temp folder when there is none.</summary>
    public static string DefaultFolder
    {
        get
        {
            var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            return string.IsNullOrEmpty(root)
                ? Path.Combine(Path.GetTempPath(), "ptctools-" + Environment.UserName, "locks")
                : Path.Combine(root, "PtcTools", "locks");
        }
    }

    /// <summary>Takes the lock named by <paramref name="key"/>; dispose the result to release it.</summary>
    /// <exception cref="PolicyException"><c>RegistryPolicyLockTimeout</c> when another writer holds it past the timeout, <c>RegistryPolicyLockFailed</c> when the lock file cannot be made.</exception>
    public static async Task<IDisposable> AcquireAsync(string key, string description, CancellationToken cancellationToken, string? folder = null, TimeSpan? timeout = null, Action<string>? log = null)
    {
        folder ??= DefaultFolder;
        var file = Path.Combine(folder, FileName(key));
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var random = new Random(Guid.NewGuid().GetHashCode());
        var waited = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Directory.CreateDirectory(folder);
                var stream = new FileStream(file, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                if (waited)
                {
                    log?.Invoke($"Took the write lock of {description} after another PtcTools write finished.");
                }

                return stream;
            }
            catch (IOException ex) when (IsSharingViolation(ex))
            {
                // Held by another process; wait for it.
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException or NotSupportedException)
            {
                throw new PolicyException(ErrorIds.RegistryPolicyLockFailed, PolicyErrorKind.WriteError,
                    $"The write lock of {description} could not be made in {folder} ({ex.Message}), so nothing was written. Make the folder writable.", description, ex);
            }

            if (!waited)
            {
                log?.Invoke($"Another PtcTools write of {description} is running; waiting for it to finish.");
                waited = true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new PolicyException(ErrorIds.RegistryPolicyLockTimeout, PolicyErrorKind.OperationTimeout,
                    $"Another PtcTools write of {description} held its write lock for more than {(timeout ?? DefaultTimeout).TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s, so nothing was written. Try again when it has finished.", description);
            }

            int delay;
            lock (random)
            {
                delay = random.Next(10, 40);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    // ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows; EWOULDBLOCK from flock on Linux (11) and macOS (35).
    private static bool IsSharingViolation(IOException ex) =>
        ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException) &&
        ((ex.HResult & 0xFFFF) is 32 or 33 || ex.HResult is 11 or 35);

    // A readable tail of the key and a hash of all of it: unique, short, and a valid file name everywhere.
    private static string FileName(string key)
    {
        ulong hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            hash = unchecked((hash ^ b) * 1099511628211UL);
        }

        var tail = new StringBuilder();
        for (var i = Math.Max(0, key.Length - 40); i < key.Length; i++)
        {
            var c = key[i];
            tail.Append(c < 128 && (char.IsLetterOrDigit(c) || c is '-' or '_' or '.') ? c : '_');
        }

        return tail.ToString().Trim('.') + "-" + hash.ToString("x16", CultureInfo.InvariantCulture) + ".lock";
    }
}
