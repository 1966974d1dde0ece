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
    /// <summary>Resolves the Region and says where it came from.</summary>
    /// <remarks><paramref name="storedProfile"/> is the profile named in $StoredAWSCredentials (Set-AWSCredential -ProfileName): its region counts after $StoredAWSRegion.</remarks>
    /// <exception cref="PolicyException"><c>NoRegion</c> listing what was tried, or <c>RegionInvalid</c>.</exception>
    public static async Task<(string Region, string Source)> ResolveAsync(
        CredentialContext context, string? explicitRegion, string? profileName, string? credentialsFile, string? sessionRegion, CancellationToken cancellationToken,
        string? storedProfile = null)
    {
        var tried = new List<string>();
        if (explicitRegion is not null)
        {
            return (AwsEndpoints.CheckRegion(explicitRegion), "-Region");
        }

        tried.Add("-Region: not given");
        if (profileName is not null)
        {
            if (ProfileCredentialSource.RegionOf(context.Environment, profileName, credentialsFile) is { } fromProfile)
            {
                return (AwsEndpoints.CheckRegion(fromProfile), $"profile '{profileName}'");
            }

            tried.Add($"profile '{profileName}': no region");
        }

        if (sessionRegion is not null)
        {
            return (AwsEndpoints.CheckRegion(sessionRegion), "$StoredAWSRegion");
        }

        tried.Add("$StoredAWSRegion: not set");
        if (profileName is null && storedProfile is not null)
        {
            // Set-AWSCredential -ProfileName dev gives dev's keys; its region goes with them, as the keys' own Region.
            if (ProfileCredentialSource.RegionOf(context.Environment, storedProfile, credentialsFile) is { } fromStored)
            {
                return (AwsEndpoints.CheckRegion(fromStored), $"profile '{storedProfile}' ($StoredAWSCredentials)");
            }

            tried.Add($"profile '{storedProfile}' ($StoredAWSCredentials): no region");
        }

        foreach (var name in new[] { "AWS_REGION", "AWS_DEFAULT_REGION" })
        {
            if (context.Environment.Get(name) is { } fromEnv)
            {
                return (AwsEndpoints.CheckRegion(fromEnv), name);
            }
        }

        tried.Add("AWS_REGION, AWS_DEFAULT_REGION: not set");
        if (profileName is null && ProfileCredentialSource.RegionOf(context.Environment, null, credentialsFile) is { } fromDefault)
        {
            return (AwsEndpoints.CheckRegion(fromDefault), "the default profile");
        }

        tried.Add("the default profile (or AWS_PROFILE): no region");
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

        throw new PolicyException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument,
            "No Region was specified or found. Tried: " + string.Join("; ", tried) + ". Pass -Region, run Set-DefaultAWSRegion, or set AWS_REGION.");
    }
}
