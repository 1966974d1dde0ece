using System;
using System.ComponentModel;
using System.Diagnostics;
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
}
