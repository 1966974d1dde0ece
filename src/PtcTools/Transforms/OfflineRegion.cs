using System.Management.Automation;
using PtcTools.Aws.Auth;

namespace PtcTools.Transforms;

/// <summary>The Region chain without the network, for cmdlets that build documents and must never ask it.</summary>
/// <remarks>
/// The same steps in the same order as the AWS cmdlets (<see cref="RegionChain"/>): $StoredAWSRegion, the region of
/// the profile in $StoredAWSCredentials, AWS_REGION, AWS_DEFAULT_REGION, then the default profile (or AWS_PROFILE's)
/// in the shared config file. Only the instance metadata service, a network call, is left out.
/// </remarks>
public static class OfflineRegion
{
    /// <summary>The session's default Region, or null when no step gives one; the name is checked where it is used.</summary>
    public static string? Resolve(SessionState sessionState) =>
        RegionChain.ResolveOffline(
            AwsEnvironment.Process,
            explicitRegion: null,
            profileName: null,
            credentialsFile: null,
            AwsSessionVariables.Region(sessionState.PSVariable.GetValue(AwsSessionVariables.RegionVariable)),
            AwsSessionVariables.ProfileName(sessionState.PSVariable.GetValue(AwsSessionVariables.CredentialsVariable)))?.Region;
}
