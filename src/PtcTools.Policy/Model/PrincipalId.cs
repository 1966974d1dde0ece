using System;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PtcTools.Policy.Model;

/// <summary>What a principal value names.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum PrincipalKind
{
    /// <summary><c>"*"</c>: everyone, anonymous included.</summary>
    Everyone,
    /// <summary>An account: a 12-digit id or <c>arn:aws:iam::ACCOUNT:root</c> (the two are equivalent).</summary>
    Account,
    /// <summary>An IAM user ARN.</summary>
    User,
    /// <summary>An IAM role ARN.</summary>
    Role,
    /// <summary>An STS assumed-role session ARN.</summary>
    AssumedRole,
    /// <summary>An STS federated-user ARN.</summary>
    FederatedUser,
    /// <summary>A service principal such as <c>ecr.amazonaws.com</c>.</summary>
    Service,
    /// <summary>A federated identity provider.</summary>
    Federated,
    /// <summary>An S3 canonical user id.</summary>
    CanonicalUser,
}

/// <summary>A validated principal value, with the account it belongs to and its equivalence key.</summary>
public sealed class PrincipalId : IEquatable<PrincipalId>
{
    private static readonly Regex s_name = new(@"^[\w+=,.@-]{1,128}$", RegexOptions.CultureInvariant);
    private static readonly Regex s_path = new(@"^(/[\x21-\x7E]*)?/$", RegexOptions.CultureInvariant);

    private PrincipalId(PrincipalKind kind, string text, string? partition, string? account, string? name)
    {
        Kind = kind;
        Text = text;
        Partition = partition;
        Account = account;
        Name = name;
    }

    /// <summary>What the value names.</summary>
    public PrincipalKind Kind { get; }

    /// <summary>The value as given.</summary>
    public string Text { get; }

    /// <summary>The partition of an ARN value (or null).</summary>
    public string? Partition { get; }

    /// <summary>The 12-digit account of an account, user, role or session (or null).</summary>
    public string? Account { get; }

    /// <summary>The user, role or session role name (for a session: the role name).</summary>
    public string? Name { get; }

