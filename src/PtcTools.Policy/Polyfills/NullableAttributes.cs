// netstandard2.0 has no nullable-analysis attributes; the compiler reads them by name, so these internal
// copies let the Try-pattern methods say what their out values are on each return (no `!` at the callers).
// The callers in the Aws and cmdlet layers see them through this assembly's metadata.
namespace System.Diagnostics.CodeAnalysis;

/// <summary>The out or ref value is not null when the method returns <see cref="ReturnValue"/>.</summary>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
internal sealed class NotNullWhenAttribute : Attribute
{
    /// <summary>Marks the value as not null when the method returns <paramref name="returnValue"/>.</summary>
    public NotNullWhenAttribute(bool returnValue) => ReturnValue = returnValue;

    /// <summary>The return value for which the out value is not null.</summary>
    public bool ReturnValue { get; }
}
