using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PtcTools.Policy;

namespace PtcTools.Commands;

/// <summary>Get-PtcPullThroughCacheRule: lists the pull through cache rules of ECR Regions, every page.</summary>
[Cmdlet(VerbsCommon.Get, "PtcPullThroughCacheRule")]
[OutputType(typeof(PtcPullThroughCacheRule))]
public sealed class GetPtcPullThroughCacheRuleCommand : AwsCmdlet
{
    /// <summary>Only the rules with these ECR repository prefixes; wildcards filter the full list.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("EcrRepositoryPrefixes")]
    [SupportsWildcards]
    public string[]? EcrRepositoryPrefix { get; set; }

    /// <summary>The registry (account) id; the caller's by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[0-9]{12}$")]
    public string? RegistryId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var patterns = EcrRepositoryPrefix?.Where(WildcardPattern.ContainsWildcardCharacters).Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
        var exact = EcrRepositoryPrefix?.Where(p => !WildcardPattern.ContainsWildcardCharacters(p)).ToList();

        // With a wildcard, ask for every rule and filter here; ECR matches prefixes exactly.
        var ask = patterns is { Count: > 0 } ? null : exact;
        foreach (var region in RegionsOrDefault())
        {
            try
            {
                var client = CreateClient(region);
                var rules = Run(ct => client.DescribePullThroughCacheRulesAsync(RegistryId, ask, ct));
                foreach (var rule in rules)
                {
                    if (patterns is { Count: > 0 } && !patterns.Any(p => p.IsMatch(rule.EcrRepositoryPrefix)) && !(exact?.Contains(rule.EcrRepositoryPrefix) ?? false))
                    {
                        continue;
                    }

                    WriteObject(new PtcPullThroughCacheRule(rule, client.Region));
                }
            }
            catch (PolicyException ex)
            {
                WriteTargetError(ex, EcrRepositoryPrefix is { Length: > 0 } && ex.ErrorId == "PullThroughCacheRuleNotFound" ? string.Join(",", EcrRepositoryPrefix) : RegionTarget(region));
            }
        }
    }

    private void WriteTargetError(PolicyException exception, object target) => WriteError(ErrorRecords.From(exception, target));
}
