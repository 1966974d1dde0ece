using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace PtcTools.Policy.Export;

/// <summary>Writes a JSON value as block-style YAML that any YAML 1.2 reader (CloudFormation's too) reads back as the same value.</summary>
/// <remarks>Strings are double-quoted with JSON escapes (valid YAML 1.2); keys are plain where they are simple words (Fn::Sub, AWS::ECR::RegistryPolicy), quoted otherwise.</remarks>
public static class YamlWriter
{
    private static readonly Regex s_plainKey = new(@"^[A-Za-z][A-Za-z0-9_]*(::[A-Za-z0-9_]+)*$", RegexOptions.CultureInvariant);

    /// <summary>The YAML text of a value.</summary>
    public static string Write(JToken token)
    {
        var text = new StringBuilder();
        Write(text, token, 0, inList: false);
        return text.ToString();
    }

    private static void Write(StringBuilder text, JToken token, int indent, bool inList)
    {
        switch (token)
        {
            case JObject { Count: 0 }:
                text.Append("{}\n");
                break;
            case JObject obj:
                var first = true;
                foreach (var property in obj.Properties())
                {
                    if (!(first && inList))
                    {
                        text.Append(' ', indent);
                    }

                    first = false;
                    text.Append(Key(property.Name)).Append(':');
                    WriteChild(text, property.Value, indent);
                }

                break;
            case JArray { Count: 0 }:
                text.Append("[]\n");
                break;
            case JArray array:
                var firstItem = true;
                foreach (var item in array)
                {
                    if (!(firstItem && inList))
                    {
                        text.Append(' ', indent);
                    }

                    firstItem = false;
                    text.Append("- ");
                    if (item is JObject { Count: > 0 } or JArray { Count: > 0 })
                    {
                        Write(text, item, indent + 2, inList: true);
                    }
                    else
                    {
                        text.Append(Scalar(item)).Append('\n');
                    }
                }

                break;
            default:
                text.Append(Scalar(token)).Append('\n');
                break;
        }
    }

    private static void WriteChild(StringBuilder text, JToken value, int indent)
    {
        if (value is JObject { Count: > 0 } or JArray { Count: > 0 })
        {
            text.Append('\n');
            Write(text, value, indent + 2, inList: false);
        }
        else
        {
            text.Append(' ').Append(Scalar(value)).Append('\n');
        }
    }

    private static string Key(string name) => s_plainKey.IsMatch(name) && name is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n") ? name : JsonConvert.ToString(name);

    private static string Scalar(JToken token) => token.Type switch
    {
        JTokenType.Null => "null",
        JTokenType.Boolean => (bool)token ? "true" : "false",
        JTokenType.Integer => ((JValue)token).ToString(CultureInfo.InvariantCulture),
        JTokenType.Float => token.ToString(Formatting.None),
        JTokenType.Object => "{}",
        JTokenType.Array => "[]",
        _ => JsonConvert.ToString((string?)token),
    };
}
