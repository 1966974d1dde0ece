using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Grammar;
using PtcTools.Policy.Model;

namespace PtcTools.Policy.Lint;

/// <summary>The advice about one statement of a registry policy beyond its conditions: principals and actions a registry policy
/// cannot use, resources that never match, policy variables read as text, and style (empty Sid, redundant values).</summary>
/// <remarks>Run on every statement with the reader's facts (a value the reader refused has no fact, so it is not advised on twice).
/// Anchors: Access Analyzer's policy check reference, parliament's issue list, and the ECR pages named on each rule page.</remarks>
internal static class StatementRules
{
    // Actions the ECR pages say must be granted by an identity-based policy (PTC-PERMISSIONS.md 1.1 and 1.8):
    // the pull through cache rule operations and TagResource on the pull-through-cache-iam page, and
    // GetAuthorizationToken, which authenticates to the registry before any repository is named.
    private static readonly string[] s_identityOnly =
    {
        "ecr:GetAuthorizationToken", "ecr:CreatePullThroughCacheRule", "ecr:UpdatePullThroughCacheRule", "ecr:DeletePullThroughCacheRule",
        "ecr:DescribePullThroughCacheRules", "ecr:ValidatePullThroughCacheRule", "ecr:TagResource",
    };

    private static readonly string[] s_permissionsManagement =
    {
        "ecr:PutRegistryPolicy", "ecr:DeleteRegistryPolicy", "ecr:SetRepositoryPolicy", "ecr:DeleteRepositoryPolicy",
    };

    public static void CheckDocument(LintContext context)
    {
        var root = context.Reading.Document.ToJObject();
        if (root.Property("Version")?.Value is JValue { Type: JTokenType.String } v && (string?)v == PolicyGrammar.LegacyVersion)
        {
            context.Report(LintRules.VersionOld, v, null,
                "Version is 2008-10-17, the old policy language: policy variables such as ${aws:username} are plain text there. Write \"Version\": \"2012-10-17\", which every AWS example uses.");
        }
    }

    public static void Check(LintContext context, StatementReading s)
    {
        CheckSid(context, s);
        CheckPrincipals(context, s);
        CheckActions(context, s);
        CheckResources(context, s);
        CheckVariables(context, s);
        ConditionRules.Check(context, s);
        CheckRedundant(context, s);
    }

    private static void CheckSid(LintContext context, StatementReading s)
    {
        if (s.Json.Property("Sid")?.Value is JValue { Type: JTokenType.String } sid && ((string)sid!).Length == 0)
        {
            context.Report(LintRules.SidEmpty, sid, s, "Sid is empty text. Give the statement a name of letters and digits, such as \"PullThroughCache\" (PtcTools merges statements by Sid), or remove Sid.", "EMPTY_SID_VALUE");
        }
    }

    private static void CheckPrincipals(LintContext context, StatementReading s)
    {
        foreach (var p in s.Principals.Where(p => p.Id.Kind is PrincipalKind.Federated or PrincipalKind.CanonicalUser))
        {
            var why = p.Id.Kind == PrincipalKind.Federated
                ? "a Federated principal is an identity provider's user, who reaches AWS only by assuming a role (AssumeRoleWithWebIdentity or AssumeRoleWithSAML) and then calls ECR as that role's session"
                : "a CanonicalUser is an Amazon S3 account identifier, used only in S3 policies";
            context.Report(LintRules.PrincipalNotForRegistry, p.Token, s,
                $"'{p.Id.Text}' ({p.ElementType}) never calls ECR: {why}. The statement never matches it. Name the role (\"AWS\": \"arn:aws:iam::ACCOUNT:role/NAME\") or account instead.");
        }

        var services = s.Principals.Where(p => p.Id.Kind == PrincipalKind.Service).ToList();
        if (s.IsAllow && !s.UsesNotPrincipal && services.Count > 0 && !ConditionRules.HasSourceCondition(s))
        {
            context.Report(LintRules.ServicePrincipalUnscoped, services[0].Token, s,
                $"Allow for the service principal '{services[0].Id.Text}' without aws:SourceAccount, aws:SourceArn, aws:SourceOrgID or aws:SourceOrgPaths: the service may act for any AWS account with it (the confused deputy problem). Add a condition such as {{\"StringEquals\": {{\"aws:SourceAccount\": \"111122223333\"}}}}.",
                "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL");
        }

        if (!s.IsAllow && s.UsesNotPrincipal && s.Effect == "Deny")
        {
            CheckNotPrincipal(context, s);
        }
    }

