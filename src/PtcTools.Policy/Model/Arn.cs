using System;
using System.Diagnostics.CodeAnalysis;

namespace PtcTools.Policy.Model;

/// <summary>An Amazon Resource Name split into its six parts: <c>arn:partition:service:region:account:resource</c>.</summary>
public sealed class Arn : IEquatable<Arn>
{
    private static readonly char[] s_colon = { ':' };

    private Arn(string text, string partition, string service, string region, string account, string resource)
    {
        Text = text;
        Partition = partition;
        Service = service;
        Region = region;
        Account = account;
        Resource = resource;
    }

    /// <summary>The whole ARN text.</summary>
    public string Text { get; }

    /// <summary>The partition (aws, aws-cn, aws-us-gov).</summary>
    public string Partition { get; }

    /// <summary>The service namespace (iam, sts, ecr).</summary>
    public string Service { get; }

    /// <summary>The Region, empty for global services.</summary>
    public string Region { get; }

    /// <summary>The account id, empty where the service has none.</summary>
    public string Account { get; }

    /// <summary>Everything after the fifth colon (colons included).</summary>
    public string Resource { get; }

    /// <summary>Splits text into ARN parts; false when it does not have six colon-separated parts starting with "arn".</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Arn? arn)
    {
        arn = null;
        if (text is null || !text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(s_colon, 6);
        if (parts.Length != 6)
        {
            return false;
        }

        arn = new Arn(text, parts[1], parts[2], parts[3], parts[4], parts[5]);
        return true;
    }

    /// <summary>True when the text is a 12-digit account id.</summary>
    public static bool IsAccountId(string? text)
    {
        if (text is null || text.Length != 12)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c < '0' || c > '9')
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(Arn? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Arn);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <summary>The ARN text.</summary>
    public override string ToString() => Text;
}
