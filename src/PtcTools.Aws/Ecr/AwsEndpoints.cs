using System;
using PtcTools.Aws.Auth;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Ecr;

/// <summary>Endpoint URLs of the services PtcTools calls, per Region, or an override.</summary>
public static class AwsEndpoints
{
    /// <summary>
    /// A service's endpoint override from the environment, as the AWS SDKs and CLI read it: AWS_ENDPOINT_URL_&lt;SERVICE ID&gt;
    /// (ECR, IAM, STS, SECRETS_MANAGER, SSO), then AWS_ENDPOINT_URL; null for the Region's own endpoint.
    /// </summary>
    public static string? FromEnvironment(AwsEnvironment environment, string serviceId) =>
        environment.Get("AWS_ENDPOINT_URL_" + serviceId) ?? environment.Get("AWS_ENDPOINT_URL");

    /// <summary>Checks a Region name with the domain's partition rules.</summary>
    /// <exception cref="AwsClientException"><c>RegionInvalid</c>: the Region to reach AWS in is no Region name (the domain's error, as a client failure).</exception>
    public static string CheckRegion(string? region)
    {
        try
        {
            Partitions.FromRegion(region ?? string.Empty);
        }
        catch (PolicyException ex) when (ex.ErrorId == ErrorIds.RegionInvalid)
        {
            throw new AwsClientException(ex.ErrorId, ex.Kind, ex.Message, ex.Target, ex, ex.Remedy);
        }

        return region!;
    }

    /// <summary>The DNS suffix of the Region's partition (aws, aws-cn or aws-us-gov).</summary>
    /// <exception cref="AwsClientException"><c>RegionInvalid</c>.</exception>
    public static string DnsSuffix(string region) => Partitions.DnsSuffix(Partitions.FromRegion(CheckRegion(region)));

    /// <summary>The ECR API endpoint: <c>https://api.ecr.{region}.{dnsSuffix}</c>, or the override.</summary>
    public static Uri Ecr(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://api.ecr.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>The regional STS endpoint, or the override.</summary>
    public static Uri Sts(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://sts.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>The IAM endpoint of the Region's partition (IAM is global: one endpoint per partition), or the override.</summary>
    public static Uri Iam(string region, string? endpointUrl = null)
    {
        if (endpointUrl is not null)
        {
            return Override(endpointUrl);
        }

        return Partitions.FromRegion(CheckRegion(region)) switch
        {
            Partitions.AwsCn => new Uri("https://iam.cn-north-1.amazonaws.com.cn/"),
            Partitions.AwsUsGov => new Uri("https://iam.us-gov.amazonaws.com/"),
            _ => new Uri("https://iam.amazonaws.com/"),
        };
    }

    /// <summary>The Region IAM requests are signed for in the Region's partition: us-east-1, cn-north-1 or us-gov-west-1.</summary>
    public static string IamSigningRegion(string region) => Partitions.FromRegion(CheckRegion(region)) switch
    {
        Partitions.AwsCn => "cn-north-1",
        Partitions.AwsUsGov => "us-gov-west-1",
        _ => "us-east-1",
    };

    /// <summary>The Secrets Manager endpoint: <c>https://secretsmanager.{region}.{dnsSuffix}</c>, or the override.</summary>
    public static Uri SecretsManager(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://secretsmanager.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>The IAM Identity Center (SSO) portal endpoint, or the override.</summary>
    public static Uri SsoPortal(string region, string? endpointUrl = null) =>
        endpointUrl is null ? new Uri($"https://portal.sso.{CheckRegion(region)}.{DnsSuffix(region)}/") : Override(endpointUrl);

    /// <summary>Checks an endpoint override: an absolute http or https URL.</summary>
    /// <exception cref="AwsClientException"><c>InvalidEndpointUrl</c>.</exception>
    public static Uri Override(string endpointUrl)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AwsClientException(ErrorIds.InvalidEndpointUrl, PolicyErrorKind.InvalidArgument, $"'{endpointUrl}' is not an absolute http or https URL.", endpointUrl);
        }

        return uri;
    }
}
