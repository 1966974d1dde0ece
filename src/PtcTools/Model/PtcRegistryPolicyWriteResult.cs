namespace PtcTools;

/// <summary>What Set-PtcRegistryPolicy did to one target (a Region or a file).</summary>
public sealed class PtcRegistryPolicyWriteResult
{
    /// <summary>The Region or file written.</summary>
    public string Target { get; set; } = string.Empty;

    /// <summary>The Region, for ECR.</summary>
    public string? Region { get; set; }

    /// <summary>The account, for ECR, when known.</summary>
    public string? RegistryId { get; set; }

    /// <summary>The file, for the file store.</summary>
    public string? Path { get; set; }

    /// <summary>Created, Updated, Unchanged, Removed or Failed.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The number of statements written.</summary>
    public int Statements { get; set; }

    /// <summary>The length of the policy text written.</summary>
    public int Length { get; set; }

    /// <summary>Where the previous policy was saved, when there was one.</summary>
    public string? BackupPath { get; set; }

    /// <summary>The error id when Status is Failed.</summary>
    public string? ErrorId { get; set; }

    /// <summary>The error message when Status is Failed.</summary>
    public string? Error { get; set; }

    /// <summary>Target and status.</summary>
    public override string ToString() => $"{Target}: {Status}";
}
