using System;
using System.Collections;
using System.Collections.Generic;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>
/// Windows PowerShell 5.1's ConvertFrom-Json writes a JSON array as one object (pwsh 7 does so with
/// -NoEnumerate). A cmdlet that takes one policy per pipeline object takes the elements of such an
/// array one by one, as it would have received them from pwsh 7's ConvertFrom-Json.
/// </summary>
internal static class PipelineArray
{
    /// <summary>The policies a policy parameter holds: each element of a structured array it was converted from, else the policy itself.</summary>
    public static IEnumerable<PtcRegistryPolicy> Policies(PtcRegistryPolicy policy) =>
        StructuredArray(policy.Given) is { } array
            ? Array.ConvertAll(array, item => PSValue.Unwrap(item) as PtcRegistryPolicy ?? new PtcRegistryPolicy(item!))
            : new[] { policy };

    // An array whose every element is a structured object (a policy, not text), else null. An array of strings stays
    // whole: it is the lines of one policy (Get-Content without -Raw).
    private static object[]? StructuredArray(object? value)
    {
        if (PSValue.Unwrap(value) is not object[] { Length: > 0 } array)
        {
            return null;
        }

        foreach (var item in array)
        {
            if (!IsStructured(item))
            {
                return null;
            }
        }

        return array;
    }

    private static bool IsStructured(object? item)
    {
        return PSValue.IsPropertyBag(item) || PSValue.Unwrap(item) is IDictionary or PtcRegistryPolicy or PolicyDocument;
    }
}
