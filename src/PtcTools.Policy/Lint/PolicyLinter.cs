using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>Checks a registry policy against the rule catalog: what ECR or IAM would reject, and what they would wrongly accept.</summary>
public static class PolicyLinter
{
    private static readonly Regex s_sid = new("^[A-Za-z0-9]*$", RegexOptions.CultureInvariant);

    private static readonly string[] s_documentKeys = { "Version", "Id", "Statement" };

    private static readonly string[] s_statementKeys = { "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition" };

    /// <summary>Lints policy text. Malformed JSON is a PTC001 finding with its line and column, never an exception.</summary>
    /// <exception cref="PolicyException">An option is invalid (see <see cref="LintOptions.Validate"/>).</exception>
    public static IReadOnlyList<PolicyFinding> Lint(string policyText, LintOptions options)
    {
        if (policyText is null)
        {
            throw new ArgumentNullException(nameof(policyText));
        }

        options ??= new LintOptions();
        options.Validate();
        PolicyDocument document;
        try
        {
            document = PolicyDocument.Parse(policyText, policyText);
        }
        catch (PolicyJsonException ex)
        {
            return Lint(ex, options);
        }

        return LintDocument(document, options);
    }

    /// <summary>The findings for text that did not parse: one PTC001 with the line and column of the problem.</summary>
    /// <remarks>For callers that parse first (the cmdlets' policy input) and still want findings, not an exception.</remarks>
    public static IReadOnlyList<PolicyFinding> Lint(PolicyJsonException error, LintOptions options)
    {
        if (error is null)
        {
            throw new ArgumentNullException(nameof(error));
        }

        options ??= new LintOptions();
        options.Validate();
        var rule = LintRules.Get(LintRules.InvalidJson);
        var path = string.IsNullOrEmpty(error.JsonPath) ? "$" : error.JsonPath!.StartsWith("$", StringComparison.Ordinal) ? error.JsonPath! : "$." + error.JsonPath;
        var finding = new PolicyFinding(rule.Id, rule.Severity, null, -1, path, error.Line, error.Column, error.Message + " Fix the JSON; nothing else can be checked until it parses.", rule.HelpUri);
        return Filter(new[] { finding }, options);
    }

    /// <summary>Lints a parsed policy. Positions refer to the text it was parsed from, when there was one.</summary>
    /// <exception cref="PolicyException">An option is invalid (see <see cref="LintOptions.Validate"/>).</exception>
    public static IReadOnlyList<PolicyFinding> Lint(PolicyDocument document, LintOptions options)
    {
        if (document is null)
        {
            throw new ArgumentNullException(nameof(document));
        }

        options ??= new LintOptions();
        options.Validate();
        return LintDocument(document, options);
    }

    private static IReadOnlyList<PolicyFinding> LintDocument(PolicyDocument document, LintOptions options)
    {
        var context = new LintContext(options, document.SourceText);
        var root = document.ToJObject();
        CheckDocument(context, document, root);
        var statements = ReadStatements(context, root);
        var sids = new Dictionary<string, StatementFacts>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            CheckStatement(context, statement, sids);
        }

