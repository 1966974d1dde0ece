using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Stores;

/// <summary>A registry policy kept in a local JSON file, written atomically (temp file in the same folder, flush, rename).</summary>
public sealed class FileRegistryPolicyStore : IRegistryPolicyStore
{
    private static readonly Encoding s_utf8 = new UTF8Encoding(false);

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

        try
        {
            return Task.FromResult(new StoredPolicy(true, File.ReadAllText(Path, s_utf8), path: Path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException("PolicyFileReadFailed", PolicyErrorKind.InvalidOperation, $"The policy file {Path} could not be read: {ex.Message}", Path, ex);
        }
    }

    /// <inheritdoc />
    public Task WriteAsync(string text, CancellationToken cancellationToken)
    {
        WriteAtomically(Path, text, WrapStream, BeforeRename);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            return Task.FromResult(false);
        }

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

        var bad = path.IndexOfAny(new[] { '"', '<', '>', '|' });
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
        new("PolicyPathInvalid", PolicyErrorKind.InvalidArgument, $"The policy file path '{Printable(path)}' cannot be used: {problem}. Give a path the file system accepts.", path, inner);

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
    public static void WriteAtomically(string path, string text, Func<Stream, Stream>? wrap = null, Action<string>? beforeRename = null)
    {
        var folder = System.IO.Path.GetDirectoryName(path) ?? ".";
        var temp = System.IO.Path.Combine(folder, "." + System.IO.Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp");
        try
        {
            Directory.CreateDirectory(folder);
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var stream = wrap is null ? file : wrap(file);
                var bytes = s_utf8.GetBytes(text);
                stream.Write(bytes, 0, bytes.Length);
                stream.Flush();
                file.Flush(flushToDisk: true);
            }

            beforeRename?.Invoke(temp);
            if (File.Exists(path))
            {
                File.Replace(temp, path, null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(temp, path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            TryDelete(temp);
            throw new PolicyException("PolicyFileWriteFailed", PolicyErrorKind.WriteError, $"The file {path} could not be written ({ex.Message}); it was left as it was.", path, ex);
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
}
