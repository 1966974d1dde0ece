using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Text;
using PtcTools.Policy;
using PtcTools.Policy.Evaluation;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>The compiled policies of one pipeline (Test-PtcPermission): each distinct policy is compiled once, and each combination is one PolicySet.</summary>
/// <remarks>ConvertFrom-Json makes a new object per line, so a policy is known by reference first and by its content next.</remarks>
internal sealed class PolicySetCache
{
    private readonly Dictionary<object, CompiledPolicy> _byReference = new(ReferenceComparer.Instance);
    private readonly Dictionary<string, CompiledPolicy> _byContent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PolicySet> _sets = new(StringComparer.Ordinal);
    private readonly SessionState _session;
    private readonly Action<string> _verbose;
    private PolicySet? _lastSet;

    /// <summary>A cache that reads files relative to the session's location and tells what it compiles.</summary>
    public PolicySetCache(SessionState session, Action<string> verbose)
    {
        _session = session;
        _verbose = verbose;
    }

    /// <summary>The last policy value given to compile (the target of an error that names none).</summary>
    public object? LastInput { get; private set; }

    /// <summary>Each of a list of policies, compiled (or taken from the cache).</summary>
    public CompiledPolicy[] CompileAll(object[]? values, PolicyKind kind, string name)
    {
        if (values is null || values.Length == 0)
        {
            return Array.Empty<CompiledPolicy>();
        }

        var result = new CompiledPolicy[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = Compile(values[i], kind, values.Length == 1 ? name : $"{name} {i + 1}", null);
        }

        return result;
    }

    /// <summary>A policy parameter's policy, compiled once per pipeline: known as the value it was given as (the policy itself, when it was not converted), by reference, else by content.</summary>
    /// <remarks>
    /// A converted policy is read from the value the user gave (text that names a file is that file), or from the
    /// PolicyText that value carries, which is then the key: requests that each carry the same PolicyText share one
    /// compiled policy by content, and the cache keeps no piped request alive.
    /// </remarks>
    /// <exception cref="PolicyException">The value is not a policy, or cannot be evaluated; its target is what the user gave (<see cref="PtcRegistryPolicy.ErrorTarget"/>).</exception>
    public CompiledPolicy Compile(PtcRegistryPolicy policy, PolicyKind kind, string name, RegistryPolicyScope? scope)
    {
        var value = policy.Given is { } given ? PolicyInput.PolicyTextOf(given) ?? given : policy;
        return Compile(PSValue.Unwrap(value)!, value, policy.ErrorTarget, kind, name, scope);
    }

    /// <summary>One policy, compiled once per pipeline: by reference for the same object, else by content.</summary>
    /// <exception cref="PolicyException">The value is not a policy, or cannot be evaluated; its target is the value.</exception>
    public CompiledPolicy Compile(object value, PolicyKind kind, string name, RegistryPolicyScope? scope) =>
        Compile(PSValue.Unwrap(value)!, value, value, kind, name, scope);

    private CompiledPolicy Compile(object identity, object value, object target, PolicyKind kind, string name, RegistryPolicyScope? scope)
    {
        LastInput = target;
        if (identity is not string && _byReference.TryGetValue(identity, out var known) && known.Kind == kind)
        {
            return known;
        }

        var content = (int)kind + "|" + name + "|" + scope + "|" + ContentKey(value);
        if (!_byContent.TryGetValue(content, out var compiled))
        {
            var document = PolicyInput.ToDocument(ReadFileIfPath(value));
            try
            {
                compiled = CompiledPolicy.Compile(document, kind, name, scope);
            }
            catch (PtcToolsException ex)
            {
                throw new PolicyException(ex.ErrorId, ex.Kind, ex.Message, target, ex);
            }

            _byContent[content] = compiled;
            _verbose($"Compiled the {name} ({compiled.Statements.Count} statements).");
        }

        if (identity is not string)
        {
            _byReference[identity] = compiled;
        }

        return compiled;
    }

    // A file (a FileInfo, or text that names one) is read through the one resolver: a file name that names no file is
    // PolicyFileNotFound, not policy text.
    private object ReadFileIfPath(object value) =>
        PolicyPaths.FileNamedBy(value, _session) is { } file ? PolicyFile.Read(file).Document : value;

