using System;

namespace PtcTools.Policy;

/// <summary>What kind of failure a <see cref="PolicyException"/> is, mapped to a PowerShell ErrorCategory by the module.</summary>
public enum PolicyErrorKind
{
    /// <summary>The input is not valid data (malformed JSON, a wrong type).</summary>
    InvalidData,
    /// <summary>An argument value is not acceptable.</summary>
    InvalidArgument,
    /// <summary>Something already exists with other content.</summary>
    ResourceExists,
    /// <summary>Something asked for does not exist.</summary>
    ObjectNotFound,
    /// <summary>A size or count limit is exceeded.</summary>
    LimitsExceeded,
    /// <summary>The operation cannot be done in the current state.</summary>
    InvalidOperation,
    /// <summary>Access was refused.</summary>
    PermissionDenied,
    /// <summary>A remote service or connection failed.</summary>
    ConnectionError,
    /// <summary>The operation did not finish in time.</summary>
    OperationTimeout,
    /// <summary>A write happened but reading it back showed something else.</summary>
    WriteError,
    /// <summary>Something to read (a policy file) exists but could not be read.</summary>
    ReadError,
}

/// <summary>A failure of the domain with a stable, specific error id that the module reports as is.</summary>
public class PolicyException : PtcToolsException
{
    /// <summary>Creates the exception.</summary>
    public PolicyException(string errorId, PolicyErrorKind kind, string message, object? target = null, Exception? inner = null, Remedy remedy = Remedy.None)
        : base(errorId, kind, message, target, inner, remedy)
    {
    }
}

/// <summary>JSON text that is not a well-formed policy document, with where the problem is.</summary>
public sealed class PolicyJsonException : PolicyException
{
    /// <summary>Creates the exception.</summary>
    public PolicyJsonException(string reason, int line, int column, string? jsonPath, object? target = null, Exception? inner = null)
        : this(reason, line, column, jsonPath, target, inner, null)
    {
    }

    private PolicyJsonException(string reason, int line, int column, string? jsonPath, object? target, Exception? inner, string? source)
        : base(ErrorIds.PolicyJsonInvalid, PolicyErrorKind.InvalidData, Format(reason, line, column, jsonPath, source), target, inner)
    {
        Reason = reason;
        Line = line;
        Column = column;
        JsonPath = jsonPath;
        TextSource = source;
    }

    /// <summary>Where the text came from, e.g. <c>the file '/work/registry-policy.json'</c>, when it came from somewhere a user can name.</summary>
    public string? TextSource { get; }

    /// <summary>The same error naming where the text came from, so a user with several files knows which one to fix.</summary>
    public PolicyJsonException WithTextSource(string source, object? target = null) =>
        new(Reason, Line, Column, JsonPath, target ?? Target, this, source);

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>The 1-based line of the problem (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>The 1-based column of the problem (0 when unknown).</summary>
    public int Column { get; }

    /// <summary>The JSON path where the problem is, when known.</summary>
    public string? JsonPath { get; }

    private static string Format(string reason, int line, int column, string? path, string? source)
    {
        var where = line > 0 ? $"line {line}, column {column}" : "an unknown position";
        var at = string.IsNullOrEmpty(path) ? string.Empty : $" (at '{path}')";
        var from = source is null ? string.Empty : $" in {source}";
        return $"The policy{from} is not valid JSON at {where}{at}: {reason}";
    }
}
