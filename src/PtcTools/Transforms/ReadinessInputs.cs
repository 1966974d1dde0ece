using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;
using PtcTools.Policy.Readiness;

namespace PtcTools.Transforms;

/// <summary>Turns what a user gives Test-PtcPullThroughCache (rules, templates, secrets, as objects, JSON text or files) into the readiness facts.</summary>
/// <remarks>
/// Objects are read by property name without regard to case, so PtcTools' own objects, AWS.Tools' responses
/// (EcrRepositoryPrefix, Prefix, AppliedFor, ResourceTags, ARN) and the AWS CLI's JSON (ecrRepositoryPrefix, prefix,
/// appliedFor, resourceTags) all read the same. A list answer (pullThroughCacheRules, repositoryCreationTemplates) gives
/// its items.
/// </remarks>
public static class ReadinessInputs
{
    /// <summary>Rules from an object, text or file; the Region (asked only when a rule has none) and registry fall back to the given ones.</summary>
    /// <exception cref="PolicyException"><c>RuleInputInvalid</c>, <c>NoRegion</c>, <c>RegistryIdInvalid</c>, or the JSON errors of a text.</exception>
    public static IReadOnlyList<CacheRuleFacts> Rules(object? value, Func<string?> region, string? registryId, SessionState session)
    {
        if (PSValue.Unwrap(value) is PtcPullThroughCacheRule rule)
        {
            return new[] { Rule(rule.EcrRepositoryPrefix, rule.RegistryId ?? registryId, rule.Region ?? region(), rule.UpstreamRegistry, rule.UpstreamRegistryUrl, rule.UpstreamRepositoryPrefix, rule.CredentialArn, rule.CustomRoleArn, value) };
        }

        return Items(value, "pullThroughCacheRules", ErrorIds.RuleInputInvalid, session).Select(item =>
        {
            var prefix = Text(item, "ecrRepositoryPrefix")
                ?? throw new PolicyException(ErrorIds.RuleInputInvalid, PolicyErrorKind.InvalidArgument, "A pull through cache rule needs an ecrRepositoryPrefix: give Get-PtcPullThroughCacheRule output, or DescribePullThroughCacheRules' answer (JSON text or file).", value);
            return Rule(prefix, Text(item, "registryId") ?? registryId, Text(item, "region") ?? region(), Text(item, "upstreamRegistry"), Text(item, "upstreamRegistryUrl"),
                Text(item, "upstreamRepositoryPrefix"), Text(item, "credentialArn"), Text(item, "customRoleArn"), value);
        }).ToList();
    }

    /// <summary>Templates from objects, text or files (DescribeRepositoryCreationTemplates' answer, or templates).</summary>
    /// <exception cref="PolicyException"><c>TemplateInputInvalid</c>, or the JSON errors of a text.</exception>
    public static IReadOnlyList<CreationTemplateFacts> Templates(IEnumerable<object> values, SessionState session) =>
        values.SelectMany(value => Items(value, "repositoryCreationTemplates", ErrorIds.TemplateInputInvalid, session).Select(item =>
        {
            var prefix = Text(item, "prefix")
                ?? throw new PolicyException(ErrorIds.TemplateInputInvalid, PolicyErrorKind.InvalidArgument, "A repository creation template needs a prefix: give DescribeRepositoryCreationTemplates' answer (JSON text or file), or its templates.", value);
            var appliedFor = Strings(item, "appliedFor");
            var tags = (Get(item, "resourceTags") as JArray ?? new JArray()).OfType<JObject>()
                .Select(t => new KeyValuePair<string, string>(Text(t, "key") ?? string.Empty, Text(t, "value") ?? string.Empty)).ToArray();
            var encryption = Get(item, "encryptionConfiguration") as JObject;
            var key = encryption is null ? null : Text(encryption, "kmsKey");
            return new CreationTemplateFacts(prefix, appliedFor)
            {
                ResourceTags = tags,
                EncryptionType = encryption is null ? null : Text(encryption, "encryptionType"),
                KmsKey = string.IsNullOrEmpty(key) ? null : key,
                CustomRoleArn = Text(item, "customRoleArn"),
            };
        })).ToList();

    /// <summary>A secret's metadata from DescribeSecret's answer (an object, JSON text or a file).</summary>
    /// <exception cref="PolicyException"><c>SecretInputInvalid</c>, or the JSON errors of a text.</exception>
    public static SecretFacts Secret(object value, SessionState session)
    {
        var item = Items(value, "SecretList", ErrorIds.SecretInputInvalid, session).FirstOrDefault();
        var arn = item is null ? null : Text(item, "arn");
        if (item is null || arn is null)
        {
            throw new PolicyException(ErrorIds.SecretInputInvalid, PolicyErrorKind.InvalidArgument, "A secret is given as DescribeSecret's answer (its ARN, Name, KmsKeyId, DeletedDate); an object, JSON text or a file. Its value is never needed.", value);
        }

        return new SecretFacts(arn, Text(item, "name") ?? string.Empty)
        {
            KmsKeyId = Text(item, "kmsKeyId"),
            DeletedDate = DeletedDate(item, value),
        };
    }

