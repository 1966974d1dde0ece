using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Json;
using PtcTools.Policy.Lint;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Grammar;

/// <summary>The one reader of the policy language: a document into typed facts per statement plus diagnostics, each with its rule id, JSON path, line and column.</summary>
/// <remarks>
/// <para>Lint, compile and merge all read through it, so they cannot read the same text two ways. A
/// diagnostic of severity Error means the policy is refused for evaluation: <see cref="CompiledPolicy.Compile(PolicyReading, string)"/>
/// throws exactly when <see cref="PolicyReading.HasErrors"/> is true, with the first Error's message.</para>
/// <para>Shape: <see cref="Read"/> walks the document (Version, Id, Statement), then each statement
/// element by element (<c>ReadSid</c>, <c>ReadEffect</c>, <c>ReadPrincipal</c>, <c>ReadActions</c>,
/// <c>ReadResources</c>, <c>ReadCondition</c>, unknown elements). Each step either adds a fact to the
/// <see cref="StatementReading"/> or reports a diagnostic through one sink. A new grammar check (a
/// condition key that does not exist, an operator that does not fit a key's type) belongs in the step
/// of its element, reporting a catalog rule (<see cref="LintRules"/>); a check that needs the facts of
/// several statements, or options such as the registry's account, belongs in the linter
/// (<c>AdvisoryRules</c>), which runs on the facts this reader produced.</para>
/// </remarks>
public static class GrammarReader
{
    private static readonly string[] s_principalTypes = { "AWS", "Service", "Federated", "CanonicalUser" };

    /// <summary>Reads a document as the options say.</summary>
    public static PolicyReading Read(PolicyDocument document, PolicyReadOptions options)
    {
        if (document is null) { throw new ArgumentNullException(nameof(document)); }
        if (options is null) { throw new ArgumentNullException(nameof(options)); }

        var sink = new FindingSink(document.SourceText);
        var root = document.ToJObject();
        var variables = document.Version == PolicyGrammar.CurrentVersion;
        var reading = new Reading(sink, options, variables);
        reading.ReadDocument(root);
        var statements = reading.ReadStatements(root);
        var sids = new Dictionary<string, StatementReading>(StringComparer.Ordinal);
        foreach (var statement in statements)
        {
            reading.ReadStatement(statement, sids);
        }

        return new PolicyReading(document, options, variables, statements, sink.Findings);
    }

    /// <summary>Reads one statement alone (its index in a policy unknown), as a statement of an ECR registry policy of the V2 scope unless options say otherwise.</summary>
    public static StatementReading ReadStatement(PolicyStatement statement, PolicyReadOptions? options = null)
    {
        if (statement is null) { throw new ArgumentNullException(nameof(statement)); }

        var document = PolicyDocument.FromJObject(new JObject(new JProperty("Version", PolicyGrammar.CurrentVersion), new JProperty("Statement", new JArray(statement.ToJToken()))));
        var reading = Read(document, options ?? PolicyReadOptions.Registry(RegistryPolicyScope.V2));
        return reading.Statements.Count == 1 ? reading.Statements[0] : throw new ArgumentException("The statement is not a JSON object.", nameof(statement));
    }

    private sealed class Reading
    {
        private readonly FindingSink _sink;
        private readonly PolicyReadOptions _options;
        private readonly bool _variables;

        public Reading(FindingSink sink, PolicyReadOptions options, bool variables)
        {
            _sink = sink;
            _options = options;
            _variables = variables;
        }

        private bool Registry => _options.IsRegistryPolicy;

        private string PolicyWord => _options.Kind switch
        {
            PolicyKind.Identity => "identity-based policy",
            PolicyKind.PermissionsBoundary => "permissions boundary",
            PolicyKind.ServiceControl => "service control policy",
            _ => Registry ? "registry policy" : "resource-based policy",
        };

        public void ReadDocument(JObject root)
        {
            var version = root.Property("Version");
            if (version is null)
            {
                _sink.Report(LintRules.VersionMissing, root, null,
                    "The policy has no Version, so IAM reads it as 2008-10-17, where policy variables such as ${aws:username} are plain text. Add \"Version\": \"2012-10-17\".", "MISSING_VERSION");
            }
            else if (version.Value is not JValue { Type: JTokenType.String } v || ((string?)v is not (PolicyGrammar.CurrentVersion or PolicyGrammar.LegacyVersion)))
            {
                _sink.Report(LintRules.VersionInvalid, version.Value, null,
                    $"Version is {Show(version.Value)}; IAM accepts only \"2012-10-17\" (use this) or \"2008-10-17\", and rejects the policy otherwise.",
                    version.Value.Type == JTokenType.String ? "INVALID_VERSION" : "DATA_TYPE_MISMATCH");
            }

            foreach (var property in root.Properties().Where(p => !PolicyGrammar.IsDocumentElement(p.Name)))
            {
                var near = NearestElement(property.Name, PolicyGrammar.DocumentElements);
                _sink.Report(LintRules.ElementUnknown, property, null,
                    $"The policy has the element '{property.Name}', which IAM does not define; IAM rejects unknown elements. " +
                    (near is null ? "Remove it." : $"Did you mean '{near}'?"), "INVALID_POLICY_ELEMENT");
            }
        }

