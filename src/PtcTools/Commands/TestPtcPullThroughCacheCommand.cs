using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws;
using PtcTools.Aws.Iam;
using PtcTools.Aws.Readiness;
using PtcTools.Aws.SecretsManager;
using PtcTools.Aws.Targets;
using PtcTools.Policy;
using PtcTools.Policy.Model;
using PtcTools.Policy.Readiness;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Test-PtcPullThroughCache: will a pull through the cache work? One check per document of the permission set, with what to add.</summary>
/// <remarks>
/// The documents not given are read live (ECR, IAM, Secrets Manager) with the module's credential chain, unless
/// -Offline; a read that fails makes the checks that need it Unknown, never the whole command fail. With -AccountId
/// every account x Region target's rules and documents are read through the account's role, -ThrottleLimit at once.
/// </remarks>
[Cmdlet(VerbsDiagnostic.Test, "PtcPullThroughCache")]
[OutputType(typeof(PtcReadinessCheck))]
[OutputType(typeof(bool))]
public sealed class TestPtcPullThroughCacheCommand : TargetCmdlet
{
    private readonly Dictionary<string, PermissionSetReader> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SecretsManagerClient> _secrets = new(StringComparer.Ordinal);
    private Given? _given;
    private bool _allPass = true;
    private bool _any;
    private bool _ruleSeen;
    private string? _chainRegion;

    /// <summary>The rules: Get-PtcPullThroughCacheRule output, AWS.Tools' or the AWS CLI's rules, or their JSON text or file. Without it, the Regions' rules are read from ECR.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [Alias("InputObject")]
    public object[]? Rule { get; set; }

    /// <summary>Without -Rule: only the rules with these prefixes are read from ECR.</summary>
    [Parameter]
    public string[]? EcrRepositoryPrefix { get; set; }

    /// <summary>The principals that pull: role, user or assumed-role session ARNs, or objects with an Arn property.</summary>
    [Parameter]
    public PtcPrincipal[]? Principal { get; set; }

    /// <summary>The registry (account) of rules that do not say theirs.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <summary>The repository under the cache prefix the pulls are checked on (default example/image).</summary>
    [Parameter]
    public string? RepositoryName { get; set; }

    /// <summary>The cache registry's policy, instead of reading it: a PtcRegistryPolicy, JSON text or a file.</summary>
    [Parameter]
    public object? RegistryPolicy { get; set; }

    /// <summary>The registry policy scope, instead of reading it.</summary>
    [Parameter]
    public RegistryPolicyScope? Scope { get; set; }

    /// <summary>The repository creation templates, instead of reading them: DescribeRepositoryCreationTemplates' answer, templates, JSON text or files.</summary>
    [Parameter]
    public object[]? Template { get; set; }

    /// <summary>The upstream secret's metadata, instead of reading it: DescribeSecret's answer (an object, JSON text or a file).</summary>
    [Parameter]
    public object? Secret { get; set; }

    /// <summary>The ECR-to-ECR custom role's trust policy, instead of reading it.</summary>
    [Parameter]
    public object? CustomRoleTrustPolicy { get; set; }

    /// <summary>The ECR-to-ECR custom role's permissions policies, instead of reading them.</summary>
    [Parameter]
    public object[]? CustomRolePolicy { get; set; }

    /// <summary>The template's custom role's trust policy, instead of reading it.</summary>
    [Parameter]
    public object? TemplateRoleTrustPolicy { get; set; }

    /// <summary>The template's custom role's permissions policies, instead of reading them.</summary>
    [Parameter]
    public object[]? TemplateRolePolicy { get; set; }

    /// <summary>ECR-to-ECR across accounts: the upstream account's registry policy (PtcTools reads only its credentials' account).</summary>
    [Parameter]
    public object? UpstreamRegistryPolicy { get; set; }

    /// <summary>The pullers' identity-based policies, instead of reading them from IAM (they hold for every -Principal).</summary>
    [Parameter]
    [Alias("IdentityPolicies")]
    public object[]? IdentityPolicy { get; set; }

    /// <summary>The pullers' permissions boundary, with -IdentityPolicy (none when not given).</summary>
    [Parameter]
    public object[]? PermissionsBoundary { get; set; }

