using System;
using System.Globalization;

namespace PtcTools.Transforms;

/// <summary>Dates as the ISO 8601 text they came from: ConvertFrom-Json turns such text into DateTime, and a policy must round-trip to its text.</summary>
public static class IsoDateText
{
    /// <summary>A DateTime as ISO 8601 text: UTC with a Z, local time as UTC, an unspecified kind without a zone.</summary>
    public static string Of(DateTime dt) => dt.Kind switch
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

    /// <summary>A DateTimeOffset as ISO 8601 text: UTC with a Z, others with their offset.</summary>
    public static string Of(DateTimeOffset dto) => dto.Offset == TimeSpan.Zero
        ? dto.UtcDateTime.ToString(FractionFormat(dto.UtcDateTime, "Z"), CultureInfo.InvariantCulture)
        : dto.ToString(FractionFormat(dto.DateTime, "zzz"), CultureInfo.InvariantCulture);
}
