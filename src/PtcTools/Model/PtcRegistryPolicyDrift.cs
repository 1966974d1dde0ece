using System;
using System.Collections.Generic;

namespace PtcTools;

/// <summary>How one account x Region's live registry policy stands against the intended statements.</summary>
public sealed class PtcRegistryPolicyDrift
{
    /// <summary>The target: the Region, or account/Region.</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>The account.</summary>
    public string? RegistryId { get; set; }

    /// <summary>The Region.</summary>
    public string Region { get; set; } = string.Empty;

    /// <summary>InSync (every intended statement there as intended), Drifted, or Failed (the live policy could not be read).</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The Sids (or JSON, without Sid) of intended statements not there.</summary>
    public string[] Missing { get; set; } = Array.Empty<string>();

    /// <summary>The Sids of intended statements there with another meaning.</summary>
    public string[] Changed { get; set; } = Array.Empty<string>();

    /// <summary>The Sids (or JSON) of live statements that are not intended ones: other teams', or left over.</summary>
    public string[] Foreign { get; set; } = Array.Empty<string>();

    /// <summary>Every statement's standing, with the intended and live statements.</summary>
    public IReadOnlyList<PtcStatementDrift> Statements { get; set; } = Array.Empty<PtcStatementDrift>();

    /// <summary>The error id when Status is Failed.</summary>
    public string? ErrorId { get; set; }

    /// <summary>The error message when Status is Failed.</summary>
    public string? Error { get; set; }

    /// <summary>Target and status.</summary>
    public override string ToString() => $"{Target}: {Status}";
}

/// <summary>One statement's standing in a target: an intended one (InSync, Missing, Changed) or a Foreign live one.</summary>
public sealed class PtcStatementDrift
{
    /// <summary>InSync, Missing, Changed or Foreign.</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>The Sid, or null.</summary>
    public string? Sid { get; set; }

    /// <summary>The intended statement's JSON as placed in the target (null for a foreign one).</summary>
    public string? Intended { get; set; }

    /// <summary>The live statement's JSON (null for a missing one).</summary>
    public string? Live { get; set; }

    /// <summary>Kind and Sid.</summary>
    public override string ToString() => $"{Kind} {Sid}";
}

/// <summary>What Export-PtcRegistryPolicy made for one account x Region.</summary>
public sealed class PtcRegistryPolicyExport
{
    /// <summary>The target: account/Region.</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>The account.</summary>
    public string? RegistryId { get; set; }

    /// <summary>The Region.</summary>
    public string Region { get; set; } = string.Empty;

    /// <summary>Exported, or Failed.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The statements of the target's policy as exported.</summary>
    public int Statements { get; set; }

    /// <summary>The statements of other teams (found live) the export keeps for this target.</summary>
    public int Kept { get; set; }

    /// <summary>The length of the target's policy after substitution, as ECR stores it (at most 10240).</summary>
    public int Length { get; set; }

    /// <summary>The StackSet parameter overrides file of this stack instance (CloudFormation formats).</summary>
    public string? ParameterOverridesPath { get; set; }

    /// <summary>The error id when Status is Failed.</summary>
    public string? ErrorId { get; set; }

    /// <summary>The error message when Status is Failed.</summary>
    public string? Error { get; set; }

    /// <summary>Target and status.</summary>
    public override string ToString() => $"{Target}: {Status}";
}