    // DescribeSecret's DeletedDate: epoch seconds or ISO text from JSON, a DateTime from AWS.Tools; another type is SecretInputInvalid.
    private static DateTimeOffset? DeletedDate(JObject item, object source) => Get(item, "deletedDate") switch
    {
        null or JValue { Type: JTokenType.Null } => null,
        JValue { Value: DateTimeOffset date } => date,
        JValue { Value: DateTime date } => new DateTimeOffset(date.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : date),
        var token => new Aws.JsonAnswer(reason => new PolicyException(ErrorIds.SecretInputInvalid, PolicyErrorKind.InvalidArgument, $"The secret's {reason}.", source))
            .Timestamp(new JObject { ["DeletedDate"] = token.DeepClone() }, "DeletedDate"),
    };

    /// <summary>Policies given as objects, text or files, named by what they are and their position.</summary>
    public static IReadOnlyList<NamedPolicy> Policies(IEnumerable<object>? values, string what, SessionState session) =>
        (values ?? Array.Empty<object>()).Select((v, i) => new NamedPolicy(what + (i == 0 ? string.Empty : " " + (i + 1)), Policy(v, session))).ToList();

    /// <summary>One policy given as an object, text or file.</summary>
    public static PolicyDocument Policy(object value, SessionState session) => PolicyInput.ToDocument(ReadIfFile(value, session));

    /// <summary>A registry policy given as an object, text or file; null for none: $null, or a document with an empty Statement list
    /// (what Get-PtcRegistryPolicy returns where there is none; ECR never stores one), as access analysis reads it.</summary>
    public static PolicyDocument? RegistryPolicy(object? value, SessionState session)
    {
        if (value is null)
        {
            return null;
        }

        var document = Policy(value, session);
        return document.HasStatementElement && document.Statements.Count == 0 ? null : document;
    }

    private static CacheRuleFacts Rule(string prefix, string? registryId, string? region, string? kind, string? url, string? upstreamPrefix, string? credential, string? role, object? source)
    {
        if (string.IsNullOrEmpty(region))
        {
            throw new PolicyException(ErrorIds.NoRegion, PolicyErrorKind.InvalidArgument, $"The rule {prefix} does not say its Region, and none is set. Give -Region.", source);
        }

        Partitions.FromRegion(region!);
        if (!Arn.IsAccountId(registryId))
        {
            throw new PolicyException(ErrorIds.RegistryIdInvalid, PolicyErrorKind.InvalidArgument, $"The rule {prefix} does not say its registry (registryId), or it is not a 12-digit account. Give -RegistryId.", source);
        }

        return new CacheRuleFacts(prefix, registryId!, region!)
        {
            UpstreamRegistry = kind,
            UpstreamRegistryUrl = url,
            UpstreamRepositoryPrefix = upstreamPrefix,
            CredentialArn = credential,
            CustomRoleArn = role,
        };
    }

    // The value as JSON objects: a file is read, text is parsed, structure is converted; a list answer gives its items.
    private static IEnumerable<JObject> Items(object? value, string listName, string errorId, SessionState session)
    {
        var read = ReadIfFile(value, session);
        JToken token = PSValue.Unwrap(read) is string text ? PolicyJson.ParseToken(text, value) : PolicyStructure.ToJToken(read, "$");
        var items = token switch
        {
            JObject obj when Get(obj, listName) is JArray list => list.ToList(),
            JObject obj => new List<JToken> { obj },
            JArray array => array.ToList(),
            _ => new List<JToken>(),
        };
        if (items.Count == 0 || items.Any(i => i is not JObject))
        {
            throw new PolicyException(errorId, PolicyErrorKind.InvalidArgument, $"'{Describe(value)}' is not what this parameter takes: an object, a list of them, or JSON text or a file with them.", value);
        }

        return items.Cast<JObject>();
    }

    private static object? ReadIfFile(object? value, SessionState session)
    {
        // The one resolver: a FileInfo, or text that names a file, is read; a file name that names no file is PolicyFileNotFound.
        return PolicyPaths.FileNamedBy(value, session) is { } file ? PolicyFile.ReadText(file) : value;
    }

    private static JToken? Get(JObject item, string name) =>
        item.Properties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;

    // A string, or what AWS.Tools gives for an enum (a ConstantClass object whose Value is the string).
    private static string? Text(JObject item, string name) => Get(item, name) switch
    {
        JValue { Type: JTokenType.Null } => null,
        JValue v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture),
        JObject o when Get(o, "value") is JValue inner => Convert.ToString(inner.Value, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    private static IReadOnlyList<string> Strings(JObject item, string name) => Get(item, name) switch
    {
        JArray a => a.Select(t => t is JObject o && Get(o, "value") is JValue inner ? (string?)inner : t is JValue v ? (string?)v : null).Where(s => s is not null).Select(s => s!).ToArray(),
        JValue { Type: JTokenType.String } v => new[] { (string)v! },
        _ => Array.Empty<string>(),
    };

    private static string Describe(object? value) => PSValue.Unwrap(value) switch
    {
        null => "$null",
        string s => s.Length > 60 ? s.Substring(0, 60) + "..." : s,
        var other => other.GetType().Name,
    };
}
