using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Test-PtcRegistryPolicy: lints a registry policy and reports what ECR would reject and what it would wrongly accept.</summary>
[Cmdlet(VerbsDiagnostic.Test, "PtcRegistryPolicy", DefaultParameterSetName = PolicySet)]
[OutputType(typeof(PtcPolicyFinding))]
[OutputType(typeof(bool))]
public sealed class TestPtcRegistryPolicyCommand : PSCmdlet
{
    private const string PolicySet = "Policy";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly PipedPolicyLines _lines = new();

    /// <summary>The policy: JSON text, a PtcRegistryPolicy, a policy file object, an object with a PolicyText property, a hashtable or a ConvertFrom-Json object.</summary>
    [Parameter(ParameterSetName = PolicySet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("InputObject", "Policy")]
    [PolicyArgument(TakesText = true)] // text by position is the policy, not -Path (a file name in it is read as -Path below)
    public PtcRegistryPolicy PolicyText { get; set; } = null!;

    /// <summary>Policy files to lint; wildcards are expanded.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Policy files to lint, taken exactly as written.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The registry policy scope; under V1 only three actions are allowed. Default V2.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public RegistryPolicyScope? Scope { get; set; }

    /// <summary>The 12-digit account of the registry; resources in other accounts are reported (PTC102).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <summary>The Region of the registry; resources in other Regions are reported (PTC102).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>The registry's pull through cache rules (objects with EcrRepositoryPrefix, or the prefixes as text).</summary>
    [Parameter]
    public object[]? PullThroughCacheRule { get; set; }

    /// <summary>Accounts that may be granted access; grants to others are reported (PTC107).</summary>
    [Parameter]
    public string[]? TrustedAccount { get; set; }

    /// <summary>Organizations (o-...) whose accounts may be granted access (PTC107).</summary>
    [Parameter]
    public string[]? OrganizationId { get; set; }

    /// <summary>The least severity to report: Information (all, the default), Warning or Error.</summary>
    [Parameter]
    public FindingSeverity Severity { get; set; } = FindingSeverity.Information;

    /// <summary>Rule ids whose findings are not reported.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(RuleIdCompleter))]
    public string[]? ExcludeRule { get; set; }

    /// <summary>Return $true when the policy has no Error finding, else $false, instead of the findings.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == PolicySet)
        {
            foreach (var policy in PipelineArray.Policies(PolicyText))
            {
                ProcessPolicy(policy, Options(policy));
            }

            return;
        }

        var options = Options(null);

        var literal = ParameterSetName == LiteralPathSet;
        foreach (var file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            LintFile(file, options);
        }
    }

    private void ProcessPolicy(PtcRegistryPolicy policy, LintOptions options)
    {
        var given = PSValue.Unwrap(policy.Given);
        if (given is FileInfo)
        {
            // A policy file object is linted as -Path lints its file: the text as stored, the file named in Source.
            LintFile(policy.Path!, options);
        }
        else if (!MyInvocation.ExpectingInput && given is string text && PolicyPaths.LooksLikeFileName(text))
        {
            // Test-PtcRegistryPolicy ./registry-policy.json: the syntax shows -Path at position 0 too, and a file
            // name is no policy, so it is read as -Path (wildcards and all) instead of linted as JSON.
            foreach (var path in ResolveFiles(new[] { text.Trim() }, literal: false))
            {
                LintFile(path, options);
            }
        }
        else if (!_lines.Take(policy.Given, MyInvocation.ExpectingInput))
        {
            Lint(policy, null, options);
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        foreach (var text in _lines.Texts())
        {
            Lint(new PtcRegistryPolicy(text), null, Options(null));
        }
    }

    // The registry a policy is checked against: the parameters given, else what the policy knows of where it came from
    // (a policy read from ECR, piped or given as -PolicyText alike; piped, its properties bind the parameters anyway).
    private LintOptions Options(PtcRegistryPolicy? origin)
    {
        var registry = PolicyRegistry.Of(RegistryId, Region, Scope, origin);
        var options = new LintOptions
        {
            Scope = registry.Scope,
            RegistryId = registry.RegistryId,
            Region = registry.Region,
            TrustedAccounts = (TrustedAccount ?? Array.Empty<string>()).ToList(),
            OrganizationIds = (OrganizationId ?? Array.Empty<string>()).ToList(),
            ExcludeRules = (ExcludeRule ?? Array.Empty<string>()).ToList(),
            MinimumSeverity = Severity,
            PullThroughCacheRulePrefixes = PullThroughCacheRule is null ? null : PullThroughCacheRule.Select(RulePrefix).ToList(),
        };
        try
        {
            options.Validate();
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }

        return options;
    }

    private string RulePrefix(object rule)
    {
        // Rules come as AWS.Tools or PtcTools objects (live or deserialized), hashtables, or plain prefixes.
        var value = PSValue.Unwrap(rule) switch
        {
            string text => text,
            System.Collections.IDictionary table => table["EcrRepositoryPrefix"],
            _ => PSObject.AsPSObject(rule).Properties["EcrRepositoryPrefix"]?.Value,
        };
        if (PSValue.Unwrap(value) is string prefix)
        {
            return prefix;
        }

        ThrowTerminatingError(ErrorRecords.Create(
            ErrorIds.PullThroughCacheRuleInvalid,
            ErrorCategory.InvalidArgument,
            "A -PullThroughCacheRule value has no EcrRepositoryPrefix. Pass the rules Get-PtcPullThroughCacheRule or Get-ECRPullThroughCacheRule return, or their prefixes as text.",
            rule));
        return string.Empty;
    }

    private void Lint(PtcRegistryPolicy policy, string? source, LintOptions options)
    {
        IReadOnlyList<PolicyFinding> findings;
        try
        {
            findings = PolicyLinter.Lint(policy.Document, options);
        }
        catch (PolicyJsonException ex)
        {
            findings = PolicyLinter.Lint(ex, options);
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, policy.ErrorTarget));
            return;
        }

        if (Quiet)
        {
            WriteObject(!findings.Any(f => f.Severity == FindingSeverity.Error));
            return;
        }

        foreach (var finding in findings)
        {
            WriteObject(new PtcPolicyFinding(finding, source));
        }
    }

    private void LintFile(string file, LintOptions options)
    {
        string text;
        try
        {
            text = PolicyFile.ReadText(file);
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, file));
            return;
        }

        Lint(new PtcRegistryPolicy(text), file, options);
    }

    private IEnumerable<string> ResolveFiles(string[] paths, bool literal)
    {
        foreach (var path in paths)
        {
            IReadOnlyList<string> files;
            try
            {
                files = PolicyPaths.Resolve(SessionState, path, literal, PolicyPathRules.None);
            }
            catch (PolicyException ex)
            {
                WriteError(ErrorRecords.From(ex));
                continue;
            }

            foreach (var file in files)
            {
                yield return file;
            }
        }
    }
}
