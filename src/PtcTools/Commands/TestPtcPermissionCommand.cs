using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text;
using Newtonsoft.Json.Linq;
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
    // Each distinct policy is compiled once per pipeline: by reference for the same object, else by content.
    private readonly Dictionary<object, CompiledPolicy> _byReference = new(ReferenceComparer.Instance);
    private readonly Dictionary<string, CompiledPolicy> _byContent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicySet> _sets = new(StringComparer.Ordinal);
    private readonly HashSet<string> _warnedActions = new(StringComparer.OrdinalIgnoreCase);
    private bool _allAllowed = true;
    private bool _any;
    private object? _lastInput;
    private bool _policyOnCommandLine;
    private PolicySet? _lastSet;

    /// <summary>The registry policy: a PtcRegistryPolicy, JSON text (or a file), or PolicyText by property name. Without it only identity policies decide.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    public object? Policy { get; set; }

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

    /// <summary>The piped object itself (hidden; bound by value beside the properties bound by name): each result carries it, or its Id, as Request, and a piped policy object keeps its scope and origin.</summary>
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
        try
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Policy)) && Policy is not null)
            {
                CompileOne(Policy, PolicyKind.Resource, "registry policy", EffectiveScope());
            }

            foreach (var (values, kind, name) in Lists())
            {
                if (values is not null && MyInvocation.BoundParameters.ContainsKey(ParameterFor(kind)))
                {
                    CompileAll(values, kind, name);
                }
            }
        }
        catch (PtcToolsException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex, ex.Target ?? _lastInput));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        PolicySet set;
        IReadOnlyList<KeyValuePair<string, ContextValue>> context;
        try
        {
            set = PolicySetFor();
            context = ReadContext(Context);
        }
        catch (PtcToolsException ex)
        {
            // A policy refused while a request is piped is refused for that request: the error's target is the piped object.
            Fail(InputObject is not null ? ErrorRecords.For(ex, InputObject) : ErrorRecords.From(ex, ex.Target ?? _lastInput));
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

        var region = Region ?? OriginProperty(PolicyOrigin, nameof(PtcRegistryPolicy.Region));
        var registryId = RegistryId ?? OriginProperty(PolicyOrigin, nameof(PtcRegistryPolicy.RegistryId));
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
        var resource = Policy is null ? null : CompileOne(Policy, PolicyKind.Resource, "registry policy", scope);
        var identity = CompileAll(IdentityPolicy, PolicyKind.Identity, "identity policy");
        var boundaries = CompileAll(PermissionsBoundary, PolicyKind.PermissionsBoundary, "permissions boundary");
        var scps = CompileAll(ServiceControlPolicy, PolicyKind.ServiceControl, "service control policy");
        if (_lastSet is { } last && last.Scope == scope && Same(last, resource, identity, boundaries, scps))
        {
            return last;
        }

        // The same combination of compiled policies is one PolicySet (keyed by the instances).
        var key = new StringBuilder();
        key.Append((int)scope).Append('|').Append(resource is null ? 0 : RuntimeHelpers.GetHashCode(resource));
        foreach (var list in new[] { identity, boundaries, scps })
        {
            key.Append('|');
            foreach (var p in list)
            {
                key.Append(RuntimeHelpers.GetHashCode(p)).Append(',');
            }
        }

        var text = key.ToString();
        if (!_sets.TryGetValue(text, out var set) || !Same(set, resource, identity, boundaries, scps))
        {
            set = new PolicySet(resource, identity, boundaries, scps, scope);
            _sets[text] = set;
        }

        return _lastSet = set;
    }

    private static bool Same(PolicySet set, CompiledPolicy? resource, CompiledPolicy[] identity, CompiledPolicy[] boundaries, CompiledPolicy[] scps) =>
        ReferenceEquals(set.ResourcePolicy, resource) && set.IdentityPolicies.SequenceEqual(identity) && set.PermissionsBoundaries.SequenceEqual(boundaries) && set.ServiceControlPolicies.SequenceEqual(scps);

    // -Scope, else the scope the policy was read with, else V2 (ECR's default): the registry policy is read
    // and evaluated under it, as lint reads it.
    private RegistryPolicyScope EffectiveScope() =>
        Scope ?? (Enum.TryParse<RegistryPolicyScope>(OriginProperty(PolicyOrigin, nameof(PtcRegistryPolicy.Scope)), true, out var scope) ? scope : RegistryPolicyScope.V2);

    // What the registry policy came as. A piped PtcRegistryPolicy (or its deserialized copy) binds only its
    // PolicyText to -Policy, by property name; its scope, Region and registry id are on the piped object.
    private object? PolicyOrigin => !_policyOnCommandLine && Policy is not null && InputObject is not null ? InputObject : Policy;

    // Scope, Region or RegistryId of a policy object, a deserialized one included; null for text.
    private static string? OriginProperty(object? origin, string name) => Unwrap(origin) switch
    {
        PtcRegistryPolicy p => name switch
        {
            nameof(PtcRegistryPolicy.Scope) => p.Scope,
            nameof(PtcRegistryPolicy.Region) => p.Region,
            _ => p.RegistryId,
        },
        string or null => null,
        _ => origin is PSObject pso && pso.Properties[name]?.Value is { } value ? Unwrap(value)?.ToString() : null,
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

    private CompiledPolicy[] CompileAll(object[]? values, PolicyKind kind, string name)
    {
        if (values is null || values.Length == 0)
        {
            return Array.Empty<CompiledPolicy>();
        }

        var result = new CompiledPolicy[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = CompileOne(values[i], kind, values.Length == 1 ? name : $"{name} {i + 1}", null);
        }

        return result;
    }

    private CompiledPolicy CompileOne(object value, PolicyKind kind, string name, RegistryPolicyScope? scope)
    {
        _lastInput = value;
        var identity = value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
        if (_byReference.TryGetValue(identity, out var known) && known.Kind == kind)
        {
            return known;
        }

        var content = (int)kind + "|" + name + "|" + scope + "|" + ContentKey(value);
        if (!_byContent.TryGetValue(content, out var compiled))
        {
            var document = PolicyInput.ToDocument(ReadFileIfPath(value));
            try
            {
                compiled = CompiledPolicy.Compile(document, kind, name, scope);
            }
            catch (PtcToolsException ex)
            {
                throw new PolicyException(ex.ErrorId, ex.Kind, ex.Message, value, ex);
            }

            _byContent[content] = compiled;
            WriteVerbose($"Compiled the {name} ({compiled.Statements.Count} statements).");
        }

        if (identity is not string)
        {
            _byReference[identity] = compiled;
        }

        return compiled;
    }

    // A string that is not JSON but names an existing file is read (Get-ChildItem output too).
    private object ReadFileIfPath(object value)
    {
        var baseObject = Unwrap(value);
        if (baseObject is FileInfo file)
        {
            return PolicyFile.Read(file.FullName).Document;
        }

        if (baseObject is string text)
        {
            var trimmed = text.TrimStart();
            if (trimmed.Length > 0 && trimmed[0] != '{' && !trimmed.StartsWith("%7B", StringComparison.OrdinalIgnoreCase) && trimmed.IndexOf('\n') < 0)
            {
                try
                {
                    var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(trimmed);
                    if (File.Exists(path))
                    {
                        return PolicyFile.Read(path).Document;
                    }
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException or ItemNotFoundException or ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or IOException)
                {
                    // Not a usable path: it is treated as policy text, and the JSON error says what is wrong.
                }
            }
        }

        return value;
    }

    // A cheap text that is equal for equal policies, without building a document: ConvertFrom-Json makes a new object per line.
    private static string ContentKey(object value)
    {
        var sb = new StringBuilder();
        AppendKey(sb, value, 0);
        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, object? value, int depth)
    {
        if (depth > 64)
        {
            throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData, "The policy is nested more than 64 levels deep.", value);
        }

        var baseObject = Unwrap(value);
        switch (baseObject)
        {
            case null:
                sb.Append('n');
                return;
            case string s:
                sb.Append('s').Append(s.Length).Append(':').Append(s);
                return;
            case PtcRegistryPolicy p:
                sb.Append('s').Append(p.PolicyText.Length).Append(':').Append(p.PolicyText);
                return;
            case FileInfo f:
                sb.Append('f').Append(f.FullName).Append('|').Append(f.LastWriteTimeUtc.Ticks).Append('|').Append(f.Length);
                return;
            case bool b:
                sb.Append(b ? 'T' : 'F');
                return;
            case DateTime dt:
                sb.Append('d').Append(dt.Ticks).Append(dt.Kind);
                return;
            case IFormattable number when baseObject.GetType().IsPrimitive || baseObject is decimal:
                sb.Append('#').Append(number.ToString(null, CultureInfo.InvariantCulture)).Append(';');
                return;
            case IDictionary dict:
                sb.Append('{');
                foreach (DictionaryEntry e in dict)
                {
                    AppendKey(sb, Convert.ToString(e.Key, CultureInfo.InvariantCulture), depth + 1);
                    AppendKey(sb, e.Value, depth + 1);
                }

                sb.Append('}');
                return;
            case IEnumerable list:
                sb.Append('[');
                foreach (var item in list)
                {
                    AppendKey(sb, item, depth + 1);
                }

                sb.Append(']');
                return;
        }

        if (value is PSObject pso)
        {
            sb.Append('{');
            foreach (var property in pso.Properties)
            {
                if (property.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.Property)
                {
                    AppendKey(sb, property.Name, depth + 1);
                    AppendKey(sb, property.Value, depth + 1);
                }
            }

            sb.Append('}');
            return;
        }

        sb.Append('?').Append(baseObject.GetType().FullName).Append(':').Append(RuntimeHelpers.GetHashCode(baseObject));
    }

    private static IReadOnlyList<KeyValuePair<string, ContextValue>> ReadContext(object? context)
    {
        var pairs = new List<KeyValuePair<string, ContextValue>>();
        var baseObject = Unwrap(context);
        if (baseObject is null)
        {
            return pairs;
        }

        IEnumerable<KeyValuePair<string, object?>> entries;
        if (baseObject is IDictionary dict)
        {
            entries = dict.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty, e.Value));
        }
        else if (context is PSObject { BaseObject: PSCustomObject } pso)
        {
            entries = pso.Properties.Where(p => p.MemberType is PSMemberTypes.NoteProperty).Select(p => new KeyValuePair<string, object?>(p.Name, p.Value));
        }
        else
        {
            throw new PolicyException(ErrorIds.ContextInvalid, PolicyErrorKind.InvalidArgument, $"-Context takes a hashtable or an object whose properties are the keys (as ConvertFrom-Json makes), not a {(baseObject is PSObject p ? p.BaseObject : baseObject).GetType().Name}.", context);
        }

        foreach (var entry in entries)
        {
            if (entry.Value is string text || (entry.Value is PSObject { BaseObject: string wrapped } && (text = wrapped) is not null))
            {
                pairs.Add(new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.Of(text)));
                continue;
            }

            var token = PolicyInput.ToJToken(entry.Value, entry.Key);
            switch (token)
            {
                case JValue { Type: JTokenType.Null }:
                    continue;
                case JArray array when array.All(t => t is JValue { Type: not JTokenType.Null }):
                    pairs.Add(new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.OfMany(array.Select(t => Scalar((JValue)t)))));
                    break;
                case JValue scalar:
                    pairs.Add(new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.Of(Scalar(scalar))));
                    break;
                default:
                    throw new PolicyException(ErrorIds.ContextInvalid, PolicyErrorKind.InvalidArgument, $"The context key '{entry.Key}' has a value that is neither text, a number, a boolean nor a list of them.", context);
            }
        }

        return pairs;
    }

    private static string Scalar(JValue value) => value.Type switch
    {
        JTokenType.String => (string)value!,
        JTokenType.Boolean => (bool)value ? "true" : "false",
        _ => Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string?[] Strings(object? value) => Unwrap(value) switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        string[] a => a,
        IEnumerable e => e.Cast<object?>().Select(o => Unwrap(o)?.ToString()).ToArray(),
        var other => new[] { other.ToString() },
    };

    private static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } pso ? pso.BaseObject : value;

    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