    /// <summary>True for a service-linked role (its path is <c>/aws-service-role/</c>) or a session of one (the session ARN carries no path, so the role name tells: service-linked roles are named <c>AWSServiceRoleFor...</c>).</summary>
    public bool IsServiceLinkedRole => Kind switch
    {
        PrincipalKind.Role => Text.IndexOf(":role/aws-service-role/", StringComparison.Ordinal) >= 0,
        PrincipalKind.AssumedRole => Name is not null && Name.StartsWith("AWSServiceRoleFor", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The principal element key this value belongs under: AWS, Service, Federated, CanonicalUser or *.</summary>
    public string ElementType => Kind switch
    {
        PrincipalKind.Everyone => "*",
        PrincipalKind.Service => "Service",
        PrincipalKind.Federated => "Federated",
        PrincipalKind.CanonicalUser => "CanonicalUser",
        _ => "AWS",
    };

    /// <summary>A key equal for equivalent values: <c>123456789012</c> and <c>arn:aws:iam::123456789012:root</c> share one.</summary>
    public string EquivalenceKey => Kind switch
    {
        PrincipalKind.Account => "account:" + (Partition ?? Partitions.Aws) + ":" + Account,
        PrincipalKind.Everyone => "*",
        _ => ElementType + ":" + Text,
    };

    /// <summary>The root ARN of the account, when the value names an account or something in one.</summary>
    public string? AccountRootArn => Account is null ? null : $"arn:{Partition ?? Partitions.Aws}:iam::{Account}:root";

    /// <summary>Parses and validates a principal value of the given element type (AWS by default).</summary>
    /// <exception cref="PolicyException"><c>PrincipalIsGroup</c> for an IAM group; <c>PrincipalInvalid</c> for wildcards in an ARN and malformed values.</exception>
    public static PrincipalId Parse(string value, string elementType = "AWS")
    {
        if (TryParse(value, elementType, out var principal, out var errorId, out var reason))
        {
            return principal!;
        }

        throw new PolicyException(errorId!, PolicyErrorKind.InvalidArgument, reason!, value);
    }

    /// <summary>Parses a principal value; on failure gives the error id (<c>PrincipalIsGroup</c>, <c>PrincipalInvalid</c>) and a reason that says what to do.</summary>
    public static bool TryParse(string? value, string elementType, [NotNullWhen(true)] out PrincipalId? principal, [NotNullWhen(false)] out string? errorId, [NotNullWhen(false)] out string? reason)
    {
        principal = null;
        errorId = ErrorIds.PrincipalInvalid;
        reason = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            reason = "A principal cannot be empty. Give a 12-digit account id, an account root, user or role ARN, or an assumed-role session ARN.";
            return false;
        }

        var v = value!;
        switch (elementType)
        {
            case "*":
                return Done(out principal, out errorId, new PrincipalId(PrincipalKind.Everyone, "*", null, null, null));
            case "Service":
                if (Grammar.PolicyGrammar.IsServicePrincipal(v))
                {
                    return Done(out principal, out errorId, new PrincipalId(PrincipalKind.Service, v, null, null, v));
                }

                reason = $"'{v}' is not a service principal such as pullthroughcache.ecr.amazonaws.com.";
                return false;
            case "Federated":
                return Done(out principal, out errorId, new PrincipalId(PrincipalKind.Federated, v, null, null, v));
            case "CanonicalUser":
                return Done(out principal, out errorId, new PrincipalId(PrincipalKind.CanonicalUser, v, null, null, v));
            case "AWS":
                break;
            default:
                reason = $"'{elementType}' is not a principal type; use AWS, Service, Federated or CanonicalUser.";
                return false;
        }

        if (v == "*")
        {
            return Done(out principal, out errorId, new PrincipalId(PrincipalKind.Everyone, "*", null, null, null));
        }

        if (Arn.IsAccountId(v))
        {
            return Done(out principal, out errorId, new PrincipalId(PrincipalKind.Account, v, null, v, null));
        }

        if (!Arn.TryParse(v, out var arn))
        {
            reason = $"'{v}' is not a principal. Give a 12-digit account id or an ARN such as arn:aws:iam::111122223333:role/name.";
            return false;
        }

        if (v.IndexOf('*') >= 0 || v.IndexOf('?') >= 0)
        {
            reason = $"'{v}' has a wildcard inside an ARN; IAM does not allow partial wildcards in principals. Name the principal exactly, or use \"*\" with a condition on aws:PrincipalArn (ArnLike) to match a pattern.";
            return false;
        }

        if (!Partitions.IsKnownPartition(arn.Partition))
        {
            reason = $"'{v}' has the partition '{arn.Partition}'; use aws, aws-cn or aws-us-gov.";
            return false;
        }

        if (arn.Region.Length != 0)
        {
            reason = $"'{v}' has a Region ('{arn.Region}'); IAM and STS principal ARNs have an empty Region field (arn:aws:iam::ACCOUNT:...).";
            return false;
        }

        if (arn.Service is not ("iam" or "sts"))
        {
            reason = $"'{v}' is not an account root, IAM user, IAM role, assumed-role session or federated-user ARN (its service is '{arn.Service}', not iam or sts).";
            return false;
        }

        if (!Arn.IsAccountId(arn.Account))
        {
            reason = $"'{v}' has '{arn.Account}' where a 12-digit account id belongs.";
            return false;
        }

        var resource = arn.Resource;
        if (arn.Service == "iam")
        {
            if (resource == "root")
            {
                return Done(out principal, out errorId, new PrincipalId(PrincipalKind.Account, v, arn.Partition, arn.Account, null));
            }

            var slash = resource.IndexOf('/');
            var type = slash < 0 ? resource : resource.Substring(0, slash);
            if (type == "group")
            {
                errorId = ErrorIds.PrincipalIsGroup;
                reason = $"'{v}' is an IAM group, and IAM groups cannot be principals in a policy. Name the users or roles instead, or grant the group an identity-based policy with these actions.";
                return false;
            }

            if ((type == "user" || type == "role") && slash > 0 && SplitPathAndName(resource.Substring(slash), out var name))
            {
                return Done(out principal, out errorId, new PrincipalId(type == "user" ? PrincipalKind.User : PrincipalKind.Role, v, arn.Partition, arn.Account, name));
            }
        }
        else if (arn.Service == "sts")
        {
            var parts = resource.Split('/');
            if (parts.Length == 3 && parts[0] == "assumed-role" && s_name.IsMatch(parts[1]) && parts[2].Length is > 1 and <= 64)
            {
                return Done(out principal, out errorId, new PrincipalId(PrincipalKind.AssumedRole, v, arn.Partition, arn.Account, parts[1]));
            }

            if (parts.Length == 2 && parts[0] == "federated-user" && s_name.IsMatch(parts[1]))
            {
                return Done(out principal, out errorId, new PrincipalId(PrincipalKind.FederatedUser, v, arn.Partition, arn.Account, parts[1]));
            }
        }

        reason = $"'{v}' is not an account root, IAM user, IAM role, assumed-role session or federated-user ARN.";
        return false;
    }

    /// <inheritdoc />
    public bool Equals(PrincipalId? other) => other is not null && EquivalenceKey == other.EquivalenceKey;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PrincipalId);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(EquivalenceKey);

    /// <summary>The value as given.</summary>
    public override string ToString() => Text;

    private static bool Done([NotNullWhen(true)] out PrincipalId? principal, [NotNullWhen(false)] out string? errorId, PrincipalId value)
    {
        principal = value;
        errorId = null;
        return true;
    }

    // "/path/to/name" or "/name": the path is optional, the name is the last segment.
    private static bool SplitPathAndName(string pathAndName, out string name)
    {
        var last = pathAndName.LastIndexOf('/');
        name = pathAndName.Substring(last + 1);
        var path = pathAndName.Substring(0, last + 1);
        return s_name.IsMatch(name) && name.Length <= 64 && s_path.IsMatch(path);
    }
}