        AdvisoryRules.Check(context, statements);
        return Filter(context.Findings, options);
    }

    private static IReadOnlyList<PolicyFinding> Filter(IEnumerable<PolicyFinding> findings, LintOptions options)
    {
        var excluded = new HashSet<string>(options.ExcludeRules, StringComparer.OrdinalIgnoreCase);
        return findings
            .Where(f => f.Severity >= options.MinimumSeverity && !excluded.Contains(f.RuleId))
            .Select((f, order) => (f, order))
            .OrderBy(x => x.f.StatementIndex).ThenBy(x => x.f.Line).ThenBy(x => x.f.Column).ThenBy(x => x.order)
            .Select(x => x.f)
            .ToArray();
    }

    private static void CheckDocument(LintContext context, PolicyDocument document, JObject root)
    {
        var length = document.CompactLength;
        if (length > PolicyDocument.MaxRegistryPolicyLength)
        {
            context.Report(LintRules.PolicyTooLong, root, null,
                $"The policy is {length:N0} characters as sent (compact JSON), over ECR's limit of {PolicyDocument.MaxRegistryPolicyLength:N0}; ECR rejects it. Merge statements that share principals and resources, use wildcards in Resource, or drop statements that are no longer needed.");
        }

        var version = root.Property("Version");
        if (version is null)
        {
            context.Report(LintRules.VersionMissing, root, null,
                "The policy has no Version, so IAM reads it as 2008-10-17, where policy variables such as ${aws:username} are plain text. Add \"Version\": \"2012-10-17\".");
        }
        else if (version.Value is not JValue { Type: JTokenType.String } v || ((string?)v is not ("2012-10-17" or "2008-10-17")))
        {
            context.Report(LintRules.VersionInvalid, version.Value, null,
                $"Version is {Show(version.Value)}; IAM accepts only \"2012-10-17\" (use this) or \"2008-10-17\", and rejects the policy otherwise.");
        }

        foreach (var property in root.Properties().Where(p => !s_documentKeys.Contains(p.Name, StringComparer.Ordinal)))
        {
            var near = Nearest(property.Name, s_documentKeys);
            context.Report(LintRules.ElementUnknown, property, null,
                $"The policy has the element '{property.Name}', which IAM does not define; IAM rejects unknown elements. " +
                (near is null ? "Remove it." : $"Did you mean '{near}'?"));
        }
    }

    private static List<StatementFacts> ReadStatements(LintContext context, JObject root)
    {
        var list = new List<StatementFacts>();
        var element = root.Property("Statement");
        switch (element?.Value)
        {
            case null:
                context.Report(LintRules.NoStatements, root, null, "The policy has no Statement element; ECR rejects it. Add \"Statement\": [ ... ] with at least one statement, or delete the registry policy instead.");
                break;
            case JObject single:
                list.Add(new StatementFacts(0, single));
                break;
            case JArray { Count: 0 } empty:
                context.Report(LintRules.NoStatements, empty, null, "The Statement list is empty; ECR rejects a policy without statements. Add a statement, or delete the registry policy instead.");
                break;
            case JArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JObject o)
                    {
                        list.Add(new StatementFacts(i, o));
                    }
                    else
                    {
                        context.Report(LintRules.NoStatements, array[i], null, $"Statement entry {i} is {PolicyJson.Describe(array[i].Type)}, not a statement object; IAM rejects it. Make it an object with Effect, Principal, Action and Resource.");
                    }
                }

                break;
            default:
                context.Report(LintRules.NoStatements, element.Value, null, $"Statement is {PolicyJson.Describe(element.Value.Type)}; it must be a statement object or a list of them.");
                break;
        }

        return list;
    }

    private static void CheckStatement(LintContext context, StatementFacts s, Dictionary<string, StatementFacts> sids)
    {
        CheckSid(context, s, sids);
        CheckEffect(context, s);
        CheckPrincipal(context, s);
        CheckActions(context, s);
        CheckResources(context, s);
        CheckCondition(context, s);
        foreach (var property in s.Json.Properties().Where(p => !s_statementKeys.Contains(p.Name, StringComparer.Ordinal)))
        {
            var near = Nearest(property.Name, s_statementKeys);
            context.Report(LintRules.ElementUnknown, property, s,
                $"The statement has the element '{property.Name}', which IAM does not define; IAM rejects unknown elements. " +
                (near is null ? "Remove it." : $"Did you mean '{near}'?"));
        }
    }

    private static void CheckSid(LintContext context, StatementFacts s, Dictionary<string, StatementFacts> sids)
    {
        var sid = s.Json.Property("Sid");
        if (sid is null)
        {
            return;
        }

        if (sid.Value is not JValue { Type: JTokenType.String } value)
        {
            context.Report(LintRules.SidCharacters, sid.Value, s, $"Sid is {PolicyJson.Describe(sid.Value.Type)}; it must be text of letters and digits, such as \"PullThroughCache\".");
            return;
        }

        var text = (string)value!;
        if (!s_sid.IsMatch(text))
        {
            var fixedSid = Regex.Replace(text, "[^A-Za-z0-9]", string.Empty);
            context.Report(LintRules.SidCharacters, value, s,
                $"Sid \"{text}\" has characters IAM does not allow; a Sid may hold only letters A-Z, a-z and digits 0-9." + (fixedSid.Length > 0 ? $" Use \"{fixedSid}\"." : string.Empty));
        }

        if (sids.TryGetValue(text, out var first))
        {
            context.Report(LintRules.SidDuplicate, value, s,
                $"Sid \"{text}\" is already used by statement {first.Index}; Sids must be unique within a policy, and PtcTools merges statements by Sid. Rename one, or merge the two statements.");
        }
        else
        {
            sids[text] = s;
        }
    }

    private static void CheckEffect(LintContext context, StatementFacts s)
    {
        var effect = s.Json.Property("Effect");
        if (effect is null)
        {
            context.Report(LintRules.EffectInvalid, s.Json, s, "The statement has no Effect; IAM rejects it. Add \"Effect\": \"Allow\" or \"Effect\": \"Deny\".");
            return;
        }

        if (s.Effect is "Allow" or "Deny")
        {
            return;
        }

        var hint = s.Effect is { } e && (string.Equals(e, "Allow", StringComparison.OrdinalIgnoreCase) || string.Equals(e, "Deny", StringComparison.OrdinalIgnoreCase))
            ? $" Effect is case-sensitive: write \"{(string.Equals(e, "Allow", StringComparison.OrdinalIgnoreCase) ? "Allow" : "Deny")}\"."
            : " Use \"Allow\" or \"Deny\".";
        context.Report(LintRules.EffectInvalid, effect.Value, s, $"Effect is {Show(effect.Value)}; IAM accepts exactly \"Allow\" or \"Deny\".{hint}");
    }

    private static void CheckPrincipal(LintContext context, StatementFacts s)
    {
        var principal = s.Json.Property("Principal");
        var notPrincipal = s.Json.Property("NotPrincipal");
        if (principal is null && notPrincipal is null)
        {
            context.Report(LintRules.PrincipalMissing, s.Json, s,
                "The statement has no Principal; a registry policy is a resource-based policy, so every statement must say whom it applies to. Add \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/name\"} or similar.");
            return;
        }

        if (principal is not null && notPrincipal is not null)
        {
            context.Report(LintRules.PrincipalMissing, notPrincipal, s, "The statement has both Principal and NotPrincipal; IAM allows only one of them. Keep Principal.");
        }

        if (notPrincipal is not null && s.Effect == "Allow")
        {
            context.Report(LintRules.NotPrincipalWithAllow, notPrincipal, s,
                "NotPrincipal with Allow grants access to everyone except the listed principals, anonymous users included; most services refuse it. Use Principal with the accounts or roles that need access.");
        }

        CheckPrincipalElement(context, s, principal ?? notPrincipal!, principal is not null);
    }

    private static void CheckPrincipalElement(LintContext context, StatementFacts s, JProperty element, bool keep)
    {
        switch (element.Value)
        {
            case JValue { Type: JTokenType.String } v when (string?)v == "*":
                if (keep)
                {
                    s.Principals.Add((v, PrincipalId.Parse("*")));
                }

                return;
            case JValue { Type: JTokenType.String } v:
                context.Report(LintRules.PrincipalMalformed, v, s,
                    $"{element.Name} is the text \"{(string?)v}\"; the only text IAM accepts here is \"*\". Write {{\"AWS\": \"{(string?)v}\"}} instead.");
                return;
            case JObject { Count: 0 } empty:
                context.Report(LintRules.PrincipalMalformed, empty, s, $"{element.Name} is an empty object; name at least one principal, e.g. {{\"AWS\": \"arn:aws:iam::111122223333:root\"}}.");
                return;
            case JObject map:
                foreach (var type in map.Properties())
                {
                    var values = type.Value is JArray a ? a.ToList() : new List<JToken> { type.Value };
                    if (values.Count == 0)
                    {
                        context.Report(LintRules.PrincipalMalformed, type.Value, s, $"{element.Name}.{type.Name} is an empty list; name at least one principal.");
                    }

                    foreach (var value in values)
                    {
                        CheckPrincipalValue(context, s, element.Name, type.Name, value, keep);
                    }
                }

                return;
            default:
                context.Report(LintRules.PrincipalMalformed, element.Value, s, $"{element.Name} is {PolicyJson.Describe(element.Value.Type)}; it must be \"*\" or an object such as {{\"AWS\": [\"111122223333\"]}}.");
                return;
        }
    }

    private static void CheckPrincipalValue(LintContext context, StatementFacts s, string elementName, string type, JToken value, bool keep)
    {
        if (value is not JValue { Type: JTokenType.String } v)
        {
            context.Report(LintRules.PrincipalMalformed, value, s, $"A {elementName}.{type} value is {PolicyJson.Describe(value.Type)}; principals are text, such as \"arn:aws:iam::111122223333:root\".");
            return;
        }

        var text = (string)v!;
        if (type == "AWS" && text.StartsWith("arn:", StringComparison.Ordinal) && Wildcard.HasWildcard(text))
        {
            context.Report(LintRules.PrincipalWildcardInArn, v, s,
                $"The principal '{text}' has a wildcard inside an ARN; IAM does not allow partial wildcards in principals and rejects the policy. Name each principal exactly, or use \"Principal\": \"*\" with a Condition such as {{\"ArnLike\": {{\"aws:PrincipalArn\": \"{text}\"}}}} plus an account or organization condition.");
            return;
        }

        if (PrincipalId.TryParse(text, type, out var id, out var errorId, out var reason))
        {
            if (keep)
            {
                s.Principals.Add((v, id!));
            }

            return;
        }

        context.Report(errorId == "PrincipalIsGroup" ? LintRules.PrincipalIsGroup : LintRules.PrincipalMalformed, v, s, reason!);
    }

    private static void CheckActions(LintContext context, StatementFacts s)
    {
        var element = PairElement(context, s, "Action", "NotAction");
        if (element is null)
        {
            return;
        }

        var keep = element.Name == "Action";
        foreach (var token in Values(context, s, element))
        {
            var action = (string)token!;
            CheckAction(context, s, token, action, keep);
        }
    }

    private static void CheckAction(LintContext context, StatementFacts s, JToken token, string action, bool keep)
    {
        var v1 = context.Options.Scope == RegistryPolicyScope.V1;
        if (action == "*")
        {
            if (v1)
            {
                context.Report(LintRules.ActionOutsideV1Scope, token, s, V1Message("\"*\" (every action)"));
            }

            if (keep)
            {
                s.Actions.Add((token, action));
                s.Granted.UnionWith(EcrActions.All.Select(a => a.Name));
            }

            return;
        }

        var colon = action.IndexOf(':');
        if (colon <= 0)
        {
            var suggestion = EcrActions.Find("ecr:" + action)?.Name ?? EcrActions.Suggest("ecr:" + action);
            context.Report(LintRules.EcrActionUnknown, token, s,
                $"'{action}' is not an action: actions are written service:Action." + (suggestion is null ? string.Empty : $" Did you mean {suggestion}?"));
            return;
        }

        var service = action.Substring(0, colon);
        if (!string.Equals(service, "ecr", StringComparison.OrdinalIgnoreCase))
        {
            var why = Wildcard.HasWildcard(service)
                ? $"its service prefix '{service}' is a pattern, which IAM does not allow and which would also match other services"
                : $"it belongs to the service '{service}', not ECR";
            context.Report(LintRules.ActionNotEcr, token, s,
                $"'{action}' cannot be granted by a registry policy: {why}. Grant it in an identity-based policy or the other service's resource policy, and remove it here.");
            return;
        }

        var name = action.Substring(colon + 1);
        var matched = Wildcard.HasWildcard(name) ? EcrActions.Expand(action).Select(a => a.Name).ToList() : EcrActions.Find(action) is { } known ? new List<string> { known.Name } : new List<string>();
        if (matched.Count == 0)
        {
            var suggestion = Wildcard.HasWildcard(name) ? null : EcrActions.Suggest(action);
            context.Report(LintRules.EcrActionUnknown, token, s,
                (Wildcard.HasWildcard(name) ? $"'{action}' matches no ECR action." : $"'{action}' is not an ECR action.") +
                (suggestion is null ? " Check the name against the ECR actions of the Service Authorization Reference." : $" Did you mean {suggestion}?"));
            return;
        }

        if (v1)
        {
            var outside = matched.Where(m => !EcrActions.RegistryPolicyV1Actions.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList();
            if (!keep)
            {
                context.Report(LintRules.ActionOutsideV1Scope, token, s, V1Message("NotAction (every action but the listed ones)"));
            }
            else if (outside.Count > 0)
            {
                var what = Wildcard.HasWildcard(name) ? $"'{action}' (it matches {string.Join(", ", outside.Take(4))}{(outside.Count > 4 ? ", ..." : string.Empty)})" : $"'{action}'";
                context.Report(LintRules.ActionOutsideV1Scope, token, s, V1Message(what));
            }
        }

        if (keep)
        {
            s.Actions.Add((token, action));
            s.Granted.UnionWith(matched);
        }
    }

    private static string V1Message(string what) =>
        $"The registry policy scope is V1, where a registry policy may hold only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository; ECR rejects it for {what} with 'Invalid registry policy provided'. Remove the action, or switch the registry to the V2 scope (PutAccountSetting REGISTRY_POLICY_SCOPE=V2).";

    private static void CheckResources(LintContext context, StatementFacts s)
    {
        var element = PairElement(context, s, "Resource", "NotResource");
        if (element is null)
        {
            return;
        }

        var keep = element.Name == "Resource";
        foreach (var token in Values(context, s, element))
        {
            var text = (string)token!;
            if (text == "*")
            {
                if (keep)
                {
                    s.Resources.Add((token, text));
                }

                continue;
            }

            if (!RepositoryArn.TryParse(text, out var arn, out var reason))
            {
                var missingService = text.StartsWith("arn:", StringComparison.Ordinal) && text.Split(':').Length == 5 && !text.Contains(":ecr:")
                    ? " It has five parts instead of six: the service segment 'ecr' is missing (arn:aws:ecr:REGION:...)."
                    : string.Empty;
                context.Report(LintRules.RepositoryArnMalformed, token, s,
                    reason + missingService + " ECR accepts such a policy without complaint, but the statement then never matches a repository. Write arn:aws:ecr:REGION:ACCOUNT:repository/NAME (NAME may end in *), or \"*\".");
                continue;
            }

            if (keep)
            {
                s.Resources.Add((token, text));
                s.RepositoryArns.Add((token, arn!));
            }
        }
    }

    private static void CheckCondition(LintContext context, StatementFacts s)
    {
        var condition = s.Json.Property("Condition");
        if (condition is null)
        {
            return;
        }

        if (condition.Value is not JObject block)
        {
            context.Report(LintRules.ConditionOperatorUnknown, condition.Value, s, $"Condition is {PolicyJson.Describe(condition.Value.Type)}; it must be an object of operators, such as {{\"StringEquals\": {{\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}}}.");
            return;
        }

        foreach (var op in block.Properties())
        {
            if (!ConditionOperators.IsKnown(op.Name))
            {
                var suggestion = ConditionOperators.Suggest(op.Name);
                context.Report(LintRules.ConditionOperatorUnknown, op, s,
                    $"'{op.Name}' is not a condition operator IAM knows, so IAM rejects the policy." + (suggestion is null ? " Use one such as StringEquals, StringLike, ArnLike or Bool." : $" Did you mean {suggestion}?"));
                continue;
            }

            if (op.Value is not JObject { Count: > 0 } keys)
            {
                context.Report(LintRules.ConditionOperatorUnknown, op.Value, s, $"The {op.Name} block is {Show(op.Value)}; it must be an object of condition keys and values, such as {{\"aws:PrincipalAccount\": \"111122223333\"}}.");
                continue;
            }

            foreach (var key in keys.Properties())
            {
                var values = key.Value is JArray a ? a.ToList() : new List<JToken> { key.Value };
                var bad = values.FirstOrDefault(v => v.Type is not (JTokenType.String or JTokenType.Boolean or JTokenType.Integer or JTokenType.Float));
                if (bad is not null || values.Count == 0)
                {
                    context.Report(LintRules.ConditionOperatorUnknown, bad ?? key.Value, s, $"The value of {op.Name}.{key.Name} must be text (or a list of texts), not {(bad is null ? "an empty list" : PolicyJson.Describe(bad.Type))}.");
                }
            }
        }
    }

    // Exactly one of the two must be there, holding text or a non-empty list of texts.
    private static JProperty? PairElement(LintContext context, StatementFacts s, string name, string notName)
    {
        var positive = s.Json.Property(name);
        var negative = s.Json.Property(notName);
        if (positive is null && negative is null)
        {
            context.Report(LintRules.ActionOrResourceElement, s.Json, s, $"The statement has neither {name} nor {notName}; IAM rejects it. Add \"{name}\".");
            return null;
        }

        if (positive is not null && negative is not null)
        {
            context.Report(LintRules.ActionOrResourceElement, negative, s, $"The statement has both {name} and {notName}; IAM allows only one of them. Keep {name} and put what {notName} excludes in a Deny statement.");
            return positive;
        }

        return positive ?? negative;
    }

    private static IEnumerable<JToken> Values(LintContext context, StatementFacts s, JProperty element)
    {
        if (element.Value is JValue { Type: JTokenType.String } single)
        {
            if (((string)single!).Length == 0)
            {
                context.Report(LintRules.ActionOrResourceElement, single, s, $"{element.Name} is empty text; give at least one value.");
                yield break;
            }

            yield return single;
            yield break;
        }

        if (element.Value is not JArray array || array.Count == 0)
        {
            context.Report(LintRules.ActionOrResourceElement, element.Value, s, $"{element.Name} is {(element.Value is JArray ? "an empty list" : PolicyJson.Describe(element.Value.Type))}; it must be text or a non-empty list of texts.");
            yield break;
        }

        foreach (var item in array)
        {
            if (item is JValue { Type: JTokenType.String } v && ((string)v!).Length > 0)
            {
                yield return v;
            }
            else
            {
                context.Report(LintRules.ActionOrResourceElement, item, s, $"A {element.Name} value is {(item.Type == JTokenType.String ? "empty text" : PolicyJson.Describe(item.Type))}; every value must be non-empty text.");
            }
        }
    }

    private static string Show(JToken token) => token is JValue { Type: JTokenType.String } v ? $"\"{(string?)v}\"" : PolicyJson.Describe(token.Type);

    private static string? Nearest(string name, IEnumerable<string> known)
    {
        var exact = known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        return known.FirstOrDefault(k => (name.StartsWith(k, StringComparison.OrdinalIgnoreCase) || k.StartsWith(name, StringComparison.OrdinalIgnoreCase)) && Math.Abs(k.Length - name.Length) <= 2);
    }
}
