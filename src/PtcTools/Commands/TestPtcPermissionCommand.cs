using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Test-PtcPermission: can this principal do this action on this repository, given the registry policy and the principal's policies?</summary>
[Cmdlet(VerbsDiagnostic.Test, "PtcPermission")]
[OutputType(typeof(PtcPermissionResult))]
[OutputType(typeof(bool))]
public sealed class TestPtcPermissionCommand : PSCmdlet
{
    private readonly HashSet<string> _warnedActions = new(StringComparer.OrdinalIgnoreCase);
    private readonly PipedPolicyLines _lines = new();
    private bool _allAllowed = true;
    private bool _any;
    private bool _policyOnCommandLine;
    private PtcRegistryPolicy? _policy;
    private CompiledPolicy? _commandLinePolicy;
    private PolicySetCache _cache = null!;

    /// <summary>The registry policy: a PtcRegistryPolicy (piped or given), JSON text, a policy file (a file object or its name), a hashtable, or PolicyText by property name (AWS.Tools). Without it only identity policies decide.</summary>
    /// <remarks>A piped request binds here by value too (the conversion takes any value); <see cref="PipedPolicy"/> tells a request from a policy.</remarks>
    [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    [PolicyArgument]
    public PtcRegistryPolicy? Policy { get; set; }

    /// <summary>The principal's identity-based policies: objects, JSON text (URL-encoded as IAM returns it) or files.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("IdentityPolicies")]
    public object[]? IdentityPolicy { get; set; }

    /// <summary>The principal's permissions boundary, when it has one.</summary>
    [Parameter]
    [Alias("PermissionBoundary")]
    public object[]? PermissionsBoundary { get; set; }

    /// <summary>The service control policies that apply to the principal's account.</summary>
    [Parameter]
    [Alias("Scp")]
    public object[]? ServiceControlPolicy { get; set; }

    /// <summary>The registry policy scope: V1 (only the three registry actions) or V2 (every ECR action). Default: the policy's known scope, else V2.</summary>
    [Parameter]
    public RegistryPolicyScope? Scope { get; set; }

    // Few aliases, no validation attributes and object-typed Principal/Action/Resource: the binder pays for
    // every alias, attribute and conversion per pipeline object (measured: about a third of the cmdlet's time).

    /// <summary>The principals (a string or strings): IAM user, role, assumed-role session, federated user or account ARNs, or a service principal.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public object Principal { get; set; } = Array.Empty<string>();

    /// <summary>The actions (a string or strings); by default the two pull through cache needs, ecr:CreateRepository and ecr:BatchImportUpstreamImage.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ActionCompleter))]
    public object Action { get; set; } = EcrActions.PullThroughCacheActions.ToArray();

    /// <summary>The repository ARNs, a string or strings (or * for an action without a resource). Give this or -RepositoryName.</summary>
    [Parameter(Position = 2, ValueFromPipelineByPropertyName = true)]
    public object? Resource { get; set; }

    /// <summary>The repository names, made into ARNs with -Region and -RegistryId. Give this or -Resource.</summary>
    [Parameter]
    public string[]? RepositoryName { get; set; }

    /// <summary>The Region of the repositories; default: the policy's Region when it was read from ECR.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RegionCompleter))]
    public string? Region { get; set; }

    /// <summary>The account that owns the repositories; default: the policy's RegistryId when it was read from ECR.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? RegistryId { get; set; }

    /// <summary>Request context keys (aws:SourceIp, aws:PrincipalOrgID, ...): a hashtable or an object whose properties are the keys.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public object? Context { get; set; }

    /// <summary>The piped object itself (hidden; bound by value beside the properties bound by name): each result carries it, or its Id, as Request.</summary>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Return one bool: true when every request is allowed.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Policies given on the command line hold for every request: a bad one stops the command at once.
        _policyOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Policy));
        _policy = Policy;
        _cache = new PolicySetCache(SessionState, WriteVerbose);
        try
        {
            if (_policy is not null)
            {
                // Its scope is the same for every request (-Scope, else the policy's): compiled once here.
                _commandLinePolicy = _cache.Compile(_policy, PolicyKind.Resource, "registry policy", EffectiveScope());
            }

            foreach (var (values, kind, name) in Lists())
            {
                if (values is not null && MyInvocation.BoundParameters.ContainsKey(ParameterFor(kind)))
                {
                    _cache.CompileAll(values, kind, name);
                }
            }
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target ?? _cache.LastInput));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!_policyOnCommandLine && _lines.Take(InputObject, MyInvocation.ExpectingInput))
        {
            // Get-Content policy.json | Test-PtcPermission -Principal ...: the lines are one policy, decided at the end.
            return;
        }

        _policy = _policyOnCommandLine || PipedPolicy(InputObject) ? Policy : null;
        DecideRequests();
    }

    // The requests of the parameters bound now (-Principal, -Action, -Resource, given or piped), under _policy.
    private void DecideRequests()
    {
        PolicySet set;
        IReadOnlyList<KeyValuePair<string, ContextValue>> context;
        try
        {
            set = PolicySetFor();
            context = ContextInput.Read(Context);
        }
        catch (PtcToolsException ex)
        {
            // A policy refused while a request is piped is refused for that request: the error's target is the piped object.
            Fail(InputObject is not null ? ErrorRecords.For(ex, InputObject) : ErrorRecords.From(ex, ex.Target ?? _cache.LastInput));
            return;
        }

        foreach (var resource in Resources())
        {
            if (resource is null)
            {
                continue;
            }

            foreach (var principal in Strings(Principal))
            {
                foreach (var action in Strings(Action))
                {
                    Evaluate(set, principal, action, resource, context);
                }
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        foreach (var text in _lines.Texts())
        {
            // The piped lines, joined, are the registry policy of the requests given on the command line; the results
            // carry no piped request.
            InputObject = null;
            _policy = new PtcRegistryPolicy(text);
            DecideRequests();
        }

        if (Quiet)
        {
            WriteObject(_any && _allAllowed);
        }
    }

    private void Evaluate(PolicySet set, string? principal, string? action, string resource, IReadOnlyList<KeyValuePair<string, ContextValue>> context)
    {
        AccessRequest request;
        try
        {
            request = AccessRequest.Create(principal ?? string.Empty, action ?? string.Empty, resource, context);
        }
        catch (PtcToolsException ex)
        {
            Fail(ErrorRecords.From(ex, ex.Target));
            return;
        }

        WarnIfUnknown(request.Action);
        _any = true;
        if (Quiet)
        {
            _allAllowed &= PermissionEvaluator.Decide(set, request) == PermissionDecision.Allowed;
            return;
        }

        var result = PermissionEvaluator.Evaluate(set, request);
        _allAllowed &= result.Decision == PermissionDecision.Allowed;
        WriteObject(new PtcPermissionResult(result, InputObject));
    }

    private void Fail(ErrorRecord error)
    {
        _allAllowed = false;
        WriteError(error);
    }

    private void WarnIfUnknown(string action)
    {
        if (action.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase) && !EcrActions.IsKnown(action) && _warnedActions.Add(action))
        {
            var suggestion = EcrActions.Suggest(action.Substring(4)) ?? EcrActions.Suggest(action);
            WriteWarning($"'{action}' is not an ECR action PtcTools knows{(suggestion is null ? string.Empty : $" (did you mean {suggestion}?)")}. It is evaluated as written, as AWS would.");
        }
    }

    private IEnumerable<string?> Resources()
    {
        var resources = Strings(Resource);
        var hasResource = resources.Length > 0;
        var hasName = RepositoryName is { Length: > 0 };
        if (hasResource == hasName)
        {
            Fail(ErrorRecords.Create(
                hasResource ? ErrorIds.ResourceAndRepositoryName : ErrorIds.ResourceRequired,
                ErrorCategory.InvalidArgument,
                hasResource
                    ? "Give either -Resource (repository ARNs) or -RepositoryName (with -Region and -RegistryId), not both."
                    : "Say which repositories to test: -Resource with repository ARNs (or '*'), or -RepositoryName with -Region and -RegistryId.",
                Principal));
            yield break;
        }

        if (hasResource)
        {
            foreach (var r in resources)
            {
                yield return r;
            }

            yield break;
        }

        var region = Region ?? _policy?.Region;
        var registryId = RegistryId ?? _policy?.RegistryId;
        if (region is null || registryId is null)
        {
            Fail(ErrorRecords.Create(
                region is null ? ErrorIds.NoRegion : ErrorIds.RegistryIdRequired,
                ErrorCategory.InvalidArgument,
                $"-RepositoryName needs {(region is null ? "-Region" : "-RegistryId")} to build the repository ARN (the policy does not say where it came from). Give it, or pass -Resource with full ARNs.",
                RepositoryName));
            yield break;
        }

        foreach (var name in RepositoryName!)
        {
            string? arn = null;
            try
            {
                arn = RepositoryArn.Build(region, registryId, name);
            }
            catch (PtcToolsException ex)
            {
                Fail(ErrorRecords.From(ex, region));
            }

            yield return arn;
        }
    }

    private PolicySet PolicySetFor()
    {
        var scope = EffectiveScope();
        var resource = _policyOnCommandLine ? _commandLinePolicy : _policy is null ? null : _cache.Compile(_policy, PolicyKind.Resource, "registry policy", scope);
        var identity = _cache.CompileAll(IdentityPolicy, PolicyKind.Identity, "identity policy");
        var boundaries = _cache.CompileAll(PermissionsBoundary, PolicyKind.PermissionsBoundary, "permissions boundary");
        var scps = _cache.CompileAll(ServiceControlPolicy, PolicyKind.ServiceControl, "service control policy");
        return _cache.SetFor(resource, identity, boundaries, scps, scope);
    }

    // -Scope, else the scope the policy was read with, else V2 (ECR's default): the registry policy is read
    // and evaluated under it, as lint reads it.
    private RegistryPolicyScope EffectiveScope() =>
        Scope ?? _policy?.KnownScope ?? RegistryPolicyScope.V2;

    // Whether a piped object is the registry policy rather than a request. -Policy binds every piped object by value
    // (its conversion takes any value), so a request would bind too: a property bag or other object is the policy only
    // when it carries PolicyText (a deserialized PtcRegistryPolicy, an AWS.Tools response, a request that names its
    // policy) or Statement (a policy read by ConvertFrom-Json); else it is a request, as when -Policy bound PolicyText only.
    private static bool PipedPolicy(PSObject? piped) => PSValue.Unwrap(piped) switch
    {
        null => false,
        PtcRegistryPolicy or string or FileInfo or IDictionary => true,
        var value => PSObject.AsPSObject(value).Properties is var properties
            && (properties["PolicyText"] is not null || (PSValue.IsPropertyBag(value) && properties["Statement"] is not null)),
    };

    private IEnumerable<(object[]? Values, PolicyKind Kind, string Name)> Lists()
    {
        yield return (IdentityPolicy, PolicyKind.Identity, "identity policy");
        yield return (PermissionsBoundary, PolicyKind.PermissionsBoundary, "permissions boundary");
        yield return (ServiceControlPolicy, PolicyKind.ServiceControl, "service control policy");
    }

    private static string ParameterFor(PolicyKind kind) => kind switch
    {
        PolicyKind.Identity => nameof(IdentityPolicy),
        PolicyKind.PermissionsBoundary => nameof(PermissionsBoundary),
        _ => nameof(ServiceControlPolicy),
    };

    private static string?[] Strings(object? value) => PSValue.Unwrap(value) switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        string[] a => a,
        IEnumerable e => e.Cast<object?>().Select(o => PSValue.Unwrap(o)?.ToString()).ToArray(),
        var other => new[] { other.ToString() },
    };

}