    /// <summary>Read nothing from AWS: every document not given is Unknown.</summary>
    [Parameter]
    public SwitchParameter Offline { get; set; }

    /// <summary>Return one bool: true when every check passes.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (AccountId is { Length: > 0 } && (Offline || MyInvocation.BoundParameters.ContainsKey(nameof(Rule))))
        {
            ThrowTerminatingError(AccountIdNeedsLiveRead());
        }

        try
        {
            _given = Given.Read(this);
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Rule is null)
        {
            return;
        }

        if (AccountId is { Length: > 0 })
        {
            ThrowTerminatingError(AccountIdNeedsLiveRead());
        }

        _ruleSeen = true;
        foreach (var value in Rule)
        {
            IReadOnlyList<CacheRuleFacts> rules;
            try
            {
                rules = ReadinessInputs.Rules(value, () => Region is { Length: > 0 } ? Region[0] : FallbackRegion(), RegistryId, SessionState);
            }
            catch (PtcToolsException ex)
            {
                Fail(ErrorRecords.From(ex, ex.Target ?? value));
                continue;
            }

            foreach (var rule in rules)
            {
                CheckRule(rule);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!_ruleSeen)
        {
            ReadRulesLive();
        }

        if (Quiet)
        {
            WriteObject(_any && _allPass);
        }
    }

    private void ReadRulesLive()
    {
        if (Offline)
        {
            Fail(ErrorRecords.Create(ErrorIds.RuleMissing, ErrorCategory.InvalidArgument, "-Offline reads nothing from ECR, so give the rules with -Rule (Get-PtcPullThroughCacheRule output, or DescribePullThroughCacheRules' answer as JSON text or a file).", null));
            return;
        }

        if (AccountId is { Length: > 0 })
        {
            ReadAccountsLive();
            return;
        }

        foreach (var region in RegionsOrDefault())
        {
            try
            {
                var client = CreateClient(region);
                var rules = Run(ct => client.DescribePullThroughCacheRulesAsync(RegistryId, EcrRepositoryPrefix is { Length: > 0 } ? EcrRepositoryPrefix : null, ct));
                foreach (var rule in rules)
                {
                    CheckRule(ReadinessInputs.Rules(new PtcPullThroughCacheRule(rule, client.Region), () => client.Region, RegistryId, SessionState)[0]);
                }
            }
            catch (PtcToolsException ex)
            {
                Fail(ErrorRecords.From(ex, RegionTarget(region)));
            }
        }
    }

    private static ErrorRecord AccountIdNeedsLiveRead() => ErrorRecords.Create(ErrorIds.AccountIdNeedsLiveRead, ErrorCategory.InvalidArgument,
        "-AccountId reads the rules and documents of each account through its role; it cannot come with -Rule or -Offline. Leave out -AccountId to check given rules, or -Rule and -Offline to check the accounts.", "-AccountId");

    // -AccountId: every target's rules and documents read with the role's credentials in its account, -ThrottleLimit at once;
    // a target that cannot be reached is reported and the others go on.
    private void ReadAccountsLive()
    {
        var (targets, sessions) = ResolveTargets();
        if (sessions is null)
        {
            _allPass = false;
            return;
        }

        var given = _given!;
        var iamEndpoint = ServiceEndpointOverride("IAM");
        var secretsEndpoint = ServiceEndpointOverride("SECRETS_MANAGER");
        var allowHttp = (bool)AllowUnencryptedHttp;
        var prefixes = EcrRepositoryPrefix is { Length: > 0 } ? EcrRepositoryPrefix : null;
        var sessionState = SessionState;
        ForEachTarget(targets, runner => async scope =>
        {
            var target = scope.Registry;
            var session = sessions(target);
            var label = Label(target);
            try
            {
                var credentials = await session.CredentialsAsync(scope.Token).ConfigureAwait(false);
                var ecr = await session.EcrAsync(scope.Token).ConfigureAwait(false);
                var iam = new IamClient(new AwsClientOptions(ecr.Region, credentials) { EndpointUrl = iamEndpoint, Log = session.Log, AllowUnencryptedHttp = allowHttp });
                var secrets = new ConcurrentDictionary<string, SecretsManagerClient>(StringComparer.Ordinal);
                var reader = new PermissionSetReader(ecr, iam, region => secrets.GetOrAdd(region, r => new SecretsManagerClient(new AwsClientOptions(r, credentials) { EndpointUrl = secretsEndpoint, Log = session.Log, AllowUnencryptedHttp = allowHttp })));
                var rules = await ecr.DescribePullThroughCacheRulesAsync(target.AccountId, prefixes, scope.Token).ConfigureAwait(false);
                var checks = new List<ReadinessCheck>();
                foreach (var rule in rules)
                {
                    var facts = ReadinessInputs.Rules(new PtcPullThroughCacheRule(rule, ecr.Region), () => ecr.Region, target.AccountId, sessionState)[0];
                    var input = new ReadinessInput(facts) { RepositoryName = RepositoryName };
                    await FillAsync(input, given, reader, scope.Token).ConfigureAwait(false);
                    checks.AddRange(PullThroughCacheReadiness.Check(input));
                }

                scope.Post(() => Emit(checks));
                return TargetOutcome.Done(checks.All(c => c.Status == ReadinessStatus.Pass) ? "Pass" : "NotPass");
            }
            catch (PtcToolsException ex) when (ex.ErrorId == ErrorIds.TargetStoppedBeforeWrite)
            {
                throw new OperationCanceledException(ex.Message, ex);
            }
            catch (PtcToolsException ex)
            {
                scope.Post(() => Fail(ErrorRecords.For(ex, label)));
                return TargetOutcome.Failed(ex.ErrorId);
            }
        });
    }

