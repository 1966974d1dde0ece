using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Stores;

/// <summary>A registry policy kept in a local JSON file, written atomically (temp file in the same folder, flush, rename).</summary>
/// <remarks>A symbolic link is written through (its target is replaced, the link stays); a read-only file is refused unless <see cref="AllowReadOnly"/>, and keeps its mode.</remarks>
public sealed class FileRegistryPolicyStore : IRegistryPolicyStore
{
    private static readonly char[] s_notInPaths = { '"', '<', '>', '|' };
    private bool _locked;

    // Windows PowerShell 5.1 runs on the .NET Framework, whose path rules are stricter than .NET's (see FullPath).
    private static readonly bool s_frameworkPathRules =
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates the store for a full path.</summary>
    /// <exception cref="PolicyException"><c>PolicyPathInvalid</c> for a path the runtime cannot use.</exception>
    public FileRegistryPolicyStore(string path)
    {
        Path = FullPath(path);
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Write a file that is read-only (-Force); it stays read-only.</summary>
    public bool AllowReadOnly { get; set; }

    /// <summary>Where notes go (leftover temp files removed).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>The folder of the write lock (tests use their own).</summary>
    public string? LockFolder { get; set; }

    /// <inheritdoc />
    public TimeSpan Settle => TimeSpan.Zero;

    /// <inheritdoc />
    /// <remarks>A file read follows the write before it.</remarks>
    public IReadOnlyList<TimeSpan> ReadBackRetries => Array.Empty<TimeSpan>();

    /// <summary>A hook between writing the temp file and renaming it (tests use it to interrupt a write).</summary>
    internal Action<string>? BeforeRename { get; set; }

    /// <summary>A wrapper over the temp file stream (tests use it to fail a write midway).</summary>
    internal Func<Stream, Stream>? WrapStream { get; set; }

    /// <inheritdoc />
    public string Description => $"the policy file {Path}";

    /// <inheritdoc />
    public string BackupKey => "file-" + System.IO.Path.GetFileNameWithoutExtension(Path);

    /// <inheritdoc />
    public bool IsOrigin(string? region, string? path) =>
        path is not null && string.Equals(System.IO.Path.GetFullPath(path), Path, Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <inheritdoc />
    public Task<StoredPolicy> ReadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return Task.FromResult(new StoredPolicy(false, null, path: Path));
        }

        return Task.FromResult(new StoredPolicy(true, PolicyFileSystem.ReadText(Path), path: Path));
    }

    /// <inheritdoc />
    public async Task<IDisposable> LockAsync(CancellationToken cancellationToken)
    {
        var target = PolicyFileSystem.ResolveLinks(Path);
        var key = "file-" + (Environment.OSVersion.Platform == PlatformID.Win32NT ? target.ToUpperInvariant() : target);
        var held = await PolicyLock.AcquireAsync(key, Description, cancellationToken, LockFolder, log: Log).ConfigureAwait(false);
        _locked = true;
        return new Release(held, () => _locked = false);
    }

    /// <inheritdoc />
    public string Format(PolicyDocument document) => document.ToIndentedJson() + "\n";

    /// <inheritdoc />
    /// <exception cref="PolicyException"><c>PolicyFileReadOnly</c> for a read-only file unless <see cref="AllowReadOnly"/>; <c>PolicyFileLinkUnsupported</c>.</exception>
    public void CheckWritable()
    {
        var target = PolicyFileSystem.ResolveLinks(Path);
        if (!AllowReadOnly && PolicyFileSystem.IsReadOnly(target))
        {
            throw new PolicyException(ErrorIds.PolicyFileReadOnly, PolicyErrorKind.PermissionDenied,
                $"The policy file {Path}{(target == Path ? string.Empty : $" (a link to {target})")} is read-only, so nothing was written. Make it writable, or write it anyway on purpose (it stays read-only).", Path, remedy: Remedy.WriteReadOnlyFile);
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        CheckWritable();
        var target = PolicyFileSystem.ResolveLinks(Path);

        // Only a lock holder knows that no other write of this file is under way, so only it may take the leftovers.
        if (_locked)
        {
            PolicyFileSystem.RemoveLeftovers(target, Log);
        }

        WriteAtomically(target, text, WrapStream, BeforeRename);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return Task.FromResult(false);
        }

        CheckWritable();
        File.Delete(Path);
        return Task.FromResult(true);
    }

    /// <summary>The full form of a path, or <c>PolicyPathInvalid</c> naming what the runtime refuses in it.</summary>
    /// <param name="path">The path as given.</param>
    /// <param name="frameworkRules">Apply the .NET Framework's rules on Windows (null: when running there).</param>
    /// <remarks>
    /// The .NET Framework refuses, with raw ArgumentException, NotSupportedException or PathTooLongException:
    /// the characters of Path.GetInvalidPathChars (<c>"&lt;&gt;|</c> and control characters), a ':' anywhere but
    /// after a drive letter, and a path of MAX_PATH (260) characters or more. They are checked before anything is
    /// touched, so the error says which rule the path breaks; whatever else the runtime refuses is named too.
    /// </remarks>
    public static string FullPath(string path, bool? frameworkRules = null)
    {
        var windows = frameworkRules ?? s_frameworkPathRules;
        if (PathProblem(path, windows) is { } problem)
        {
            throw InvalidPath(path, problem, null);
        }

        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw InvalidPath(path, ex.Message.TrimEnd('.'), ex);
        }

