using System;
using System.Collections.Generic;
using System.Linq;
using PtcTools.Policy.Grammar;

namespace PtcTools.Policy.Evaluation;

/// <summary>One operator-key pair of a Condition block, with its values parsed once.</summary>
/// <remarks>
/// IAM's rules: several values for one key are OR (for a negated operator, the request value must match
/// none); a key absent from the request makes the condition false, except for negated operators and
/// <c>...IfExists</c> (true) and <c>Null</c>; <c>ForAllValues</c> is true for an absent or empty key,
/// <c>ForAnyValue</c> false; an operator without a set qualifier does not match a multivalued key. A request
/// value the operator cannot read (an IP that is not one) matches nothing, for negated operators too.
/// </remarks>
internal sealed class CompiledCondition
{
    private readonly PolicyTemplate[]? _templates;
    private readonly PolicyTemplate[]? _arns;
    private readonly decimal[]? _numbers;
    private readonly long[]? _dates;
    private readonly IpNetwork[]? _networks;
    private readonly bool[]? _nulls;
    private readonly string[]? _binaries;
    private readonly string _key;
    private readonly bool _keyCanonical;

    private CompiledCondition(string key, ConditionOperator op, PolicyTemplate[]? templates, PolicyTemplate[]? arns, decimal[]? numbers, long[]? dates, IpNetwork[]? networks, bool[]? nulls, string[]? binaries)
    {
        OperatorName = op.Name;
        Key = key;
        Values = Array.Empty<string>();
        _key = Interned.Get(key, out _keyCanonical);
        Operator = op;
        _templates = templates;
        _arns = arns;
        _numbers = numbers;
        _dates = dates;
        _networks = networks;
        _nulls = nulls;
        _binaries = binaries;
    }

    private enum ValueResult
    {
        NoMatch,
        Match,
        Unreadable,
    }

    /// <summary>The operator as written.</summary>
    public string OperatorName { get; }

    /// <summary>The context key as written.</summary>
    public string Key { get; }

    /// <summary>The parsed operator.</summary>
    public ConditionOperator Operator { get; }

    /// <summary>The policy values as written, for explanations.</summary>
    public string[] Values { get; private set; }

    /// <summary>Parses the values for an operator; throws <see cref="FormatException"/> with a reason for a value the operator cannot take.</summary>
    public static CompiledCondition Create(ConditionOperator op, string key, IReadOnlyList<string> values, bool variables)
    {
        var compiled = CreateMatcher(op.Name, op, key, values, variables);
        compiled.Values = Map(values, v => v);
        return compiled;
    }

    private static CompiledCondition CreateMatcher(string operatorName, ConditionOperator op, string key, IReadOnlyList<string> values, bool variables)
    {
        // An empty list of values is accepted, as IAM accepts it (Access Analyzer's EMPTY_ARRAY_CONDITION suggestions):
        // no value matches, so the condition holds only where a negated operator, IfExists or ForAllValues: makes it.
        var useVariables = variables && op.AllowsVariables;
        switch (op.Family)
        {
            case OperatorFamily.StringEquals or OperatorFamily.StringEqualsIgnoreCase or OperatorFamily.StringLike:
                return new CompiledCondition(key, op, Map(values, v => PolicyTemplate.Compile(v, op.Family == OperatorFamily.StringLike, useVariables)), null, null, null, null, null, null);
            case OperatorFamily.Bool:
                return new CompiledCondition(key, op, Map(values, v =>
                {
                    var t = PolicyTemplate.Compile(v, false, useVariables);
                    if (!t.HasVariables && !ConditionOperator.IsBool(v))
                    {
                        throw new FormatException($"'{v}' is not a Bool value; use true or false.");
                    }

                    return t;
                }), null, null, null, null, null, null);
            case OperatorFamily.ArnLike:
                return new CompiledCondition(key, op, null, Map(values, v => v.StartsWith("arn:", StringComparison.Ordinal)
                    ? PolicyTemplate.CompileArn(v, useVariables, variablesBeforeResource: true)
                    : throw new FormatException($"'{v}' is not an ARN (arn:partition:service:region:account:resource) as {operatorName} needs.")), null, null, null, null, null);
            case OperatorFamily.NumericEquals or OperatorFamily.NumericLessThan or OperatorFamily.NumericLessThanEquals or OperatorFamily.NumericGreaterThan or OperatorFamily.NumericGreaterThanEquals:
                return new CompiledCondition(key, op, null, null, Map(values, v => ConditionOperator.TryParseNumber(v, out var n) ? n : throw new FormatException($"'{v}' is not a number, as {operatorName} needs.")), null, null, null, null);
            case OperatorFamily.DateEquals or OperatorFamily.DateLessThan or OperatorFamily.DateLessThanEquals or OperatorFamily.DateGreaterThan or OperatorFamily.DateGreaterThanEquals:
                return new CompiledCondition(key, op, null, null, null, Map(values, v => ConditionOperator.TryParseDate(v, out var d) ? d : throw new FormatException($"'{v}' is not a date (ISO 8601 such as 2027-01-31T23:59:59Z, or epoch seconds), as {operatorName} needs.")), null, null, null);
            case OperatorFamily.IpAddress:
                return new CompiledCondition(key, op, null, null, null, null, Map(values, v => IpNetwork.TryParse(v, out var n) ? n : throw new FormatException($"'{v}' is not an IPv4 or IPv6 address or CIDR block, as {operatorName} needs.")), null, null);
            case OperatorFamily.BinaryEquals:
                return new CompiledCondition(key, op, null, null, null, null, null, null, Map(values, v => ConditionOperator.IsBase64(v) ? v : throw new FormatException($"'{v}' is not base64 text, as BinaryEquals needs.")));
            default:
                return new CompiledCondition(key, op, null, null, null, null, null, Map(values, v => ConditionOperator.IsBool(v) ? v.Equals("true", StringComparison.OrdinalIgnoreCase) : throw new FormatException($"'{v}' is not a Null value; use true (the key is absent) or false (it is present).")), null);
        }
    }