    private void Emit(IEnumerable<ReadinessCheck> checks)
    {
        foreach (var check in checks)
        {
            _any = true;
            _allPass &= check.Status == ReadinessStatus.Pass;
            if (!Quiet)
            {
                WriteObject(new PtcReadinessCheck(check));
            }
        }
    }

    private void CheckRule(CacheRuleFacts rule)
    {
        var given = _given!;
        var input = new ReadinessInput(rule) { RepositoryName = RepositoryName };
        try
        {
            var reader = Offline ? null : ReaderFor(rule);
            Run(async ct =>
            {
                await FillAsync(input, given, reader, ct).ConfigureAwait(false);
                return input;
            });
            Emit(PullThroughCacheReadiness.Check(input));
        }
        catch (PtcToolsException ex)
        {
            Fail(ErrorRecords.From(ex, ex.Target ?? rule.ToString()));
        }
    }

    // Each document: the one given, else read (unless -Offline), else Unknown with why.
    private async Task FillAsync(ReadinessInput input, Given given, PermissionSetReader? reader, CancellationToken ct)
    {
        var rule = input.Rule;
        input.RegistryPolicy = given.RegistryPolicy ?? (reader is null ? Evidence<PolicyDocument?>.NotGiven(NotGiven("-RegistryPolicy")) : await reader.RegistryPolicyAsync(ct).ConfigureAwait(false));
        input.Scope = given.Scope ?? (reader is null ? Evidence<RegistryPolicyScope>.NotGiven(NotGiven("-Scope")) : await reader.ScopeAsync(ct).ConfigureAwait(false));
        input.Templates = given.Templates ?? (reader is null ? Evidence<IReadOnlyList<CreationTemplateFacts>>.NotGiven(NotGiven("-Template")) : await reader.TemplatesAsync(ct).ConfigureAwait(false));
        if (rule.CredentialArn is { } secret)
        {
            input.Secret = given.Secret ?? (reader is null ? Evidence<SecretFacts?>.NotGiven(NotGiven("-Secret")) : await reader.SecretAsync(secret, ct).ConfigureAwait(false));
        }

        if (rule.CustomRoleArn is { } role)
        {
            input.CustomRole = await RoleAsync(role, given.CustomRoleTrust, given.CustomRolePolicies, "-CustomRoleTrustPolicy and -CustomRolePolicy", reader, ct).ConfigureAwait(false);
        }

        input.UpstreamRegistryPolicy = given.UpstreamRegistryPolicy
            ?? Evidence<PolicyDocument?>.NotGiven("not given (-UpstreamRegistryPolicy); PtcTools reads only the registry of the account its credentials are in");
        if (input.Templates.IsKnown)
        {
            var repository = PullThroughCachePrefix.Repository(rule.Prefix, RepositoryName ?? PullThroughCacheReadiness.DefaultRepositoryName);
            if (PullThroughCacheReadiness.ApplicableTemplate(input.Templates.Value, repository, out _)?.CustomRoleArn is { } templateRole)
            {
                input.TemplateRole = await RoleAsync(templateRole, given.TemplateRoleTrust, given.TemplateRolePolicies, "-TemplateRoleTrustPolicy and -TemplateRolePolicy", reader, ct).ConfigureAwait(false);
            }
        }

        foreach (var principal in given.Principals)
        {
            var identity = given.IdentityPolicies is { } policies
                ? Evidence<IdentityFacts?>.Known(new IdentityFacts(principal, policies) { PermissionsBoundary = given.Boundary }, "given (-IdentityPolicy)")
                : reader is null ? Evidence<IdentityFacts?>.NotGiven(NotGiven("-IdentityPolicy"))
                : await reader.IdentityAsync(principal, ct).ConfigureAwait(false);
            input.Pullers.Add(new PullerEvidence(principal, identity));
        }
    }

