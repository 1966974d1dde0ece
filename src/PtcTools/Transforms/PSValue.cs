using System.Management.Automation;

namespace PtcTools.Transforms;

/// <summary>The one unwrapper of values PowerShell hands a cmdlet in a <see cref="PSObject"/>.</summary>
public static class PSValue
{
    /// <summary>The value inside a PSObject wrapper; a PSCustomObject (whose properties are the value: ConvertFrom-Json output, a deserialized object) stays wrapped.</summary>
    /// <remarks>
    /// Unwrapping a PSCustomObject too would give an empty object whose note properties are lost, so type tests
    /// (<c>is string</c>, <c>is FileInfo</c>) and property reads work on the one result.
    /// </remarks>
    public static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } pso ? pso.BaseObject : value;

    /// <summary>True for structure given as properties: ConvertFrom-Json output, a deserialized object, <c>[pscustomobject]@{...}</c>.</summary>
    public static bool IsPropertyBag(object? value) => value is PSObject { BaseObject: PSCustomObject };

    /// <summary>The value as text: null for null and for a property bag (which has no text of its own).</summary>
    public static string? Text(object? value) => Unwrap(value) switch
    {
        null => null,
        PSObject => null,
        var other => other.ToString(),
    };
}
