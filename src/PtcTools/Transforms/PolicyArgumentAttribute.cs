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
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        PSValue.Unwrap(inputData) is IList ? new PtcRegistryPolicy(inputData!) : inputData;
}
