using System;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using PtcTools.Policy;

namespace PtcTools.Aws.Stores;

/// <summary>The file-system side of a policy file: exact reading, links, read-only files, modes and leftovers of killed writes.</summary>
/// <remarks>
/// The module targets netstandard2.0; symbolic links and Unix modes have APIs only from .NET 6 and 7, which PowerShell 7
/// runs on. They are found by reflection; where they are missing (.NET Framework) the Windows attributes are used.
/// </remarks>
public static class PolicyFileSystem
{
    /// <summary>The largest policy file read: far beyond any indented policy of ECR's 10,240 characters.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly PropertyInfo? s_linkTarget = typeof(FileSystemInfo).GetProperty("LinkTarget");
    private static readonly MethodInfo? s_resolveLinkTarget = typeof(FileSystemInfo).GetMethod("ResolveLinkTarget", new[] { typeof(bool) });
    private static readonly MethodInfo? s_getUnixFileMode = typeof(File).GetMethod("GetUnixFileMode", new[] { typeof(string) });
    private static readonly MethodInfo? s_setUnixFileMode = s_getUnixFileMode is null ? null : typeof(File).GetMethod("SetUnixFileMode", new[] { typeof(string), s_getUnixFileMode.ReturnType });

    /// <summary>Reads a policy file's text exactly: UTF-8 (a BOM is skipped) or UTF-16 with a BOM; bytes that do not decode are an error, never replacement characters.</summary>
    /// <exception cref="PolicyException"><c>PolicyFileEncodingInvalid</c>, <c>PolicyFileTooLarge</c> or <c>PolicyFileUnreadable</c>.</exception>
    public static string ReadText(string path)
    {
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > MaxBytes)
            {
                throw new PolicyException(ErrorIds.PolicyFileTooLarge, PolicyErrorKind.LimitsExceeded,
                    $"The policy file {path} is {length.ToString("N0", CultureInfo.InvariantCulture)} bytes; a registry policy is at most 10,240 characters, so PtcTools reads files of at most {MaxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes.", path);
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new PolicyException(ErrorIds.PolicyFileUnreadable, PolicyErrorKind.ReadError, $"The policy file {path} could not be read: {ex.Message}", path, ex);
        }

        Encoding encoding = s_strictUtf8;
        var skip = 0;
        if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
        {
            skip = 3;
        }
        else if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
        {
            encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
            skip = 2;
        }
        else if (bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
        {
            encoding = new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
            skip = 2;
        }

        try
        {
            return encoding.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException ex)
        {
            var offset = skip + Math.Max(0, ex.Index);
            throw new PolicyException(ErrorIds.PolicyFileEncodingInvalid, PolicyErrorKind.InvalidData,
                $"The policy file {path} is not valid {(encoding is UnicodeEncoding ? "UTF-16" : "UTF-8")} (at byte {offset.ToString(CultureInfo.InvariantCulture)}), so its text cannot be kept exactly: " +
                "written back, the bytes would become replacement characters (U+FFFD) in the file and its backup. Nothing was read or written. Fix the file's encoding (save it as UTF-8) and try again.",
                path, ex);
        }
    }

    /// <summary>The UTF-8 bytes of a text, refusing a lone UTF-16 surrogate (which UTF-8 cannot hold) instead of replacing it.</summary>
    /// <exception cref="PolicyException"><c>PolicyTextInvalidUnicode</c>.</exception>
    public static byte[] Utf8Bytes(string text, string where)
    {
        try
        {
            return s_strictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException ex)
        {
            throw new PolicyException(ErrorIds.PolicyTextInvalidUnicode, PolicyErrorKind.InvalidData,
                $"The text for {where} holds a lone UTF-16 surrogate (at character {ex.Index.ToString(CultureInfo.InvariantCulture)}), which UTF-8 cannot hold; nothing was written.", where, ex);
        }
    }