    // A cheap text that is equal for equal policies, without building a document: ConvertFrom-Json makes a new object per line.
    private static string ContentKey(object value)
    {
        var sb = new StringBuilder();
        AppendKey(sb, value, 0);
        return sb.ToString();
    }

    private static void AppendKey(StringBuilder sb, object? value, int depth)
    {
        if (depth > 64)
        {
            throw new PolicyException(ErrorIds.PolicyInputInvalid, PolicyErrorKind.InvalidData, "The policy is nested more than 64 levels deep.", value);
        }

        var baseObject = PSValue.Unwrap(value);
        switch (baseObject)
        {
            case null:
                sb.Append('n');
                return;
            case string s:
                sb.Append('s').Append(s.Length).Append(':').Append(s);
                return;
            case PtcRegistryPolicy p:
                sb.Append('s').Append(p.PolicyText.Length).Append(':').Append(p.PolicyText);
                return;
            case FileInfo f:
                // Length throws for a file that is not there; reading it then says PolicyFileNotFound.
                sb.Append('f').Append(f.FullName).Append('|').Append(f.LastWriteTimeUtc.Ticks).Append('|').Append(f.Exists ? f.Length : -1);
                return;
            case bool b:
                sb.Append(b ? 'T' : 'F');
                return;
            case DateTime dt:
                sb.Append('d').Append(dt.Ticks).Append(dt.Kind);
                return;
            case IFormattable number when baseObject.GetType().IsPrimitive || baseObject is decimal:
                sb.Append('#').Append(number.ToString(null, CultureInfo.InvariantCulture)).Append(';');
                return;
            case IDictionary dict:
                sb.Append('{');
                foreach (DictionaryEntry e in dict)
                {
                    AppendKey(sb, Convert.ToString(e.Key, CultureInfo.InvariantCulture), depth + 1);
                    AppendKey(sb, e.Value, depth + 1);
                }

                sb.Append('}');
                return;
            case IEnumerable list:
                sb.Append('[');
                foreach (var item in list)
                {
                    AppendKey(sb, item, depth + 1);
                }

                sb.Append(']');
                return;
        }

        if (value is PSObject pso)
        {
            sb.Append('{');
            foreach (var property in pso.Properties)
            {
                if (property.MemberType is PSMemberTypes.NoteProperty or PSMemberTypes.Property)
                {
                    AppendKey(sb, property.Name, depth + 1);
                    AppendKey(sb, property.Value, depth + 1);
                }
            }

            sb.Append('}');
            return;
        }

        sb.Append('?').Append(baseObject.GetType().FullName).Append(':').Append(RuntimeHelpers.GetHashCode(baseObject));
    }

    /// <summary>The one PolicySet of these compiled policies under this scope.</summary>
    public PolicySet SetFor(CompiledPolicy? resource, CompiledPolicy[] identity, CompiledPolicy[] boundaries, CompiledPolicy[] scps, RegistryPolicyScope scope)
    {
        if (_lastSet is { } last && last.Scope == scope && Same(last, resource, identity, boundaries, scps))
        {
            return last;
        }

        // The same combination of compiled policies is one PolicySet (keyed by the instances).
        var key = new StringBuilder();
        key.Append((int)scope).Append('|').Append(resource is null ? 0 : RuntimeHelpers.GetHashCode(resource));
        foreach (var list in new[] { identity, boundaries, scps })
        {
            key.Append('|');
            foreach (var p in list)
            {
                key.Append(RuntimeHelpers.GetHashCode(p)).Append(',');
            }
        }

        var text = key.ToString();
        if (!_sets.TryGetValue(text, out var set) || !Same(set, resource, identity, boundaries, scps))
        {
            set = new PolicySet(resource, identity, boundaries, scps, scope);
            _sets[text] = set;
        }

        return _lastSet = set;
    }

    private static bool Same(PolicySet set, CompiledPolicy? resource, CompiledPolicy[] identity, CompiledPolicy[] boundaries, CompiledPolicy[] scps) =>
        ReferenceEquals(set.ResourcePolicy, resource) && set.IdentityPolicies.SequenceEqual(identity) && set.PermissionsBoundaries.SequenceEqual(boundaries) && set.ServiceControlPolicies.SequenceEqual(scps);

    private sealed class ReferenceComparer : IEqualityComparer<object>
    {
        public static readonly ReferenceComparer Instance = new();

        public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

        public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
