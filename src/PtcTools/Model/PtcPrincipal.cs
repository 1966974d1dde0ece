using System.Management.Automation;
using PtcTools.Transforms;

namespace PtcTools;

/// <summary>A principal as a parameter takes it: text, or an object with an Arn property (AWS.Tools' Get-IAMRole or Get-IAMUser output).</summary>
/// <remarks>
/// The constructors only capture the value; validation happens in the cmdlet, so a bad principal is
/// reported with PtcTools' own error ids (PrincipalIsGroup, PrincipalInvalid) rather than a binding error.
/// </remarks>
public sealed class PtcPrincipal
{
    /// <summary>A principal given as text: an account id or an ARN.</summary>
    public PtcPrincipal(string value)
    {
        Value = value;
        Source = value;
    }

    /// <summary>A principal given as an object with an <c>Arn</c> property (a PSCustomObject or a .NET object such as Amazon.IdentityManagement.Model.Role).</summary>
    public PtcPrincipal(object value)
    {
        Source = value!;
        var unwrapped = PSValue.Unwrap(value);
        switch (unwrapped)
        {
            case string text:
                Value = text;
                break;
            case long or int or decimal or double:
                // A bare 123456789012 on the command line arrives as a number. (A leading zero is lost by then,
                // and the 11 digits left are refused, rather than naming another account.)
                Value = System.Convert.ToString(unwrapped, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case PtcPrincipal other:
                Value = other.Value;
                Source = other.Source;
                break;
            case System.Collections.IDictionary table:
                // @{ Arn = '...' }: the key is looked up as PowerShell would, without regard to case.
                foreach (System.Collections.DictionaryEntry entry in table)
                {
                    if (string.Equals(entry.Key as string, "Arn", System.StringComparison.OrdinalIgnoreCase))
                    {
                        Value = entry.Value?.ToString();
                    }
                }

                break;
            case null:
                break;
            default:
                Value = PSObject.AsPSObject(value).Properties["Arn"]?.Value?.ToString();
                break;
        }
    }

    /// <summary>The principal text to validate, or null when the object had no Arn.</summary>
    public string? Value { get; }

    /// <summary>What the user gave, reported as the TargetObject of an error.</summary>
    public object Source { get; }

    /// <summary>The text.</summary>
    public override string ToString() => Value ?? string.Empty;
}
