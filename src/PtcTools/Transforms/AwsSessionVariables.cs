using System.Management.Automation;
using PtcTools.Aws.Auth;
using PtcTools.Policy;

namespace PtcTools.Transforms;

/// <summary>What AWS.Tools keeps in the session for the commands after it: the default Region and the stored profile.</summary>
/// <remarks>
/// One reader for the cmdlets and the argument completers. Set-DefaultAWSRegion keeps $StoredAWSRegion as text or as
/// an AWSRegion object (SystemName is the code, Name the display name); a job, a remote session or Import-Clixml hands
/// that object on deserialized, as a property bag whose SystemName is a note property.
/// </remarks>
internal static class AwsSessionVariables
{
    /// <summary>The name of the session's default-Region variable.</summary>
    public const string RegionVariable = "StoredAWSRegion";

    /// <summary>The name of the session's stored-credentials variable.</summary>
    public const string CredentialsVariable = "StoredAWSCredentials";

    /// <summary>The Region code in a $StoredAWSRegion value, or null when it holds none.</summary>
    public static string? Region(object? value)
    {
        // PSObject adapts a live AWSRegion's .NET property and a deserialized one's note property alike.
        var systemName = value is PSObject wrapped ? wrapped.Properties["SystemName"]?.Value : null;
        var baseValue = PSValue.Unwrap(value);
        var text = systemName?.ToString()
            ?? baseValue?.GetType().GetProperty("SystemName")?.GetValue(baseValue)?.ToString()
            ?? (baseValue is string s ? s : null);
        return string.IsNullOrWhiteSpace(text) ? null : text!.Trim();
    }

    /// <summary>
    /// The credentials Set-AWSCredential left in $StoredAWSCredentials: a profile's (it keeps the name of a profile) or
    /// the object's own keys; null when the variable holds nothing.
    /// </summary>
    /// <exception cref="PolicyException">The object holds no keys PtcTools can read (<c>CredentialInputInvalid</c>).</exception>
    public static ICredentialSource? CredentialSource(object? value, string? profileLocation)
    {
        if (ProfileName(value) is { } profile)
        {
            return new ProfileCredentialSource(profile, profileLocation);
        }

        return PSValue.Unwrap(value) is null
            ? null
            : new StaticCredentialSource("$" + CredentialsVariable, CredentialInput.ToCredentials(value!, "$" + CredentialsVariable));
    }

    /// <summary>The profile name in a $StoredAWSCredentials value (Set-AWSCredential -ProfileName), or null.</summary>
    public static string? ProfileName(object? value) =>
        PSValue.Unwrap(value) is string name && name.Length > 0 ? name : null;
}
