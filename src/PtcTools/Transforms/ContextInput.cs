using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Evaluation;

namespace PtcTools.Transforms;

/// <summary>Request context keys (aws:SourceIp, aws:PrincipalOrgID, ...) as -Context takes them: a hashtable or an object whose properties are the keys.</summary>
public static class ContextInput
{
    /// <summary>The context keys and values of a -Context value.</summary>
    /// <exception cref="PolicyException"><c>ContextInvalid</c> for a value that is not a hashtable or property bag, or a key whose value is not text, a number, a boolean or a list of them.</exception>
    public static IReadOnlyList<KeyValuePair<string, ContextValue>> Read(object? context)
    {
        var pairs = new List<KeyValuePair<string, ContextValue>>();
        var baseObject = PSValue.Unwrap(context);
        if (baseObject is null)
        {
            return pairs;
        }

        IEnumerable<KeyValuePair<string, object?>> entries;
        if (baseObject is IDictionary dict)
        {
            entries = dict.Cast<DictionaryEntry>().Select(e => new KeyValuePair<string, object?>(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty, e.Value));
        }
        else if (PSValue.IsPropertyBag(context) && context is PSObject pso)
        {
            entries = pso.Properties.Where(p => p.MemberType is PSMemberTypes.NoteProperty).Select(p => new KeyValuePair<string, object?>(p.Name, p.Value));
        }
        else
        {
            throw new PolicyException(ErrorIds.ContextInvalid, PolicyErrorKind.InvalidArgument, $"-Context takes a hashtable or an object whose properties are the keys (as ConvertFrom-Json makes), not a {baseObject.GetType().Name}.", context);
        }

        foreach (var entry in entries)
        {
            if (PSValue.Unwrap(entry.Value) is string text)
            {
                pairs.Add(new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.Of(text)));
                continue;
            }

            var token = PolicyStructure.ToJToken(entry.Value, entry.Key);
            switch (token)
            {
                case JValue { Type: JTokenType.Null }:
                    continue;
                case JArray array when array.All(t => t is JValue { Type: not JTokenType.Null }):
                    pairs.Add(new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.OfMany(array.Select(t => Scalar((JValue)t)))));
                    break;
                case JValue scalar:
                    pairs.Add(new KeyValuePair<string, ContextValue>(entry.Key, ContextValue.Of(Scalar(scalar))));
                    break;
                default:
                    throw new PolicyException(ErrorIds.ContextInvalid, PolicyErrorKind.InvalidArgument, $"The context key '{entry.Key}' has a value that is neither text, a number, a boolean nor a list of them.", context);
            }
        }

        return pairs;
    }

    private static string Scalar(JValue value) => value.Type switch
    {
        JTokenType.String => (string)value!,
        JTokenType.Boolean => (bool)value ? "true" : "false",
        _ => Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
