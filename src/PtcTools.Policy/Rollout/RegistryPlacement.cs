using System;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Rollout;

/// <summary>The account, Region and partition of one registry a statement is placed into.</summary>
public sealed class RegistryIdentity
{
    /// <summary>Creates the identity.</summary>
    /// <exception cref="PolicyException"><c>AccountIdInvalid</c> or <c>RegionInvalid</c>.</exception>
    public RegistryIdentity(string accountId, string region)
    {
        if (!Arn.IsAccountId(accountId))
        {
            throw new PolicyException(ErrorIds.AccountIdInvalid, PolicyErrorKind.InvalidArgument, $"'{accountId}' is not an account id; give 12-digit AWS account ids.", accountId);
        }

        if (!Partitions.IsRegionName(region))
        {
            throw new PolicyException(ErrorIds.RegionInvalid, PolicyErrorKind.InvalidArgument, $"'{region}' is not a Region name such as us-east-1.", region);
        }

        AccountId = accountId;
        Region = region;
        Partition = Partitions.FromRegion(region);
    }

    /// <summary>The account.</summary>
    public string AccountId { get; }

    /// <summary>The Region.</summary>
    public string Region { get; }

    /// <summary>The partition of the Region.</summary>
    public string Partition { get; }

    /// <summary><c>111122223333/us-east-1</c>.</summary>
    public override string ToString() => AccountId + "/" + Region;
}

/// <summary>
/// Places statements into a registry: a registry policy's repository ARNs name the registry's own account and Region,
/// so a statement built for one registry is rewritten for another. Also the two-way mapping to CloudFormation's pseudo
/// parameters <c>${AWS::AccountId}</c>, <c>${AWS::Region}</c> and <c>${AWS::Partition}</c>.
/// </summary>
/// <remarks>
/// Placing rewrites the partition, Region and account of every ECR repository ARN in Resource and NotResource (and
/// nothing else: principals and conditions keep the accounts they name), and replaces the three placeholders wherever
/// they appear in a string. Generalizing is its inverse for one registry: the ARN parts that name that registry become
/// placeholders, so statements that differ only by the registry they sit in read the same.
/// </remarks>
public static class RegistryPlacement
{
    /// <summary>The account id placeholder (CloudFormation's pseudo parameter).</summary>
    public const string AccountPlaceholder = "${AWS::AccountId}";

    /// <summary>The Region placeholder.</summary>
    public const string RegionPlaceholder = "${AWS::Region}";

    /// <summary>The partition placeholder.</summary>
    public const string PartitionPlaceholder = "${AWS::Partition}";

    private static readonly string[] s_resourceKeys = { "Resource", "NotResource" };

    /// <summary>True when a string holds one of the three placeholders.</summary>
    public static bool HasPlaceholder(string text) =>
        text.IndexOf(AccountPlaceholder, StringComparison.Ordinal) >= 0 || text.IndexOf(RegionPlaceholder, StringComparison.Ordinal) >= 0 || text.IndexOf(PartitionPlaceholder, StringComparison.Ordinal) >= 0;

    /// <summary>The statement as it belongs in a registry: its repository ARNs in the registry's account and Region, the placeholders filled in.</summary>
    public static PolicyStatement Place(PolicyStatement statement, RegistryIdentity registry)
    {
        if (!statement.IsObject)
        {
            return statement;
        }

        var json = statement.ToJObject();
        foreach (var key in s_resourceKeys)
        {
            if (json[key] is { } value)
            {
                json[key] = MapStrings(value, s => RewriteRepositoryArn(s, registry.Partition, registry.Region, registry.AccountId, onlyFrom: null));
            }
        }

        return PolicyStatement.FromJObject((JObject)MapStrings(json, s => Fill(s, registry)));
    }

    /// <summary>The statement with the parts that name this registry as placeholders: its repository ARNs in Resource and NotResource that are in the registry's account and Region.</summary>
    public static PolicyStatement Generalize(PolicyStatement statement, RegistryIdentity registry)
    {
        if (!statement.IsObject)
        {
            return statement;
        }

        var json = statement.ToJObject();
        foreach (var key in s_resourceKeys)
        {
            if (json[key] is { } value)
            {
                json[key] = MapStrings(value, s => RewriteRepositoryArn(s, PartitionPlaceholder, RegionPlaceholder, AccountPlaceholder, onlyFrom: registry));
            }
        }

        return PolicyStatement.FromJObject(json);
    }

    /// <summary>The placeholders of a string filled in for a registry.</summary>
    public static string Fill(string text, RegistryIdentity registry) =>
        text.IndexOf("${AWS::", StringComparison.Ordinal) < 0 ? text
            : text.Replace(AccountPlaceholder, registry.AccountId).Replace(RegionPlaceholder, registry.Region).Replace(PartitionPlaceholder, registry.Partition);

    /// <summary>A copy of a JSON value with every string value (not keys) mapped.</summary>
    public static JToken MapStrings(JToken token, Func<string, string> map)
    {
        switch (token)
        {
            case JValue { Type: JTokenType.String } value:
                return new JValue(map((string)value!));
            case JArray array:
                return new JArray(array.Select(t => MapStrings(t, map)));
            case JObject obj:
                var copy = new JObject();
                foreach (var property in obj.Properties())
                {
                    copy.Add(property.Name, MapStrings(property.Value, map));
                }

                return copy;
            default:
                return token.DeepClone();
        }
    }

    // arn:PARTITION:ecr:REGION:ACCOUNT:repository/... with its first three variable parts replaced; others unchanged.
    private static string RewriteRepositoryArn(string text, string partition, string region, string account, RegistryIdentity? onlyFrom)
    {
        if (!IsRepositoryArn(text, out var arn))
        {
            return text;
        }

        if (onlyFrom is not null && !(arn.Partition == onlyFrom.Partition && arn.Region == onlyFrom.Region && arn.Account == onlyFrom.AccountId))
        {
            return text;
        }

        return string.Join(":", "arn", partition, "ecr", region, account, arn.Resource);
    }

    /// <summary>True when the text is an ECR repository ARN (or pattern): service ecr, resource repository/...; its parts are not checked.</summary>
    internal static bool IsRepositoryArn(string text, [NotNullWhen(true)] out Arn? arn) =>
        Arn.TryParse(text, out arn) && arn.Service == "ecr" && arn.Resource.StartsWith("repository/", StringComparison.Ordinal);
}
