using System;
using System.Collections.Generic;
using System.Management.Automation;
using PtcTools.Policy;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Add-PtcRegistryStatement: merges statements into a registry policy without touching anything else in it.</summary>
[Cmdlet(VerbsCommon.Add, "PtcRegistryStatement", DefaultParameterSetName = NewSet)]
[OutputType(typeof(PtcRegistryPolicy))]
public sealed class AddPtcRegistryStatementCommand : PSCmdlet
{
    private const string NewSet = "New";
    private const string PolicySet = "Policy";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<(PolicyStatement Statement, object Source)> _statements = new();
    private readonly List<object> _unreadable = new();
    private bool _statementsGiven;
    private bool _policyGiven;
    private bool _warnedEmpty;

    /// <summary>The statements to add: New-PtcPolicyStatement output, statement JSON text, hashtables or ConvertFrom-Json objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("InputObject")]
    [AllowEmptyCollection]
    public PtcPolicyStatement[] Statement { get; set; } = Array.Empty<PtcPolicyStatement>();

    /// <summary>The policy to add to: a PtcRegistryPolicy (piped, it keeps where it came from), JSON text, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PolicySet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    [PolicyArgument]
    public PtcRegistryPolicy Policy { get; set; } = null!;

    /// <summary>A policy file to read (wildcards allowed; it must match one file). The file is not written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    public string Path { get; set; } = null!;

    /// <summary>A policy file to read, taken literally. The file is not written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    public string LiteralPath { get; set; } = null!;

    /// <summary>Replaces a statement with the same Sid and another meaning, in place, instead of failing.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Statements on the command line: each policy that comes down the pipeline gets them (streaming).
        // Statements from the pipeline: they are collected and merged into the one policy at the end.
        _statementsGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Statement));
        _policyGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Policy));
        if (_statementsGiven)
        {
            ReadStatements();
            StopIfUnreadable();
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_statementsGiven)
        {
            if (LoadPolicy() is { } policy)
            {
                Merge(policy);
            }
        }
        else
        {
            ReadStatements();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!_statementsGiven)
        {
            StopIfUnreadable();
            if (LoadPolicy() is { } policy)
            {
                Merge(policy);
            }
        }
    }

    private void ReadStatements()
    {
        foreach (var item in Statement ?? Array.Empty<PtcPolicyStatement>())
        {
            var given = item?.ErrorTarget;
            try
            {
                _statements.Add((StatementInput.ToStatement(item), given!));
            }
            catch (PtcToolsException ex)
            {
                _unreadable.Add(given!);
                WriteError(ErrorRecords.From(ex, given));
            }
        }
    }

    private void StopIfUnreadable()
    {
        // A statement that could not be read would be silently missing from the result; refuse instead.
        if (_unreadable.Count > 0)
        {
            var target = _unreadable.Count == 1 ? _unreadable[0] : _unreadable.ToArray();
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.StatementInputInvalid, ErrorCategory.InvalidData, "Some statements could not be read (see the errors before this one), so no policy is returned: it would lack them.", target));
        }
    }

    private void Merge(PtcRegistryPolicy origin)
    {
        if (_statements.Count == 0 && !_warnedEmpty)
        {
            _warnedEmpty = true;
            // An empty rule list or an empty reviewed file must not pass for "already there".
            WriteWarning(_statementsGiven
                ? "-Statement is empty: no statements were merged, and the policy is returned unchanged."
                : "No statements came down the pipeline: none were merged, and the policy is returned unchanged.");
        }

        MergeResult result;
        try
        {
            result = StatementMerger.Add(origin.Document, _statements.ConvertAll(s => s.Statement), Force);
        }
        catch (PtcToolsException ex)
        {
            var source = _statements.Find(s => ReferenceEquals(s.Statement, ex.Target)).Source;
            Fail(ErrorRecords.From(source is null ? ex : new PolicyException(ex.ErrorId, ex.Kind, ex.Message, source, ex)));
            return;
        }

        foreach (var outcome in result.Outcomes)
        {
            WriteVerbose(outcome.Describe());
        }

        WriteVerbose(result.Changed
            ? $"The policy now has {result.Document.Statements.Count} statements, {result.Document.CompactLength} characters."
            : "Every statement was already in the policy: the policy is unchanged.");
        WriteObject(PolicySource.Derive(origin, result.Document));
    }

    // One policy of many from the pipeline failing does not stop the others; the one policy of a call does.
    private void Fail(ErrorRecord error)
    {
        if (_statementsGiven && ParameterSetName == PolicySet)
        {
            WriteError(error);
        }
        else
        {
            ThrowTerminatingError(error);
        }
    }

    private PtcRegistryPolicy? LoadPolicy()
    {
        // Statements from the pipeline with no -Policy on the command line: a piped hashtable or text converts to both
        // parameters, but the pipeline brings statements then, and they go into a new policy.
        var set = ParameterSetName == PolicySet && !_statementsGiven && !_policyGiven ? NewSet : ParameterSetName;
        try
        {
            switch (set)
            {
                case PolicySet:
                    return PolicySource.From(Policy);
                case PathSet:
                case LiteralPathSet:
                    var literal = set == LiteralPathSet;
                    return PolicySource.FromFile(SessionState, (literal ? LiteralPath : Path) ?? string.Empty, literal);
                default:
                    return PolicySource.New();
            }
        }
        catch (PtcToolsException ex)
        {
            Fail(ErrorRecords.From(ex, Policy?.ErrorTarget));
        }

        return null;
    }
}
