using Newtonsoft.Json;
using Newtonsoft.Json.Converters;

namespace PtcTools.Policy.Lint;

/// <summary>How serious a lint finding is; higher values are more serious.</summary>
[JsonConverter(typeof(StringEnumConverter))] // ConvertTo-Json writes the name, not the number.
public enum FindingSeverity
{
    /// <summary>Worth knowing; nothing is wrong.</summary>
    Information = 0,

    /// <summary>ECR accepts it, but it grants too much, never applies, or will not work as meant.</summary>
    Warning = 1,

    /// <summary>ECR or IAM rejects it, or it can never apply.</summary>
    Error = 2,
}