    // IAM's NotPrincipal page: with Deny, also list the account of each exempted principal, and for a role the
    // role's sessions (a request is made by the assumed-role session, which NotPrincipal must also exempt).
    private static void CheckNotPrincipal(LintContext context, StatementReading s)
    {
        var accounts = new HashSet<string>(s.Principals.Where(p => p.Id.Kind == PrincipalKind.Account).Select(p => p.Id.Account!), StringComparer.Ordinal);
        var sessions = new HashSet<string>(s.Principals.Where(p => p.Id.Kind == PrincipalKind.AssumedRole).Select(p => p.Id.Account + "/" + p.Id.Name), StringComparer.Ordinal);
        foreach (var p in s.Principals.Where(p => p.Id.Kind is PrincipalKind.User or PrincipalKind.Role or PrincipalKind.AssumedRole or PrincipalKind.FederatedUser))
        {
            var missing = new List<string>();
            if (!accounts.Contains(p.Id.Account!))
            {
                missing.Add($"the account arn:{p.Id.Partition ?? Partitions.Aws}:iam::{p.Id.Account}:root");
            }

            if (p.Id.Kind == PrincipalKind.Role && !sessions.Contains(p.Id.Account + "/" + p.Id.Name))
            {
                missing.Add($"the role's sessions, arn:{p.Id.Partition ?? Partitions.Aws}:sts::{p.Id.Account}:assumed-role/{p.Id.Name}/SESSION");
            }

            if (missing.Count > 0)
            {
                context.Report(LintRules.DenyNotPrincipalIncomplete, p.Token, s,
                    $"Deny with NotPrincipal exempts '{p.Id.Text}' but not {string.Join(" or ", missing)}. IAM evaluates the account, then the role, then the session, so an unlisted one is denied and '{p.Id.Text}' is denied with it. List them too, or better, use Principal \"*\" with {{\"ArnNotLike\": {{\"aws:PrincipalArn\": \"{p.Id.Text}\"}}}}, as IAM now recommends.");
            }
        }
    }

