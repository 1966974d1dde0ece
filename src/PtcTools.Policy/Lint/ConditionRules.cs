using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>The advice about Condition blocks that IAM accepts but that does not do what it says: keys that are never in an ECR request, operators that do not fit their key, values of the wrong shape, set operators on the wrong keys.</summary>
/// <remarks>Anchors: IAM Access Analyzer's policy check reference (each finding carries the issue code of its check) and
/// parliament's issue list; the key catalog is <see cref="ConditionKeys"/>. None of these is an Error: IAM stores such a policy,
/// and the evaluator reads it as IAM does (an absent key fails a condition, a literal * matches only *).</remarks>
internal static class ConditionRules
{
    private static readonly Regex s_vpce = new("^vpce-[0-9a-f]{8}([0-9a-f]{9})?$", RegexOptions.CultureInvariant);
    private static readonly Regex s_vpc = new("^vpc-[0-9a-f]{8}([0-9a-f]{9})?$", RegexOptions.CultureInvariant);

    private static readonly string[] s_privateBlocks = { "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128" };

    private static readonly string[] s_sourceKeys = { "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths" };

    public static void Check(LintContext context, StatementReading s)
    {
        if (s.Condition is not { } block)
        {
            return;
        }

        if (block.Count == 0)
        {
            context.Report(LintRules.ConditionEmpty, block, s, "Condition is an empty object; it tests nothing and can be removed.", "EMPTY_OBJECT_CONDITION");
            return;
        }

        foreach (var opProperty in block.Properties())
        {
            if (!ConditionOperator.TryParse(opProperty.Name, out var op, out _) || opProperty.Value is not JObject keys)
            {
                continue; // The reader reported it (PTC011).
            }

            CheckCaseDuplicates(context, s, opProperty, keys);
            foreach (var keyProperty in keys.Properties())
            {
                var values = PolicyGrammar.Strings(keyProperty.Value) ?? ScalarTexts(keyProperty.Value);
                var key = CheckKey(context, s, op, keyProperty);
                CheckMixedTypes(context, s, opProperty, keyProperty);
                if (values is null)
                {
                    continue;
                }

                CheckValues(context, s, op, keyProperty, key, values);
            }
        }
    }

    // Pins for text (the values as IAM reads them): numbers and booleans as their text.
    private static string[]? ScalarTexts(JToken value) =>
        value is JArray a && a.All(t => t.Type is JTokenType.String or JTokenType.Boolean or JTokenType.Integer or JTokenType.Float)
            ? a.Select(Text).ToArray()
            : value.Type is JTokenType.Boolean or JTokenType.Integer or JTokenType.Float ? new[] { Text(value) } : null;

    private static string Text(JToken t) => t.Type == JTokenType.Boolean ? ((bool)t ? "true" : "false") : Convert.ToString(((JValue)t).Value, System.Globalization.CultureInfo.InvariantCulture)!;

