using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json.Linq;
using PtcTools.Policy.Model;
using PtcTools.Policy.Rollout;

namespace PtcTools.Policy.Export;

/// <summary>
/// Resolves the intrinsic functions a PtcTools template uses (Ref, Fn::Sub with the string form, Fn::If, Fn::Equals,
/// AWS::NoValue, the pseudo parameters) for one stack instance, as CloudFormation would: the check that a template
/// gives each account and Region the policy meant for it, within ECR's limit.
/// </summary>
public static class CloudFormationResolver
{
    /// <summary>The registry policy document the template's RegistryPolicy resolves to for a registry and parameter values.</summary>
    /// <exception cref="PolicyException"><c>ExportInvalid</c> for a function or reference this resolver does not know.</exception>
    public static PolicyDocument ResolvePolicy(JObject template, RegistryIdentity registry, IReadOnlyDictionary<string, string> parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS::AccountId"] = registry.AccountId,
            ["AWS::Region"] = registry.Region,
            ["AWS::Partition"] = registry.Partition,
        };
        if (template["Parameters"] is JObject declared)
        {
            foreach (var parameter in declared.Properties())
            {
                values[parameter.Name] = parameters.TryGetValue(parameter.Name, out var given) ? given : (string?)parameter.Value["Default"] ?? string.Empty;
            }
        }

        var conditions = new Dictionary<string, bool>(StringComparer.Ordinal);
        if (template["Conditions"] is JObject declaredConditions)
        {
            foreach (var condition in declaredConditions.Properties())
            {
                conditions[condition.Name] = Condition(condition.Value, values);
            }
        }

        var policy = template.SelectToken("Resources." + StackSetTemplate.ResourceName + ".Properties.PolicyText") as JObject
            ?? throw Invalid("the template has no Resources.RegistryPolicy.Properties.PolicyText object");
        var resolved = Resolve(policy, values, conditions) as JObject ?? throw Invalid("PolicyText resolves to nothing");
        return PolicyDocument.FromJObject(resolved);
    }

    private static readonly JToken s_noValue = new JValue("\u0000AWS::NoValue");

    private static JToken Resolve(JToken token, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, bool> conditions)
    {
        switch (token)
        {
            case JObject obj when obj.Count == 1 && obj.Properties().First() is { } function && (function.Name == "Ref" || function.Name.StartsWith("Fn::", StringComparison.Ordinal)):
                return Function(function.Name, function.Value, values, conditions);
            case JObject obj:
                var copy = new JObject();
                foreach (var property in obj.Properties())
                {
                    var value = Resolve(property.Value, values, conditions);
                    if (!ReferenceEquals(value, s_noValue))
                    {
                        copy.Add(property.Name, value);
                    }
                }

                return copy;
            case JArray array:
                return new JArray(array.Select(t => Resolve(t, values, conditions)).Where(t => !ReferenceEquals(t, s_noValue)));
            default:
                return token.DeepClone();
        }
    }

    private static JToken Function(string name, JToken argument, IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, bool> conditions)
    {
        switch (name)
        {
            case "Ref":
                var reference = (string?)argument ?? throw Invalid("a Ref without a name");
                if (reference == "AWS::NoValue")
                {
                    return s_noValue;
                }

                return values.TryGetValue(reference, out var found) ? new JValue(found) : throw Invalid($"Ref to '{reference}', which is neither a parameter nor a pseudo parameter");
            case "Fn::Sub":
                return new JValue(Substitute((string?)argument ?? throw Invalid("Fn::Sub without a string"), values));
            case "Fn::If":
                if (argument is not JArray { Count: 3 } branches)
                {
                    throw Invalid("Fn::If without [condition, then, else]");
                }

                var condition = (string?)branches[0] ?? string.Empty;
                if (!conditions.TryGetValue(condition, out var holds))
                {
                    throw Invalid($"Fn::If names the condition '{condition}', which is not declared");
                }

                return Resolve(holds ? branches[1] : branches[2], values, conditions);
            default:
                throw Invalid($"the function {name}");
        }
    }

    private static bool Condition(JToken token, Dictionary<string, string> values)
    {
        if (token is JObject { Count: 1 } obj && obj.Properties().First() is { Name: "Fn::Equals", Value: JArray { Count: 2 } pair })
        {
            string Operand(JToken t) => t is JObject { Count: 1 } r && r["Ref"] is JValue name ? (values.TryGetValue((string)name!, out var v) ? v : throw Invalid($"Ref to '{name}'")) : (string?)t ?? string.Empty;
            return string.Equals(Operand(pair[0]), Operand(pair[1]), StringComparison.Ordinal);
        }

        throw Invalid("a condition other than Fn::Equals");
    }

    // ${Name} is replaced, ${!Literal} stays as ${Literal}.
    private static string Substitute(string text, IReadOnlyDictionary<string, string> values)
    {
        var result = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var start = text.IndexOf("${", i, StringComparison.Ordinal);
            if (start < 0)
            {
                result.Append(text, i, text.Length - i);
                break;
            }

            result.Append(text, i, start - i);
            var end = text.IndexOf('}', start);
            if (end < 0)
            {
                throw Invalid($"an unclosed ${{ in '{text}'");
            }

            var name = text.Substring(start + 2, end - start - 2);
            if (name.StartsWith("!", StringComparison.Ordinal))
            {
                result.Append("${").Append(name.Substring(1)).Append('}');
            }
            else
            {
                result.Append(values.TryGetValue(name, out var value) ? value : throw Invalid($"Fn::Sub names '{name}', which is neither a parameter nor a pseudo parameter"));
            }

            i = end + 1;
        }

        return result.ToString();
    }

    private static PolicyException Invalid(string what) =>
        new(ErrorIds.ExportInvalid, PolicyErrorKind.InvalidData, $"The template cannot be resolved: {what}.", what);
}
