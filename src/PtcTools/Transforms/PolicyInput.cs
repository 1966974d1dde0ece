using System;
using System.Collections;
using System.Globalization;
using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Json;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>Turns whatever a user hands a cmdlet as a policy into a <see cref="PolicyDocument"/>.</summary>
/// <remarks>
/// Accepted: a PtcRegistryPolicy (live or deserialized), a PolicyDocument, JSON text (plain or
/// URL-encoded, as IAM APIs return it), any object with a <c>PolicyText</c> property (AWS.Tools
/// responses) or an IAM <c>PolicyDocument</c> or <c>Document</c> text property, a PtcIamPolicy, and a policy given as structure (a hashtable or what ConvertFrom-Json makes).
/// </remarks>
public static class PolicyInput
{
    private static readonly char[] s_notInFileNames = { '\n', '{', '[', '"' };
    private static readonly char[] s_pathSeparators = { '/', '\\' };

    /// <summary>Converts a value to a document.</summary>
    /// <exception cref="PolicyException">The value is not a policy (<c>PolicyInputInvalid</c>) or is malformed JSON (<c>PolicyJsonInvalid</c>).</exception>
    public static PolicyDocument ToDocument(object? value)
    {
        var baseObject = Unwrap(value);
        switch (baseObject)
        {
            case null:
                throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidArgument, "No policy was given. Pass JSON text, a PtcRegistryPolicy, or an object with a PolicyText property.");
            case PtcRegistryPolicy registryPolicy:
                return registryPolicy.Document;
            case PolicyDocument document:
                return document;
            case PtcIamPolicy iamPolicy:
                return iamPolicy.Document;
            case string text:
                try
                {
                    return PolicyReader.Read(DecodeIfUrlEncoded(text), value);
                }
                catch (PolicyJsonException ex) when (LooksLikeFileName(text))
                {
                    // JSON's own complaint ("input string '.' is not a valid decimal") would not tell what went wrong.
                    var name = text.Trim();
                    throw new PolicyJsonException(
                        $"'{name}' looks like a file name, not policy JSON. Name the file with -Path or -LiteralPath where the cmdlet has them, or read it first: Get-PtcRegistryPolicy -LiteralPath '{name}'.",
                        ex.Line,
                        ex.Column,
                        ex.JsonPath,
                        ex.Target,
                        ex);
                }
            case System.IO.FileSystemInfo file:
                // Its properties (Length, UnixStat, ...) are no policy; the file's content is.
                throw new PolicyException(
                    ErrorIds.PolicyInputInvalid,
                    PolicyErrorKind.InvalidArgument,
                    $"The file '{file.FullName}' was given where a policy belongs. Read it first: Get-PtcRegistryPolicy -LiteralPath '{file.FullName}', or Get-Content -Raw.",
                    value);
            case PtcPolicyStatement:
                // A statement where a policy belongs is a mix-up; taken as a policy it would lose its meaning.
                throw new PolicyException(
                    ErrorIds.PolicyInputInvalid,
                    PolicyErrorKind.InvalidArgument,
                    "A statement was given where a policy belongs. Merge statements into a policy with Add-PtcRegistryStatement, for example: $statement | Add-PtcRegistryStatement -Policy $policy.",
                    value);
        }

        if (value is PSObject pso && pso.Properties["PolicyText"]?.Value is { } policyText)
        {
            return ToDocument(policyText);
        }

        // IAM responses (AWS.Tools' Get-IAMRolePolicy, Get-IAMPolicyVersion) carry the document, URL-encoded, as PolicyDocument or Document.
        if (PSObject.AsPSObject(value) is var iam && (iam.Properties["PolicyDocument"]?.Value ?? iam.Properties["Document"]?.Value) is { } iamDocument && Unwrap(iamDocument) is string)
        {
            return ToDocument(iamDocument);
        }

        // (Get-Content policy.json) without -Raw is the lines of one policy, as ConvertFrom-Json takes them.
        if (baseObject is IEnumerable lines and not IDictionary && Lines(lines) is { } joined)
        {
            return ToDocument(joined);
        }

        var token = ToJToken(value, "$");
        if (token is JObject obj)
        {
            return PolicyReader.FromJObject(obj, value);
        }

        throw new PolicyException(
            ErrorIds.PolicyInputInvalid,
            PolicyErrorKind.InvalidArgument,
            $"A value of type {baseObject.GetType().FullName} is not a policy. Pass JSON text, a PtcRegistryPolicy, a hashtable, or an object with a PolicyText property.",
            value);
    }

    /// <summary>Decodes a URL-encoded policy document (IAM's GetPolicyVersion and GetRolePolicy return them so).</summary>
    public static string DecodeIfUrlEncoded(string text) => Policy.Json.PolicyJson.DecodeIfUrlEncoded(text);

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

        var baseObject = Unwrap(value);
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
                return new JValue(FormatDate(dt));
            case DateTimeOffset dto:
                return new JValue(dto.Offset == TimeSpan.Zero
                    ? dto.UtcDateTime.ToString(FractionFormat(dto.UtcDateTime, "Z"), CultureInfo.InvariantCulture)
                    : dto.ToString(FractionFormat(dto.DateTime, "zzz"), CultureInfo.InvariantCulture));
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

    private static string? Lines(IEnumerable items)
    {
        var lines = new System.Collections.Generic.List<string>();
        foreach (var item in items)
        {
            if (Unwrap(item) is not string line)
            {
                return null;
            }

            lines.Add(line);
        }

        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>True for text that reads as a file name (a path or *.json), not as policy JSON.</summary>
    public static bool LooksLikeFileName(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length is > 0 and <= 1024
            && trimmed.IndexOfAny(s_notInFileNames) < 0
            && (trimmed.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || trimmed.IndexOfAny(s_pathSeparators) >= 0);
    }

    /// <summary>The value inside a PSObject wrapper; a PSCustomObject (whose properties are the value) stays as it is.</summary>
    internal static object? Unwrap(object? value) => value is PSObject { BaseObject: not PSCustomObject } pso ? pso.BaseObject : value;

    private static string FormatDate(DateTime dt) => dt.Kind switch
    {
        DateTimeKind.Utc => dt.ToString(FractionFormat(dt, "Z"), CultureInfo.InvariantCulture),
        DateTimeKind.Local => ToUtcText(dt),
        _ => dt.ToString(FractionFormat(dt, string.Empty), CultureInfo.InvariantCulture),
    };

    // PowerShell's ConvertFrom-Json turns "...Z" into local time; writing it back in UTC gives the original instant and form.
    private static string ToUtcText(DateTime local)
    {
        var utc = local.ToUniversalTime();
        return utc.ToString(FractionFormat(utc, "Z"), CultureInfo.InvariantCulture);
    }

    private static string FractionFormat(DateTime dt, string zone)
    {
        var fraction = dt.Ticks % TimeSpan.TicksPerSecond == 0 ? string.Empty : ".FFFFFFF";
        var z = zone == "Z" ? "'Z'" : zone;
        return "yyyy'-'MM'-'dd'T'HH':'mm':'ss" + fraction + z;
    }
}
