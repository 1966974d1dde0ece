using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Aws.Ecr;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Targets;

/// <summary>One account x Region a command works on: an account reached through a role, or the caller's own (null).</summary>
public sealed class RegistryTarget : IEquatable<RegistryTarget>
{
    /// <summary>Creates a target.</summary>
    /// <param name="accountId">The 12-digit account to assume a role in, or null for the account of the caller's credentials.</param>
    /// <param name="region">The Region.</param>
    public RegistryTarget(string? accountId, string region)
    {
        AccountId = accountId;
        Region = AwsEndpoints.CheckRegion(region);
    }

    /// <summary>The account reached through a role, or null for the caller's own.</summary>
    public string? AccountId { get; }

    /// <summary>The Region.</summary>
    public string Region { get; }

    /// <summary>The AWS partition of the Region (aws, aws-cn, aws-us-gov).</summary>
    public string Partition => Partitions.FromRegion(Region);

    /// <summary>A stable key for journals and locks: <c>111122223333/us-east-1</c>, or <c>self/us-east-1</c>.</summary>
    public string Key => (AccountId ?? "self") + "/" + Region;

    /// <summary>The targets of every account x Region, accounts first (null accounts: the caller's own).</summary>
    /// <exception cref="PolicyException"><c>AccountIdInvalid</c> for an account id that is not 12 digits.</exception>
    public static IReadOnlyList<RegistryTarget> Product(IReadOnlyList<string?> accounts, IReadOnlyList<string> regions)
    {
        foreach (var account in accounts)
        {
            if (account is not null && !Arn.IsAccountId(account))
            {
                throw new PolicyException(ErrorIds.AccountIdInvalid, PolicyErrorKind.InvalidArgument, $"'{account}' is not an account id; give 12-digit AWS account ids.", account);
            }
        }

        return accounts.Distinct(StringComparer.Ordinal)
            .SelectMany(a => regions.Distinct(StringComparer.Ordinal).Select(r => new RegistryTarget(a, r)))
            .ToList();
    }

    /// <summary>How messages name the target: <c>account 111122223333 in us-east-1</c>, or <c>us-east-1</c> for the caller's own account.</summary>
    public string Describe() => AccountId is null ? Region : $"account {AccountId} in {Region}";

    /// <inheritdoc />
    public bool Equals(RegistryTarget? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RegistryTarget);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    /// <summary>The key.</summary>
    public override string ToString() => Key;
}
