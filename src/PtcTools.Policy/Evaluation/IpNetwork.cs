namespace PtcTools.Policy.Evaluation;

/// <summary>An IPv4 or IPv6 address or CIDR block, parsed without allocating (an IPv4 address is held in the low 32 bits).</summary>
internal readonly struct IpNetwork
{
    private IpNetwork(bool v6, ulong high, ulong low, int prefix)
    {
        IsV6 = v6;
        High = high;
        Low = low;
        Prefix = prefix;
    }

    public bool IsV6 { get; }

    public ulong High { get; }

    public ulong Low { get; }

    public int Prefix { get; }

    /// <summary>Parses <c>a.b.c.d</c>, <c>a.b.c.d/n</c>, an IPv6 address or an IPv6 CIDR block; a bare address is /32 or /128.</summary>
    public static bool TryParse(string text, out IpNetwork network)
    {
        network = default;
        if (text is null || text.Length == 0)
        {
            return false;
        }

        var slash = text.IndexOf('/');
        var end = slash < 0 ? text.Length : slash;
        bool v6;
        ulong high = 0, low;
        if (text.IndexOf(':') >= 0)
        {
            if (!TryParseV6(text, end, out high, out low))
            {
                return false;
            }

            v6 = true;
        }
        else
        {
            if (!TryParseV4(text, 0, end, out var v4))
            {
                return false;
            }

            low = v4;
            v6 = false;
        }

        var max = v6 ? 128 : 32;
        var prefix = max;
        if (slash >= 0)
        {
            if (!TryParseInt(text, slash + 1, text.Length, max, out prefix))
            {
                return false;
            }
        }

        network = new IpNetwork(v6, high, low, prefix);
        return true;
    }

    /// <summary>True when the address is inside this block (same family only).</summary>
    public bool Contains(in IpNetwork address)
    {
        if (address.IsV6 != IsV6)
        {
            return false;
        }

        if (!IsV6)
        {
            var mask = Prefix == 0 ? 0UL : (0xFFFFFFFFUL << (32 - Prefix)) & 0xFFFFFFFFUL;
            return (address.Low & mask) == (Low & mask);
        }

        if (Prefix <= 64)
        {
            var mask = Prefix == 0 ? 0UL : ulong.MaxValue << (64 - Prefix);
            return (address.High & mask) == (High & mask);
        }

        var lowMask = ulong.MaxValue << (128 - Prefix);
        return address.High == High && (address.Low & lowMask) == (Low & lowMask);
    }

    private static bool TryParseInt(string text, int start, int end, int max, out int value)
    {
        value = 0;
        if (end <= start || end - start > 3)
        {
            return false;
        }

        for (var i = start; i < end; i++)
        {
            var c = text[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= max;
    }

    private static bool TryParseV4(string text, int start, int end, out uint value)
    {
        value = 0;
        var octets = 0;
        var i = start;
        while (octets < 4)
        {
            var s = i;
            while (i < end && text[i] != '.')
            {
                i++;
            }

            if (!TryParseInt(text, s, i, 255, out var octet) || (i - s > 1 && text[s] == '0'))
            {
                return false;
            }

            value = (value << 8) | (uint)octet;
            octets++;
            if (octets < 4)
            {
                if (i >= end || text[i] != '.')
                {
                    return false;
                }

                i++;
            }
        }

        return i == end;
    }

    private static bool TryParseV6(string text, int end, out ulong high, out ulong low)
    {
        high = 0;
        low = 0;

        // Up to eight 16-bit groups; "::" once stands for a run of zero groups; the last 32 bits may be dotted IPv4.
        ulong h = 0, l = 0;
        var groups = 0;
        var gapAt = -1;
        var i = 0;
        if (end >= 2 && text[0] == ':' && text[1] == ':')
        {
            gapAt = 0;
            i = 2;
            if (i == end)
            {
                return true;
            }
        }
        else if (end > 0 && text[0] == ':')
        {
            return false;
        }

        while (i < end)
        {
            var s = i;
            var value = 0;
            while (i < end && text[i] != ':' && text[i] != '.')
            {
                var d = Hex(text[i]);
                if (d < 0 || i - s >= 4)
                {
                    return false;
                }

                value = (value << 4) | d;
                i++;
            }

            if (i < end && text[i] == '.')
            {
                if (groups > 6 || !TryParseV4(text, s, end, out var v4))
                {
                    return false;
                }

                Push(ref h, ref l, v4 >> 16);
                Push(ref h, ref l, v4 & 0xFFFF);
                groups += 2;
                i = end;
                break;
            }

            if (i == s)
            {
                return false;
            }

            Push(ref h, ref l, (uint)value);
            groups++;
            if (i < end)
            {
                i++;
                if (i < end && text[i] == ':')
                {
                    if (gapAt >= 0)
                    {
                        return false;
                    }

                    gapAt = groups;
                    i++;
                }
                else if (i == end)
                {
                    return false;
                }
            }
        }

        if (groups > 8 || (gapAt < 0 && groups != 8) || (gapAt >= 0 && groups == 8))
        {
            return false;
        }

        if (gapAt >= 0)
        {
            // The groups read so far are before * 2^(16*after) + afterBits; move "before" up past the zero run.
            var afterBits = 16 * (groups - gapAt);
            ShiftRight(h, l, afterBits, out var bh, out var bl);
            Mask(h, l, afterBits, out var ah, out var al);
            ShiftLeft(bh, bl, 16 * (8 - gapAt), out bh, out bl);
            h = bh | ah;
            l = bl | al;
        }

        high = h;
        low = l;
        return true;
    }

    private static void Push(ref ulong high, ref ulong low, uint group)
    {
        high = (high << 16) | (low >> 48);
        low = (low << 16) | group;
    }

    private static void ShiftRight(ulong high, ulong low, int bits, out ulong outHigh, out ulong outLow)
    {
        if (bits == 0) { outHigh = high; outLow = low; }
        else if (bits >= 128) { outHigh = 0; outLow = 0; }
        else if (bits >= 64) { outHigh = 0; outLow = high >> (bits - 64); }
        else { outHigh = high >> bits; outLow = (low >> bits) | (high << (64 - bits)); }
    }

    private static void ShiftLeft(ulong high, ulong low, int bits, out ulong outHigh, out ulong outLow)
    {
        if (bits == 0) { outHigh = high; outLow = low; }
        else if (bits >= 128) { outHigh = 0; outLow = 0; }
        else if (bits >= 64) { outLow = 0; outHigh = low << (bits - 64); }
        else { outLow = low << bits; outHigh = (high << bits) | (low >> (64 - bits)); }
    }

    private static void Mask(ulong high, ulong low, int bits, out ulong outHigh, out ulong outLow)
    {
        if (bits >= 128) { outHigh = high; outLow = low; }
        else if (bits >= 64) { outLow = low; outHigh = bits == 64 ? 0 : high & ((1UL << (bits - 64)) - 1); }
        else { outHigh = 0; outLow = bits == 0 ? 0 : low & ((1UL << bits) - 1); }
    }

    private static int Hex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