    // A role's documents: what is given, the rest read; with -Offline and half of them given, the other half is not known.
    private static async Task<Evidence<IdentityFacts?>> RoleAsync(string arn, PolicyDocument? trust, IReadOnlyList<NamedPolicy>? policies, string parameters, PermissionSetReader? reader, CancellationToken ct)
    {
        if (trust is not null && policies is not null)
        {
            return Evidence<IdentityFacts?>.Known(new IdentityFacts(arn, policies) { TrustPolicy = trust }, "given");
        }

        if (reader is null)
        {
            if (trust is null && policies is null)
            {
                return Evidence<IdentityFacts?>.NotGiven(NotGiven(parameters));
            }

            return Evidence<IdentityFacts?>.Known(new IdentityFacts(arn, policies ?? Array.Empty<NamedPolicy>()) { TrustPolicy = trust, PoliciesKnown = policies is not null }, "given in part");
        }

        var read = await reader.IdentityAsync(arn, ct).ConfigureAwait(false);
        if (!read.IsKnown || read.Value is null || (trust is null && policies is null))
        {
            return read;
        }

        return Evidence<IdentityFacts?>.Known(new IdentityFacts(arn, policies ?? read.Value.Policies) { TrustPolicy = trust ?? read.Value.TrustPolicy, PermissionsBoundary = read.Value.PermissionsBoundary }, "given in part, the rest " + read.Source);
    }

    private static string NotGiven(string parameter) => $"not given ({parameter}), and -Offline reads nothing";

    private PermissionSetReader ReaderFor(CacheRuleFacts rule)
    {
        // Clients are made here, on the pipeline thread (the Region chain writes verbose notes); the reads run in the background.
        var secretRegion = rule.CredentialArn is { } arn && Arn.TryParse(arn, out var parsed) && Partitions.IsRegionName(parsed.Region) ? parsed.Region : rule.Region;
        foreach (var region in new[] { rule.Region, secretRegion })
        {
            if (!_secrets.ContainsKey(region))
            {
                _secrets[region] = CreateSecretsManagerClient(region);
            }
        }

        if (!_readers.TryGetValue(rule.Region, out var reader))
        {
            reader = new PermissionSetReader(CreateClient(rule.Region), CreateIamClient(rule.Region), r => _secrets[r]);
            _readers[rule.Region] = reader;
        }

        return reader;
    }

    // For rules that do not say their Region: offline the session's, live the Region chain's (resolved once).
    private string? FallbackRegion() => Offline ? OfflineRegion.Resolve(SessionState) : _chainRegion ??= CreateClient(null).Region;

    private void Fail(ErrorRecord error)
    {
        _allPass = false;
        WriteError(error);
    }

    /// <summary>The documents given on the command line, read once (a bad one stops the command).</summary>
    private sealed class Given
    {
        public Evidence<PolicyDocument?>? RegistryPolicy { get; private set; }

        public Evidence<RegistryPolicyScope>? Scope { get; private set; }

        public Evidence<IReadOnlyList<CreationTemplateFacts>>? Templates { get; private set; }

        public Evidence<SecretFacts?>? Secret { get; private set; }

        public PolicyDocument? CustomRoleTrust { get; private set; }

        public IReadOnlyList<NamedPolicy>? CustomRolePolicies { get; private set; }

        public PolicyDocument? TemplateRoleTrust { get; private set; }

