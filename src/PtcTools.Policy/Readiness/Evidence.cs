using System;
using System.Diagnostics.CodeAnalysis;

namespace PtcTools.Policy.Readiness;

/// <summary>What is known about one document of the permission set: its value (possibly "there is none"), or why it is not known.</summary>
/// <remarks>A document not given (offline) or not readable (AccessDenied, throttling that outlasted the retries) is never taken as empty: the checks that need it are Unknown.</remarks>
[SuppressMessage("Design", "CA1000", Justification = "NotGiven and Unreadable take no T to infer from, so Evidence<T>.NotGiven(...) names the type where it is read.")]
public sealed class Evidence<T>
{
    private Evidence(bool isKnown, T value, string source, string? errorId)
    {
        IsKnown = isKnown;
        Value = value;
        Source = source;
        ErrorId = errorId;
    }

    /// <summary>True when the value was given or read (it may still say "there is none").</summary>
    public bool IsKnown { get; }

    /// <summary>The value when known; default otherwise.</summary>
    public T Value { get; }

    /// <summary>Where the value comes from ("given", "read from IAM"), or why it is not known.</summary>
    public string Source { get; }

    /// <summary>The error id of the read that failed, when it failed.</summary>
    public string? ErrorId { get; }

    /// <summary>A value that was given or read.</summary>
    public static Evidence<T> Known(T value, string source) => new(true, value, source, null);

    /// <summary>Not given, and not to be read (offline, or out of reach).</summary>
    public static Evidence<T> NotGiven(string why) => new(false, default!, why ?? throw new ArgumentNullException(nameof(why)), null);

    /// <summary>The read failed: why, and its error id.</summary>
    public static Evidence<T> Unreadable(string why, string? errorId) => new(false, default!, why ?? throw new ArgumentNullException(nameof(why)), errorId);

    /// <summary>The source, or why it is not known.</summary>
    public override string ToString() => Source;
}
