using System.Management.Automation;
using Newtonsoft.Json.Linq;
using PtcTools.Policy;
using PtcTools.Policy.Model;

namespace PtcTools.Transforms;

/// <summary>Turns whatever a user hands a cmdlet as a statement into a <see cref="PolicyStatement"/>.</summary>
/// <remarks>
/// Accepted: a PtcPolicyStatement (live, or deserialized with its Json property), a PolicyStatement,
/// statement JSON text, a hashtable, or what ConvertFrom-Json makes. Structure goes through
/// <see cref="PolicyStructure.ToJToken"/>, the one converter of policy structure.
/// </remarks>
public static class StatementInput
{
    /// <summary>Converts a value to a statement.</summary>
    /// <exception cref="PolicyException"><c>StatementInvalid</c> when the value is not a statement; <c>PolicyJsonInvalid</c> for malformed JSON text.</exception>
    public static PolicyStatement ToStatement(object? value)
    {
        var baseObject = PSValue.Unwrap(value);
        switch (baseObject)
        {
            case null:
                throw Invalid("No statement was given.", value);
            case PtcPolicyStatement statement:
                return statement.PolicyStatement;
            case PolicyStatement statement:
                return statement;
            case string text:
                return PolicyStatement.Parse(text, value);
            case PtcIamPolicy or PtcServiceRole:
                throw Invalid("A whole IAM policy was given where a statement belongs. Pass its statements (-Statement $policy.Statement) instead.", value);
            case PtcRegistryPolicy:
                throw Invalid("A whole policy was given where a statement belongs. Pass its statements (-Statement $policy.Statement) instead.", value);
        }

        if (value is PSObject deserialized && deserialized.TypeNames.Contains("Deserialized.PtcTools.PtcPolicyStatement") && deserialized.Properties["Json"]?.Value is string json)
        {
            return PolicyStatement.Parse(json, value);
        }

        // A statement that went through ConvertTo-Json and ConvertFrom-Json: its Json property is the statement
        // (its other properties are display forms: Principal as "arn:...", not {"AWS": "arn:..."}).
        if (PSValue.IsPropertyBag(value) && value is PSObject converted && converted.Properties["Json"]?.Value is string statementJson
            && converted.Properties["Effect"] is not null && converted.Properties["NotPrincipal"] is not null)
        {
            return PolicyStatement.Parse(statementJson, value);
        }

        if (value is PSObject withPolicy && withPolicy.Properties["PolicyText"] is not null)
        {
            throw Invalid("A whole policy was given where a statement belongs. Pass its statements instead.", value);
        }

        var token = PolicyStructure.ToJToken(value, "$");
        if (token is JObject obj)
        {
            return PolicyStatement.FromJObject(obj);
        }

        throw Invalid($"A value of type {baseObject.GetType().FullName} is not a statement. Pass the output of New-PtcPolicyStatement, statement JSON text, or a hashtable.", value);
    }

    private static PolicyException Invalid(string message, object? target) =>
        new(ErrorIds.StatementInvalid, PolicyErrorKind.InvalidArgument, message, target);
}
