using System;
using System.Management.Automation;

namespace PtcTools.Transforms;

/// <summary>The offline part of the Region chain, for cmdlets that build documents and must never ask the network.</summary>
/// <remarks>
/// The same order as AWS.Tools: the session default it sets ($StoredAWSRegion), then AWS_REGION, then
/// AWS_DEFAULT_REGION. The profile and the instance metadata service, which the AWS cmdlets also ask, are left out.
/// </remarks>
public static class OfflineRegion
{
    /// <summary>The session's default Region, or null when none is set.</summary>
    public static string? Resolve(SessionState sessionState)
    {
        if (sessionState.PSVariable.GetValue("StoredAWSRegion") is { } stored && stored.ToString() is { Length: > 0 } storedText)
        {
            return storedText;
        }

        foreach (var name in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } fromEnvironment)
            {
                return fromEnvironment;
            }
        }

        return null;
    }
}
