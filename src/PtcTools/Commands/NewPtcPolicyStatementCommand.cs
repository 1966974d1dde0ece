using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Merge;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>New-PtcPolicyStatement: the console's "Generate statement" for pull through cache, replication and ECR-to-ECR upstream access.</summary>
[Cmdlet(VerbsCommon.New, "PtcPolicyStatement", DefaultParameterSetName = PrincipalSet)]
[OutputType(typeof(PtcPolicyStatement))]
public sealed class NewPtcPolicyStatementCommand : PSCmdlet
{
    private const string PrincipalSet = "Principal";
    private const string OrganizationSet = "Organization";

    // With -Sid, statements that get the same Sid must be the same grant: a second, different one could never be merged.
    private readonly Dictionary<string, string> _meaningBySid = new(StringComparer.Ordinal);

    /// <summary>What the statement is for; decides the default actions.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public PolicyType PolicyType { get; set; } = PolicyType.PullThroughCache;

    /// <summary>Who is granted: account ids, account root, user, role or session ARNs, or objects with an Arn property.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PrincipalSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Arn")]
    public PtcPrincipal[] Principal { get; set; } = Array.Empty<PtcPrincipal>();

    /// <summary>Grants every principal of an AWS organization (<c>Principal "*"</c> with <c>aws:PrincipalOrgID</c>).</summary>
    [Parameter(Mandatory = true, ParameterSetName = OrganizationSet, ValueFromPipelineByPropertyName = true)]
    public string OrganizationId { get; set; } = null!;

    /// <summary>Repository prefixes (a PTC rule's EcrRepositoryPrefix, or ROOT); one statement each.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("EcrRepositoryPrefix")]
    [ArgumentCompleter(typeof(RepositoryPrefixCompleter))]
    public string[]? RepositoryPrefix { get; set; }

    /// <summary>Repository names under the prefix; default: every repository under it.</summary>
    [Parameter]
    public string[]? RepositoryName { get; set; }

    /// <summary>The registry's Region; default: the AWS cmdlets' Region chain without the instance metadata (OfflineRegion).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>The 12-digit account that owns the registry.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <summary>Actions in place of the policy type's.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ActionCompleter))]
    public string[]? Action { get; set; }

    /// <summary>Allow (default) or Deny.</summary>
    [Parameter]
    public StatementEffect Effect { get; set; } = StatementEffect.Allow;

    /// <summary>An IAM Condition block as a hashtable: operator to condition key to value(s).</summary>
    [Parameter]
    public IDictionary? Condition { get; set; }

    /// <summary>The statement id (letters and digits, and {Prefix} for the statement's prefix); default: readable and derived from the grant.</summary>
    [Parameter]
    public string? Sid { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // The Sid is the same for every input, so a bad one stops the whole call.
        if (Sid is not null)
        {
            try
            {
                StatementBuilder.ValidateSid(StatementBuilder.SidTemplateSample(Sid));
            }
            catch (PtcToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, Sid));
            }
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var principals = new List<string>();
        if (ParameterSetName == PrincipalSet)
        {
            foreach (var principal in Principal ?? Array.Empty<PtcPrincipal>())
            {
                if (principal?.Value is not { } value)
                {
                    WriteError(ErrorRecords.Create(ErrorIds.PrincipalInvalid, ErrorCategory.InvalidArgument, "No principal: the object given as -Principal (or piped in without -Principal) has no Arn property. Give -Principal with account ids or ARNs, or pipe objects with an Arn property such as Get-IAMRole output.", principal?.Source));
                    return;
                }

                principals.Add(value);
            }
        }

        JObject? condition = null;
        if (Condition is not null)
        {
            try
            {
                condition = PolicyStructure.ToJToken(Condition, "Condition") as JObject;
            }
            catch (PtcToolsException ex)
            {
                WriteError(ErrorRecords.From(ex, Condition));
                return;
            }
        }

