using System;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Ecr;

/// <summary>Endpoint URLs of the services PtcTools calls, per Region, or an override.</summary>
public static class AwsEndpoints
{
    /// <summary>Checks a Region name with the domain's partition rules.</summary>
    /// <exception cref="PolicyException"><c>RegionInvalid</c>.</exception>
    public static string CheckRegion(string? region)
    {
        Partitions.FromRegion(region ?? string.Empty);
        return region!;
    }

    /// <summary>The DNS suffix of the Region's partition (aws, aws-cn or aws-us-gov).</summary>
    public static string DnsSuffix(string region) => Partitions.DnsSuffix(Partitions.FromRegion(region));

    /// <summary>The ECR API endpoint: <c>https://api.ecr.{region}.{dnsSuffix}</c>, or the override.</summary>
    public static Uri Ecr(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://api.ecr.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>The regional STS endpoint, or the override.</summary>
    public static Uri Sts(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://sts.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>The IAM Identity Center (SSO) portal endpoint, or the override.</summary>
    public static Uri SsoPortal(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://portal.sso.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>Checks an endpoint override: an absolute http or https URL.</summary>
    /// <exception cref="PolicyException"><c>InvalidEndpointUrl</c>.</exception>
    public static Uri Override(string endpointUrl)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new PolicyException("InvalidEndpointUrl", PolicyErrorKind.InvalidArgument, $"'{endpointUrl}' is not an absolute http or https URL.", endpointUrl);
        }

        return uri;
    }
}
