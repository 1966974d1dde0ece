using System;
using System.Collections.Concurrent;

namespace PtcTools.Policy.Evaluation;

/// <summary>One shared instance per case-insensitive name (context keys, actions), so hot-path lookups compare references.</summary>
/// <remarks>Bounded: past the limit a name is returned as is and reported as not canonical, and lookups fall back to comparing text.</remarks>
internal static class Interned
{
    private const int Limit = 20000;
    private static readonly ConcurrentDictionary<string, string> s_names = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The shared instance for the name; <paramref name="canonical"/> is false when the table is full.</summary>
    public static string Get(string name, out bool canonical)
    {
        if (s_names.TryGetValue(name, out var existing))
        {
            canonical = true;
            return existing;
        }

        if (s_names.Count >= Limit)
        {
            canonical = false;
            return name;
        }

        canonical = true;
        return s_names.GetOrAdd(name, name);
    }
}
