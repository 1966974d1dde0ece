using System;
using System.Collections.Generic;
using System.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;

namespace PtcTools.Testing;

/// <summary>One line of the reference oracle's JSON Lines input, read into PtcTools' request and compiled policies.</summary>
/// <remarks>Shared by the xUnit tests and the benchmark (linked source): the format is the oracle's, the code is ours.</remarks>
internal sealed class OracleCase
{
    public string Id { get; set; } = string.Empty;

    public PolicySet? Policies { get; set; }

    public AccessRequest? Request { get; set; }

    /// <summary>Why the case cannot be evaluated (an invalid policy or request), or null.</summary>
    public PolicyException? Error { get; set; }

    /// <summary>The decision in the oracle's words: Allowed, ExplicitlyDenied, ImplicitlyDenied or Error.</summary>
    public string Decide() => Error is not null ? "Error" : OracleName(PermissionEvaluator.Decide(Policies!, Request!));

    public static string OracleName(PermissionDecision decision) => decision switch
    {
        PermissionDecision.Allowed => "Allowed",
        PermissionDecision.ExplicitDeny => "ExplicitlyDenied",
        _ => "ImplicitlyDenied",
    };
}

/// <summary>Reads oracle-format lines, compiling each distinct policy once.</summary>
internal sealed class OracleFormat
{
    private readonly Dictionary<string, CompiledPolicy> _compiled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicyException> _failed = new(StringComparer.Ordinal);

    public OracleCase Read(string line) => Read(JObject.Parse(line));

    public OracleCase Read(JObject o)
    {
        var result = new OracleCase();
        result.Id = o["id"]?.ToString() ?? string.Empty;
        try
        {
            var identity = (o["identityPolicies"] as JArray ?? new JArray())
                .Select((p, i) => Compile(p is JObject { } w && w["policy"] is JObject inner && w["Statement"] is null ? inner : (JObject)p, PolicyKind.Identity, $"identity policy {i + 1}"))
                .ToList();
            var resource = o["resourcePolicy"] is JObject rp ? Compile(rp, PolicyKind.Resource, "registry policy") : null;
            var boundaries = (o["permissionBoundaries"] as JArray ?? new JArray()).Select((p, i) => Compile((JObject)p, PolicyKind.PermissionsBoundary, "permissions boundary")).ToList();
            var scps = (o["serviceControlPolicies"] as JArray ?? new JArray()).Select((p, i) => Compile((JObject)p, PolicyKind.ServiceControl, $"service control policy {i + 1}")).ToList();
            result.Policies = new PolicySet(resource, identity, boundaries, scps);
            result.Request = AccessRequest.Create((string)o["principal"]!, (string)o["action"]!, (string)o["resource"]!, Context(o["context"] as JObject));
        }
        catch (PolicyException ex)
        {
            result.Error = ex;
        }

        return result;
    }

    public static IEnumerable<KeyValuePair<string, ContextValue>> Context(JObject? context)
    {
        if (context is null)
        {
            yield break;
        }

        foreach (var p in context.Properties())
        {
            switch (p.Value)
            {
                case JArray array:
                    yield return new(p.Name, ContextValue.OfMany(array.Select(Text)));
                    break;
                case JValue { Type: JTokenType.Null }:
                    break;
                default:
                    yield return new(p.Name, ContextValue.Of(Text(p.Value)));
                    break;
            }
        }
    }

    private static string Text(JToken t) => t switch
    {
        JValue { Type: JTokenType.String } s => (string)s!,
        JValue { Type: JTokenType.Boolean } b => (bool)b ? "true" : "false",
        JValue v when v.Value is not null => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)!,
        _ => t.ToString(Formatting.None),
    };

    private CompiledPolicy Compile(JObject policy, PolicyKind kind, string name)
    {
        var key = kind + "\u0000" + name + "\u0000" + policy.ToString(Formatting.None);
        if (_compiled.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        if (_failed.TryGetValue(key, out var error))
        {
            throw error;
        }

        try
        {
            compiled = CompiledPolicy.Compile(PolicyDocument.FromJObject(policy), kind, name);
            _compiled[key] = compiled;
            return compiled;
        }
        catch (PolicyException ex)
        {
            _failed[key] = ex;
            throw;
        }
    }
}

/// <summary>Finds the shared folder (oracle and benchmark workload) relative to the repository, never by an absolute path.</summary>
internal static class SharedFolder
{
    /// <summary>$PTC_SHARED when set; else the nearest "shared" folder beside the repository root or one of its parents (CI: &lt;repo&gt;/../shared).</summary>
    public static string? Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("PTC_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return System.IO.Directory.Exists(fromEnvironment) ? fromEnvironment : null;
        }

        var root = global::RepositoryRoot.Find();
        for (var dir = root?.Parent; dir is not null; dir = dir.Parent)
        {
            var shared = System.IO.Path.Combine(dir.FullName, "shared");
            if (System.IO.File.Exists(System.IO.Path.Combine(shared, "oracle", "run-oracle.sh")))
            {
                return shared;
            }
        }

        return null;
    }
}