    private static void CheckActions(LintContext context, StatementReading s)
    {
        var identityOnly = new List<ActionValue>();
        foreach (var a in s.Actions)
        {
            if (a.EcrActions.Count > 0 && a.EcrActions.All(e => s_identityOnly.Contains(e, StringComparer.OrdinalIgnoreCase)) && !s.UsesNotAction)
            {
                identityOnly.Add(a);
            }
        }

        foreach (var a in identityOnly)
        {
            context.Report(LintRules.ActionIdentityOnly, a.Token, s,
                $"'{a.Text}' ({string.Join(", ", a.EcrActions)}) is granted only by an identity-based policy: the ECR pages say so for the pull through cache rule operations and ecr:TagResource, and ecr:GetAuthorizationToken is called before any registry resource is named. ECR stores the statement, but it never grants this. Grant it in the principal's IAM policy and remove it here.",
                "UNSUPPORTED_ACTION_IN_POLICY");
        }

        if (s.IsAllow && !s.UsesNotAction)
        {
            foreach (var a in s.Actions.Where(a => !Wildcard.HasWildcard(a.Text) && a.EcrActions.Count == 1 && s_permissionsManagement.Contains(a.EcrActions[0], StringComparer.OrdinalIgnoreCase)))
            {
                context.Report(LintRules.PermissionsManagementGranted, a.Token, s,
                    $"'{a.Text}' lets the principals rewrite {(a.EcrActions[0].IndexOf("Registry", StringComparison.Ordinal) >= 0 ? "this registry policy" : "repository policies")}, and so grant themselves any ECR action, past every Deny written there. Grant it only to the registry's administrators, in their identity-based policy.");
            }
        }

        // Actions with no resource type (Resource "*" only) never match repository ARNs (parliament RESOURCE_MISMATCH).
        if (!s.UsesNotAction && !s.UsesNotResource && s.Resources.Count > 0 && s.Resources.All(r => !r.IsAll && r.ResourcePart is { } part && part.StartsWith("repository/", StringComparison.Ordinal)))
        {
            foreach (var a in s.Actions.Where(a => !Wildcard.HasWildcard(a.Text) && a.EcrActions.Count == 1 && EcrActions.Find(a.EcrActions[0]) is { OnRepository: false })
                .Where(a => !identityOnly.Contains(a)))
            {
                context.Report(LintRules.ActionResourceMismatch, a.Token, s,
                    $"'{a.Text}' acts on the registry, not on a repository: the Service Authorization Reference gives it no resource type, so it takes only Resource \"*\", and with repository ARNs the statement never applies to it. Move it to a statement with \"Resource\": \"*\".");
            }
        }

        if (s.IsAllow && !s.UsesNotAction && s.Resources.Count == 1 && s.Resources[0].IsAll && s.Actions.Count > 0
            && s.Actions.All(a => a.EcrActions.Count > 0 && a.EcrActions.All(e => EcrActions.Find(e)?.OnRepository == true)) && !s.Actions.Any(a => a.Text == "*"))
        {
            context.Report(LintRules.ResourceStar, s.Resources[0].Token, s,
                "Resource is \"*\", but every action of the statement acts on repositories. Name them, such as arn:aws:ecr:REGION:ACCOUNT:repository/PREFIX/*, so the statement grants no more than it must.");
        }
    }

    private static void CheckResources(LintContext context, StatementReading s)
    {
        if (s.IsAllow && s.UsesNotResource)
        {
            context.Report(LintRules.AllowWithNotResource, s.Json.Property("NotResource"), s,
                "Allow with NotResource grants the actions on every resource except the listed ones, repositories created later included. Name the repositories in Resource instead.");
        }

        foreach (var r in s.Resources.Where(r => !r.IsAll))
        {
            var partition = r.Partition;
            var region = r.Region;
            if (partition is null || region is null || !Partitions.IsKnownPartition(partition.ToLowerInvariant()) || (context.Reading.UsesVariables && PolicyVariables.Has(region)))
            {
                continue;
            }

            var regions = Partitions.RegionsOf(partition.ToLowerInvariant());
            var known = Wildcard.HasWildcard(region)
                ? regions.Any(x => Wildcard.IsMatch(region, x, ignoreCase: true))
                : regions.Contains(region.ToLowerInvariant(), StringComparer.Ordinal);
            if (!known && region.Length > 0)
            {
                var home = Partitions.PartitionOfKnownRegion(region.ToLowerInvariant());
                context.Report(LintRules.ResourceRegionUnknown, r.Token, s,
                    home is not null
                        ? $"'{r.Text}' names the Region {region} in the partition {partition}, but {region} is in {home}: a repository ARN of {region} starts arn:{home}:ecr:, so this one never matches. Write arn:{home}:ecr:{region}:..."
                        : $"'{r.Text}' names '{region}', which is not a Region of the {partition} partition ({string.Join(", ", regions.Take(3))}, ...; {Partitions.RegionTableSource}). A newer Region is possible; otherwise the statement never matches a repository. Check the Region code.",
                    "INVALID_ARN_REGION");
            }
        }
    }

