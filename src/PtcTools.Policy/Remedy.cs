namespace PtcTools.Policy;

/// <summary>
/// What a user can do about a failure, as a value and not as words (issue 16 item 4): the domain and the AWS layer know no
/// PowerShell, so they say which remedy applies and the module words it with its own cmdlet and parameter names
/// (ErrorRecords, into ErrorDetails.RecommendedAction).
/// </summary>
public enum Remedy
{
    /// <summary>Nothing to add: the message says what to do.</summary>
    None,

    /// <summary>A statement with the same Sid means something else: replace it in place on purpose, or give the new statement another Sid.</summary>
    ReplaceStatementWithSameSid,

    /// <summary>No Region: give one, or set a default Region for the session or the environment.</summary>
    GiveRegion,

    /// <summary>The policies do not tell which Region the registry is in: name the registry's Region.</summary>
    GiveRegistryRegion,

    /// <summary>No registry id (the 12-digit account that owns the registry): give it.</summary>
    GiveRegistryId,

    /// <summary>No principal: give accounts, users or roles, or an organization.</summary>
    GivePrincipal,

    /// <summary>"*" was given as the principal: grant an organization, or name the accounts, users or roles.</summary>
    GrantOrganizationInstead,

    /// <summary>The organization was given both as an organization id and in the condition: give it once.</summary>
    GiveOrganizationOnce,

    /// <summary>An action on a repository was asked about with the resource "*": name the repository.</summary>
    GiveRepository,

    /// <summary>No repository prefix for a least-privilege policy: give the prefixes (or ROOT).</summary>
    GiveRepositoryPrefix,

    /// <summary>No repository prefix for a pull through cache policy: give the rules' prefixes, or take them from the rules themselves.</summary>
    GiveCacheRulePrefixes,

    /// <summary>A policy has more errors than the one reported: lint it to see them all.</summary>
    LintPolicy,

    /// <summary>No credentials were found: give some, or configure a profile or the environment.</summary>
    GiveCredentials,

    /// <summary>An endpoint would be reached over plain http: allow unencrypted http on purpose to send anyway.</summary>
    AllowUnencryptedHttp,

    /// <summary>The journal file cannot serve this run: name another journal file.</summary>
    NameAnotherJournal,

    /// <summary>A role could not be assumed: check the role name given.</summary>
    CheckRoleName,

    /// <summary>The policy file to write is read-only: write it anyway on purpose (it stays read-only).</summary>
    WriteReadOnlyFile,

    /// <summary>A pull through cache rule needs a custom role that is missing or in the wrong account: generate one.</summary>
    CreatePullThroughCacheRole,

    /// <summary>A repository creation template needs a custom role that is missing: generate one.</summary>
    CreateTemplateRole,

    /// <summary>The readiness check needs the pull through cache role's permissions policies: give them.</summary>
    GiveCustomRolePolicy,

    /// <summary>The readiness check needs the template role's permissions policies: give them.</summary>
    GiveTemplateRolePolicy,

    /// <summary>The policy changed or was deleted since it was read: read it again and apply the change to what is there now, or overwrite on purpose.</summary>
    ReadAgainOrOverwrite,

    /// <summary>The store holds a policy the one given was not read from: read it and merge into it, or replace it whole on purpose.</summary>
    MergeOrReplace,

    /// <summary>The outcome of a write is not what was asked (interrupted, stopped, or taken over by another writer): read the policy before trying again.</summary>
    ReadBeforeRetrying,

    /// <summary>The backup of the policy to replace could not be written: name a writable backup folder.</summary>
    GiveBackupFolder,

    /// <summary>The credentials in use reach another account than the one named: check which credentials are used.</summary>
    CheckCredentials,

    /// <summary>A policy read from one account was to be written with credentials of another: check the credentials, or copy the policy on purpose as text after changing its account.</summary>
    CheckCredentialsOrCopyPolicy,

    /// <summary>The account written to could not be read and the policy was read from an account: allow reading it, or write the policy as text without the account check.</summary>
    AllowDescribeRegistryOrWriteText,

    /// <summary>The account written to could not be read and the caller named an account: allow reading it, or name no account.</summary>
    AllowDescribeRegistryOrNameNoAccount,
}
