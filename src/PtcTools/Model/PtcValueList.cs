using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace PtcTools;

/// <summary>A read-only list on an output object that prints as its values (so Export-Csv writes them, not a type name) and serializes as a JSON array.</summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class PtcValueList<T> : ReadOnlyCollection<T>
{
    private readonly Func<T, string?> _format;

    /// <summary>Wraps the items; each prints with <paramref name="format"/> (default: its ToString).</summary>
    public PtcValueList(IEnumerable<T> items, Func<T, string?>? format = null)
        : base(items.ToList())
    {
        _format = format ?? (item => item?.ToString());
    }

    /// <summary>The items, separated by "; " (a CSV cell or a log line); empty for no items.</summary>
    public override string ToString() => string.Join("; ", this.Select(_format).Where(text => !string.IsNullOrEmpty(text)));
}

/// <summary>A read-only map of context keys to values that prints as <c>key=value; key=value</c> and serializes as a JSON object.</summary>
public sealed class PtcValueMap : Dictionary<string, string>
{
    /// <summary>Copies the pairs, in order.</summary>
    public PtcValueMap(IEnumerable<KeyValuePair<string, string>> pairs)
        : base(StringComparer.Ordinal)
    {
        foreach (var pair in pairs)
        {
            this[pair.Key] = pair.Value;
        }
    }

    /// <summary>The pairs as <c>key=value; key=value</c>.</summary>
    public override string ToString() => string.Join("; ", this.Select(p => p.Key + "=" + p.Value));
}
