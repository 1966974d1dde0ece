using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;
using PtcTools.Policy.Rollout;

namespace PtcTools.Policy.Export;

/// <summary>What the template gives one account and Region: its parameter values, and the document CloudFormation will resolve for it.</summary>
public sealed class StackInstancePlan
{
    internal StackInstancePlan(RegistryIdentity registry, IReadOnlyList<KeyValuePair<string, string>> overrides, PolicyDocument resolved, int keptStatements)
    {
        Registry = registry;
        ParameterOverrides = overrides;
        Resolved = resolved;
        KeptStatements = keptStatements;
    }

    /// <summary>The account and Region.</summary>
    public RegistryIdentity Registry { get; }

    /// <summary>The StackSet parameter overrides of this stack instance (ParameterKey, ParameterValue), every Keep parameter named.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ParameterOverrides { get; }

    /// <summary>The registry policy the template resolves to in this account and Region (after substitution).</summary>
    public PolicyDocument Resolved { get; }

    /// <summary>How many statements of other teams (found live) the instance keeps.</summary>
    public int KeptStatements { get; }

    /// <summary>The resolved policy's length as ECR stores it.</summary>
    public int Length => Resolved.CompactLength;

    /// <summary>The overrides as the AWS CLI reads them (<c>--parameter-overrides file://...</c>): a JSON array of ParameterKey/ParameterValue.</summary>
    public string OverridesJson() =>
        new JArray(ParameterOverrides.Select(p => new JObject(new JProperty("ParameterKey", p.Key), new JProperty("ParameterValue", p.Value)))).ToString(Newtonsoft.Json.Formatting.Indented).Replace("\r\n", "\n") + "\n";
}

/// <summary>
/// A CloudFormation template for a StackSet that owns the registry policy of every account and Region: one
/// <c>AWS::ECR::RegistryPolicy</c> with the whole document (CloudFormation cannot adopt a policy that exists, and its
/// delete removes every statement), Retain on delete and replace, the registry's own ARNs through
/// <c>${AWS::Partition}</c>, <c>${AWS::Region}</c> and <c>${AWS::AccountId}</c>, and one Keep parameter per statement
/// of another team found live, which each stack instance's parameter overrides turn on where that statement is.
/// </summary>
/// <remarks>
/// It is written from the merges the domain computed (<see cref="TargetMerge"/>), not from a model of its own; every
/// instance is resolved back (<see cref="CloudFormationResolver"/>) and must equal its merge, statement for statement,
/// and fit ECR's 10,240 characters.
/// </remarks>
public sealed class StackSetTemplate
{
    /// <summary>CloudFormation's limit of parameters per template.</summary>
    public const int MaxParameters = 200;

    /// <summary>The largest template body CloudFormation takes inline (--template-body); larger ones go through S3 (--template-url).</summary>
    public const int MaxInlineBodyBytes = 51200;

    /// <summary>The logical id of the registry policy resource.</summary>
    public const string ResourceName = "RegistryPolicy";

    private static readonly Regex s_placeholder = new(@"\$\{(?!AWS::AccountId\}|AWS::Region\}|AWS::Partition\})", RegexOptions.CultureInvariant);

    private StackSetTemplate(JObject template, IReadOnlyList<StackInstancePlan> instances)
    {
        Template = template;
        Instances = instances;
    }

    /// <summary>The template (JSON object: AWSTemplateFormatVersion, Parameters, Conditions, Resources).</summary>
    public JObject Template { get; }

    /// <summary>Each account and Region's parameter values and resolved document, in the order given.</summary>
    public IReadOnlyList<StackInstancePlan> Instances { get; }

    /// <summary>The template as indented JSON.</summary>
    public string ToJson() => Template.ToString(Newtonsoft.Json.Formatting.Indented).Replace("\r\n", "\n") + "\n";

    /// <summary>The template as YAML (block style, long-form intrinsic functions, JSON-quoted strings).</summary>
    public string ToYaml() => YamlWriter.Write(Template);

