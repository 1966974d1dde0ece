using System;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace PtcTools.Policy.Model;

/// <summary>An ECR repository ARN or ARN pattern: <c>arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME</c>.</summary>
public sealed class RepositoryArn
{
    /// <summary>ECR's repository name pattern (the model's RepositoryName).</summary>
    public static readonly Regex RepositoryNamePattern = new(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant);

    private static readonly Regex s_namePatternChars = new(@"^[a-z0-9._/*?-]+$", RegexOptions.CultureInvariant);

    private RepositoryArn(Arn arn, string repository)
    {
        Arn = arn;
        Repository = repository;
    }

    /// <summary>The ARN parts.</summary>
    public Arn Arn { get; }

    /// <summary>The repository name or name pattern after <c>repository/</c>.</summary>
    public string Repository { get; }

    /// <summary>The whole text.</summary>
    public string Text => Arn.Text;

    /// <summary>True when any part holds a wildcard.</summary>
    public bool IsPattern => Wildcard.HasWildcard(Arn.Text);

    /// <summary>Builds the ARN of a repository or name pattern in a Region and account.</summary>
    public static string Build(string region, string account, string repository) =>
        $"arn:{Partitions.FromRegion(region)}:ecr:{region}:{account}:repository/{repository}";

    /// <summary>Parses and checks a repository ARN or pattern; on failure says what is wrong.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RepositoryArn? value, [NotNullWhen(false)] out string? reason)
    {
        value = null;
        if (!Arn.TryParse(text, out var arn))
        {
            reason = $"'{text}' is not an ARN; a repository ARN looks like arn:aws:ecr:us-east-1:111122223333:repository/name.";
            return false;
        }

        if (arn.Service != "ecr")
        {
            reason = $"'{text}' has the service '{arn.Service}' where 'ecr' belongs (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME).";
            return false;
        }

        if (!Partitions.IsKnownPartition(arn.Partition))
        {
            reason = $"'{text}' has the partition '{arn.Partition}'; use aws, aws-cn or aws-us-gov.";
            return false;
        }

        if (!(Partitions.IsRegionName(arn.Region) || (Wildcard.HasWildcard(arn.Region) && Regex.IsMatch(arn.Region, "^[a-z0-9*?-]+$"))))
        {
            reason = $"'{text}' has '{arn.Region}' where a Region such as us-east-1 belongs.";
            return false;
        }

        if (!(Arn.IsAccountId(arn.Account) || (Wildcard.HasWildcard(arn.Account) && Regex.IsMatch(arn.Account, "^[0-9*?]+$"))))
        {
            reason = $"'{text}' has '{arn.Account}' where a 12-digit account id belongs.";
            return false;
        }

        if (!arn.Resource.StartsWith("repository/", StringComparison.Ordinal))
        {
            reason = $"'{text}' does not name a repository: the resource part must start with 'repository/'.";
            return false;
        }

        var repository = arn.Resource.Substring("repository/".Length);
        var ok = Wildcard.HasWildcard(repository) ? s_namePatternChars.IsMatch(repository) : RepositoryNamePattern.IsMatch(repository) && repository.Length is >= 2 and <= 256;
        if (!ok)
        {
            reason = $"'{text}' has '{repository}' where a repository name belongs (lowercase letters, digits, '.', '_', '-' and '/').";
            return false;
        }

        value = new RepositoryArn(arn, repository);
        reason = null;
        return true;
    }

    /// <summary>The text.</summary>
    public override string ToString() => Text;
}