        var region = string.IsNullOrEmpty(Region) ? OfflineRegion.Resolve(SessionState) : Region;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Action)) && Action is not { Length: > 0 })
        {
            // An empty list (a filter that matched nothing) would silently become the policy type's actions.
            WriteError(ErrorRecords.Create(ErrorIds.ActionInvalid, ErrorCategory.InvalidArgument, $"-Action is empty. Name the ECR actions to grant, or leave out -Action for the actions of -PolicyType {PolicyType}.", Action));
            return;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(RepositoryName)) && (RepositoryName is not { Length: > 0 } || RepositoryName.Any(n => n is null)))
        {
            // Without names the statement covers every repository under the prefix: far more than the names asked for.
            WriteError(ErrorRecords.Create(ErrorIds.RepositoryNameInvalid, ErrorCategory.InvalidArgument, "-RepositoryName is empty or holds $null, and without names the statement would cover every repository under the prefix. Name the repositories, or leave out -RepositoryName to cover them all on purpose.", RepositoryName));
            return;
        }

        var prefixGiven = MyInvocation.BoundParameters.ContainsKey(nameof(RepositoryPrefix));
        if (prefixGiven && RepositoryPrefix is not { Length: > 0 })
        {
            WriteError(EmptyPrefix(RepositoryPrefix));
            return;
        }

        var prefixes = RepositoryPrefix is { Length: > 0 } ? RepositoryPrefix : new string?[] { null };
        foreach (var prefix in prefixes)
        {
            // An empty prefix (an unset variable, a rule object without one) would silently widen the grant to every repository.
            if (prefixGiven && string.IsNullOrEmpty(prefix))
            {
                WriteError(EmptyPrefix(prefix));
                continue;
            }

            var request = new StatementRequest
            {
                PolicyType = PolicyType,
                Principals = principals,
                OrganizationId = ParameterSetName == OrganizationSet ? OrganizationId : null,
                RepositoryPrefix = prefix,
                RepositoryNames = RepositoryName?.ToList() ?? new List<string>(),
                Region = region,
                RegistryId = RegistryId,
                Actions = Action?.ToList() ?? new List<string>(),
                Effect = Effect,
                Condition = condition,
                Sid = Sid,
            };
            try
            {
                var statement = StatementBuilder.Build(request);
                if (Sid is not null)
                {
                    var meaning = StatementMeaning.Of(statement).Key;
                    if (_meaningBySid.TryGetValue(statement.Sid!, out var first) && first != meaning)
                    {
                        WriteError(ErrorRecords.Create(ErrorIds.SidNotUnique, ErrorCategory.InvalidArgument, $"-Sid '{Sid}' would name a second, different statement ({string.Join(", ", statement.Resource)}) '{statement.Sid}'; a Sid must be unique in a policy. Put {StatementBuilder.PrefixPlaceholder} in it to name each prefix's statement (-Sid 'Ci{StatementBuilder.PrefixPlaceholder}'), omit -Sid, or make one call per statement.", prefix ?? (object)Sid));
                        continue;
                    }

                    _meaningBySid[statement.Sid!] = meaning;
                }

                WriteObject(new PtcPolicyStatement(statement));
            }
            catch (PtcToolsException ex)
            {
                WriteError(ErrorRecords.From(WithUserTarget(ex)));
            }
        }
    }

    private static ErrorRecord EmptyPrefix(object? target) =>
        ErrorRecords.Create(ErrorIds.RepositoryPrefixInvalid, ErrorCategory.InvalidArgument, "-RepositoryPrefix is empty, and an empty prefix would grant every repository in the registry. Give the pull through cache rule's prefix (for example docker-hub), ROOT to cover every repository on purpose, or leave out -RepositoryPrefix.", target);

    // A principal error names the object the user gave (e.g. a Get-IAMRole result), not just its text.
    private PtcToolsException WithUserTarget(PtcToolsException ex)
    {
        if (ex.ErrorId is ErrorIds.PrincipalInvalid or ErrorIds.PrincipalIsGroup && ex.Target is string text
            && Principal?.FirstOrDefault(p => p?.Value == text)?.Source is { } source && source is not string)
        {
            return new PolicyException(ex.ErrorId, ex.Kind, ex.Message, source, ex);
        }

        return ex;
    }
}
