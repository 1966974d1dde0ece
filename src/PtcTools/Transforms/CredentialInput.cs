using System;
using System.Management.Automation;
using System.Net;
using System.Reflection;
using PtcTools.Aws.Auth;
using PtcTools.Policy;

namespace PtcTools.Transforms;

/// <summary>Turns what AWS.Tools users pass as credentials into <see cref="AwsCredentials"/> without referencing the AWS SDK.</summary>
/// <remarks>
/// Accepted: a PSCredential (user name = access key id, password = secret key), an AWS SDK
/// <c>AWSCredentials</c> (anything with a <c>GetCredentials()</c> method returning an object with
/// AccessKey, SecretKey and Token), an <c>ImmutableCredentials</c>-shaped object, and AWS.Tools'
/// <c>AWSPSCredentials</c> (its <c>Credentials</c> property).
/// </remarks>
public static class CredentialInput
{
    /// <summary>Converts a value, naming the source in the result.</summary>
    /// <exception cref="PolicyException"><c>CredentialInputInvalid</c>.</exception>
    public static AwsCredentials ToCredentials(object value, string source) => ToCredentials(value, source, 0);

    // An AWS.Tools credential wraps at most two levels (AWSPSCredentials -> AWSCredentials -> ImmutableCredentials);
    // an object whose Credentials or GetCredentials() leads back to itself would recurse until the stack overflows.
    private const int MaxDepth = 8;

    private static AwsCredentials ToCredentials(object value, string source, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PolicyException(ErrorIds.CredentialInputInvalid, PolicyErrorKind.InvalidArgument,
                $"The {source} value leads through more than {MaxDepth} nested Credentials or GetCredentials() without reaching an access key; does it refer to itself? Pass a PSCredential, an AWS.Tools AWSCredentials object, or use -AccessKey and -SecretKey.",
                source);
        }

        var baseObject = PSValue.Unwrap(value)!;
        switch (baseObject)
        {
            case AwsCredentials credentials:
                return credentials;
            case PSCredential psCredential:
                return new AwsCredentials(psCredential.UserName, psCredential.GetNetworkCredential().Password, null, null, source);
            case NetworkCredential network:
                return new AwsCredentials(network.UserName, network.Password, null, null, source);
        }

        // A script method (or a deserialized object) stands in for the SDK type the same way.
        if (value is PSObject withMethods && withMethods.Methods["GetCredentials"] is PSMethodInfo scriptMethod && PSValue.IsPropertyBag(value))
        {
            var result = scriptMethod.Invoke();
            if (result is not null)
            {
                return ToCredentials(result, source, depth + 1);
            }
        }

        // A property bag (ConvertFrom-Json, a deserialized AWSCredentials) is read through its properties, not reflection.
        var type = baseObject is PSObject bag ? bag.BaseObject.GetType() : baseObject.GetType();
        var getCredentials = type.GetMethod("GetCredentials", BindingFlags.Public | BindingFlags.Instance, null, Type.EmptyTypes, null);
        if (getCredentials is not null)
        {
            object? immutable;
            try
            {
                immutable = getCredentials.Invoke(baseObject, null);
            }
            catch (TargetInvocationException ex)
            {
                throw new PolicyException(ErrorIds.CredentialInputInvalid, PolicyErrorKind.InvalidArgument,
                    $"GetCredentials() of the {type.FullName} failed: {ex.InnerException?.Message ?? ex.Message}", value, ex.InnerException ?? ex);
            }

            if (immutable is not null)
            {
                return ToCredentials(immutable, source, depth + 1);
            }
        }

        var accessKey = Property(baseObject, value, "AccessKey") ?? Property(baseObject, value, "AccessKeyId");
        var secretKey = Property(baseObject, value, "SecretKey") ?? Property(baseObject, value, "SecretAccessKey");
        if (accessKey is not null && secretKey is not null)
        {
            return new AwsCredentials(accessKey, secretKey, Property(baseObject, value, "Token") ?? Property(baseObject, value, "SessionToken"), null, source);
        }

        var inner = type.GetProperty("Credentials")?.GetValue(baseObject) ?? (value as PSObject)?.Properties["Credentials"]?.Value;
        // An SDK object whose Credentials is itself has no more to give; a property bag that holds itself is stopped by the depth check, which says so.
        if (inner is not null && (baseObject is PSObject || !ReferenceEquals(inner, baseObject)))
        {
            return ToCredentials(inner, source, depth + 1);
        }

        throw new PolicyException(ErrorIds.CredentialInputInvalid, PolicyErrorKind.InvalidArgument,
            $"A {type.FullName} is not a credential. Pass a PSCredential (access key id as user name, secret key as password), an AWS.Tools AWSCredentials object, or use -AccessKey and -SecretKey.",
            type.FullName);
    }

    private static string? Property(object baseObject, object original, string name)
    {
        var value = baseObject.GetType().GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(baseObject)
            ?? (original as PSObject)?.Properties[name]?.Value;
        var text = PSValue.Text(value);
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