    private static void CheckVariables(LintContext context, StatementReading s)
    {
        var variables = context.Reading.UsesVariables;
        var tokens = new List<(JToken Token, string Text, string Where)>();
        foreach (var element in PolicyGrammar.ResourceElements)
        {
            if (s.Json.Property(element)?.Value is { } value)
            {
                tokens.AddRange((value is JArray a ? a.Children().ToArray() : new[] { value }).Where(t => t.Type == JTokenType.String).Select(t => (t, (string)t!, element)));
            }
        }

        foreach (var c in s.Conditions)
        {
            var list = c.KeyElement.Value is JArray a ? a.Children().ToList() : new List<JToken> { c.KeyElement.Value };
            tokens.AddRange(list.Where(t => t.Type == JTokenType.String).Select(t => (t, (string)t!, $"{c.Operator.Name} on '{c.Key}'")));
        }

        foreach (var (token, text, where) in tokens.Where(t => PolicyVariables.Has(t.Text)))
        {
            if (!variables)
            {
                context.Report(LintRules.PolicyVariableIgnored, token, s,
                    $"'{text}' ({where}) holds a policy variable, but the policy's Version is {(context.Reading.Document.Version is { } v ? v : "missing (so 2008-10-17)")}, under which ${{...}} is plain text: it matches only those very characters. Write \"Version\": \"2012-10-17\".",
                    "VARIABLE_UNSUPPORTED_IN_VERSION");
                continue;
            }

            // A variable before the resource part of a Resource is PTC018's (VARIABLE_UNSUPPORTED_IN_ELEMENT): the ARN can never match.
            foreach (var (key, whole) in PolicyVariables.Find(text))
            {
                if (PolicyVariables.Oddity(key) is { } odd)
                {
                    context.Report(LintRules.PolicyVariableIgnored, token, s, $"The policy variable {whole} in '{text}' ({where}) {odd.Why}; no request has such a key, so the value never matches. Write the key name, such as ${{aws:username}}.", odd.Code);
                    break;
                }

                var known = ConditionKeys.Find(key);
                if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) && known is null)
                {
                    var near = ConditionKeys.Suggest(key);
                    context.Report(LintRules.PolicyVariableIgnored, token, s, $"The policy variable {whole} in '{text}' ({where}) names no global key, so it never has a value and the value never matches.{(near is null ? string.Empty : $" Did you mean ${{{near}}}?")}", "INVALID_GLOBAL_CONDITION_KEY");
                    break;
                }

                if (known is { IsMultivalued: true })
                {
                    context.Report(LintRules.PolicyVariableIgnored, token, s, $"The policy variable {whole} in '{text}' ({where}) names {known.Name}, a multivalued key; IAM substitutes only single-valued keys, so the value never matches.");
                    break;
                }
            }
        }
    }

    private static void CheckRedundant(LintContext context, StatementReading s)
    {
        for (var i = 0; i < s.Actions.Count; i++)
        {
            var a = s.Actions[i];
            var cover = s.Actions.Where((b, j) => j != i && Covers(b.Text, a.Text, ignoreCase: true) && !(Covers(a.Text, b.Text, ignoreCase: true) && j > i)).FirstOrDefault();
            if (cover is not null)
            {
                context.Report(LintRules.ValuesRedundant, a.Token, s, $"'{a.Text}' is already covered by '{cover.Text}' in the same {(s.UsesNotAction ? "NotAction" : "Action")}; remove it to keep the policy short.", "REDUNDANT_ACTION");
            }
        }

        for (var i = 0; i < s.Resources.Count; i++)
        {
            var r = s.Resources[i];
            var cover = s.Resources.Where((q, j) => j != i && Covers(q.Text, r.Text, ignoreCase: false) && !(Covers(r.Text, q.Text, ignoreCase: false) && j > i)).FirstOrDefault();
            if (cover is not null)
            {
                context.Report(LintRules.ValuesRedundant, r.Token, s, $"'{r.Text}' is already covered by '{cover.Text}' in the same {(s.UsesNotResource ? "NotResource" : "Resource")}; remove it (or remove the wildcard, if only the named ones are meant).", "REDUNDANT_RESOURCE");
            }
        }
    }

    // True when the pattern b matches everything a does: b is "*" or b's wildcards match a's text (a's own wildcards taken as characters).
    private static bool Covers(string b, string a, bool ignoreCase) => b == "*" || Wildcard.IsMatch(b, a, ignoreCase);
}
