using System;

namespace PtcTools.Policy;

/// <summary>
/// A failure with a stable error id, a kind, the offending input and a remedy: the one shape the module turns into an
/// ErrorRecord. The domain's <see cref="PolicyException"/> and the AWS layer's service errors both have it; neither is the other.
/// </summary>
public abstract class PtcToolsException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected PtcToolsException(string errorId, PolicyErrorKind kind, string message, object? target, Exception? inner, Remedy remedy)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
        Target = target;
        Remedy = remedy;
    }

    /// <summary>The stable PascalCase error id, e.g. <c>PolicyJsonInvalid</c>.</summary>
    public string ErrorId { get; }

    /// <summary>The kind of failure.</summary>
    public PolicyErrorKind Kind { get; }

    /// <summary>The offending input, reported as the ErrorRecord's TargetObject.</summary>
    public object? Target { get; }

    /// <summary>What the user can do about it, which the module words with its own parameter names; <see cref="Policy.Remedy.None"/> when the message says all there is.</summary>
    public Remedy Remedy { get; }
}
