using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace PtcTools.Policy.Model;

/// <summary>AWS partitions and Regions: which partition a Region is in, and the Regions PtcTools knows.</summary>
/// <remarks>The Region table per partition is botocore 1.43.11's data/partitions.json (the AWS SDKs' partition
/// metadata; pip package botocore, as installed on the build machine), for the three partitions PtcTools supports:
/// aws 34 Regions, aws-cn 2, aws-us-gov 2 (the "-global" pseudo Regions left out). A newer Region is not an error:
/// lint reports a Region the table lacks as a warning (PTC130) that names this table and its date.</remarks>
public static class Partitions
{
    /// <summary>The commercial partition.</summary>
    public const string Aws = "aws";

    /// <summary>The China partition.</summary>
    public const string AwsCn = "aws-cn";

    /// <summary>The AWS GovCloud (US) partition.</summary>
    public const string AwsUsGov = "aws-us-gov";

    private static readonly Regex s_regionPattern = new("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$", RegexOptions.CultureInvariant);

    private static readonly string[] s_aws =
    {
        "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
        "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1",
        "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1",
        "us-east-2", "us-west-1", "us-west-2",
    };

    private static readonly string[] s_awsCn = { "cn-north-1", "cn-northwest-1" };

    private static readonly string[] s_awsUsGov = { "us-gov-east-1", "us-gov-west-1" };

    /// <summary>Where the Region table comes from, for messages.</summary>
    public const string RegionTableSource = "botocore 1.43.11 partitions.json";

    /// <summary>The Regions of a partition in the table (empty for a partition PtcTools does not know).</summary>
    public static IReadOnlyList<string> RegionsOf(string partition) => partition switch
    {
        Aws => s_aws,
        AwsCn => s_awsCn,
        AwsUsGov => s_awsUsGov,
        _ => Array.Empty<string>(),
    };

    /// <summary>The partition whose table has the Region, or null.</summary>
    public static string? PartitionOfKnownRegion(string region) =>
        s_aws.Contains(region, StringComparer.Ordinal) ? Aws : s_awsCn.Contains(region, StringComparer.Ordinal) ? AwsCn : s_awsUsGov.Contains(region, StringComparer.Ordinal) ? AwsUsGov : null;

    /// <summary>Every Region of the aws, aws-cn and aws-us-gov partitions that PtcTools knows, sorted.</summary>
    public static IReadOnlyList<string> KnownRegions { get; } = s_aws.Concat(s_awsCn).Concat(s_awsUsGov).OrderBy(r => r, StringComparer.Ordinal).ToArray();

    /// <summary>True when the text has the shape of a Region name (known or newer).</summary>
    public static bool IsRegionName(string? region) => region is not null && s_regionPattern.IsMatch(region);

    /// <summary>The partition of a Region: aws-cn for cn-*, aws-us-gov for us-gov-*, else aws.</summary>
    /// <exception cref="PolicyException">The text is not a Region name (<c>RegionInvalid</c>).</exception>
    public static string FromRegion(string region)
    {
        if (!IsRegionName(region))
        {
            throw new PolicyException(ErrorIds.RegionInvalid, PolicyErrorKind.InvalidArgument, $"'{region}' is not an AWS Region name such as us-east-1.", region);
        }

        if (region.StartsWith("cn-", StringComparison.Ordinal))
        {
            return AwsCn;
        }

        return region.StartsWith("us-gov-", StringComparison.Ordinal) ? AwsUsGov : Aws;
    }

    /// <summary>The DNS suffix of a partition's service endpoints.</summary>
    public static string DnsSuffix(string partition) => partition == AwsCn ? "amazonaws.com.cn" : "amazonaws.com";

    /// <summary>True for a partition name PtcTools supports.</summary>
    public static bool IsKnownPartition(string? partition) => partition is Aws or AwsCn or AwsUsGov;
}
