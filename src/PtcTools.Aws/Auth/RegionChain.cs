using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;

namespace PtcTools.Aws.Auth;

/// <summary>Finds the Region of a call in AWS.Tools order: -Region, the profile, $StoredAWSRegion, the stored profile, environment, the default profile, instance metadata.</summary>
public static class RegionChain
{
    private static readonly string[] s_environmentNames = { "AWS_REGION", "AWS_DEFAULT_REGION" };

    /// <summary>Resolves the Region and says where it came from.</summary>
    /// <remarks><paramref name="storedProfile"/> is the profile named in $StoredAWSCredentials (Set-AWSCredential -ProfileName): its region counts after $StoredAWSRegion.</remarks>
    /// <exception cref="AwsClientException"><c>NoRegion</c> listing what was tried, or <c>RegionInvalid</c>.</exception>
    public static async Task<(string Region, string Source)> ResolveAsync(
        CredentialContext context, string? explicitRegion, string? profileName, string? credentialsFile, string? sessionRegion, CancellationToken cancellationToken,
        string? storedProfile = null)
    {
        var tried = new List<string>();
        if (Offline(context.Environment, explicitRegion, profileName, credentialsFile, sessionRegion, storedProfile, tried) is { } found)
        {
            return (AwsEndpoints.CheckRegion(found.Region), found.Source);
        }

        if (!string.Equals(context.Environment.Get("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var imds = new InstanceMetadataClient(context);
            if (await imds.TokenAsync(cancellationToken).ConfigureAwait(false) is { } token &&
                await imds.GetAsync("latest/meta-data/placement/region", token, cancellationToken).ConfigureAwait(false) is { } fromImds)
            {
                return (AwsEndpoints.CheckRegion(fromImds.Trim()), "EC2 instance metadata");
            }

            tried.Add("EC2 instance metadata: did not answer");
        }
        else
        {
            tried.Add("EC2 instance metadata: disabled by AWS_EC2_METADATA_DISABLED");
        }

        throw new AwsClientException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument,
            "No Region was specified or found. Tried: " + string.Join("; ", tried) + ".", remedy: Remedy.GiveRegion);
    }

    /// <summary>
    /// The same chain without its one network step, the instance metadata: for what builds documents and must stay
    /// offline (New-PtcPolicyStatement, the generators, argument completion). Reading the shared config file is local.
    /// </summary>
    /// <returns>
    /// The Region as the first step that has one gives it, and that step; null when none has one. The name is not
    /// checked here: what is built with it checks it and says RegionInvalid where the name is used.
    /// </returns>
    public static (string Region, string Source)? ResolveOffline(
        AwsEnvironment environment, string? explicitRegion, string? profileName, string? credentialsFile, string? sessionRegion, string? storedProfile) =>
        Offline(environment, explicitRegion, profileName, credentialsFile, sessionRegion, storedProfile, new List<string>());

    private static (string Region, string Source)? Offline(
        AwsEnvironment environment, string? explicitRegion, string? profileName, string? credentialsFile, string? sessionRegion, string? storedProfile, List<string> tried)
    {
        if (explicitRegion is not null)
        {
            return (explicitRegion, "the Region given");
        }

        tried.Add("the Region given: none");
        if (profileName is not null)
        {
            if (ProfileCredentialSource.RegionOf(environment, profileName, credentialsFile) is { } fromProfile)
            {
                return (fromProfile, $"profile '{profileName}'");
            }

            tried.Add($"profile '{profileName}': no region");
        }

        if (sessionRegion is not null)
        {
            return (sessionRegion, "$StoredAWSRegion");
        }

        tried.Add("$StoredAWSRegion: not set");
        if (profileName is null && storedProfile is not null)
        {
            // Set-AWSCredential -ProfileName dev gives dev's keys; its region goes with them, as the keys' own Region.
            if (ProfileCredentialSource.RegionOf(environment, storedProfile, credentialsFile) is { } fromStored)
            {
                return (fromStored, $"profile '{storedProfile}' ($StoredAWSCredentials)");
            }

            tried.Add($"profile '{storedProfile}' ($StoredAWSCredentials): no region");
        }

        foreach (var name in s_environmentNames)
        {
            if (environment.Get(name) is { } fromEnv)
            {
                return (fromEnv, name);
            }
        }

        tried.Add("AWS_REGION, AWS_DEFAULT_REGION: not set");
        if (profileName is null && ProfileCredentialSource.RegionOf(environment, null, credentialsFile) is { } fromDefault)
        {
            return (fromDefault, "the default profile");
        }

        tried.Add("the default profile (or AWS_PROFILE): no region");
        return null;
    }
}
