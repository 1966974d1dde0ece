using System;
using PtcTools.Policy;

namespace PtcTools.Aws;

/// <summary>
/// A failure of PtcTools' own way to AWS: finding the Region, finding or obtaining credentials (the environment, the
/// shared config and credentials files, profiles, SSO, a credential_process, the container and instance metadata
/// endpoints, STS AssumeRole), the endpoint and the transport (an unencrypted endpoint, an answer over the size bound),
/// and reading the answer of a credential source. Not a policy error, so not a <see cref="PolicyException"/>; not a
/// service's answer either (that is an <see cref="AwsServiceException"/>). Both are a <see cref="PtcToolsException"/>.
/// </summary>
public sealed class AwsClientException : PtcToolsException
{
    /// <summary>Creates the exception.</summary>
    public AwsClientException(string errorId, PolicyErrorKind kind, string message, object? target = null, Exception? inner = null, Remedy remedy = Remedy.None)
        : base(errorId, kind, message, target, inner, remedy)
    {
    }
}
