using System;
using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Commands;

/// <summary>Get-PtcPullThroughCacheRule: lists the pull through cache rules of ECR Regions, every page.</summary>
[Cmdlet(VerbsCommon.Get, "PtcPullThroughCacheRule")]
[OutputType(typeof(PtcPullThroughCacheRule))]
public sealed class GetPtcPullThroughCacheRuleCommand : TargetCmdlet
{
    /// <summary>Only the rules with these ECR repository prefixes; wildcards filter the full list.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("EcrRepositoryPrefixes")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RepositoryPrefixCompleter))]
    public string[]? EcrRepositoryPrefix { get; set; }

    /// <summary>The registry (account) id; the caller's by default.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        // Checked here rather than by validation attributes, so the errors carry stable ids and say what to give.
        if (RegistryId is not null && !Arn.IsAccountId(RegistryId))
        {
            WriteError(ErrorRecords.From(new PolicyException(ErrorIds.RegistryIdInvalid, PolicyErrorKind.InvalidArgument,
                $"'{RegistryId}' is not a registry id; give the 12-digit account id that owns the registry, or leave -RegistryId out for the caller's own.", RegistryId)));
            return;
        }

        foreach (var prefix in EcrRepositoryPrefix ?? Array.Empty<string>())
        {
            if (!WildcardPattern.ContainsWildcardCharacters(prefix) && !PullThroughCachePrefix.IsValid(prefix))
            {
                WriteError(ErrorRecords.From(PullThroughCachePrefix.Invalid(prefix, "Use wildcards (quay*) to filter.")));
                return;
            }
        }

        var patterns = EcrRepositoryPrefix?.Where(WildcardPattern.ContainsWildcardCharacters).Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
        var exact = EcrRepositoryPrefix?.Where(p => !WildcardPattern.ContainsWildcardCharacters(p)).ToList();

        // With a wildcard, ask for every rule and filter here; ECR matches prefixes exactly.
        var ask = patterns is { Count: > 0 } ? null : exact;
        var (targets, sessions) = ResolveTargets();
        ForEachTarget(targets, runner => async scope =>
        {
            try
            {
                var client = await sessions!(scope.Registry).EcrAsync(scope.Token).ConfigureAwait(false);
                var rules = await client.DescribePullThroughCacheRulesAsync(RegistryId, ask, scope.Token).ConfigureAwait(false);
                var found = rules
                    .Where(rule => !(patterns is { Count: > 0 } && !patterns.Any(p => p.IsMatch(rule.EcrRepositoryPrefix)) && !(exact?.Contains(rule.EcrRepositoryPrefix) ?? false)))
                    .Select(rule => new PtcPullThroughCacheRule(rule, client.Region))
                    .ToList();
                scope.Post(() =>
                {
                    foreach (var rule in found)
                    {
                        WriteObject(rule);
                    }
                });
                return TargetOutcome.Done("Read");
            }
            catch (PtcToolsException ex)
            {
                var target = EcrRepositoryPrefix is { Length: > 0 } && ex.ErrorId == ErrorIds.PullThroughCacheRuleNotFound ? string.Join(",", EcrRepositoryPrefix) : Label(scope.Registry);
                scope.Post(() => WriteTargetError(ex, target));
                return TargetOutcome.Failed(ex.ErrorId);
            }
        });
    }

    private void WriteTargetError(PtcToolsException exception, object target) => WriteError(ErrorRecords.From(exception, target));
}
