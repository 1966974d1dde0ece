using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using PtcTools.Completers;
using PtcTools.Policy;
using PtcTools.Policy.Merge;
using PtcTools.Policy.Model;
using PtcTools.Transforms;

namespace PtcTools.Commands;

/// <summary>Remove-PtcRegistryStatement: removes statements by Sid (wildcards) or by meaning, keeping everything else as it is.</summary>
[Cmdlet(VerbsCommon.Remove, "PtcRegistryStatement", DefaultParameterSetName = PolicySet)]
[OutputType(typeof(PtcRegistryPolicy))]
public sealed class RemovePtcRegistryStatementCommand : PSCmdlet
{
    private const string PolicySet = "Policy";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<(PolicyStatement Statement, object Source)> _statements = new();

    /// <summary>The policy to remove from: a PtcRegistryPolicy (piped, it keeps where it came from), JSON text, a policy file object, or an object with a PolicyText property.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PolicySet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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

    /// <summary>The Sids of the statements to remove; <c>*</c> and <c>?</c> are wildcards; case-sensitive, as IAM Sids are.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SidCompleter))]
    public string[]? Sid { get; set; }

    /// <summary>Statements to remove by meaning (New-PtcPolicyStatement output, JSON text, hashtables, ConvertFrom-Json objects).</summary>
    [Parameter]
    public PtcPolicyStatement[]? Statement { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if ((Sid is null || Sid.Length == 0) && (Statement is null || Statement.Length == 0))
        {
            ThrowTerminatingError(ErrorRecords.Create(ErrorIds.StatementSelectorMissing, ErrorCategory.InvalidArgument, "Say what to remove: give -Sid (wildcards allowed) or -Statement.", null));
        }

        foreach (var item in Statement ?? Array.Empty<PtcPolicyStatement>())
        {
            var given = item?.ErrorTarget;
            try
            {
                _statements.Add((StatementInput.ToStatement(item), given!));
            }
            catch (PtcToolsException ex)
            {
                // Removing less than asked would go unnoticed downstream, so stop.
                ThrowTerminatingError(ErrorRecords.From(ex, given));
            }
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName != PolicySet)
        {
            ProcessPolicy(null);
            return;
        }

        foreach (var policy in PipelineArray.Policies(Policy))
        {
            ProcessPolicy(policy);
        }
    }

    private void ProcessPolicy(PtcRegistryPolicy? given)
    {
        PtcRegistryPolicy origin;
        try
        {
            origin = ParameterSetName switch
            {
                PathSet => PolicySource.FromFile(SessionState, Path, literal: false),
                LiteralPathSet => PolicySource.FromFile(SessionState, LiteralPath, literal: true),
                _ => PolicySource.From(given!),
            };
        }
        catch (PtcToolsException ex) when (given is null && ex.ErrorId is ErrorIds.PolicyFileNotFound or ErrorIds.PolicyPathAmbiguous)
        {
            // The path names no one file: the command stops, as it always has.
            ThrowTerminatingError(ErrorRecords.From(ex));
            return;
        }
        catch (PtcToolsException ex)
        {
            WriteError(ErrorRecords.From(ex, given?.ErrorTarget));
            return;
        }

        var result = StatementMerger.Remove(origin.Document, Sid, _statements.Select(s => s.Statement));
        foreach (var removed in result.Removed)
        {
            WriteVerbose($"Removed statement {(removed.Sid is { } sid ? $"'{sid}'" : "(no Sid)")} from position {removed.Index}.");
        }

        foreach (var pattern in result.UnmatchedSids)
        {
            WriteError(ErrorRecords.From(new PolicyException(ErrorIds.StatementNotFound, PolicyErrorKind.ObjectNotFound, $"No statement in the policy has a Sid matching '{pattern}' (Sids are case-sensitive). The policy's Sids: {SidList(origin.Document)}.", pattern)));
        }

        foreach (var statement in result.UnmatchedStatements)
        {
            var source = _statements.First(s => ReferenceEquals(s.Statement, statement)).Source;
            WriteError(ErrorRecords.From(new PolicyException(ErrorIds.StatementNotFound, PolicyErrorKind.ObjectNotFound, $"No statement in the policy means the same as {statement.ToCompactJson()}{(statement.Sid is null ? string.Empty : " with that Sid")}.", source)));
        }

        WriteObject(PolicySource.Derive(origin, result.Document));
    }

    private static string SidList(PolicyDocument document)
    {
        var sids = document.Statements.Select(s => s.Sid).Where(s => s is not null).ToArray();
        return sids.Length == 0 ? "(none)" : string.Join(", ", sids);
    }
}
