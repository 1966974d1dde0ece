using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>What the linter knows about the registry the policy is for, and which findings to keep.</summary>
public sealed class LintOptions
{
    private static readonly Regex s_organizationId = new("^o-[a-z0-9]{10,32}$", RegexOptions.CultureInvariant);

    /// <summary>The registry policy scope; V1 allows only three actions. V2 (the default) allows every ECR action.</summary>
    public RegistryPolicyScope Scope { get; set; } = RegistryPolicyScope.V2;

    /// <summary>The 12-digit account of the registry, when known; enables the other-account check (PTC102).</summary>
    public string? RegistryId { get; set; }

    /// <summary>The Region of the registry, when known; enables the other-Region check (PTC102).</summary>
    public string? Region { get; set; }

    /// <summary>The ecrRepositoryPrefix of every pull through cache rule of the registry, or null when unknown (PTC104, PTC108).</summary>
    public IList<string>? PullThroughCacheRulePrefixes { get; set; }

    /// <summary>Accounts that may be granted access; with <see cref="OrganizationIds"/> enables PTC107.</summary>
    public IList<string> TrustedAccounts { get; set; } = new List<string>();

    /// <summary>AWS Organizations ids (o-...) whose members may be granted access.</summary>
    public IList<string> OrganizationIds { get; set; } = new List<string>();

    /// <summary>Rule ids whose findings are dropped.</summary>
    public IList<string> ExcludeRules { get; set; } = new List<string>();

    /// <summary>Findings less serious than this are dropped.</summary>
    public FindingSeverity MinimumSeverity { get; set; } = FindingSeverity.Information;

    /// <summary>Checks every value, so that a typo in an option is an error rather than a silently skipped check.</summary>
    /// <exception cref="PolicyException">RegistryIdInvalid, RegionInvalid, AccountIdInvalid, OrganizationIdInvalid, RepositoryPrefixInvalid or LintRuleNotFound.</exception>
    public void Validate()
    {
        if (RegistryId is not null && !Arn.IsAccountId(RegistryId))
        {
            throw new PolicyException(ErrorIds.RegistryIdInvalid, PolicyErrorKind.InvalidArgument, $"'{RegistryId}' is not a registry id; give the 12-digit account id of the registry.", RegistryId);
        }

        if (Region is not null)
        {
            Partitions.FromRegion(Region);
        }

        foreach (var account in TrustedAccounts.Where(a => !Arn.IsAccountId(a)))
        {
            throw new PolicyException(ErrorIds.AccountIdInvalid, PolicyErrorKind.InvalidArgument, $"'{account}' is not an account id; a trusted account is a 12-digit account id.", account);
        }

        foreach (var org in OrganizationIds.Where(o => o is null || !s_organizationId.IsMatch(o)))
        {
            throw new PolicyException(ErrorIds.OrganizationIdInvalid, PolicyErrorKind.InvalidArgument, $"'{org}' is not an AWS Organizations id such as o-a1b2c3d4e5.", org);
        }

        foreach (var prefix in PullThroughCacheRulePrefixes ?? Array.Empty<string>())
        {
            PullThroughCachePrefix.Check(prefix);
        }

        foreach (var id in ExcludeRules.Where(id => LintRules.Find(id) is null))
        {
            throw new PolicyException(ErrorIds.LintRuleNotFound, PolicyErrorKind.ObjectNotFound, $"There is no lint rule '{id}'. The rules are {string.Join(", ", LintRules.All.Select(r => r.Id))}.", id);
        }
    }
}
