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
    private bool _warnedEmpty;

    /// <summary>The statements to add: New-PtcPolicyStatement output, statement JSON text, or hashtables.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("InputObject")]
    [AllowEmptyCollection]
    public object[] Statement { get; set; } = Array.Empty<object>();

    /// <summary>The policy to add to: a PtcRegistryPolicy, JSON text, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true)]
    [Alias("PolicyText")]
    public object Policy { get; set; } = null!;

    /// <summary>A policy file to read (wildcards allowed; it must match one file). The file is not written.</summary>
    /// <remarks>With a piped policy it binds the file that policy was read from, carried to the result like its Region: Set-PtcRegistryPolicy writes back there.</remarks>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    [AllowNull]
    [AllowEmptyString]
    public string Path { get; set; } = null!;

    /// <summary>A policy file to read, taken literally. The file is not written.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    public string LiteralPath { get; set; } = null!;

    // A piped policy binds only its PolicyText (statements take the pipeline by value), so where it came from
    // binds here by property name and is carried to the result: Set-PtcRegistryPolicy needs the text as read.

    /// <summary>The registry id of a piped policy (carried to the result).</summary>
    [Parameter(ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? RegistryId { get; set; }

    /// <summary>The Region of a piped policy (carried to the result).</summary>
    [Parameter(ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Region { get; set; }

    /// <summary>The registry policy scope of a piped policy (carried to the result).</summary>
    [Parameter(ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Scope { get; set; }

    /// <summary>The text as read from the store of a piped policy (carried to the result).</summary>
    [Parameter(ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? SourceText { get; set; }

    /// <summary>Whether the store of a piped policy had one (carried to the result).</summary>
    [Parameter(ParameterSetName = PolicySet, ValueFromPipelineByPropertyName = true, DontShow = true)]
    public bool? Exists { get; set; }

    /// <summary>Replaces a statement with the same Sid and another meaning, in place, instead of failing.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        // Statements on the command line: each policy that comes down the pipeline gets them (streaming).
        // Statements from the pipeline: they are collected and merged into the one policy at the end.
        _statementsGiven = MyInvocation.BoundParameters.ContainsKey(nameof(Statement));
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
        foreach (var item in Statement ?? Array.Empty<object>())
        {
            try
            {
                _statements.Add((StatementInput.ToStatement(item), item));
            }
            catch (PtcToolsException ex)
            {
                _unreadable.Add(item);
                WriteError(ErrorRecords.From(ex, item));
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
        try
        {
            switch (ParameterSetName)
            {
                case PolicySet:
                    var policy = PolicySource.FromObject(Policy);
                    policy.RegistryId = RegistryId ?? policy.RegistryId;
                    policy.Region = Region ?? policy.Region;
                    policy.Scope = Scope ?? policy.Scope;
                    policy.SourceText = SourceText ?? policy.SourceText;
                    policy.Exists = Exists ?? policy.Exists;
                    policy.Path = string.IsNullOrEmpty(Path) ? policy.Path : Path;
                    return policy;
                case PathSet:
                case LiteralPathSet:
                    var literal = ParameterSetName == LiteralPathSet;
                    return PolicySource.FromFile(SessionState, (literal ? LiteralPath : Path) ?? string.Empty, literal);
                default:
                    return PolicySource.New();
            }
        }
        catch (PtcToolsException ex)
        {
            Fail(ErrorRecords.From(ex, Policy));
        }

        return null;
    }
}
