using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy;

namespace PtcTools.Aws.Stores;

/// <summary>A registry policy kept in a local JSON file, written atomically (temp file in the same folder, flush, rename).</summary>
public sealed class FileRegistryPolicyStore : IRegistryPolicyStore
{
    private static readonly Encoding s_utf8 = new UTF8Encoding(false);

    /// <summary>Creates the store for a full path.</summary>
    public FileRegistryPolicyStore(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
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
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NotSupportedException)
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
