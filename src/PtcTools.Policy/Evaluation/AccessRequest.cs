using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Evaluation;

/// <summary>One request to evaluate: who (principal), what (action), on which repository (resource), with which context keys.</summary>
/// <remarks>
/// Everything the evaluator needs is parsed here, once, so that evaluating is allocation-free. The context
/// is derived as AWS derives it for a signed request (aws:PrincipalArn, aws:PrincipalAccount, aws:username
/// for IAM users); keys the caller gives win over derived ones.
/// </remarks>
public sealed class AccessRequest
{
    /// <summary>The context key AWS sets to the principal's ARN (the role ARN for a session).</summary>
    public const string PrincipalArnKey = "aws:PrincipalArn";

    /// <summary>The context key AWS sets to the principal's account.</summary>
    public const string PrincipalAccountKey = "aws:PrincipalAccount";

    /// <summary>The context key AWS sets to an IAM user's friendly name.</summary>
    public const string UserNameKey = "aws:username";

    private static readonly Regex s_action = new("^[A-Za-z0-9-]+:[A-Za-z0-9]+$", RegexOptions.CultureInvariant);

    private const int CacheLimit = 8192;
    private static readonly ConcurrentDictionary<string, ParsedPrincipal> s_principals = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, ParsedResource> s_resources = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, bool> s_actions = new(StringComparer.Ordinal);

    private readonly Dictionary<string, ContextValue> _context;
    private string? _derivedPrincipalArn;
    private string? _userName;
    private string[] _keys = Array.Empty<string>();
    private ContextValue[] _values = Array.Empty<ContextValue>();
    private bool _keysCanonical;

    private AccessRequest(string principal, string action, string resource, Dictionary<string, ContextValue> context)
    {
        Principal = principal;
        Action = action;
        Resource = resource;
        _context = context;
    }

    /// <summary>The principal as given: an IAM user, role, assumed-role session, federated user, account, or service principal.</summary>
    public string Principal { get; }

    /// <summary>The action, such as <c>ecr:CreateRepository</c>.</summary>
    public string Action { get; }

    /// <summary>The repository ARN, <c>*</c> for an action that takes no resource, or for another service's action that service's ARN (a KMS key).</summary>
    public string Resource { get; }

    /// <summary>What the principal is.</summary>
    public PrincipalKind PrincipalKind { get; private set; }

    /// <summary>The principal's account (null for a service principal).</summary>
    public string? PrincipalAccount { get; private set; }

    /// <summary>The account that owns the resource (the principal's own for <c>*</c>).</summary>
    public string? ResourceAccount { get; private set; }

    /// <summary>True when the principal and the resource are in the same account.</summary>
    public bool SameAccount => PrincipalAccount is not null && string.Equals(PrincipalAccount, ResourceAccount, StringComparison.Ordinal);

    /// <summary>True for a service-linked role or a session of one, which service control policies do not restrict.</summary>
    public bool IsServiceLinkedRole { get; private set; }

    /// <summary>True for an AWS service principal such as <c>ecr.amazonaws.com</c>.</summary>
    public bool IsServicePrincipal => PrincipalKind == PrincipalKind.Service;

    /// <summary>The context keys in effect (derived and given), case-insensitive.</summary>
    public IReadOnlyDictionary<string, ContextValue> Context => _context;

    internal string PrincipalArn { get; private set; } = string.Empty;

    internal string? SessionRoleName { get; private set; }

    internal string? FederatedUserArn { get; private set; }

    internal bool IsResourceAll { get; private set; }

    internal string ResourcePartition { get; private set; } = string.Empty;

    internal string ResourceService { get; private set; } = string.Empty;

    internal string ResourceRegion { get; private set; } = string.Empty;

    internal string ResourcePart { get; private set; } = string.Empty;

    // Where the resource part starts in Resource (after the fifth colon).
    internal int ResourceOffset { get; private set; }

    /// <summary>Validates and prepares a request.</summary>
    /// <exception cref="PolicyException"><c>PrincipalInvalid</c>, <c>PrincipalIsGroup</c>, <c>ActionInvalid</c>, <c>ResourceInvalid</c> or <c>ActionResourceMismatch</c>.</exception>
    public static AccessRequest Create(string principal, string action, string resource, IEnumerable<KeyValuePair<string, ContextValue>>? context = null)
    {
        if (principal is null) { throw new ArgumentNullException(nameof(principal)); }
        if (action is null) { throw new ArgumentNullException(nameof(action)); }
        if (resource is null) { throw new ArgumentNullException(nameof(resource)); }

        var given = new Dictionary<string, ContextValue>(StringComparer.OrdinalIgnoreCase);
        if (context is not null)
        {
            foreach (var pair in context)
            {
                if (given.ContainsKey(pair.Key))
                {
                    throw new PolicyException(ErrorIds.ContextKeyDuplicate, PolicyErrorKind.InvalidArgument, $"The context key '{pair.Key}' is given twice (keys are case-insensitive). Give each key once.", pair.Key);
                }

                given[pair.Key] = pair.Value ?? throw new PolicyException(ErrorIds.ContextValueInvalid, PolicyErrorKind.InvalidArgument, $"The context key '{pair.Key}' has no value. Leave the key out to test its absence.", pair.Key);
            }
        }

        var request = new AccessRequest(principal, action, resource, given);
        request.ReadPrincipal();
        request.ReadAction();
        request.ReadResource();
        request.Derive();
        request.Index();
        return request;
    }

