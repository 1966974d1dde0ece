using System;
using System.Collections;
using System.Management.Automation;

namespace PtcTools.Transforms;

/// <summary>Lets a <see cref="PtcRegistryPolicy"/> parameter take a list as one policy: the lines of a policy file, (Get-Content file) without -Raw.</summary>
/// <remarks>
/// PowerShell converts a single value to PtcRegistryPolicy through its constructors, but never an array to a single
/// value; the list is captured as the one value, and the cmdlet reads it as PolicyInput reads lines.
/// </remarks>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class PolicyArgumentAttribute : ArgumentTransformationAttribute
{
    /// <summary>Also capture text, as its constructor would, before the binder compares types.</summary>
    /// <remarks>
    /// For a cmdlet with a string parameter at the policy's position in another set (Test-PtcRegistryPolicy -Path): the
    /// binder first binds a position to a parameter that needs no conversion, and text needs none to become a string
    /// array, so without this a policy given by position would be taken as a file name.
    /// </remarks>
    public bool TakesText { get; set; }

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        PSValue.Unwrap(inputData) is IList || (TakesText && PSValue.Unwrap(inputData) is string) ? new PtcRegistryPolicy(inputData!) : inputData;
}
