using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace PtcTools.Testing;

/// <summary>What the test process runs on: the test projects target net10.0 and net472 (run under Mono here).</summary>
internal static class TargetPlatform
{
    /// <summary>True in the net472 build of a test project (.NET Framework, or Mono running it).</summary>
    public static bool IsNetFramework { get; } =
#if NETFRAMEWORK
        true;
#else
        false;
#endif

    /// <summary>True when Mono runs the tests (the net472 leg on Linux).</summary>
    public static bool IsMono { get; } = Type.GetType("Mono.Runtime") is not null;

    /// <summary>"Mono 6.8.0.105 (net472 build)" or ".NET 10.0.0 (net10.0 build)", for test output.</summary>
    public static string Describe() => RuntimeInformation.FrameworkDescription + (IsNetFramework ? " (net472 build)" : " (net10.0 build)");

    /// <summary>True on Windows (either runtime).</summary>
    public static bool IsWindows { get; } = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Makes a test script executable by its owner (chmod 700); a no-op on Windows.</summary>
    public static void MakeExecutable(string path)
    {
        if (IsWindows)
        {
            return;
        }
#if NETFRAMEWORK
        // net472 has no File.SetUnixFileMode; chmod is on every POSIX system.
        using var chmod = Process.Start(new ProcessStartInfo("chmod", "700 \"" + path + "\"") { UseShellExecute = false })!;
        if (!chmod.WaitForExit(10_000) || chmod.ExitCode != 0)
        {
            throw new InvalidOperationException("chmod 700 " + path + " failed.");
        }
#else
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(path, System.IO.UnixFileMode.UserRead | System.IO.UnixFileMode.UserWrite | System.IO.UnixFileMode.UserExecute);
        }
#endif
    }

    /// <summary>Ends a process and, on .NET, its children; .NET Framework can end only the process itself.</summary>
    public static void KillTree(Process process)
    {
#if NETFRAMEWORK
        process.Kill();
#else
        process.Kill(entireProcessTree: true);
#endif
    }

    /// <summary>The reason a .NET-only test is skipped in the net472 build, or null in the net10.0 build.</summary>
    public static string? SkipOnNetFramework(string why) =>
        IsNetFramework ? "Not run on .NET Framework: " + why : null;
}

/// <summary>A Fact that the net472 build reports as skipped, with the reason, because it needs a .NET-only API.</summary>
public sealed class DotNetOnlyFactAttribute : FactAttribute
{
    /// <param name="why">Which .NET-only API the test needs and why it has no portable form.</param>
    public DotNetOnlyFactAttribute(string why)
    {
        if (TargetPlatform.SkipOnNetFramework(why) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A Theory that the net472 build reports as skipped, with the reason, because it needs a .NET-only API.</summary>
public sealed class DotNetOnlyTheoryAttribute : TheoryAttribute
{
    /// <param name="why">Which .NET-only API the test needs and why it has no portable form.</param>
    public DotNetOnlyTheoryAttribute(string why)
    {
        if (TargetPlatform.SkipOnNetFramework(why) is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>Bytes allocated by the current thread: GC.GetAllocatedBytesForCurrentThread, which .NET has and Mono has at run time.</summary>
internal static class AllocationCounter
{
    // net472's reference assemblies lack the method (the .NET Framework has no per-thread counter); Mono's corlib has it.
    private static readonly Func<long>? s_counter =
        typeof(GC).GetMethod("GetAllocatedBytesForCurrentThread", Type.EmptyTypes) is { } method
            ? (Func<long>)Delegate.CreateDelegate(typeof(Func<long>), method)
            : null;

    /// <summary>Why allocations cannot be counted here, or null.</summary>
    public static string? Unavailable => s_counter is null
        ? "Not run: this runtime (" + RuntimeInformation.FrameworkDescription + ") has no per-thread allocation counter (GC.GetAllocatedBytesForCurrentThread)."
        : null;

    /// <summary>The current thread's allocated bytes so far.</summary>
    public static long CurrentThread() => s_counter is { } counter ? counter() : throw new PlatformNotSupportedException(Unavailable);
}

/// <summary>A Fact that counts allocations; skipped, with the reason, on a runtime without a per-thread allocation counter.</summary>
public sealed class AllocationFactAttribute : FactAttribute
{
    /// <summary>Skips where <see cref="AllocationCounter"/> cannot count.</summary>
    public AllocationFactAttribute()
    {
        if (AllocationCounter.Unavailable is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A Fact that needs a POSIX system (a shell script, file modes); skipped on Windows, with the reason.</summary>
public sealed class PosixFactAttribute : FactAttribute
{
    /// <param name="why">What the test needs that Windows lacks.</param>
    public PosixFactAttribute(string why)
    {
        if (TargetPlatform.IsWindows)
        {
            Skip = "Not run on Windows: " + why + ".";
        }
    }
}