    /// <summary>The value of a context key (case-insensitive), or null when absent.</summary>
    public ContextValue? GetContext(string key) => _context.TryGetValue(key, out var value) ? value : null;

    /// <summary>The action as one shared instance per case-insensitive name (see <see cref="Interned"/>).</summary>
    internal string ActionKey { get; private set; } = string.Empty;

    internal bool ActionKeyCanonical { get; private set; }

    // Hot path: keys interned on both sides compare by reference; otherwise by text.
    internal ContextValue? Lookup(string key, bool keyCanonical)
    {
        var keys = _keys;
        for (var i = 0; i < keys.Length; i++)
        {
            if (ReferenceEquals(keys[i], key))
            {
                return _values[i];
            }
        }

        if (keyCanonical && _keysCanonical)
        {
            return null;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.OrdinalIgnoreCase))
            {
                return _values[i];
            }
        }

        return null;
    }

    /// <summary>A short description for messages.</summary>
    public override string ToString() => $"{Principal} {Action} {Resource}";

    private void Index()
    {
        _keysCanonical = true;
        _keys = new string[_context.Count];
        _values = new ContextValue[_context.Count];
        var i = 0;
        foreach (var pair in _context)
        {
            _keys[i] = Interned.Get(pair.Key, out var canonical);
            _keysCanonical &= canonical;
            _values[i++] = pair.Value;
        }

        ActionKey = Interned.Get(Action, out var actionCanonical);
        ActionKeyCanonical = actionCanonical;
    }

    private void ReadPrincipal()
    {
        var parsed = Cached(s_principals, Principal, ParsePrincipal);
        if (parsed.ErrorId is not null)
        {
            throw new PolicyException(parsed.ErrorId, PolicyErrorKind.InvalidArgument, parsed.Reason!, Principal);
        }

        PrincipalKind = parsed.Kind;
        PrincipalAccount = parsed.Account;
        PrincipalArn = parsed.Arn!;
        SessionRoleName = parsed.SessionRoleName;
        FederatedUserArn = parsed.FederatedUserArn;
        IsServiceLinkedRole = parsed.ServiceLinked;
        _derivedPrincipalArn = parsed.DerivedArn;
        _userName = parsed.UserName;
    }

    private static ParsedPrincipal ParsePrincipal(string principal)
    {
        if (PrincipalId.TryParse(principal, "AWS", out var id, out var errorId, out var reason) && id.Kind != PrincipalKind.Everyone)
        {
            var arn = id.Kind == PrincipalKind.Account ? id.AccountRootArn! : principal;
            return new ParsedPrincipal
            {
                Kind = id.Kind,
                ServiceLinked = id.IsServiceLinkedRole,
                Account = id.Account,
                Arn = arn,
                SessionRoleName = id.Kind == PrincipalKind.AssumedRole ? id.Name : null,
                FederatedUserArn = id.Kind == PrincipalKind.FederatedUser ? $"arn:{id.Partition}:iam::{id.Account}:user/{id.Name}" : null,

                // aws:PrincipalArn of a session is its role's ARN (the role's path is not in the session ARN).
                DerivedArn = id.Kind == PrincipalKind.AssumedRole ? $"arn:{id.Partition}:iam::{id.Account}:role/{id.Name}" : arn,
                UserName = id.Kind == PrincipalKind.User ? principal.Substring(principal.LastIndexOf('/') + 1) : null,
            };
        }

        if (Grammar.PolicyGrammar.IsServicePrincipal(principal))
        {
            return new ParsedPrincipal { Kind = PrincipalKind.Service, Arn = principal };
        }

        if (principal == "*")
        {
            reason = "A request is made by one principal; '*' is not one. Give an IAM user, role, assumed-role session or account ARN, or a service principal.";
        }

        return new ParsedPrincipal { ErrorId = errorId ?? ErrorIds.PrincipalInvalid, Reason = reason ?? $"'{principal}' is not a principal." };
    }

    private void ReadAction()
    {
        if (!Cached(s_actions, Action, a => s_action.IsMatch(a)))
        {
            throw new PolicyException(ErrorIds.ActionInvalid, PolicyErrorKind.InvalidArgument, $"'{Action}' is not an action. A request names one action as service:Name, such as ecr:CreateRepository, without wildcards.", Action);
        }
    }

    private void ReadResource()
    {
        var known = EcrActions.Find(Action);
        if (Resource == "*")
        {
            if (known is { OnRepository: true })
            {
                throw new PolicyException(ErrorIds.ActionResourceMismatch, PolicyErrorKind.InvalidArgument, $"{known.Name} acts on a repository, and the resource asked about is '*' rather than a repository.", Resource, remedy: Remedy.GiveRepository);
            }

            IsResourceAll = true;
            ResourceAccount = PrincipalAccount;
            return;
        }

        var parsed = Cached(s_resources, Resource, ParseResource);
        if (parsed.Reason is not null)
        {
            throw new PolicyException(ErrorIds.ResourceInvalid, PolicyErrorKind.InvalidArgument, parsed.Reason, Resource);
        }

        if (!parsed.IsRepository && Action.StartsWith("ecr:", StringComparison.OrdinalIgnoreCase))
        {
            throw new PolicyException(ErrorIds.ResourceInvalid, PolicyErrorKind.InvalidArgument, $"'{Resource}' is not a repository ARN. Give a repository ARN such as arn:aws:ecr:us-east-1:111122223333:repository/name, or '*' for an action without a resource.", Resource);
        }

        if (known is { OnRepository: false })
        {
            throw new PolicyException(ErrorIds.ActionResourceMismatch, PolicyErrorKind.InvalidArgument, $"{known.Name} does not act on a repository (it supports only Resource \"*\"); test it with the resource '*'.", Resource);
        }

        ResourcePartition = parsed.Partition!;
        ResourceService = parsed.Service!;
        ResourceRegion = parsed.Region!;
        ResourceAccount = parsed.Account;
        ResourcePart = parsed.Part!;
        ResourceOffset = Resource.Length - ResourcePart.Length;
    }

    private static ParsedResource ParseResource(string resource)
    {
        // The shape is checked, not ECR's naming rules: a request is evaluated for whatever repository it names.
        // Another service's ARN (a KMS key, a role) is read for that service's actions; an ECR action needs a repository.
        const string advice = " Give a repository ARN such as arn:aws:ecr:us-east-1:111122223333:repository/name, or '*' for an action without a resource.";
        string? reason = null;
        var repository = false;
        if (!Arn.TryParse(resource, out var arn) || !Partitions.IsKnownPartition(arn.Partition))
        {
            reason = $"'{resource}' is not a repository ARN.";
        }
        else if (arn.Service == "ecr")
        {
            repository = Partitions.IsRegionName(arn.Region) && Arn.IsAccountId(arn.Account) && arn.Resource.StartsWith("repository/", StringComparison.Ordinal) && arn.Resource.Length > "repository/".Length;
            reason = repository ? null : $"'{resource}' is not a repository ARN.";
        }
        else if (arn.Service.Length == 0 || arn.Resource.Length == 0)
        {
            reason = $"'{resource}' is not a repository ARN.";
        }

        if (reason is null && Wildcard.HasWildcard(resource))
        {
            reason = $"'{resource}' has a wildcard; a request names one {(repository ? "repository" : "resource")}.";
        }

        return reason is not null
            ? new ParsedResource { Reason = reason + advice }
            : new ParsedResource { Partition = arn!.Partition, Service = arn.Service, Region = arn.Region, Account = arn.Account, Part = arn.Resource, IsRepository = repository };
    }

    // Requests repeat principals, actions and repositories: each distinct text is parsed once (bounded).
    private static T Cached<T>(ConcurrentDictionary<string, T> cache, string key, Func<string, T> parse)
    {
        if (cache.TryGetValue(key, out var value))
        {
            return value;
        }

        value = parse(key);
        if (cache.Count < CacheLimit)
        {
            cache.TryAdd(key, value);
        }

        return value;
    }

    private void Derive()
    {
        if (PrincipalKind == PrincipalKind.Service)
        {
            return;
        }

        AddDerived(PrincipalArnKey, _derivedPrincipalArn!);
        AddDerived(PrincipalAccountKey, PrincipalAccount!);
        if (_userName is not null)
        {
            AddDerived(UserNameKey, _userName);
        }
    }

    private void AddDerived(string key, string value)
    {
        if (!_context.ContainsKey(key))
        {
            _context[key] = ContextValue.Of(value);
        }
    }

    private sealed class ParsedPrincipal
    {
        public PrincipalKind Kind { get; set; }

        public string? Account { get; set; }

        public string? Arn { get; set; }

        public string? SessionRoleName { get; set; }

        public string? FederatedUserArn { get; set; }

        public string? DerivedArn { get; set; }

        public string? UserName { get; set; }

        public bool ServiceLinked { get; set; }

        public string? ErrorId { get; set; }

        public string? Reason { get; set; }
    }

    private sealed class ParsedResource
    {
        public string? Partition { get; set; }

        public string? Service { get; set; }

        public string? Region { get; set; }

        public string? Account { get; set; }

        public string? Part { get; set; }

        public bool IsRepository { get; set; }

        public string? Reason { get; set; }
    }
}