        public IReadOnlyList<NamedPolicy>? TemplateRolePolicies { get; private set; }

        public Evidence<PolicyDocument?>? UpstreamRegistryPolicy { get; private set; }

        public IReadOnlyList<NamedPolicy>? IdentityPolicies { get; private set; }

        public NamedPolicy? Boundary { get; private set; }

        public IReadOnlyList<string> Principals { get; private set; } = Array.Empty<string>();

        public static Given Read(TestPtcPullThroughCacheCommand cmdlet)
        {
            var session = cmdlet.SessionState;
            var bound = cmdlet.MyInvocation.BoundParameters;
            var given = new Given();
            if (bound.ContainsKey(nameof(RegistryPolicy)))
            {
                given.RegistryPolicy = Evidence<PolicyDocument?>.Known(ReadinessInputs.RegistryPolicy(cmdlet.RegistryPolicy, session), "given (-RegistryPolicy)");
            }

            if (cmdlet.Scope is { } scope)
            {
                given.Scope = Evidence<RegistryPolicyScope>.Known(scope, "given (-Scope)");
            }
            else if (PSValue.Unwrap(cmdlet.RegistryPolicy) is PtcRegistryPolicy { Scope: { } text } && Enum.TryParse<RegistryPolicyScope>(text, out var known))
            {
                given.Scope = Evidence<RegistryPolicyScope>.Known(known, "read with the registry policy");
            }

            if (bound.ContainsKey(nameof(Template)))
            {
                given.Templates = Evidence<IReadOnlyList<CreationTemplateFacts>>.Known(ReadinessInputs.Templates((cmdlet.Template ?? Array.Empty<object>()).Where(t => t is not null), session), "given (-Template)");
            }

            if (bound.ContainsKey(nameof(Secret)))
            {
                given.Secret = Evidence<SecretFacts?>.Known(cmdlet.Secret is null ? null : ReadinessInputs.Secret(cmdlet.Secret, session), "given (-Secret)");
            }

            if (cmdlet.CustomRoleTrustPolicy is not null)
            {
                given.CustomRoleTrust = ReadinessInputs.Policy(cmdlet.CustomRoleTrustPolicy, session);
            }

            if (cmdlet.CustomRolePolicy is not null)
            {
                given.CustomRolePolicies = ReadinessInputs.Policies(cmdlet.CustomRolePolicy, "custom role policy (given)", session);
            }

            if (cmdlet.TemplateRoleTrustPolicy is not null)
            {
                given.TemplateRoleTrust = ReadinessInputs.Policy(cmdlet.TemplateRoleTrustPolicy, session);
            }

            if (cmdlet.TemplateRolePolicy is not null)
            {
                given.TemplateRolePolicies = ReadinessInputs.Policies(cmdlet.TemplateRolePolicy, "template role policy (given)", session);
            }

            if (bound.ContainsKey(nameof(UpstreamRegistryPolicy)))
            {
                given.UpstreamRegistryPolicy = Evidence<PolicyDocument?>.Known(ReadinessInputs.RegistryPolicy(cmdlet.UpstreamRegistryPolicy, session), "given (-UpstreamRegistryPolicy)");
            }

            if (cmdlet.IdentityPolicy is not null)
            {
                given.IdentityPolicies = ReadinessInputs.Policies(cmdlet.IdentityPolicy, "identity policy (given)", session);
            }

            if (cmdlet.PermissionsBoundary is { Length: > 0 } boundaries)
            {
                given.Boundary = new NamedPolicy("permissions boundary (given)", ReadinessInputs.Policy(boundaries[0], session));
            }

            var principals = new List<string>();
            foreach (var principal in cmdlet.Principal ?? Array.Empty<PtcPrincipal>())
            {
                if (principal?.Value is not { } value || !PrincipalId.TryParse(value, "AWS", out var id, out _, out _) || id.Kind == PrincipalKind.Everyone)
                {
                    throw new PolicyException(ErrorIds.PrincipalInvalid, PolicyErrorKind.InvalidArgument,
                        $"'{principal?.Value}' is not a principal that pulls: give a role, user or assumed-role session ARN (or an object with an Arn property).", principal?.Source);
                }

                principals.Add(value);
            }

            given.Principals = principals;
            return given;
        }
    }
}
