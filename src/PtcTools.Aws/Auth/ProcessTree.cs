using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PtcTools.Aws.Auth;

/// <summary>Stops a process and the processes it started.</summary>
internal static class ProcessTree
{
    // Process.Kill(bool entireProcessTree) exists from .NET Core 3.0; the module also runs where it does not (.NET Framework).
    private static readonly MethodInfo? s_killTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

    /// <summary>Kills the process with its descendants where the runtime can (taskkill /T on .NET Framework), else the process alone.</summary>
    public static void Kill(Process process)
    {
        try
        {
            if (process.HasExited)
            {
                return;
            }

            if (s_killTree is not null)
            {
                s_killTree.Invoke(process, new object[] { true });
                return;
            }

            if (Directory.Exists("/proc/self"))
            {
                // Linux without Kill(true) (Mono): the descendants by their parent ids, found before the root goes.
                var tree = Descendants(process.Id);
                process.Kill();
                foreach (var pid in tree)
                {
                    TryKill(pid);
                }

                return;
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                using var taskkill = Process.Start(new ProcessStartInfo("taskkill", $"/T /F /PID {process.Id}") { UseShellExecute = false, CreateNoWindow = true });
                if (taskkill?.WaitForExit(5000) == true && process.WaitForExit(1000))
                {
                    return;
                }
            }

            process.Kill();
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or TargetInvocationException or NotSupportedException)
        {
            // It exited meanwhile, or it cannot be killed; either way nothing more is waited for.
        }
    }

    // Every process whose chain of parents (field 4 of /proc/PID/stat) leads to the root.
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var folder in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(folder, "stat"));
                var fields = stat.Substring(stat.LastIndexOf(')') + 2).Split(' ');
                if (fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var parent))
                {
                    parents[pid] = parent;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
            {
                // It exited while the table was read.
            }
        }

        var found = new List<int>();
        var queue = new Queue<int>(new[] { root });
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var pair in parents)
            {
                if (pair.Value == current && !found.Contains(pair.Key))
                {
                    found.Add(pair.Key);
                    queue.Enqueue(pair.Key);
                }
            }
        }

        return found;
    }

    private static void TryKill(int pid)
    {
        try
        {
            using var child = Process.GetProcessById(pid);
            child.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Gone already.
        }
    }
}