    private static void CheckCaseDuplicates(LintContext context, StatementReading s, JProperty opProperty, JObject keys)
    {
        foreach (var group in keys.Properties().GroupBy(k => k.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            var spellings = string.Join(", ", group.Select(k => $"'{k.Name}'"));
            context.Report(LintRules.ConditionKeyCaseDuplicate, group.Skip(1).First(), s,
                $"{opProperty.Name} names one key in several spellings ({spellings}); key names are not case-sensitive, so these are one key tested twice (both must hold), which is rarely what was meant. Keep one spelling and put all its values in one list.",
                "DUPLICATE_KEYS_WITH_DIFFERENT_CASE");
        }
    }

    // The key's own checks; the known key it names, or null.
    private static ConditionKey? CheckKey(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty)
    {
        var name = keyProperty.Name;
        var colon = name.IndexOf(':');
        if (colon <= 0 || colon == name.Length - 1 || name.Any(char.IsWhiteSpace))
        {
            context.Report(LintRules.ConditionKeyMalformed, keyProperty, s,
                $"'{name}' is not a condition key: keys are written service:name without spaces, such as aws:PrincipalOrgID or ecr:ResourceTag/team. A request never carries '{name}', so the condition {(op.Negated || op.IfExists ? "always holds" : "never holds")}." +
                (ConditionKeys.Suggest(colon < 0 ? "aws:" + name.Trim() : name.Trim()) is { } near ? $" Did you mean {near}?" : string.Empty),
                "INVALID_CONDITION_KEY_FORMAT");
            return null;
        }

        if (PolicyVariables.Has(name))
        {
            context.Report(LintRules.PolicyVariableIgnored, keyProperty, s,
                $"The key '{name}' holds a policy variable; IAM substitutes variables only in condition values and in Resource, so the key is this literal text, which a request never carries, and the condition {(op.Negated || op.IfExists || op.Set == SetQualifier.ForAllValues ? "always holds and tests nothing" : op.Family == OperatorFamily.Null ? "tests only that it is absent" : "never holds and the statement never applies")}. Name the key, and put the variable in the value: {{\"StringEquals\": {{\"aws:PrincipalTag/team\": \"${{aws:username}}\"}}}}.",
                "VARIABLE_UNSUPPORTED_IN_ELEMENT");
            return null;
        }

        if (ConditionKeys.TagKeyWithoutTag(name) is { } tagKey)
        {
            context.Report(LintRules.ConditionKeyMalformed, keyProperty, s,
                $"'{name}' lacks its tag name: write {tagKey.TagPrefix}TAGNAME, such as {tagKey.TagPrefix}team. Without it the key names no tag, and a request never carries it.",
                "MISSING_TAG_KEY_IN_CONDITION");
            return null;
        }

        if (ConditionKeys.Unsupported.TryGetValue(name, out var instead))
        {
            context.Report(LintRules.ConditionKeyUnavailable, keyProperty, s,
                $"'{name}' is a global condition key AWS no longer supports; use {instead}.", "UNSUPPORTED_GLOBAL_CONDITION_KEY");
            return null;
        }

        var service = name.Substring(0, colon);
        var key = ConditionKeys.Find(name);
        if (key is null)
        {
            var near = ConditionKeys.Suggest(name);
            var hint = near is null ? string.Empty : $" Did you mean {near}?";
            var (what, code) = service.Equals("aws", StringComparison.OrdinalIgnoreCase)
                ? ($"'{name}' is not a global condition key of IAM", "INVALID_GLOBAL_CONDITION_KEY")
                : service.Equals("ecr", StringComparison.OrdinalIgnoreCase)
                    ? ($"'{name}' is not a condition key ECR defines (ECR defines ecr:ResourceTag/TAGNAME and ecr:AccountSetting)", "INVALID_SERVICE_CONDITION_KEY")
                    : ConditionKeys.IsService(service)
                        ? ($"'{name}' is a key of the service '{service}', which a request to ECR never carries", (string?)null)
                        : ($"'{service}' is not an AWS service prefix, so '{name}' is not a condition key", "INVALID_SERVICE");
            context.Report(LintRules.ConditionKeyUnknown, keyProperty, s,
                $"{what}. The request never has it, so this condition {(op.Negated || op.IfExists || op.Set == SetQualifier.ForAllValues ? "always holds and tests nothing" : op.Family == OperatorFamily.Null ? "tests only that it is absent" : "never holds and the statement never applies")}.{hint}",
                code);
            return null;
        }

        if (ConditionKeys.EcrActionsOffering(key) is { } offering && !s.UsesNotAction && s.Granted.Count > 0 && s.Actions.All(a => a.EcrActions.Count > 0) && !s.Granted.Overlaps(offering))
        {
            context.Report(LintRules.ConditionKeyUnavailable, keyProperty, s,
                $"'{name}' is not in the request of any action of the statement: the Service Authorization Reference offers it only with {Summarize(offering)}. So the condition {(op.Negated || op.IfExists ? "always holds" : "never holds")}. Test a key these actions carry, or move the condition to a statement for those actions.");
        }

        return key;
    }

    private static string Summarize(IReadOnlyList<string> actions) =>
        actions.Count <= 4 ? string.Join(", ", actions) : $"{string.Join(", ", actions.Take(3))} and {actions.Count - 3} other actions on repositories";

    private static void CheckMixedTypes(LintContext context, StatementReading s, JProperty opProperty, JProperty keyProperty)
    {
        if (keyProperty.Value is not JArray array)
        {
            return;
        }

        var kinds = array.Select(t => t.Type is JTokenType.Integer or JTokenType.Float ? "number" : t.Type == JTokenType.Boolean ? "boolean" : t.Type == JTokenType.String ? "text" : null)
            .Where(k => k is not null).Distinct().ToList();
        if (kinds.Count > 1)
        {
            context.Report(LintRules.ConditionValueTypesMixed, keyProperty.Value, s,
                $"The values of {opProperty.Name} on '{keyProperty.Name}' mix JSON types ({string.Join(" and ", kinds)}). IAM compares them as text, but a mixed list usually hides a typo; write every value the same way, as text (\"true\", \"3600\").",
                "INVALID_CONDITION_DATA_TYPE");
        }
    }

    private static void CheckValues(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty, ConditionKey? key, string[] values)
    {
        var name = keyProperty.Name;
        var variables = context.Reading.UsesVariables;
        CheckWildcards(context, s, op, keyProperty, values, variables);
        if (op.Family == OperatorFamily.Bool && values.Length > 1)
        {
            context.Report(LintRules.BoolMultipleValues, keyProperty.Value, s,
                $"Bool on '{name}' has {values.Length} values ({string.Join(", ", values)}); a Bool key holds one value, so a list of true and false always matches a request that has the key, and a repeated value is noise. Give one value.",
                "INVALID_CONDITION_MULTIPLE_BOOLEAN");
        }

        if (key is not null)
        {
            CheckOperatorType(context, s, op, keyProperty, key);
            CheckSetOperator(context, s, op, keyProperty, key);
        }

        if (!s.IsAllow && s.Effect == "Deny" && op.Family == OperatorFamily.Bool && !op.IfExists && op.Set == SetQualifier.None
            && string.Equals(name, "aws:MultiFactorAuthPresent", StringComparison.OrdinalIgnoreCase) && values.Any(v => v.Equals("false", StringComparison.OrdinalIgnoreCase)))
        {
            // parliament BAD_PATTERN_FOR_MFA; IAM's aws:MultiFactorAuthPresent entry: the key is absent for long-term access keys.
            context.Report(LintRules.MfaDenyWithoutIfExists, keyProperty, s,
                "Deny with Bool aws:MultiFactorAuthPresent false misses the requests that carry no such key: calls signed with long-term access keys have none, so they are not denied. Write BoolIfExists, which holds when the key is absent too.");
        }

        if (op.IsDate && !string.Equals(name, "aws:EpochTime", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var value in values.Where(v => v.Length > 0 && v.All(c => char.IsDigit(c) || c == '.')))
            {
                context.Report(LintRules.DateEpoch, keyProperty.Value, s,
                    $"{op.Name} on '{name}' compares with '{value}', epoch seconds. IAM reads it, but a date such as {DateTimeOffset.FromUnixTimeSeconds((long)decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (ISO 8601) says which moment is meant.",
                    "INVALID_DATE_VALUE");
                break;
            }
        }

        if (op.Family == OperatorFamily.IpAddress)
        {
            CheckIpValues(context, s, op, keyProperty, values);
        }

        if (op.IsString)
        {
            CheckIds(context, s, op, keyProperty, values, variables);
        }

        if (op.IsNumeric && values.Length > 1 && op.Family is OperatorFamily.NumericLessThan or OperatorFamily.NumericLessThanEquals or OperatorFamily.NumericGreaterThan or OperatorFamily.NumericGreaterThanEquals)
        {
            var less = op.Family is OperatorFamily.NumericLessThan or OperatorFamily.NumericLessThanEquals;
            var numbers = values.Select(v => ConditionOperator.TryParseNumber(v, out var n) ? (decimal?)n : null).ToList();
            if (numbers.All(n => n is not null))
            {
                var keep = less ? numbers.Max()!.Value : numbers.Min()!.Value;
                context.Report(LintRules.ValuesRedundant, keyProperty.Value, s,
                    $"{op.Name} on '{name}' has {values.Length} values; any value matches, so only the {(less ? "greatest" : "least")} counts. Write {keep.ToString(System.Globalization.CultureInfo.InvariantCulture)} alone.",
                    "REDUNDANT_CONDITION_VALUE_NUM");
            }
        }
    }

    private static void CheckWildcards(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty, string[] values, bool variables)
    {
        var arnEquals = op.Family == OperatorFamily.ArnLike && op.BaseName is "ArnEquals" or "ArnNotEquals";
        if (!(op.Family is OperatorFamily.StringEquals or OperatorFamily.StringEqualsIgnoreCase) && !arnEquals)
        {
            return;
        }

        var value = values.FirstOrDefault(v => Wildcard.HasWildcard(variables ? v.Replace("${*}", string.Empty).Replace("${?}", string.Empty) : v));
        if (value is null)
        {
            return;
        }

        var like = op.BaseName.Replace("Equals", "Like").Replace("IgnoreCase", string.Empty) + (op.IfExists ? "IfExists" : string.Empty);
        var message = arnEquals
            ? $"{op.Name} on '{keyProperty.Name}' has the value '{value}' with a wildcard. IAM matches * and ? under {op.BaseName} as under ArnLike, but the name says exact; write {like} so the policy reads as it works."
            : $"{op.Name} on '{keyProperty.Name}' has the value '{value}', where * and ? are literal characters: it matches only a request value that is exactly '{value}'. If a pattern was meant, write {like}{(op.Family == OperatorFamily.StringEqualsIgnoreCase ? " (which is case-sensitive)" : string.Empty)}.";
        context.Report(LintRules.WildcardWithoutLike, keyProperty.Value, s, message, "WILDCARD_WITHOUT_LIKE_OPERATOR");
    }

    private static void CheckOperatorType(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty, ConditionKey key)
    {
        if (op.Family == OperatorFamily.Null)
        {
            return;
        }

        var fits = key.Type switch
        {
            ConditionKeyType.String or ConditionKeyType.ArrayOfString => op.IsString,
            ConditionKeyType.Arn => op.Family == OperatorFamily.ArnLike || op.IsString,
            ConditionKeyType.Bool => op.Family == OperatorFamily.Bool,
            ConditionKeyType.Numeric => op.IsNumeric,
            ConditionKeyType.Date => op.IsDate || (key.Name == "aws:EpochTime" && op.IsNumeric),
            ConditionKeyType.IpAddress => op.Family == OperatorFamily.IpAddress,
            _ => true,
        };
        if (!fits)
        {
            var want = key.Type switch
            {
                ConditionKeyType.String or ConditionKeyType.ArrayOfString => "a String operator (StringEquals, StringLike, ...)",
                ConditionKeyType.Arn => "an Arn operator (ArnEquals, ArnLike, ...)",
                ConditionKeyType.Bool => "Bool",
                ConditionKeyType.Numeric => "a Numeric operator",
                ConditionKeyType.Date => "a Date operator",
                _ => "IpAddress or NotIpAddress",
            };
            context.Report(LintRules.OperatorKeyTypeMismatch, keyProperty, s,
                $"{op.Name} does not fit '{key.Name}', whose values are of type {key.Type}: the comparison {(op.Negated ? "always holds" : "never holds")} or depends on how IAM converts the value. Use {want}.",
                "TYPE_MISMATCH");
            return;
        }

        if (key.Type == ConditionKeyType.Arn && op.IsString)
        {
            context.Report(LintRules.StringOperatorOnArnKey, keyProperty, s,
                $"{op.Name} compares '{key.Name}', an ARN key, as text. It works, but an Arn operator (ArnEquals, ArnLike) compares the ARN segment by segment, as IAM recommends for ARN keys.");
        }
    }

    private static void CheckSetOperator(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty, ConditionKey key)
    {
        if (op.Set != SetQualifier.None && !key.IsMultivalued)
        {
            var forAll = op.Set == SetQualifier.ForAllValues;
            context.Report(LintRules.SetOperatorOnSingleValuedKey, keyProperty, s, forAll
                ? $"{op.Name} tests '{key.Name}', a single-valued key: ForAllValues: holds when the key is absent from the request, so this condition lets through every request without it. Remove ForAllValues: (and add a Null check if the key must be present)."
                : $"{op.Name} tests '{key.Name}', a single-valued key; IAM says set operators are for multivalued keys only. Remove ForAnyValue:.",
                forAll ? "FORALLVALUES_WITH_SINGLE_VALUED_KEY" : null);
        }
        else if (op.Set == SetQualifier.None && key.IsMultivalued && op.Family != OperatorFamily.Null)
        {
            context.Report(LintRules.MultivaluedKeyWithoutQualifier, keyProperty, s,
                $"{op.Name} tests '{key.Name}', a multivalued key, without ForAllValues: or ForAnyValue:; IAM compares a set of request values only through them. Write ForAnyValue:{op.Name} (some value matches) or ForAllValues:{op.Name} (every value matches).",
                "MISSING_QUALIFIER");
        }
    }

    private static void CheckIpValues(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty, string[] values)
    {
        var parsed = values.Select(v => (Text: v, Ok: IpNetwork.TryParse(v, out var n), Net: n)).Where(x => x.Ok).ToList();
        foreach (var (text, _, net) in parsed)
        {
            if (HasHostBits(net))
            {
                context.Report(LintRules.IpRangeHostBits, keyProperty.Value, s,
                    $"'{text}' has bits set after its /{net.Prefix} mask; IAM ignores them, so the block is the network that contains it. Write the network address to say so.",
                    "IMPROVE_IP_RANGE");
                break;
            }
        }

        if (!string.Equals(keyProperty.Name, "aws:SourceIp", StringComparison.OrdinalIgnoreCase) || parsed.Count == 0)
        {
            return;
        }

        var privates = parsed.Where(x => IsPrivate(x.Net)).Select(x => x.Text).ToList();
        if (privates.Count == 0)
        {
            return;
        }

        var all = privates.Count == parsed.Count;
        var code = (all, op.Negated) switch
        {
            (true, false) => "PRIVATE_IP_ADDRESS",
            (true, true) => "PRIVATE_NOT_IP_ADDRESS",
            (false, false) => "PRIVATE_IP_ADDRESS_SUBSET",
            _ => "PRIVATE_NOT_IP_ADDRESS_SUBSET",
        };
        var effect = all
            ? op.Negated ? "so NotIpAddress always holds and the condition tests nothing" : "so the condition never holds and the statement never applies"
            : "so those values have no effect";
        context.Report(LintRules.SourceIpPrivate, keyProperty.Value, s,
            $"aws:SourceIp is compared with private addresses ({string.Join(", ", privates)}); aws:SourceIp holds only public addresses (a request through a VPC endpoint carries aws:VpcSourceIp instead), {effect}. Use aws:VpcSourceIp with aws:SourceVpc or aws:SourceVpce for private ranges.",
            code);
    }

    private static bool HasHostBits(IpNetwork net)
    {
        if (!net.IsV6)
        {
            var host = net.Prefix >= 32 ? 0UL : 0xFFFFFFFFUL >> net.Prefix;
            return (net.Low & host) != 0;
        }

        if (net.Prefix >= 128)
        {
            return false;
        }

        return net.Prefix >= 64 ? (net.Low & (ulong.MaxValue >> (net.Prefix - 64))) != 0 : net.Low != 0 || (net.High & (ulong.MaxValue >> net.Prefix)) != 0;
    }

    private static bool IsPrivate(IpNetwork net) =>
        s_privateBlocks.Any(b => IpNetwork.TryParse(b, out var block) && block.IsV6 == net.IsV6 && net.Prefix >= block.Prefix && block.Contains(net));

    private static void CheckIds(LintContext context, StatementReading s, ConditionOperator op, JProperty keyProperty, string[] values, bool variables)
    {
        var name = keyProperty.Name;
        var exact = values.Where(v => !Wildcard.HasWildcard(v) && !(variables && PolicyVariables.Has(v))).ToList();
        if (string.Equals(name, "aws:SourceVpce", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "aws:SourceVpc", StringComparison.OrdinalIgnoreCase))
        {
            var vpce = name.EndsWith("e", StringComparison.OrdinalIgnoreCase);
            var bad = exact.FirstOrDefault(v => !(vpce ? s_vpce : s_vpc).IsMatch(v));
            if (bad is not null)
            {
                context.Report(LintRules.NetworkIdMalformed, keyProperty.Value, s,
                    $"'{bad}' is not a {(vpce ? "VPC endpoint id (vpce- and 8 or 17 lowercase hex digits, such as vpce-1a2b3c4d)" : "VPC id (vpc- and 8 or 17 lowercase hex digits, such as vpc-1a2b3c4d)")}; {name} never has that value, so the condition {(op.Negated ? "always holds for it" : "never matches it")}.");
            }
        }
        else if (string.Equals(name, "aws:RequestedRegion", StringComparison.OrdinalIgnoreCase))
        {
            var ignoreCase = op.Family == OperatorFamily.StringEqualsIgnoreCase;
            var unknown = values.Where(v => !(variables && PolicyVariables.Has(v)))
                .Where(v => op.Family == OperatorFamily.StringLike || !Wildcard.HasWildcard(v))
                .FirstOrDefault(v => op.Family == OperatorFamily.StringLike
                    ? !Partitions.KnownRegions.Any(r => Wildcard.IsMatch(v, r, ignoreCase: false))
                    : !Partitions.KnownRegions.Contains(v, ignoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal));
            if (unknown is not null)
            {
                context.Report(LintRules.RegionValueUnknown, keyProperty.Value, s,
                    $"'{unknown}' is not {(Wildcard.HasWildcard(unknown) ? "a pattern that matches" : string.Empty)} a Region of the aws, aws-cn or aws-us-gov partitions ({Partitions.RegionTableSource}); aws:RequestedRegion holds a Region code such as us-east-1.",
                    "INVALID_REGION");
            }
        }
    }

    /// <summary>Allow for a service principal without a source condition (Access Analyzer: RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL): the confused deputy problem.</summary>
    public static bool HasSourceCondition(StatementReading s) =>
        s.Conditions.Any(c => !c.Operator.Negated && !c.Operator.IfExists && c.Operator.Family != OperatorFamily.Null
            && s_sourceKeys.Any(k => string.Equals(k, c.Key, StringComparison.OrdinalIgnoreCase)));
}
