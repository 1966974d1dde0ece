using System;
using System.Collections.Generic;
using System.Linq;

namespace PtcTools.Policy.Evaluation;

/// <summary>The value of one request context key: a single string, or a list (a multivalued key such as aws:TagKeys).</summary>
public sealed class ContextValue
{
    private static readonly string[] s_none = Array.Empty<string>();

    // The single value read as an IP address, once: 0 not yet, 1 readable, 2 not an address.
    private volatile int _addressState;
    private IpNetwork _address;

    private ContextValue(string? single, string[]? values)
    {
        Single = single;
        Values = values;
    }

    /// <summary>The value of a single-valued key, or null for a multivalued one.</summary>
    public string? Single { get; }

    /// <summary>The values of a multivalued key (possibly empty), or null for a single-valued one.</summary>
    public string[]? Values { get; }

    /// <summary>True when the key was given as a list, even a list of one.</summary>
    public bool IsMultivalued => Values is not null;

    /// <summary>A single-valued key.</summary>
    public static ContextValue Of(string value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    /// <summary>A multivalued key.</summary>
    public static ContextValue OfMany(IEnumerable<string> values) => new(null, values?.ToArray() ?? s_none);

    /// <summary>Reads a request value as one IPv4 or IPv6 address (not a block).</summary>
    internal static bool TryParseAddress(string text, out IpNetwork address) =>
        IpNetwork.TryParse(text, out address) && address.Prefix == (address.IsV6 ? 128 : 32);

    /// <summary>The single value as an IP address, parsed on first use and kept (a benign race: every thread computes the same).</summary>
    internal bool TryGetAddress(out IpNetwork address)
    {
        var state = _addressState;
        if (state == 0)
        {
            var ok = TryParseAddress(Single!, out var parsed);
            _address = parsed;
            _addressState = state = ok ? 1 : 2;
        }

        address = _address;
        return state == 1;
    }

    /// <summary>The value as text, for messages.</summary>
    public override string ToString() => Values is null ? Single! : "[" + string.Join(", ", Values) + "]";
}
