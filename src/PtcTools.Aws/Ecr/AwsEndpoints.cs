using System;
using System.Text.RegularExpressions;
using PtcTools.Policy;

namespace PtcTools.Aws.Ecr;

/// <summary>The AWS partition a Region belongs to.</summary>
public sealed class AwsPartition
{
    private AwsPartition(string name, string dnsSuffix)
    {
        Name = name;
        DnsSuffix = dnsSuffix;
    }

    /// <summary>The commercial partition.</summary>
    public static AwsPartition Aws { get; } = new("aws", "amazonaws.com");

    /// <summary>The China partition.</summary>
    public static AwsPartition China { get; } = new("aws-cn", "amazonaws.com.cn");

    /// <summary>The GovCloud (US) partition.</summary>
    public static AwsPartition GovCloud { get; } = new("aws-us-gov", "amazonaws.com");

    /// <summary>The partition name used in ARNs: aws, aws-cn or aws-us-gov.</summary>
    public string Name { get; }

    /// <summary>The DNS suffix of its endpoints.</summary>
    public string DnsSuffix { get; }

    /// <summary>The partition of a Region.</summary>
    public static AwsPartition Of(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? China
        : region.StartsWith("us-gov-", StringComparison.Ordinal) ? GovCloud
        : Aws;
}

/// <summary>Endpoint URLs of the services PtcTools calls, per Region, or an override.</summary>
public static class AwsEndpoints
{
    private static readonly Regex s_region = new("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

    /// <summary>True when the text has the form of a Region code (us-east-1, cn-north-1, us-gov-west-1).</summary>
    public static bool IsRegion(string? region) => region is not null && s_region.IsMatch(region);

    /// <summary>Checks a Region code.</summary>
    /// <exception cref="PolicyException"><c>InvalidRegion</c>.</exception>
    public static string CheckRegion(string? region)
    {
        if (!IsRegion(region))
        {
            throw new PolicyException("InvalidRegion", PolicyErrorKind.InvalidArgument, $"'{region}' is not a Region code such as us-east-1, cn-north-1 or us-gov-west-1.", region);
        }

        return region!;
    }

    /// <summary>The ECR API endpoint: <c>https://api.ecr.{region}.{dnsSuffix}</c>, or the override.</summary>
    public static Uri Ecr(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://api.ecr.{CheckRegion(region)}.{AwsPartition.Of(region).DnsSuffix}/") : Override(endpointUrl);

    /// <summary>The regional STS endpoint, or the override.</summary>
    public static Uri Sts(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://sts.{CheckRegion(region)}.{AwsPartition.Of(region).DnsSuffix}/") : Override(endpointUrl);

    /// <summary>The IAM Identity Center (SSO) portal endpoint, or the override.</summary>
    public static Uri SsoPortal(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://portal.sso.{CheckRegion(region)}.{AwsPartition.Of(region).DnsSuffix}/") : Override(endpointUrl);

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
