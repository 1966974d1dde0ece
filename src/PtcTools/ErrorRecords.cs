using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using PtcTools.Policy;
using PtcTools.Transforms;

namespace PtcTools;

/// <summary>The one place where domain and AWS exceptions become PowerShell ErrorRecords, and where their remedies get the module's words.</summary>
public static class ErrorRecords
{
    // Windows PowerShell's error views never show RecommendedAction, so there the remedy is also part of the message.
    private static readonly bool s_viewsHideRecommendedAction =
        RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

    /// <summary>An ErrorRecord for a domain or AWS exception, with its stable id, category, target and recommended action.</summary>
    public static ErrorRecord From(PtcToolsException exception, object? target = null) =>
        WithRemedy(new(exception, exception.ErrorId, Category(exception.Kind), PSValue.Unwrap(exception.Target ?? target)), exception);

    /// <summary>An ErrorRecord whose target is the given input (such as the piped request a refused policy came with), whatever the exception names.</summary>
    public static ErrorRecord For(PtcToolsException exception, object target) =>
        WithRemedy(new(exception, exception.ErrorId, Category(exception.Kind), PSValue.Unwrap(target)), exception);

    /// <summary>An ErrorRecord for a failure detected in the module itself.</summary>
    public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object? target, Exception? inner = null) =>
        new(new PolicyException(errorId, PolicyErrorKind.InvalidOperation, message, target, inner), errorId, category, PSValue.Unwrap(target));

    /// <summary>The message and, when there is one, the recommended action: for a result object's Error text, which no error view shows.</summary>
    public static string Text(PtcToolsException exception) =>
        RecommendedAction(RemedyOf(exception)) is { } action ? exception.Message + " " + action : exception.Message;

    /// <summary>A remedy in the module's words, with its cmdlet and parameter names; null for <see cref="Remedy.None"/>.</summary>
    public static string? RecommendedAction(Remedy remedy) => remedy switch
    {
        Remedy.None => null,
        Remedy.ReplaceStatementWithSameSid => "Use -Force to replace the statement that has this Sid in place, or give the new statement another Sid.",
        Remedy.GiveRegion => "Give -Region (for example us-east-1), run Set-DefaultAWSRegion, or set AWS_REGION.",
        Remedy.GiveRegistryRegion => "Give the registry's Region with -Region.",
        Remedy.GiveRegistryId => "Give -RegistryId, the 12-digit account that owns the registry.",
        Remedy.GivePrincipal => "Give -Principal (account ids, or user or role ARNs) or -OrganizationId.",
        Remedy.GrantOrganizationInstead => "Use -OrganizationId to grant your organization, or name the accounts, users or roles with -Principal.",
        Remedy.GiveOrganizationOnce => "Give the organization either with -OrganizationId or in -Condition, not both.",
        Remedy.GiveRepository => "Give the repository's ARN (-Resource) or its name (-RepositoryName) rather than '*'.",
        Remedy.GiveRepositoryPrefix => "Give -RepositoryPrefix (ROOT for every repository).",
        Remedy.GiveCacheRulePrefixes => "Give -RepositoryPrefix with the rules' prefixes (ROOT for every repository), or pipe the rules from Get-PtcPullThroughCacheRule.",
        Remedy.LintPolicy => "Test-PtcRegistryPolicy lists every problem of the policy.",
        Remedy.GiveCredentials => "Pass -AccessKey/-SecretKey, -Credential or -ProfileName, run Set-AWSCredential, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or configure a profile in the shared credentials file.",
        Remedy.AllowUnencryptedHttp => "Pass -AllowUnencryptedHttp to send over plain http anyway.",
        Remedy.NameAnotherJournal => "Name another journal file with -JournalPath.",
        Remedy.CheckRoleName => "Check the role name given with -RoleName.",
        Remedy.WriteReadOnlyFile => "Use -Force to write it anyway; it stays read-only.",
        Remedy.CreatePullThroughCacheRole => "New-PtcServiceRole PullThroughCache makes the role.",
        Remedy.CreateTemplateRole => "New-PtcServiceRole RepositoryCreationTemplate makes the role.",
        Remedy.GiveCustomRolePolicy => "Give them with -CustomRolePolicy.",
        Remedy.GiveTemplateRolePolicy => "Give them with -TemplateRolePolicy.",
        Remedy.ReadAgainOrOverwrite => "Read it again with Get-PtcRegistryPolicy, apply your change, and run Set-PtcRegistryPolicy again, or use -Force to write this policy over the other change.",
        Remedy.MergeOrReplace => "Read it with Get-PtcRegistryPolicy and merge with Add-PtcRegistryStatement, or use -Force to replace it whole.",
        Remedy.ReadBeforeRetrying => "Read it with Get-PtcRegistryPolicy before trying again.",
        Remedy.GiveBackupFolder => "Pass -BackupPath with a writable folder.",
        Remedy.CheckCredentials => "Check -ProfileName, -Credential or the session credentials.",
        Remedy.CheckCredentialsOrCopyPolicy => "Check -ProfileName, -Credential or the session credentials. To copy the policy to the other account on purpose, change the account in its Resource ARNs (Test-PtcRegistryPolicy -RegistryId with the account written to finds them) and pipe its PolicyText instead of the policy.",
        Remedy.AllowDescribeRegistryOrWriteText => "Allow ecr:DescribeRegistry to the credentials in use, or pipe the policy's PolicyText instead of the policy to write it without the account check.",
        Remedy.AllowDescribeRegistryOrNameNoAccount => "Allow ecr:DescribeRegistry to the credentials in use, or leave out -RegistryId.",
        _ => throw new ArgumentOutOfRangeException(nameof(remedy), remedy, "A remedy without words in ErrorRecords.RecommendedAction."),
    };

    /// <summary>Maps a domain error kind to a PowerShell category.</summary>
    public static ErrorCategory Category(PolicyErrorKind kind) => kind switch
    {
        PolicyErrorKind.InvalidData => ErrorCategory.InvalidData,
        PolicyErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        PolicyErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        PolicyErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        PolicyErrorKind.LimitsExceeded => ErrorCategory.LimitsExceeded,
        PolicyErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        PolicyErrorKind.ConnectionError => ErrorCategory.ConnectionError,
        PolicyErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        PolicyErrorKind.WriteError => ErrorCategory.WriteError,
        PolicyErrorKind.ReadError => ErrorCategory.ReadError,
        _ => ErrorCategory.InvalidOperation,
    };

    // A layer that adds words to an error keeps it as the inner exception with the same id; its remedy still holds.
    private static Remedy RemedyOf(PtcToolsException exception)
    {
        for (Exception? e = exception; e is PtcToolsException known && known.ErrorId == exception.ErrorId; e = e.InnerException)
        {
            if (known.Remedy != Remedy.None)
            {
                return known.Remedy;
            }
        }

        return Remedy.None;
    }

    private static ErrorRecord WithRemedy(ErrorRecord record, PtcToolsException exception)
    {
        if (RecommendedAction(RemedyOf(exception)) is { } action)
        {
            record.ErrorDetails = new ErrorDetails(s_viewsHideRecommendedAction ? exception.Message + " " + action : exception.Message)
            {
                RecommendedAction = action,
            };
        }

        return record;
    }
}