        public List<StatementReading> ReadStatements(JObject root)
        {
            var list = new List<StatementReading>();
            var element = root.Property("Statement");
            switch (element?.Value)
            {
                case null:
                    _sink.Report(LintRules.NoStatements, root, null, "The policy has no Statement element; IAM rejects it. Add \"Statement\": [ ... ] with at least one statement" + (Registry ? ", or delete the registry policy instead." : "."), "MISSING_STATEMENT");
                    break;
                case JObject single:
                    list.Add(new StatementReading(0, single));
                    break;
                case JArray { Count: 0 } empty:
                    _sink.Report(LintRules.NoStatements, empty, null, "The Statement list is empty; IAM rejects a policy without statements. Add a statement" + (Registry ? ", or delete the registry policy instead." : "."), "MISSING_STATEMENT");
                    break;
                case JArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array[i] is JObject o)
                        {
                            list.Add(new StatementReading(i, o));
                        }
                        else
                        {
                            _sink.Report(LintRules.NoStatements, array[i], null, $"Statement entry {i} is {PolicyJson.Describe(array[i].Type)}, not a statement object; IAM rejects it. Make it an object with Effect, Action and Resource.", "DATA_TYPE_MISMATCH");
                        }
                    }

                    break;
                default:
                    _sink.Report(LintRules.NoStatements, element.Value, null, $"Statement is {PolicyJson.Describe(element.Value.Type)}; it must be a statement object or a list of them.", "DATA_TYPE_MISMATCH");
                    break;
            }

