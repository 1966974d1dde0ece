using System;
using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools;

/// <summary>The one place where domain exceptions become PowerShell ErrorRecords.</summary>
public static class ErrorRecords
{
    /// <summary>An ErrorRecord for a domain exception, with its stable id, category and target.</summary>
    public static ErrorRecord From(PolicyException exception, object? target = null) =>
        new(exception, exception.ErrorId, Category(exception.Kind), PolicyInput.Unwrap(exception.Target ?? target));

    /// <summary>An ErrorRecord whose target is the given input (such as the piped request a refused policy came with), whatever the exception names.</summary>
    public static ErrorRecord For(PolicyException exception, object target) =>
        new(exception, exception.ErrorId, Category(exception.Kind), PolicyInput.Unwrap(target));

    /// <summary>An ErrorRecord for a failure detected in the module itself.</summary>
    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null) =>
        new(new PolicyException(errorId, PolicyErrorKind.InvalidOperation, message, target, inner), errorId, category, PolicyInput.Unwrap(target));


    /// <summary>Maps a domain error kind to a PowerShell category.</summary>
    public static ErrorCategory Category(PolicyErrorKind kind) => kind switch
    {
        PolicyErrorKind.InvalidData => ErrorCategory.InvalidData,
        PolicyErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        PolicyErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        PolicyErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        PolicyErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        PolicyErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        PolicyErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        PolicyErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        PolicyErrorKind.WriteError => ErrorCategory.WriteError,
        PolicyErrorKind.ReadError => ErrorCategory.ReadError,
        _ => ErrorCategory.InvalidOperation,
    };
}