    /// <summary>True when the request satisfies this condition.</summary>
    public bool Evaluate(AccessRequest request)
    {
        var value = request.Lookup(_key, _keyCanonical);
        if (Operator.Family == OperatorFamily.Null)
        {
            var absent = value is null;
            foreach (var expected in _nulls!)
            {
                if (expected == absent)
                {
                    return true;
                }
            }

            return false;
        }

        if (value is null)
        {
            return Operator.IfExists || Operator.Set == SetQualifier.ForAllValues || (Operator.Set == SetQualifier.None && Operator.Negated);
        }

        switch (Operator.Set)
        {
            // A set operator reads an empty string as an empty set ("a null dataset", the multivalued examples page).
            case SetQualifier.ForAnyValue:
                if (!value.IsMultivalued)
                {
                    return value.Single!.Length > 0 && MatchesValue(value.Single!, value, request);
                }

                foreach (var v in value.Values!)
                {
                    if (MatchesValue(v, null, request))
                    {
                        return true;
                    }
                }

                return false;
            case SetQualifier.ForAllValues:
                if (!value.IsMultivalued)
                {
                    return value.Single!.Length == 0 || MatchesValue(value.Single!, value, request);
                }

                foreach (var v in value.Values!)
                {
                    if (!MatchesValue(v, null, request))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return !value.IsMultivalued && MatchesValue(value.Single!, value, request);
        }
    }

    /// <summary>The condition as text, for explanations.</summary>
    public override string ToString() => $"{OperatorName} {Key}";

    /// <summary>The condition with its values, as a person reads it: <c>StringEquals aws:PrincipalOrgID = o-abc123</c>.</summary>
    public string Describe() => $"{OperatorName} {Key} = {(Values.Length == 1 ? Values[0] : "[" + string.Join(", ", Values) + "]")}";

    /// <summary>Why the request does not satisfy this condition (what it has, or that the key is absent); null when it does.</summary>
    /// <remarks>Only the explained path calls this, after <see cref="Evaluate"/> said false: it may allocate.</remarks>
    public string? Explain(AccessRequest request)
    {
        if (Evaluate(request))
        {
            return null;
        }

        var value = request.Lookup(_key, _keyCanonical);
        if (value is null)
        {
            return $"the key {Key} is not in the request context";
        }

        if (Operator.Family == OperatorFamily.Null)
        {
            return $"the key {Key} is in the request context, with {value}";
        }

        if (!value.IsMultivalued && value.Single!.Length == 0 && Operator.Set == SetQualifier.ForAnyValue)
        {
            return $"the request has an empty value for {Key}, which ForAnyValue: reads as no values, so none matches";
        }

        if (!value.IsMultivalued)
        {
            return $"the request has {value.Single}{Unreadable(value.Single!, request)}";
        }

        var values = value.Values!;
        switch (Operator.Set)
        {
            case SetQualifier.None:
                return $"the request has the list {value}, and {OperatorName} without ForAnyValue: or ForAllValues: does not match a multivalued key";
            case SetQualifier.ForAnyValue when values.Length == 0:
                return $"the request has an empty list for {Key}, and ForAnyValue: needs at least one value that matches";
            case SetQualifier.ForAllValues:
                foreach (var v in values)
                {
                    if (!MatchesValue(v, null, request))
                    {
                        var note = Unreadable(v, request);
                        return note.StartsWith(",", StringComparison.Ordinal)
                            ? $"the request has {value}, and {v}{note}, does not match"
                            : $"the request has {value}, and {v} does not match{note}";
                    }
                }

                break;
        }

        return $"the request has {value}, and none of them matches";
    }

    // Why a request value cannot be compared at all, as ", which is not an IP address"; empty when it can.
    private string Unreadable(string requestValue, AccessRequest request)
    {
        switch (Operator.Family)
        {
            case OperatorFamily.IpAddress when !ContextValue.TryParseAddress(requestValue, out _):
                return ", which is not an IP address";
            case OperatorFamily.DateEquals or OperatorFamily.DateLessThan or OperatorFamily.DateLessThanEquals or OperatorFamily.DateGreaterThan or OperatorFamily.DateGreaterThanEquals when !ConditionOperator.TryParseDate(requestValue, out _):
                return ", which is not a date";
            case OperatorFamily.NumericEquals or OperatorFamily.NumericLessThan or OperatorFamily.NumericLessThanEquals or OperatorFamily.NumericGreaterThan or OperatorFamily.NumericGreaterThanEquals when !ConditionOperator.TryParseNumber(requestValue, out _):
                return ", which is not a number";
            case OperatorFamily.Bool when !ConditionOperator.IsBool(requestValue):
                return ", which is neither true nor false";
            case OperatorFamily.ArnLike when !requestValue.StartsWith("arn:", StringComparison.Ordinal):
                return ", which is not an ARN";
        }

        var unresolved = (_templates?.Any(t => !t.CanResolve(request)) ?? false) || (_arns?.Any(a => !a.CanResolve(request)) ?? false);
        return unresolved ? "; a policy variable in the condition has no value in this request, so that value matches nothing" : string.Empty;
    }

    private static TOut[] Map<TIn, TOut>(IReadOnlyList<TIn> values, Func<TIn, TOut> convert)
    {
        var result = new TOut[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = convert(values[i]);
        }

        return result;
    }

    // One request value against every policy value: positive operators need one match, negated ones none.
    private bool MatchesValue(string requestValue, ContextValue? single, AccessRequest request)
    {
        var count = ValueCount;
        for (var i = 0; i < count; i++)
        {
            var result = Compare(i, requestValue, single, request);
            if (Operator.Negated)
            {
                if (result != ValueResult.NoMatch)
                {
                    return false;
                }
            }
            else if (result == ValueResult.Match)
            {
                return true;
            }
        }

        return Operator.Negated;
    }

    private int ValueCount => _templates?.Length ?? _arns?.Length ?? _numbers?.Length ?? _dates?.Length ?? _networks?.Length ?? _binaries!.Length;

    private ValueResult Compare(int i, string requestValue, ContextValue? single, AccessRequest request)
    {
        switch (Operator.Family)
        {
            case OperatorFamily.StringEquals or OperatorFamily.StringLike:
                return Result(_templates![i], requestValue, request, ignoreCase: false);
            case OperatorFamily.StringEqualsIgnoreCase:
                return Result(_templates![i], requestValue, request, ignoreCase: true);
            case OperatorFamily.Bool:
                if (!ConditionOperator.IsBool(requestValue))
                {
                    return ValueResult.Unreadable;
                }

                return Result(_templates![i], requestValue, request, ignoreCase: true);
            case OperatorFamily.BinaryEquals:
                return string.Equals(_binaries![i], requestValue, StringComparison.Ordinal) ? ValueResult.Match : ValueResult.NoMatch;
            case OperatorFamily.IpAddress:
                if (!(single is null ? ContextValue.TryParseAddress(requestValue, out var address) : single.TryGetAddress(out address)))
                {
                    return ValueResult.Unreadable;
                }

                return _networks![i].Contains(address) ? ValueResult.Match : ValueResult.NoMatch;
            case OperatorFamily.ArnLike:
                return CompareArn(_arns![i], requestValue, request);
            case OperatorFamily.DateEquals or OperatorFamily.DateLessThan or OperatorFamily.DateLessThanEquals or OperatorFamily.DateGreaterThan or OperatorFamily.DateGreaterThanEquals:
                if (!ConditionOperator.TryParseDate(requestValue, out var date))
                {
                    return ValueResult.Unreadable;
                }

                return Order(date.CompareTo(_dates![i]));
            default:
                if (!ConditionOperator.TryParseNumber(requestValue, out var number))
                {
                    return ValueResult.Unreadable;
                }

                return Order(number.CompareTo(_numbers![i]));
        }
    }

    // The request value compared with the policy value: <0 when the request value is smaller.
    private ValueResult Order(int comparison)
    {
        var match = Operator.Family switch
        {
            OperatorFamily.NumericEquals or OperatorFamily.DateEquals => comparison == 0,
            OperatorFamily.NumericLessThan or OperatorFamily.DateLessThan => comparison < 0,
            OperatorFamily.NumericLessThanEquals or OperatorFamily.DateLessThanEquals => comparison <= 0,
            OperatorFamily.NumericGreaterThan or OperatorFamily.DateGreaterThan => comparison > 0,
            _ => comparison >= 0,
        };
        return match ? ValueResult.Match : ValueResult.NoMatch;
    }

    private static ValueResult Result(PolicyTemplate template, string requestValue, AccessRequest request, bool ignoreCase)
    {
        if (!template.CanResolve(request))
        {
            return ValueResult.Unreadable;
        }

        return template.Matches(requestValue, request, ignoreCase) ? ValueResult.Match : ValueResult.NoMatch;
    }

    private static ValueResult CompareArn(PolicyTemplate pattern, string requestValue, AccessRequest request)
    {
        if (!requestValue.StartsWith("arn:", StringComparison.Ordinal) || !pattern.CanResolve(request))
        {
            return ValueResult.Unreadable;
        }

        return pattern.Matches(requestValue, 0, request) ? ValueResult.Match : ValueResult.NoMatch;
    }
}