    /// <summary>The file a path names at the end of its symbolic links (the path itself when it is no link).</summary>
    /// <exception cref="PolicyException"><c>PolicyFileLinkUnsupported</c> for a link on a runtime that cannot resolve links.</exception>
    public static string ResolveLinks(string path)
    {
        var info = new FileInfo(path);
        if (s_linkTarget is not null && s_resolveLinkTarget is not null)
        {
            if (s_linkTarget.GetValue(info) is null)
            {
                return path;
            }

            try
            {
                return (s_resolveLinkTarget.Invoke(info, new object[] { true }) as FileSystemInfo)?.FullName ?? path;
            }
            catch (TargetInvocationException ex) when (ex.InnerException is IOException or UnauthorizedAccessException)
            {
                throw new PolicyException(ErrorIds.PolicyFileUnreadable, PolicyErrorKind.ReadError, $"The link {path} could not be followed: {ex.InnerException.Message}", path, ex.InnerException);
            }
        }

        if (info.Exists && (info.Attributes & FileAttributes.ReparsePoint) != 0)
        {
            throw new PolicyException(ErrorIds.PolicyFileLinkUnsupported, PolicyErrorKind.InvalidOperation,
                $"The policy file {path} is a link, and this runtime cannot tell where it points, so it would be replaced by a plain file. Nothing was written. Name the file it points to, or use PowerShell 7.", path);
        }

        return path;
    }

    /// <summary>True when the file exists and is read-only: no write permission for anyone (chmod a-w, the read-only attribute), or none for this user.</summary>
    /// <remarks>Marked read-only counts even for an administrator (root), who could write it: the mark says "do not change".</remarks>
    public static bool IsReadOnly(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if ((File.GetAttributes(path) & FileAttributes.ReadOnly) != 0 || CaptureMode(path) is { } mode && mode is not FileAttributes && (Convert.ToInt32(mode, CultureInfo.InvariantCulture) & 0x92) == 0)
        {
            return true;
        }

        try
        {
            // Opening for write changes nothing and asks the system itself (attributes, mode bits, ACLs).
            using (new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                return false;
            }
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        catch (IOException)
        {
            return (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0;
        }
    }

    /// <summary>What to give the new file of an atomic replace so it keeps the old one's access: its Unix mode, or its read-only attribute.</summary>
    public static object? CaptureMode(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        if (s_getUnixFileMode is not null && Environment.OSVersion.Platform != PlatformID.Win32NT)
        {
            try
            {
                return s_getUnixFileMode.Invoke(null, new object[] { path });
            }
            catch (TargetInvocationException)
            {
                // Fall back to the attribute.
            }
        }

        return File.GetAttributes(path) & FileAttributes.ReadOnly;
    }

    /// <summary>Gives a file the access captured from another (see <see cref="CaptureMode"/>).</summary>
    public static void ApplyMode(string path, object? mode)
    {
        switch (mode)
        {
            case null:
                return;
            case FileAttributes attributes:
                if ((attributes & FileAttributes.ReadOnly) != 0)
                {
                    File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
                }

                return;
            default:
                try
                {
                    s_setUnixFileMode?.Invoke(null, new[] { path, mode });
                }
                catch (TargetInvocationException ex) when (ex.InnerException is IOException or UnauthorizedAccessException)
                {
                    throw ex.InnerException;
                }

                return;
        }
    }

    /// <summary>The name pattern of the temp files <see cref="FileRegistryPolicyStore.WriteAtomically"/> makes for a file.</summary>
    public static string TempName(string fileName) => "." + fileName + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";

    /// <summary>Deletes the temp files that killed writes of this file left behind; call it only while holding the file's write lock.</summary>
    /// <returns>How many were removed.</returns>
    public static int RemoveLeftovers(string path, Action<string>? log = null)
    {
        var folder = Path.GetDirectoryName(path);
        if (folder is null || !Directory.Exists(folder))
        {
            return 0;
        }

        var removed = 0;
        var name = Path.GetFileName(path);
        foreach (var temp in Directory.GetFiles(folder, "." + name + ".????????.tmp"))
        {
            try
            {
                File.Delete(temp);
                removed++;
                log?.Invoke($"Removed {temp}, left by a write of {path} that was killed.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another process may still hold it; the next write tries again.
            }
        }

        return removed;
    }
}
