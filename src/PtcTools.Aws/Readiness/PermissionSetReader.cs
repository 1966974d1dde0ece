using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using PtcTools.Aws.Ecr;
using PtcTools.Aws.Iam;
using PtcTools.Aws.SecretsManager;
using PtcTools.Policy;
using PtcTools.Policy.Model;
using PtcTools.Policy.Readiness;

namespace PtcTools.Aws.Readiness;

/// <summary>Reads the documents of the pull through cache permission set from one account and Region, each read on its own.</summary>
/// <remarks>
/// A read that fails (AccessDenied, throttling that outlasted the retries, a timeout) becomes an Unreadable
/// <see cref="Evidence{T}"/> with the error's id, so one failed read makes the checks that need it Unknown
/// and the others go on. "Not found" is an answer, not a failure: a role, secret or registry policy that
/// does not exist is known to be absent. Each document is read once per reader.
/// </remarks>
public sealed class PermissionSetReader
{
    private static readonly HashSet<string> s_notFound = new(StringComparer.Ordinal) { ErrorIds.IamEntityNotFound, ErrorIds.SecretNotFound };

    private readonly EcrClient _ecr;
    private readonly IamClient _iam;
    private readonly Func<string, SecretsManagerClient> _secrets;
    private readonly ConcurrentDictionary<string, Task<object>> _cache = new(StringComparer.Ordinal);

    /// <summary>Creates a reader over the clients of one account: ECR for the Region, IAM, and Secrets Manager per Region.</summary>
    public PermissionSetReader(EcrClient ecr, IamClient iam, Func<string, SecretsManagerClient> secrets)
    {
        _ecr = ecr;
        _iam = iam;
        _secrets = secrets;
    }

    /// <summary>The Region the reader's ECR client reads.</summary>
    public string Region => _ecr.Region;

    /// <summary>The registry policy (known null: the registry has none).</summary>
    public Task<Evidence<PolicyDocument?>> RegistryPolicyAsync(CancellationToken cancellationToken) =>
        Once("registry-policy", "ECR GetRegistryPolicy", async () =>
        {
            var response = await _ecr.GetRegistryPolicyAsync(cancellationToken).ConfigureAwait(false);
            return response?.PolicyText is { } text ? PolicyDocument.Parse(text) : null;
        });

    /// <summary>The registry policy scope (GetAccountSetting REGISTRY_POLICY_SCOPE).</summary>
    public Task<Evidence<RegistryPolicyScope>> ScopeAsync(CancellationToken cancellationToken) =>
        Once("scope", "ECR GetAccountSetting", async () =>
        {
            var value = await _ecr.GetAccountSettingAsync("REGISTRY_POLICY_SCOPE", cancellationToken).ConfigureAwait(false);
            return Enum.TryParse<RegistryPolicyScope>(value, false, out var scope)
                ? scope
                : throw new EcrException(ErrorIds.EcrRequestFailed, PolicyErrorKind.InvalidData, $"ECR GetAccountSetting answered REGISTRY_POLICY_SCOPE = '{value}', which is neither V1 nor V2.", null, 200, null, false);
        });

    /// <summary>The repository creation templates.</summary>
    public Task<Evidence<IReadOnlyList<CreationTemplateFacts>>> TemplatesAsync(CancellationToken cancellationToken) =>
        Once<IReadOnlyList<CreationTemplateFacts>>("templates", "ECR DescribeRepositoryCreationTemplates", async () =>
        {
            var templates = await _ecr.DescribeRepositoryCreationTemplatesAsync(null, cancellationToken).ConfigureAwait(false);
            return templates.Select(t => new CreationTemplateFacts(t.Prefix, t.AppliedFor)
            {
                ResourceTags = t.ResourceTags,
                EncryptionType = t.EncryptionType,
                KmsKey = string.IsNullOrEmpty(t.KmsKey) ? null : t.KmsKey,
                CustomRoleArn = t.CustomRoleArn,
            }).ToList();
        });

    /// <summary>A secret's metadata (DescribeSecret, in the secret's own Region); known null when it does not exist.</summary>
    public Task<Evidence<SecretFacts?>> SecretAsync(string secretArn, CancellationToken cancellationToken) =>
        Once("secret:" + secretArn, "Secrets Manager DescribeSecret", async () =>
        {
            var region = Arn.TryParse(secretArn, out var arn) && Partitions.IsRegionName(arn.Region) ? arn.Region : Region;
            var secret = await _secrets(region).DescribeSecretAsync(secretArn, cancellationToken).ConfigureAwait(false);
            return (SecretFacts?)new SecretFacts(secret.Arn, secret.Name) { KmsKeyId = secret.KmsKeyId, DeletedDate = secret.DeletedDate };
        });

    /// <summary>A role's or user's documents (an assumed-role session reads its role); known null when it does not exist.</summary>
    public Task<Evidence<IdentityFacts?>> IdentityAsync(string principalArn, CancellationToken cancellationToken) =>
        Once("identity:" + principalArn, "IAM", async () =>
        {
            var identity = await IamIdentityReader.ReadAsync(_iam, principalArn, cancellationToken).ConfigureAwait(false);
            return (IdentityFacts?)new IdentityFacts(principalArn, identity.Policies.Select(p => new NamedPolicy($"{p.Source} {p.Name}", PolicyDocument.Parse(p.Text))))
            {
                PermissionsBoundary = identity.PermissionsBoundary is { } b ? new NamedPolicy(b.Source, PolicyDocument.Parse(b.Text)) : null,
                TrustPolicy = identity.TrustPolicy is { } trust ? PolicyDocument.Parse(trust) : null,
            };
        });

    // Each document once: later checks of the same reader (other rules, other pullers) reuse the answer.
    private async Task<Evidence<T>> Once<T>(string key, string what, Func<Task<T>> read)
    {
        var task = _cache.GetOrAdd(key, _ => ReadAsync(what, read));
        return (Evidence<T>)await task.ConfigureAwait(false);
    }

    private static async Task<object> ReadAsync<T>(string what, Func<Task<T>> read)
    {
        try
        {
            return Evidence<T>.Known(await read().ConfigureAwait(false), $"read with {what}");
        }
        catch (PtcToolsException ex) when (s_notFound.Contains(ex.ErrorId))
        {
            return Evidence<T>.Known(default!, $"{what}: not found");
        }
        catch (PtcToolsException ex)
        {
            return Evidence<T>.Unreadable($"{ex.Message.TrimEnd('.')} ({ex.ErrorId})", ex.ErrorId);
        }
    }
}