            return list;
        }

        public void ReadStatement(StatementReading s, Dictionary<string, StatementReading> sids)
        {
            ReadSid(s, sids);
            ReadEffect(s);
            ReadPrincipal(s);
            ReadActions(s);
            ReadResources(s);
            ReadCondition(s);
            foreach (var property in s.Json.Properties().Where(p => !PolicyGrammar.IsStatementElement(p.Name)))
            {
                var near = NearestElement(property.Name, PolicyGrammar.StatementElements);
                _sink.Report(LintRules.ElementUnknown, property, s,
                    $"The statement has the element '{property.Name}', which IAM does not define; IAM rejects unknown elements (names are case-sensitive). " +
                    (near is null ? "Remove it." : $"Did you mean '{near}'?"), "INVALID_POLICY_ELEMENT");
            }
        }

        private void ReadSid(StatementReading s, Dictionary<string, StatementReading> sids)
        {
            var sid = s.Json.Property("Sid");
            if (sid is null)
            {
                return;
            }

            if (sid.Value is not JValue { Type: JTokenType.String } value)
            {
                _sink.Report(LintRules.SidCharacters, sid.Value, s, $"Sid is {PolicyJson.Describe(sid.Value.Type)}; it must be text of letters and digits, such as \"PullThroughCache\".", "DATA_TYPE_MISMATCH");
                return;
            }

            var text = (string)value!;
            if (!PolicyGrammar.IsSidText(text))
            {
                var fixedSid = PolicyGrammar.CleanSid(text);
                _sink.Report(LintRules.SidCharacters, value, s,
                    $"Sid \"{text}\" has characters IAM does not allow; a Sid may hold only letters A-Z, a-z and digits 0-9." + (fixedSid.Length > 0 ? $" Use \"{fixedSid}\"." : string.Empty), "UNSUPPORTED_SID");
            }

            if (sids.TryGetValue(text, out var first))
            {
                _sink.Report(LintRules.SidDuplicate, value, s,
                    $"Sid \"{text}\" is already used by statement {first.Index}; Sids must be unique within a policy, and PtcTools merges statements by Sid. Rename one, or merge the two statements.", "UNIQUE_SIDS_REQUIRED");
            }
            else
            {
                sids[text] = s;
            }
        }

        private void ReadEffect(StatementReading s)
        {
            var effect = s.Json.Property("Effect");
            if (effect is null)
            {
                _sink.Report(LintRules.EffectInvalid, s.Json, s, "The statement has no Effect; IAM rejects it. Add \"Effect\": \"Allow\" or \"Effect\": \"Deny\".", "MISSING_EFFECT");
                return;
            }

            if (s.Effect is "Allow" or "Deny")
            {
                return;
            }

            var hint = s.Effect is { } e && (string.Equals(e, "Allow", StringComparison.OrdinalIgnoreCase) || string.Equals(e, "Deny", StringComparison.OrdinalIgnoreCase))
                ? $" Effect is case-sensitive: write \"{(string.Equals(e, "Allow", StringComparison.OrdinalIgnoreCase) ? "Allow" : "Deny")}\"."
                : " Use \"Allow\" or \"Deny\".";
            _sink.Report(LintRules.EffectInvalid, effect.Value, s, $"Effect is {Show(effect.Value)}; IAM accepts exactly \"Allow\" or \"Deny\".{hint}",
                effect.Value.Type == JTokenType.String ? "INVALID_EFFECT" : "DATA_TYPE_MISMATCH");
        }

        private void ReadPrincipal(StatementReading s)
        {
            var principal = s.Json.Property("Principal");
            var notPrincipal = s.Json.Property("NotPrincipal");
            if (_options.Kind != PolicyKind.Resource)
            {
                if ((principal ?? notPrincipal) is { } present)
                {
                    _sink.Report(LintRules.PrincipalMissing, present, s,
                        $"{present.Name} is not allowed in an {PolicyWord}: it applies to the principal it is attached to. Remove {present.Name}.", "UNSUPPORTED_PRINCIPAL");
                }

                return;
            }

            if (principal is null && notPrincipal is null)
            {
                _sink.Report(LintRules.PrincipalMissing, s.Json, s,
                    $"The statement has no Principal; a {PolicyWord} must name a Principal in every statement, and IAM rejects it without one. Add \"Principal\": {{\"AWS\": \"arn:aws:iam::111122223333:role/name\"}} or similar.", "MISSING_PRINCIPAL");
                return;
            }

            if (principal is not null && notPrincipal is not null)
            {
                _sink.Report(LintRules.PrincipalMissing, notPrincipal, s, "The statement has both Principal and NotPrincipal; IAM allows only one of them. Keep Principal.", "UNSUPPORTED_ELEMENT_COMBINATION");
            }

            if (notPrincipal is not null && s.Effect == "Allow")
            {
                _sink.Report(LintRules.NotPrincipalWithAllow, notPrincipal, s,
                    "Allow with NotPrincipal would grant access to everyone except the listed principals, anonymous users included. IAM's NotPrincipal page says NotPrincipal must be used with \"Effect\": \"Deny\" and that using it with Allow is not supported. Use Principal with the accounts or roles that need access, or Deny with NotPrincipal.", "ALLOW_WITH_NOT_PRINCIPAL");
            }

            ReadPrincipalElement(s, principal ?? notPrincipal!);
        }

        private void ReadPrincipalElement(StatementReading s, JProperty element)
        {
            // An empty Principal names no one, so the statement applies to no request (Access Analyzer's suggestions
            // EMPTY_OBJECT_PRINCIPAL / EMPTY_ARRAY_PRINCIPAL); an empty NotPrincipal would name everyone, a meaning
            // no AWS page gives, so it stays refused.
            var positive = element.Name == "Principal";
            switch (element.Value)
            {
                case JValue { Type: JTokenType.String } v when (string?)v == "*":
                    s.Principals.Add(new PrincipalValue(v, "*", PrincipalId.Parse("*")));
                    return;
                case JValue { Type: JTokenType.String } v:
                    _sink.Report(LintRules.PrincipalMalformed, v, s,
                        $"{element.Name} is the text \"{(string?)v}\"; the only text IAM accepts here is \"*\". Write {{\"AWS\": \"{(string?)v}\"}} instead.", "INVALID_PRINCIPAL_FORMAT");
                    return;
                case JObject { Count: 0 } empty:
                    _sink.Report(positive ? LintRules.ElementEmpty : LintRules.PrincipalMalformed, empty, s, positive
                        ? "Principal is an empty object, so the statement applies to no one and has no effect. Name the principals, e.g. {\"AWS\": \"arn:aws:iam::111122223333:root\"}, or remove the statement."
                        : "NotPrincipal is an empty object; it would stand for every principal, which no AWS page defines. Name the principals to exempt, e.g. {\"AWS\": \"arn:aws:iam::111122223333:root\"}.", "EMPTY_OBJECT_PRINCIPAL");
                    return;
                case JObject map:
                    foreach (var type in map.Properties())
                    {
                        var values = type.Value is JArray a ? a.ToList() : new List<JToken> { type.Value };
                        if (values.Count == 0)
                        {
                            _sink.Report(positive ? LintRules.ElementEmpty : LintRules.PrincipalMalformed, type.Value, s, positive
                                ? $"Principal.{type.Name} is an empty list, so it names no one. Name at least one principal, or remove {type.Name}."
                                : $"NotPrincipal.{type.Name} is an empty list; name at least one principal to exempt.", "EMPTY_ARRAY_PRINCIPAL");
                        }

                        foreach (var value in values)
                        {
                            ReadPrincipalValue(s, element.Name, type.Name, value);
                        }
                    }

                    return;
                default:
                    _sink.Report(LintRules.PrincipalMalformed, element.Value, s, $"{element.Name} is {PolicyJson.Describe(element.Value.Type)}; it must be \"*\" or an object such as {{\"AWS\": [\"111122223333\"]}}.", "INVALID_PRINCIPAL_FORMAT");
                    return;
            }
        }

        private void ReadPrincipalValue(StatementReading s, string elementName, string type, JToken value)
        {
            if (value is not JValue { Type: JTokenType.String } v)
            {
                _sink.Report(LintRules.PrincipalMalformed, value, s, $"A {elementName}.{type} value is {PolicyJson.Describe(value.Type)}; principals are text, such as \"arn:aws:iam::111122223333:root\".", "DATA_TYPE_MISMATCH");
                return;
            }

            var text = (string)v!;
            if (PolicyVariables.Has(text))
            {
                _sink.Report(LintRules.PrincipalMalformed, v, s,
                    $"The principal '{text}' holds a policy variable; IAM substitutes variables only in Resource and in condition values, so here it is literal text that names no principal. Name the principal, or use \"*\" with a condition on aws:PrincipalArn.", "VARIABLE_UNSUPPORTED_IN_ELEMENT");
                return;
            }

            if (type == "AWS" && text.StartsWith("arn:", StringComparison.Ordinal) && Wildcard.HasWildcard(text))
            {
                _sink.Report(LintRules.PrincipalWildcardInArn, v, s,
                    $"The principal '{text}' has a wildcard inside an ARN; IAM does not allow partial wildcards in principals and rejects the policy. Name each principal exactly, or use \"Principal\": \"*\" with a Condition such as {{\"ArnLike\": {{\"aws:PrincipalArn\": \"{text}\"}}}} plus an account or organization condition.", "UNSUPPORTED_WILDCARD_IN_PRINCIPAL");
                return;
            }

            if (type == "AWS" && PolicyGrammar.UniqueIdKind(text) is { } idKind)
            {
                // IAM shows a unique id where a deleted user or role was named; it matches no principal that exists now.
                _sink.Report(LintRules.PrincipalUniqueId, v, s,
                    $"The principal '{text}' is the unique id of an IAM {idKind}, not its ARN. IAM writes such an id in place of a {idKind} that was deleted, and a new {idKind} of the same name gets a new id, so it matches no one who exists now. Name the {idKind} by its ARN (arn:aws:iam::ACCOUNT:{idKind}/NAME), or remove it.",
                    idKind == "role" ? "INVALID_ROLE_REFERENCE" : "INVALID_USER_REFERENCE");
                return;
            }

            if (PrincipalId.TryParse(text, type, out var id, out var errorId, out var reason))
            {
                s.Principals.Add(new PrincipalValue(v, type, id));
                return;
            }

            var code = errorId == ErrorIds.PrincipalIsGroup ? null
                : type is not ("AWS" or "Service" or "Federated" or "CanonicalUser") ? "INVALID_PRINCIPAL_KEY"
                : type == "Service" ? "INVALID_SERVICE_PRINCIPAL_FORMAT"
                : "INVALID_PRINCIPAL_FORMAT";
            if (code == "INVALID_PRINCIPAL_KEY")
            {
                var near = s_principalTypes.FirstOrDefault(t => string.Equals(t, type, StringComparison.OrdinalIgnoreCase));
                reason = $"'{type}' is not a principal type; IAM knows AWS, Service, Federated and CanonicalUser (case-sensitive), and a {PolicyWord} can use AWS and Service." +
                    (near is null ? string.Empty : $" Write \"{near}\".");
            }

            _sink.Report(errorId == ErrorIds.PrincipalIsGroup ? LintRules.PrincipalIsGroup : LintRules.PrincipalMalformed, v, s, reason, code);
        }

        private void ReadActions(StatementReading s)
        {
            var element = PairElement(s, "Action", "NotAction");
            if (element is null)
            {
                return;
            }

            var positive = element.Name == "Action";
            foreach (var token in Values(s, element))
            {
                ReadAction(s, token, (string)token!, positive);
            }
        }

        private void ReadAction(StatementReading s, JToken token, string action, bool positive)
        {
            var v1 = Registry && _options.Scope == RegistryPolicyScope.V1;
            if (action == "*")
            {
                if (v1)
                {
                    _sink.Report(LintRules.ActionOutsideV1Scope, token, s, V1Message("\"*\" (every action)"));
                }

                var all = EcrActions.All.Select(a => a.Name).ToArray();
                s.Actions.Add(new ActionValue(token, action, all));
                if (positive)
                {
                    s.Granted.UnionWith(all);
                }

                return;
            }

            var colon = action.IndexOf(':');
            if (colon <= 0)
            {
                var suggestion = EcrActions.Find("ecr:" + action)?.Name ?? EcrActions.Suggest("ecr:" + action);
                _sink.Report(LintRules.EcrActionUnknown, token, s,
                    $"'{action}' is not an action: IAM reads actions as service:Action (or \"*\") and rejects the policy." + (suggestion is null ? string.Empty : $" Did you mean {suggestion}?"),
                    PolicyVariables.Has(action) ? "VARIABLE_UNSUPPORTED_IN_ELEMENT" : "INVALID_ACTION");
                return;
            }

            var service = action.Substring(0, colon);
            var name = action.Substring(colon + 1);
            var isEcr = string.Equals(service, "ecr", StringComparison.OrdinalIgnoreCase);
            if (!isEcr)
            {
                var pattern = Wildcard.HasWildcard(service);
                if (Registry && pattern && Wildcard.IsMatch(service, "ecr", ignoreCase: true))
                {
                    // IAM accepts a pattern in the service prefix (Access Analyzer only suggests against it): in a registry
                    // policy it can only ever grant ECR actions, so it is read as the ECR actions it matches.
                    _sink.Report(LintRules.ActionServiceWildcard, token, s,
                        $"'{action}' has the pattern '{service}' as its service prefix; here it matches only ECR actions, but it reads as if it meant other services too, and would match any service named like it. Write ecr:{name}.", "WILDCARD_IN_SERVICE_NAME");
                }
                else if (Registry)
                {
                    var known = !pattern && ConditionKeys.IsService(service);
                    var nearEcr = !pattern && PolicyGrammar.EditDistance(service.ToLowerInvariant(), "ecr") <= 2 && !known;
                    var ecrName = EcrActions.Find("ecr:" + name)?.Name ?? (Wildcard.HasWildcard(name) ? "ecr:" + name : EcrActions.Suggest("ecr:" + name));
                    var why = pattern
                        ? $"its service prefix '{service}' is a pattern that cannot match ecr, so it names other services' actions only"
                        : known ? $"it belongs to the service '{service}', not ECR" : $"'{service}' is not an AWS service prefix";
                    var fix = nearEcr && ecrName is not null
                        ? $" Did you mean {ecrName}?"
                        : " Grant it in an identity-based policy or the other service's resource policy, and remove it here.";
                    _sink.Report(LintRules.ActionNotEcr, token, s,
                        $"'{action}' cannot be granted by a registry policy: {why}.{fix}", known || pattern ? "UNSUPPORTED_ACTION_IN_POLICY" : "INVALID_SERVICE_IN_ACTION");
                    return;
                }
                else
                {
                    s.Actions.Add(new ActionValue(token, action, Array.Empty<string>()));
                    return;
                }
            }

            var matched = Wildcard.HasWildcard(action) ? EcrActions.Expand(action).Select(a => a.Name).ToList() : EcrActions.Find(action) is { } found ? new List<string> { found.Name } : new List<string>();
            if (matched.Count == 0 && Registry)
            {
                var suggestion = Wildcard.HasWildcard(name) ? null : EcrActions.Suggest("ecr:" + name);
                _sink.Report(LintRules.EcrActionUnknown, token, s,
                    (Wildcard.HasWildcard(name) ? $"'{action}' matches no ECR action." : $"'{action}' is not an ECR action.") +
                    (suggestion is null ? " Check the name against the ECR actions of the Service Authorization Reference." : $" Did you mean {suggestion}?"),
                    PolicyVariables.Has(action) ? "VARIABLE_UNSUPPORTED_IN_ELEMENT" : "INVALID_ACTION");
                return;
            }

            if (v1)
            {
                var outside = matched.Where(m => !EcrActions.RegistryPolicyV1Actions.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList();
                if (!positive)
                {
                    _sink.Report(LintRules.ActionOutsideV1Scope, token, s, V1Message("NotAction (every action but the listed ones)"));
                }
                else if (outside.Count > 0)
                {
                    var what = Wildcard.HasWildcard(name) ? $"'{action}' (it matches {string.Join(", ", outside.Take(4))}{(outside.Count > 4 ? ", ..." : string.Empty)})" : $"'{action}'";
                    _sink.Report(LintRules.ActionOutsideV1Scope, token, s, V1Message(what));
                }
            }

            s.Actions.Add(new ActionValue(token, action, matched));
            if (positive)
            {
                s.Granted.UnionWith(matched);
            }
        }

        private static string V1Message(string what) =>
            $"The registry policy is read with the V1 scope, which is retired: the current ECR documentation describes only V2 (every ECR action), and new registries use V2. Under V1 a registry policy may hold only ecr:ReplicateImage, ecr:BatchImportUpstreamImage and ecr:CreateRepository, and ECR rejects the policy for {what} with 'Invalid registry policy provided'. " +
            "Migrate the registry to V2 with PutAccountSetting (name REGISTRY_POLICY_SCOPE, value V2; aws ecr put-account-setting --name REGISTRY_POLICY_SCOPE --value V2), or remove the action.";

        private void ReadResources(StatementReading s)
        {
            var element = PairElement(s, "Resource", "NotResource");
            if (element is null)
            {
                return;
            }

            foreach (var token in Values(s, element))
            {
                var text = (string)token!;
                // What IAM refuses first; then, for a registry policy, what can never match a repository.
                ResourcePattern pattern;
                try
                {
                    pattern = ResourcePattern.Compile(text, _variables);
                }
                catch (FormatException ex)
                {
                    var code = !text.StartsWith("arn:", StringComparison.Ordinal) ? "INVALID_ARN_PREFIX"
                        : PolicyVariables.MalformedCode(text) is { } variable ? variable
                        : ArnText.Split(text) is { Count: >= 3 } parts && Wildcard.HasWildcard(parts[2]) ? "WILDCARD_IN_SERVICE_NAME"
                        : "MISSING_ARN_FIELD";
                    _sink.Report(LintRules.RepositoryArnMalformed, token, s, $"{element.Name} {ex.Message} IAM rejects the policy. Write an ARN such as arn:aws:ecr:REGION:ACCOUNT:repository/NAME (NAME may hold * and ?), or \"*\".", code);
                    continue;
                }

                var segments = text == "*" ? (IReadOnlyList<string>)Array.Empty<string>() : ArnText.Split(text);
                if (Registry && text != "*" && RegistryResourceProblem(text, segments) is { } problem)
                {
                    // Only a missing service segment is known to be stored by ECR without complaint (containers-roadmap#2675).
                    var accepted = problem.Code == "MISSING_ARN_FIELD" && segments.Count == 5
                        ? " ECR is known to store such a policy without complaint (replication then fails with DESTINATION_REGISTRY_ACCESS_DENIED), and the statement never matches a repository."
                        : " The statement can never match a repository.";
                    _sink.Report(LintRules.RepositoryArnMalformed, token, s,
                        problem.Message + accepted + " Write arn:aws:ecr:REGION:ACCOUNT:repository/NAME (NAME may hold * and ?), or \"*\".", problem.Code);
                    continue;
                }

                s.Resources.Add(new ResourceValue(token, text, segments, pattern));
            }
        }

        // Why an ARN pattern of a registry policy can never match an ECR repository ARN
        // (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME), or null when it can.
        private (string Message, string Code)? RegistryResourceProblem(string text, IReadOnlyList<string> segments)
        {
            var count = segments.Count;
            var trailing = segments[count - 1].EndsWith("*", StringComparison.Ordinal);
            if (count < 6 && !trailing)
            {
                var missingService = count == 5 && !ContainsSegment(segments, "ecr")
                    ? " It has five parts instead of six: the service segment 'ecr' is missing (arn:aws:ecr:REGION:...)."
                    : string.Empty;
                return ($"'{text}' has {count} colon-separated parts where a repository ARN has six, and it does not end with a wildcard that could stand for the rest.{missingService}", "MISSING_ARN_FIELD");
            }

            bool Last(int i) => i == count - 1 && trailing;

            var service = segments[2];
            if (!string.Equals(service, "ecr", StringComparison.OrdinalIgnoreCase))
            {
                var missingService = count == 5 ? " It has five parts instead of six: the service segment 'ecr' is missing (arn:aws:ecr:REGION:...)." : string.Empty;
                return ($"'{text}' has the service '{service}' where 'ecr' belongs (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME).{missingService}", count == 5 ? "MISSING_ARN_FIELD" : "UNSUPPORTED_RESOURCE_ARN_IN_POLICY");
            }

            if (!string.Equals(service, "ecr", StringComparison.Ordinal))
            {
                return ($"'{text}' has the service '{service}': ARNs are compared case-sensitively and ECR's service is 'ecr' in lowercase (arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME), so this one never matches a repository.", "INVALID_ARN_SERVICE_CASE");
            }

            var partition = segments[1];
            if (!Last(1) && !new[] { Partitions.Aws, Partitions.AwsCn, Partitions.AwsUsGov }.Any(p => Wildcard.IsMatch(partition, p, ignoreCase: true)))
            {
                return ($"'{text}' has the partition '{partition}'; use aws, aws-cn or aws-us-gov.", "INVALID_PARTITION");
            }

            if (count > 3 && !Last(3))
            {
                var region = segments[3];
                var ok = Wildcard.HasWildcard(region)
                    ? region.All(c => char.IsLetterOrDigit(c) || c is '-' or '*' or '?')
                    : Partitions.IsRegionName(region.ToLowerInvariant());
                if (region.Length == 0)
                {
                    return ($"'{text}' has no Region: its fourth part is empty, and every repository ARN names the Region of its registry, such as us-east-1.", "MISSING_ARN_REGION");
                }

                if (!ok)
                {
                    return PolicyVariables.Has(region)
                        ? ($"'{text}' has the policy variable '{region}' where the Region belongs; IAM substitutes variables only in the resource part, after the fifth colon, so here it is literal text.", "VARIABLE_UNSUPPORTED_IN_ELEMENT")
                        : ($"'{text}' has '{region}' where a Region such as us-east-1 belongs.", "INVALID_ARN_REGION");
                }
            }

            if (count > 4 && !Last(4))
            {
                var account = segments[4];
                var ok = Wildcard.HasWildcard(account) ? account.All(c => c is (>= '0' and <= '9') or '*' or '?') : Arn.IsAccountId(account);
                if (!ok)
                {
                    return (account.Length == 0
                        ? $"'{text}' has no account: its fifth part is empty, and every repository ARN names the 12-digit account of its registry."
                        : PolicyVariables.Has(account) ? $"'{text}' has the policy variable '{account}' where the account belongs; IAM substitutes variables only in the resource part, after the fifth colon, so here it is literal text."
                        : $"'{text}' has '{account}' where a 12-digit account id belongs.", PolicyVariables.Has(account) ? "VARIABLE_UNSUPPORTED_IN_ELEMENT" : "INVALID_ARN_ACCOUNT");
                }
            }

            if (count == 6 && !CanMatchRepository(segments[5], _variables))
            {
                return ($"'{text}' does not name a repository: the resource part '{segments[5]}' can never match 'repository/NAME'.", "INVALID_ARN_RESOURCE");
            }

            return null;
        }

        private static bool ContainsSegment(IReadOnlyList<string> segments, string value) => segments.Any(p => string.Equals(p, value, StringComparison.OrdinalIgnoreCase));

        // True when the pattern can match "repository/" followed by at least one character: walked against
        // "repository/" until a wildcard or a policy variable (which could stand for the rest) or the end.
        private static bool CanMatchRepository(string pattern, bool variables)
        {
            const string Prefix = "repository/";
            var p = 0;
            for (var t = 0; t < Prefix.Length; t++)
            {
                if (p == pattern.Length)
                {
                    return false;
                }

                var c = pattern[p];
                if (c == '*' || (variables && c == '$' && p + 1 < pattern.Length && pattern[p + 1] == '{'))
                {
                    return true;
                }

                if (c != '?' && c != Prefix[t])
                {
                    return false;
                }

                p++;
            }

            return p < pattern.Length;
        }

        private void ReadCondition(StatementReading s)
        {
            var condition = s.Json.Property("Condition");
            if (condition is null)
            {
                return;
            }

            if (condition.Value is not JObject block)
            {
                _sink.Report(LintRules.ConditionOperatorUnknown, condition.Value, s, $"Condition is {PolicyJson.Describe(condition.Value.Type)}; it must be an object of operators, such as {{\"StringEquals\": {{\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"}}}}.", "DATA_TYPE_MISMATCH");
                return;
            }

            foreach (var opProperty in block.Properties())
            {
                if (!ConditionOperator.TryParse(opProperty.Name, out var op, out var reason))
                {
                    var name = opProperty.Name;
                    var code = name.EndsWith("IfExists", StringComparison.Ordinal) && name.StartsWith("Null", StringComparison.Ordinal) ? "NULL_WITH_IF_EXISTS"
                        : name.EndsWith(":Null", StringComparison.Ordinal) && name.IndexOf(':') > 0 ? "NULL_WITH_QUALIFIER"
                        : "INVALID_CONDITION_OPERATOR";
                    _sink.Report(LintRules.ConditionOperatorUnknown, opProperty, s, reason, code);
                    continue;
                }

                if (opProperty.Value is not JObject { Count: > 0 } keys)
                {
                    _sink.Report(LintRules.ConditionOperatorUnknown, opProperty.Value, s, $"The {opProperty.Name} block is {(opProperty.Value is JObject ? "an empty object, naming no condition key" : Show(opProperty.Value))}; it must be an object of condition keys and values, such as {{\"aws:PrincipalAccount\": \"111122223333\"}}.", "DATA_TYPE_MISMATCH");
                    continue;
                }

                foreach (var key in keys.Properties())
                {
                    ReadConditionKey(s, opProperty, op, key);
                }
            }
        }

        private void ReadConditionKey(StatementReading s, JProperty opProperty, ConditionOperator op, JProperty key)
        {
            var items = key.Value is JArray a ? a.ToList() : new List<JToken> { key.Value };
            var bad = items.FirstOrDefault(v => v.Type is not (JTokenType.String or JTokenType.Boolean or JTokenType.Integer or JTokenType.Float));
            if (bad is not null)
            {
                _sink.Report(LintRules.ConditionOperatorUnknown, bad, s,
                    $"The value of {opProperty.Name}.{key.Name} is {PolicyJson.Describe(bad.Type)}; condition values are text, numbers or booleans, or a list of them.", "DATA_TYPE_MISMATCH");
                return;
            }

            if (items.Count == 0)
            {
                // Access Analyzer's suggestions EMPTY_ARRAY_CONDITION(_FORALLVALUES, _FORANYVALUE, _IFEXISTS): no value to match.
                var (code, effect) = op.Set == SetQualifier.ForAllValues ? ("EMPTY_ARRAY_CONDITION_FORALLVALUES", "it holds only when the key is absent from the request; to test that, write Null with true")
                    : op.Set == SetQualifier.ForAnyValue ? ("EMPTY_ARRAY_CONDITION_FORANYVALUE", "it never holds, so the statement never applies")
                    : op.IfExists ? ("EMPTY_ARRAY_CONDITION_IFEXISTS", "it holds only when the key is absent from the request; to test that, write Null with true")
                    : op.Negated ? ("EMPTY_ARRAY_CONDITION", "no value can be excluded, so it tests nothing")
                    : ("EMPTY_ARRAY_CONDITION", "no value can match, so the statement never applies");
                _sink.Report(LintRules.ElementEmpty, key.Value, s, $"{opProperty.Name} on '{key.Name}' has an empty list of values: {effect}. Give the values, or remove the key.", code);
            }

            var values = items.Select(ConditionText).ToArray();
            CompiledCondition compiled;
            try
            {
                compiled = CompiledCondition.Create(op, key.Name, values, _variables);
            }
            catch (FormatException ex)
            {
                _sink.Report(LintRules.ConditionOperatorUnknown, key, s, $"In {opProperty.Name} on '{key.Name}', {ex.Message} IAM cannot compare with such a value.", ValueCode(op, values));
                return;
            }

            s.Conditions.Add(new ConditionValue(opProperty, key, op, values, compiled));
        }

        // The Access Analyzer check for a value the operator cannot read.
        private string? ValueCode(ConditionOperator op, IReadOnlyList<string> values)
        {
            if (_variables && values.Any(PolicyVariables.Has))
            {
                return values.Select(PolicyVariables.MalformedCode).FirstOrDefault(c => c is not null) ?? (op.AllowsVariables ? null : "INVALID_VARIABLE_FOR_OPERATOR");
            }

            return op.Family switch
            {
                OperatorFamily.Bool => "TYPE_MISMATCH_BOOLEAN",
                OperatorFamily.BinaryEquals => "TYPE_MISMATCH_STRING",
                OperatorFamily.IpAddress => "TYPE_MISMATCH_IP_RANGE",
                _ when op.IsNumeric => "TYPE_MISMATCH_NUMBER",
                _ when op.IsDate => "TYPE_MISMATCH_DATE",
                _ => null,
            };
        }

        // JSON booleans and numbers are read as IAM reads them: "true"/"false" and their digits.
        private static string ConditionText(JToken item) => item.Type switch
        {
            JTokenType.String => (string)item!,
            JTokenType.Boolean => (bool)item ? "true" : "false",
            _ => Convert.ToString(((JValue)item).Value, CultureInfo.InvariantCulture)!,
        };

        // Exactly one of the two must be there, holding text or a non-empty list of texts.
        private JProperty? PairElement(StatementReading s, string name, string notName)
        {
            var positive = s.Json.Property(name);
            var negative = s.Json.Property(notName);
            if (positive is null && negative is null)
            {
                _sink.Report(LintRules.ActionOrResourceElement, s.Json, s, $"The statement has neither {name} nor {notName}; IAM rejects it. Add \"{name}\".", name == "Action" ? "MISSING_ACTION" : "MISSING_RESOURCE");
                return null;
            }

            if (positive is not null && negative is not null)
            {
                _sink.Report(LintRules.ActionOrResourceElement, negative, s, $"The statement has both {name} and {notName}; IAM allows only one of them. Keep {name} and put what {notName} excludes in a Deny statement.", "UNSUPPORTED_ELEMENT_COMBINATION");
                return positive;
            }

            return positive ?? negative;
        }

        private IEnumerable<JToken> Values(StatementReading s, JProperty element)
        {
            if (element.Value is JValue { Type: JTokenType.String } single)
            {
                if (((string)single!).Length == 0)
                {
                    _sink.Report(LintRules.ActionOrResourceElement, single, s, $"{element.Name} is empty text; give at least one value.");
                    yield break;
                }

                yield return single;
                yield break;
            }

            if (element.Value is JArray { Count: 0 } empty && !element.Name.StartsWith("Not", StringComparison.Ordinal))
            {
                // IAM accepts it (Access Analyzer only suggests against it): the statement covers nothing.
                _sink.Report(LintRules.ElementEmpty, empty, s, $"{element.Name} is an empty list, so the statement applies to no {(element.Name == "Action" ? "action" : "resource")} and has no effect. List the {(element.Name == "Action" ? "actions" : "resources")}, or remove the statement.",
                    element.Name == "Action" ? "EMPTY_ARRAY_ACTION" : "EMPTY_ARRAY_RESOURCE");
                yield break;
            }

            if (element.Value is not JArray array || array.Count == 0)
            {
                _sink.Report(LintRules.ActionOrResourceElement, element.Value, s, element.Value is JArray
                    ? $"{element.Name} is an empty list; it would exclude nothing and so cover every {(element.Name == "NotAction" ? "action" : "resource")}, a meaning no AWS page gives. List what to exclude, or use {element.Name.Substring(3)}."
                    : $"{element.Name} is {PolicyJson.Describe(element.Value.Type)}; it must be text or a non-empty list of texts.", element.Value is JArray ? null : "DATA_TYPE_MISMATCH");
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
                    _sink.Report(LintRules.ActionOrResourceElement, item, s, $"A {element.Name} value is {(item.Type == JTokenType.String ? "empty text" : PolicyJson.Describe(item.Type))}; every value must be non-empty text.", item.Type == JTokenType.String ? null : "DATA_TYPE_MISMATCH");
                }
            }
        }

        private static string? NearestElement(string name, IEnumerable<string> known) =>
            known.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? PolicyGrammar.Nearest(name, known, maxDistance: 2);

        private static string Show(JToken token) => token is JValue { Type: JTokenType.String } v ? $"\"{(string?)v}\"" : PolicyJson.Describe(token.Type);
    }
}
