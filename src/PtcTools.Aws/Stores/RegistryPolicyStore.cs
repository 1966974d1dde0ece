using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Policy.Model;

namespace PtcTools.Aws.Stores;

/// <summary>What a store holds at one moment: the text exactly as stored, or nothing.</summary>
public sealed class StoredPolicy
{
    /// <summary>Creates a snapshot.</summary>
    public StoredPolicy(bool exists, string? text, string? registryId = null, string? region = null, string? scope = null, string? path = null)
    {
        Exists = exists;
        Text = text;
        RegistryId = registryId;
        Region = region;
        Scope = scope;
        Path = path;
    }

    /// <summary>False when the store has no policy.</summary>
    public bool Exists { get; }

    /// <summary>The text as stored (null when none).</summary>
    public string? Text { get; }

    /// <summary>The account, for ECR (null for a file, or when ECR would not say).</summary>
    public string? RegistryId { get; }

    /// <summary>The Region, for ECR.</summary>
    public string? Region { get; }

    /// <summary>The registry policy scope (V1, V2), for ECR, when it could be read.</summary>
    public string? Scope { get; }

    /// <summary>The file, for the file store.</summary>
    public string? Path { get; }
}

/// <summary>Where a registry policy lives: ECR (per account and Region) or a local file.</summary>
public interface IRegistryPolicyStore
{
    /// <summary>A readable name for prompts and messages, e.g. "ECR registry policy in us-east-1".</summary>
    string Description { get; }

    /// <summary>A short name usable in a backup file name, e.g. "ecr-us-east-1".</summary>
    string BackupKey { get; }

    /// <summary>True when a policy in the store is the same store as where a policy was read from (Region or path).</summary>
    bool IsOrigin(string? region, string? path);

    /// <summary>Reads the policy as it is now.</summary>
    Task<StoredPolicy> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the policy with the text.</summary>
    Task WriteAsync(string text, CancellationToken cancellationToken);

    /// <summary>Deletes the policy; false when there was none.</summary>
    Task<bool> DeleteAsync(CancellationToken cancellationToken);

    /// <summary>Takes the write lock that PtcTools writers of this store on this machine share; held across read, check and write. Dispose to release.</summary>
    Task<IDisposable> LockAsync(CancellationToken cancellationToken);

    /// <summary>The text this store keeps for a document (a file: indented; ECR: compact).</summary>
    string Format(PolicyDocument document);

    /// <summary>Throws the store's error when it may not be written (a read-only file), before anything is backed up or written.</summary>
    void CheckWritable();

    /// <summary>How long after a write to look once more that its statements are still there (a writer elsewhere may still land); zero when the lock covers every writer.</summary>
    TimeSpan Settle { get; }

    /// <summary>
    /// The waits before each further read-back when a read right after a write still shows the store as it was before it
    /// (a store whose reads may lag behind its writes); empty when a read always follows the write before it.
    /// </summary>
    IReadOnlyList<TimeSpan> ReadBackRetries { get; }
}