    /// <summary>Builds the template from the merges of the targets.</summary>
    /// <param name="intended">The plan's statements, as given (for any registry).</param>
    /// <param name="merges">Each target's merge of them into its live policy.</param>
    /// <param name="description">The template's Description.</param>
    /// <exception cref="PolicyException"><c>ExportTooManyParameters</c> when other teams' statements need more than 200 Keep parameters.</exception>
    public static StackSetTemplate Build(IReadOnlyList<PolicyStatement> intended, IReadOnlyList<TargetMerge> merges, string description)
    {
        var general = intended.Select(GeneralizeIntended).ToList();

        // Other teams' statements, the same when they differ only by the registry they sit in.
        var foreign = new List<(string Key, PolicyStatement Statement, HashSet<int> Holders)>();
        for (var t = 0; t < merges.Count; t++)
        {
            foreach (var statement in merges[t].Foreign)
            {
                if (IsReplacedByIntended(statement, merges[t]))
                {
                    continue;
                }

                var generalized = RegistryPlacement.Generalize(statement, merges[t].Registry);
                var key = generalized.ToCompactJson();
                var index = foreign.FindIndex(f => f.Key == key);
                if (index < 0)
                {
                    foreign.Add((key, generalized, new HashSet<int>()));
                    index = foreign.Count - 1;
                }

                foreign[index].Holders.Add(t);
            }
        }

        if (foreign.Count > MaxParameters)
        {
            throw new PolicyException(ErrorIds.ExportTooManyParameters, PolicyErrorKind.LimitsExceeded,
                $"The targets hold {foreign.Count} distinct statements of other teams; a template that keeps them needs one parameter each, and CloudFormation takes at most {MaxParameters}. Export fewer targets at once, or consolidate those statements first.", foreign.Count);
        }

        var names = new List<string>();
        var parameters = new JObject();
        var conditions = new JObject();
        var statements = new JArray();
        foreach (var (_, statement, holders) in foreign)
        {
            var name = ParameterName(statement.Sid, names);
            names.Add(name);
            parameters[name] = new JObject
            {
                ["Type"] = "String",
                ["AllowedValues"] = new JArray("true", "false"),
                ["Default"] = "false",
                ["Description"] = $"Keep the statement {(statement.Sid is { } sid ? "'" + sid + "'" : "without Sid")} found in {holders.Count} of {merges.Count} targets' live policies (another team's): the stack instance's parameter overrides say where.",
            };
            conditions[name] = new JObject(new JProperty("Fn::Equals", new JArray(new JObject(new JProperty("Ref", name)), "true")));
            statements.Add(new JObject(new JProperty("Fn::If", new JArray(name, ToCloudFormation(statement.ToJObject()), new JObject(new JProperty("Ref", "AWS::NoValue"))))));
        }

        foreach (var statement in general)
        {
            statements.Add(ToCloudFormation(statement.ToJObject()));
        }

        var template = new JObject { ["AWSTemplateFormatVersion"] = "2010-09-09", ["Description"] = description };
        if (parameters.Count > 0)
        {
            template["Parameters"] = parameters;
            template["Conditions"] = conditions;
        }

        template["Resources"] = new JObject
        {
            [ResourceName] = new JObject
            {
                ["Type"] = "AWS::ECR::RegistryPolicy",
                ["DeletionPolicy"] = "Retain",
                ["UpdateReplacePolicy"] = "Retain",
                ["Properties"] = new JObject
                {
                    ["PolicyText"] = new JObject { ["Version"] = PolicyDocument.CurrentVersion, ["Statement"] = statements },
                },
            },
        };

        var instances = new List<StackInstancePlan>();
        for (var t = 0; t < merges.Count; t++)
        {
            var values = foreign.Select((f, i) => new KeyValuePair<string, string>(names[i], f.Holders.Contains(t) ? "true" : "false")).ToList();
            var resolved = CloudFormationResolver.ResolvePolicy(template, merges[t].Registry, values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal));
            CheckSame(resolved, merges[t]);
            instances.Add(new StackInstancePlan(merges[t].Registry, values, resolved, values.Count(v => v.Value == "true")));
        }

        return new StackSetTemplate(template, instances);
    }

    /// <summary>An intended statement with its repository ARNs in Resource and NotResource as placeholders, whatever registry it was built for.</summary>
    public static PolicyStatement GeneralizeIntended(PolicyStatement statement)
    {
        var json = statement.ToJObject();
        foreach (var key in new[] { "Resource", "NotResource" })
        {
            if (json[key] is { } value)
            {
                json[key] = RegistryPlacement.MapStrings(value, s =>
                {
                    return RegistryPlacement.IsRepositoryArn(s, out var arn)
                        ? string.Join(":", "arn", RegistryPlacement.PartitionPlaceholder, "ecr", RegistryPlacement.RegionPlaceholder, RegistryPlacement.AccountPlaceholder, arn.Resource)
                        : s;
                });
            }
        }

        return PolicyStatement.FromJObject(json);
    }

    // A live statement with an intended statement's Sid is replaced by it (with force), not kept beside it.
    private static bool IsReplacedByIntended(PolicyStatement statement, TargetMerge merge) =>
        statement.Sid is { } sid && merge.Intended.Any(i => string.Equals(i.Sid, sid, StringComparison.Ordinal));

    // Strings that name a placeholder become Fn::Sub, with every other "${" escaped as "${!" (policy variables stay literal).
    private static JToken ToCloudFormation(JToken token) => token switch
    {
        JValue { Type: JTokenType.String } value when RegistryPlacement.HasPlaceholder((string)value!) =>
            new JObject(new JProperty("Fn::Sub", s_placeholder.Replace((string)value!, "${!"))),
        JArray array => new JArray(array.Select(ToCloudFormation)),
        JObject obj => new JObject(obj.Properties().Select(p => new JProperty(p.Name, ToCloudFormation(p.Value)))),
        _ => token.DeepClone(),
    };

    private static string ParameterName(string? sid, List<string> taken)
    {
        var letters = new StringBuilder();
        foreach (var c in sid ?? "Statement")
        {
            if (c < 128 && char.IsLetterOrDigit(c))
            {
                letters.Append(c);
            }
        }

        var stem = "Keep" + (letters.Length == 0 ? "Statement" : letters.ToString());
        if (stem.Length > 60)
        {
            stem = stem.Substring(0, 60);
        }

        var name = stem;
        for (var n = 2; taken.Contains(name, StringComparer.OrdinalIgnoreCase); n++)
        {
            name = stem + n.ToString(CultureInfo.InvariantCulture);
        }

        return name;
    }

    // The template must give each instance exactly its merge's statements (order aside: a policy's statements have none that counts).
    private static void CheckSame(PolicyDocument resolved, TargetMerge merge)
    {
        var want = merge.Merged.Statements.Select(s => Merge.StatementMeaning.Of(s).Key).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var got = resolved.Statements.Select(s => Merge.StatementMeaning.Of(s).Key).OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (!want.SequenceEqual(got, StringComparer.Ordinal))
        {
            throw new PolicyException(ErrorIds.ExportMismatch, PolicyErrorKind.InvalidOperation,
                $"The template would not resolve to the merged policy of {merge.Registry} (a defect of the export; please report it). Nothing was written.", merge.Registry.ToString());
        }
    }
}
