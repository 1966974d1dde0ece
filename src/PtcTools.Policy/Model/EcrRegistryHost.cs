using System;
using System.Diagnostics.CodeAnalysis;

namespace PtcTools.Policy.Model;

/// <summary>The host of an ECR private registry, <c>ACCOUNT.dkr.ecr.REGION.DNS-SUFFIX</c>: the one place PtcTools reads or writes it.</summary>
public static class EcrRegistryHost
{
    /// <summary>The registry host of an account in a Region, built from the Region's partition DNS suffix.</summary>
    /// <exception cref="PolicyException"><c>RegionInvalid</c>.</exception>
    public static string Format(string account, string region) =>
        $"{account}.dkr.ecr.{region}.{Partitions.DnsSuffix(Partitions.FromRegion(region))}";

    /// <summary>Reads the account and Region from a registry host or URL (scheme and path are ignored); false when it is not one.</summary>
    public static bool TryParse(string? urlOrHost, [NotNullWhen(true)] out string? account, [NotNullWhen(true)] out string? region)
    {
        account = null;
        region = null;
        if (string.IsNullOrWhiteSpace(urlOrHost))
        {
            return false;
        }

        var host = urlOrHost!.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host.Substring(scheme + 3);
        }

        var slash = host.IndexOf('/');
        if (slash >= 0)
        {
            host = host.Substring(0, slash);
        }

        var labels = host.ToLowerInvariant().Split('.');
        if (labels.Length < 5 || !Arn.IsAccountId(labels[0]) || labels[1] != "dkr" || labels[2] != "ecr" || !Partitions.IsRegionName(labels[3]))
        {
            return false;
        }

        // The suffix must be the one of the Region's partition: 'cn-north-1' with 'amazonaws.com' is not a registry host.
        var suffix = string.Join(".", labels, 4, labels.Length - 4);
        if (suffix != Partitions.DnsSuffix(Partitions.FromRegion(labels[3])))
        {
            return false;
        }

        account = labels[0];
        region = labels[3];
        return true;
    }
}
