using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Generators;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>New-PtcIdentityPolicy: the least-privilege identity policy of a puller, a rule operator or a template operator.</summary>
/// <remarks>Aggregating: rules piped in are collected, and one policy per account comes out at the end.</remarks>
[Cmdlet(VerbsCommon.New, "PtcIdentityPolicy")]
[OutputType(typeof(PtcIamPolicy))]
public sealed class NewPtcIdentityPolicyCommand : PSCmdlet
{
    private readonly List<Input> _inputs = new();

    /// <summary>Whose policy: Puller, RuleOperator or TemplateOperator.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public PermissionActor Actor { get; set; }

    /// <summary>The cache prefixes the policy covers (a rule's EcrRepositoryPrefix, or ROOT); for a template operator, the templates' prefixes.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("EcrRepositoryPrefix", "Prefix")]
    [ArgumentCompleter(typeof(RepositoryPrefixCompleter))]
    public string[]? RepositoryPrefix { get; set; }

    /// <summary>The Regions of the registries; default: the session's Region.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string[]? Region { get; set; }

    /// <summary>The 12-digit account that owns the registries.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("AccountId")]
    public string? RegistryId { get; set; }

    /// <summary>For a puller: FirstPull (default: creates the cache repository, covers later pulls too) or LaterPulls.</summary>
    [Parameter]
    public PullStage Stage { get; set; } = PullStage.FirstPull;

    /// <summary>For a puller's first pull: add ecr:TagResource, which a repository creation template that tags requires.</summary>
    [Parameter]
    public SwitchParameter TagResource { get; set; }

    /// <summary>The roles the operator passes to ECR (iam:PassRole): a rule's CustomRoleArn, or a template's.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CustomRoleArn")]
    public string[]? RoleArn { get; set; }

    /// <summary>For a template operator: the templates set lifecycle policies (ecr:PutLifecyclePolicy).</summary>
    [Parameter]
    public SwitchParameter LifecyclePolicy { get; set; }

    /// <summary>For a template operator: the templates set repository policies (ecr:SetRepositoryPolicy).</summary>
    [Parameter]
    public SwitchParameter RepositoryPolicy { get; set; }

    /// <summary>Who gets the policy: a role or user ARN, or an object with an Arn property; fills RoleName or UserName for AWS.Tools.</summary>
    [Parameter]
    public PtcPrincipal? Principal { get; set; }

    /// <summary>The policy's name; default: PtcPullThroughCachePuller, PtcPullThroughCacheRuleOperator or PtcRepositoryCreationTemplateOperator.</summary>
    [Parameter]
    public string? PolicyName { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        _inputs.Add(new Input(RepositoryPrefix ?? Array.Empty<string>(), Region ?? Array.Empty<string>(), RegistryId, RoleArn ?? Array.Empty<string>()));
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string? roleName = null;
        string? userName = null;
        if (Principal is not null)
        {
            try
            {
                (roleName, userName) = Holder(Principal);
            }
            catch (PtcToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, Principal.Source));
            }
        }

        // One policy per account: rules of several Regions of one account make one policy.
        foreach (var group in _inputs.GroupBy(i => i.RegistryId ?? string.Empty, StringComparer.Ordinal))
        {
            var regions = group.SelectMany(i => i.Regions).Where(r => !string.IsNullOrEmpty(r)).Distinct(StringComparer.Ordinal).ToList();
            if (regions.Count == 0 && OfflineRegion.Resolve(SessionState) is { } region)
            {
                regions.Add(region);
            }

            var request = new IdentityPolicyRequest
            {
                Actor = Actor,
                RepositoryPrefixes = group.SelectMany(i => i.Prefixes).ToList(),
                Regions = regions,
                AccountId = group.Key.Length == 0 ? null : group.Key,
                Stage = Stage,
                TagResource = TagResource,
                RoleArns = Actor == PermissionActor.Puller ? new List<string>() : group.SelectMany(i => i.Roles).Where(r => !string.IsNullOrEmpty(r)).ToList(),
                LifecyclePolicy = LifecyclePolicy,
                RepositoryPolicy = RepositoryPolicy,
                PolicyName = PolicyName,
            };
            try
            {
                var policy = PermissionSetGenerator.IdentityPolicy(request);
                foreach (var caveat in policy.Caveats)
                {
                    WriteVerbose("Caveat: " + caveat);
                }

                WriteObject(new PtcIamPolicy(policy, roleName, userName));
            }
            catch (PtcToolsException ex)
            {
                WriteError(ErrorRecords.From(ex, ex.Target ?? (object?)group.Key));
            }
        }
    }

    /// <summary>The role or user name an identity policy is written to, from a principal ARN (an assumed-role session names its role).</summary>
    /// <exception cref="PolicyException"><c>PrincipalInvalid</c> for anything but a user, role or session.</exception>
    internal static (string? RoleName, string? UserName) Holder(PtcPrincipal principal)
    {
        var text = principal.Value;
        if (text is null || !PrincipalId.TryParse(text, "AWS", out var id, out _, out _) || id.Kind is not (PrincipalKind.Role or PrincipalKind.AssumedRole or PrincipalKind.User))
        {
            throw new PolicyException(ErrorIds.PrincipalInvalid, PolicyErrorKind.InvalidArgument,
                $"'{text}' is not an IAM role, user or assumed-role session ARN; an identity policy is attached to a role or a user.", principal.Source);
        }

        return id.Kind == PrincipalKind.User ? (null, id.Name) : (id.Name, null);
    }

    private sealed class Input
    {
        public Input(string[] prefixes, string[] regions, string? registryId, string[] roles)
        {
            Prefixes = prefixes;
            Regions = regions;
            RegistryId = registryId;
            Roles = roles;
        }

        public string[] Prefixes { get; }

        public string[] Regions { get; }

        public string? RegistryId { get; }

        public string[] Roles { get; }
    }
}
