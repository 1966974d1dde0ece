using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;

namespace PtcTools.Transforms;

/// <summary>The one converter of policy structure given as PowerShell values (hashtables, PSCustomObjects, arrays, scalars) to JSON tokens.</summary>
public static class PolicyStructure
{
    /// <summary>Converts structure (hashtables, PSCustomObjects, arrays, scalars) to JSON tokens.</summary>
    /// <remarks>
    /// ConvertFrom-Json turns ISO 8601 strings into DateTime; they are printed back as ISO 8601 text
    /// (UTC with a Z, others with their offset), so a policy round-trips to the text it came from.
    /// </remarks>
    public static JToken ToJToken(object? value, string path) => ToJTokenAt(value, path, 0);

    // Deeper than any policy, as deep as Newtonsoft reads JSON text; beyond it a value that contains itself would overflow the stack.
    private const int MaxDepth = 64;

    private static JToken ToJTokenAt(object? value, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData, $"The value at '{path}' is nested more than {MaxDepth} levels deep; no policy is. Does a hashtable or object contain itself?", value);
        }

        var baseObject = PSValue.Unwrap(value);
        switch (baseObject)
        {
            case null:
                return JValue.CreateNull();
            case string s:
                return new JValue(s);
            case char c:
                return new JValue(c.ToString());
            case bool b:
                return new JValue(b);
            case DateTime dt:
                return new JValue(IsoDateText.Of(dt));
            case DateTimeOffset dto:
                return new JValue(IsoDateText.Of(dto));
            case int or long or short or byte or sbyte or uint or ulong or ushort:
                return new JValue(Convert.ToInt64(baseObject, CultureInfo.InvariantCulture));
            case decimal m:
                return new JValue(m);
            case double or float:
                // JSON has no NaN or Infinity, and a policy number is read as a decimal (about 28 digits), as PolicyJson reads text.
                var number = Convert.ToDouble(baseObject, CultureInfo.InvariantCulture);
                if (double.IsNaN(number) || double.IsInfinity(number) || Math.Abs(number) >= 7.9e28)
                {
                    throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData,
                        $"The number at '{path}' is {number.ToString("R", CultureInfo.InvariantCulture)}, which a policy cannot hold: JSON has no NaN or Infinity, and policy numbers are limited to about 28 digits. Give a finite number, or the value as text.",
                        value);
                }

                return new JValue(Convert.ToDecimal(baseObject, CultureInfo.InvariantCulture));
            case PtcRegistryPolicy p:
                return p.Document.ToJObject();
            case PtcPolicyStatement st:
                return st.PolicyStatement.ToJToken();
            case JToken j:
                return j.DeepClone();
            case IDictionary dict:
                var obj = new JObject();
                foreach (DictionaryEntry entry in dict)
                {
                    var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    if (obj.ContainsKey(key))
                    {
                        throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData, $"The key '{key}' appears twice at '{path}'; duplicate keys are not allowed in a policy.", value);
                    }

                    obj.Add(key, ToJTokenAt(entry.Value, path + "." + key, depth + 1));
                }

                return obj;
            case IEnumerable list:
                var array = new JArray();
                var i = 0;
                foreach (var item in list)
                {
                    array.Add(ToJTokenAt(item, $"{path}[{i++}]", depth + 1));
                }

                return array;
        }

        if (value is PSObject pso)
        {
            var obj = new JObject();
            foreach (var property in pso.Properties)
            {
                if (property.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.Property)
                {
                    obj.Add(property.Name, ToJTokenAt(property.Value, path + "." + property.Name, depth + 1));
                }
            }

            return obj;
        }

        throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData, $"A value of type {baseObject.GetType().FullName} at '{path}' cannot be part of a policy.", value);
    }
}