        if (windows && full.Length >= MaxPath)
        {
            throw InvalidPath(path, $"its full form {full} has {full.Length} characters, and Windows PowerShell 5.1 (.NET Framework) accepts at most {MaxPath - 1}", null);
        }

        return full;
    }

    private const int MaxPath = 260;

    // What the path breaks, or null: U+0000 everywhere, the rest only where the .NET Framework's rules apply.
    private static string? PathProblem(string path, bool frameworkRules)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "it is empty";
        }

        // No file system takes U+0000; Windows takes no control character at all.
        foreach (var c in path)
        {
            if (c == '\0' || (frameworkRules && c < ' '))
            {
                return $"it holds the control character U+{(int)c:X4}";
            }
        }

        if (!frameworkRules)
        {
            return null;
        }

        var bad = path.IndexOfAny(s_notInPaths);
        if (bad >= 0)
        {
            return $"it holds '{path[bad]}', which Windows does not allow in a path (nor '\"', '<', '>' or '|')";
        }

        // "\\?\C:\..." and "\\.\C:\..." keep their drive colon after the prefix.
        var body = path.StartsWith(@"\\?\", StringComparison.Ordinal) || path.StartsWith(@"\\.\", StringComparison.Ordinal) ? path.Substring(4) : path;
        var colon = body.IndexOf(':');
        var driveColon = colon == 1 && char.IsLetter(body[0]);
        var second = driveColon ? body.IndexOf(':', 2) : colon;
        if (second >= 0)
        {
            return "it holds a ':' that is not a drive's (the .NET Framework refuses alternate data streams and other uses of ':')";
        }

        if (path.Length >= MaxPath)
        {
            return $"it has {path.Length} characters, and Windows PowerShell 5.1 (.NET Framework) accepts at most {MaxPath - 1}";
        }

        return null;
    }

    private static PolicyException InvalidPath(string path, string problem, Exception? inner) =>
        new(ErrorIds.PolicyPathInvalid, PolicyErrorKind.InvalidArgument, $"The policy file path '{Printable(path)}' cannot be used: {problem}. Give a path the file system accepts.", path, inner);

    private static string Printable(string path)
    {
        var builder = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            builder.Append(c < ' ' ? $"\\u{(int)c:X4}" : c.ToString());
        }

        return builder.Length > 300 ? builder.ToString(0, 300) + "..." : builder.ToString();
    }

    /// <summary>Writes text to a file so that a reader sees the old content or the new, never a part: temp file, flush to disk, rename over.</summary>
    /// <exception cref="PolicyException"><c>PolicyFileWriteFailed</c>; the old file is then untouched and the temp file removed.</exception>
    /// <remarks>The new file gets the old one's mode (Unix) or read-only attribute (Windows). A text UTF-8 cannot hold (a lone surrogate) is refused before any file is made.</remarks>
    public static void WriteAtomically(string path, string text, Func<Stream, Stream>? wrap = null, Action<string>? beforeRename = null)
    {
        var bytes = PolicyFileSystem.Utf8Bytes(text, path);
        var folder = System.IO.Path.GetDirectoryName(path) ?? ".";
        var temp = System.IO.Path.Combine(folder, PolicyFileSystem.TempName(System.IO.Path.GetFileName(path)));
        try
        {
            Directory.CreateDirectory(folder);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var stream = wrap is null ? file : wrap(file);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }

            var mode = PolicyFileSystem.CaptureMode(path);
            if (mode is not FileAttributes)
            {
                PolicyFileSystem.ApplyMode(temp, mode);
            }

            beforeRename?.Invoke(temp);
            if (File.Exists(path))
            {
                // Windows refuses to replace a read-only file: lift the attribute for the swap, and give it back after.
                var readOnly = mode is FileAttributes attributes && (attributes & FileAttributes.ReadOnly) != 0;
                if (readOnly)
                {
                    File.SetAttributes(path, File.GetAttributes(path) & ~FileAttributes.ReadOnly);
                }

                try
                {
                    File.Replace(temp, path, null, ignoreMetadataErrors: true);
                }
                finally
                {
                    if (readOnly)
                    {
                        PolicyFileSystem.ApplyMode(path, mode);
                    }
                }
            }
            else
            {
                File.Move(temp, path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            TryDelete(temp);
            throw new PolicyException(ErrorIds.PolicyFileWriteFailed, PolicyErrorKind.WriteError, $"The file {path} could not be written ({ex.Message}); it was left as it was.", path, ex);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stray temp file is harmless and named so it is recognisable.
        }
    }

    private sealed class Release : IDisposable
    {
        private readonly IDisposable _held;
        private readonly Action _released;

        public Release(IDisposable held, Action released)
        {
            _held = held;
            _released = released;
        }

        public void Dispose()
        {
            _released();
            _held.Dispose();
        }
    }
}
