namespace PtcTools.Policy;

/// <summary>
/// Every error id PtcTools raises, in one place (issue 16): the domain, the AWS clients and the cmdlets use these constants, never
/// the text, and a test holds them to docs/en-US/about_PtcTools_Errors.md in both directions. An id is a name, not behaviour: the
/// catalog knows no PowerShell and no HTTP, so it lives in the domain, which every layer references.
/// </summary>
public static class ErrorIds
{
    // ECR errors (about_PtcTools_Errors).
    /// <summary>ECR answered RegistryPolicyNotFoundException.</summary>
    public const string RegistryPolicyNotFound = nameof(RegistryPolicyNotFound);
    /// <summary>ECR answered InvalidParameterException.</summary>
    public const string EcrInvalidParameter = nameof(EcrInvalidParameter);
    /// <summary>ECR answered ValidationException.</summary>
    public const string EcrValidationFailed = nameof(EcrValidationFailed);
    /// <summary>ECR answered ServerException.</summary>
    public const string EcrServerError = nameof(EcrServerError);
    /// <summary>ECR answered PullThroughCacheRuleNotFoundException.</summary>
    public const string PullThroughCacheRuleNotFound = nameof(PullThroughCacheRuleNotFound);
    /// <summary>ECR answered PullThroughCacheRuleAlreadyExistsException.</summary>
    public const string PullThroughCacheRuleExists = nameof(PullThroughCacheRuleExists);
    /// <summary>ECR answered TemplateAlreadyExistsException.</summary>
    public const string RepositoryCreationTemplateExists = nameof(RepositoryCreationTemplateExists);
    /// <summary>ECR answered UnsupportedUpstreamRegistryException.</summary>
    public const string UnsupportedUpstreamRegistry = nameof(UnsupportedUpstreamRegistry);
    /// <summary>ECR answered LimitExceededException.</summary>
    public const string EcrLimitExceeded = nameof(EcrLimitExceeded);
    /// <summary>ECR answered SecretNotFoundException.</summary>
    public const string UpstreamSecretNotFound = nameof(UpstreamSecretNotFound);
    /// <summary>ECR answered UnableToAccessSecretException.</summary>
    public const string UpstreamSecretAccessDenied = nameof(UpstreamSecretAccessDenied);
    /// <summary>ECR answered UnableToDecryptSecretValueException.</summary>
    public const string UpstreamSecretDecryptFailed = nameof(UpstreamSecretDecryptFailed);
    /// <summary>ECR answered AccessDeniedException.</summary>
    public const string EcrAccessDenied = nameof(EcrAccessDenied);
    /// <summary>ECR answered UnrecognizedClientException, InvalidSignatureException, IncompleteSignature, MissingAuthenticationToken, InvalidClientTokenId.</summary>
    public const string AwsCredentialsRejected = nameof(AwsCredentialsRejected);
    /// <summary>ECR answered ExpiredTokenException.</summary>
    public const string AwsCredentialsExpired = nameof(AwsCredentialsExpired);
    /// <summary>ECR answered throttling codes, HTTP 429 (after retries).</summary>
    public const string EcrThrottled = nameof(EcrThrottled);
    /// <summary>ECR answered any other code.</summary>
    public const string EcrRequestFailed = nameof(EcrRequestFailed);
    /// <summary>ECR answered with a malformed body: not JSON or not UTF-8, a field of the wrong type (policyText as an object, a rule that is a number, a time such as 1e300), or GetRegistryPolicy without policyText (which is neither "no policy" nor an empty policy).</summary>
    public const string EcrResponseInvalid = nameof(EcrResponseInvalid);
    /// <summary>A listing whose pages do not end: 1,000 pages, or a page token handed out twice.</summary>
    public const string EcrPageLimitExceeded = nameof(EcrPageLimitExceeded);
    /// <summary>An answer of more than 16 MB (after decompression) is not read.</summary>
    public const string AwsResponseTooLarge = nameof(AwsResponseTooLarge);
    /// <summary>Plain http to a host that is not loopback; nothing was sent (-AllowUnencryptedHttp sends anyway, with a warning).</summary>
    public const string AwsEndpointNotEncrypted = nameof(AwsEndpointNotEncrypted);

    // IAM and Secrets Manager (about_PtcTools_Errors).
    /// <summary>IamEntityNotFound, IamAccessDenied: NoSuchEntity, AccessDenied (ObjectNotFound, PermissionDenied).</summary>
    public const string IamEntityNotFound = nameof(IamEntityNotFound);
    /// <summary>IamEntityNotFound, IamAccessDenied: NoSuchEntity, AccessDenied (ObjectNotFound, PermissionDenied).</summary>
    public const string IamAccessDenied = nameof(IamAccessDenied);
    /// <summary>InvalidInput, ValidationError (InvalidArgument).</summary>
    public const string IamInvalidInput = nameof(IamInvalidInput);
    /// <summary>SecretNotFound, SecretsManagerAccessDenied: ResourceNotFoundException, AccessDeniedException.</summary>
    public const string SecretNotFound = nameof(SecretNotFound);
    /// <summary>SecretNotFound, SecretsManagerAccessDenied: ResourceNotFoundException, AccessDeniedException.</summary>
    public const string SecretsManagerAccessDenied = nameof(SecretsManagerAccessDenied);
    /// <summary>SecretsManagerInvalidParameter, SecretsManagerInvalidRequest: InvalidParameterException (InvalidArgument), InvalidRequestException (InvalidOperation).</summary>
    public const string SecretsManagerInvalidParameter = nameof(SecretsManagerInvalidParameter);
    /// <summary>SecretsManagerInvalidParameter, SecretsManagerInvalidRequest: InvalidParameterException (InvalidArgument), InvalidRequestException (InvalidOperation).</summary>
    public const string SecretsManagerInvalidRequest = nameof(SecretsManagerInvalidRequest);
    /// <summary>A principal that is not a role, user or session has no IAM policies to read (InvalidArgument).</summary>
    public const string IamPrincipalUnsupported = nameof(IamPrincipalUnsupported);

    // Every service client's other errors (about_PtcTools_Errors).
    /// <summary>EcrThrottled, IamThrottled, SecretsManagerThrottled: throttling or HTTP 429 after the retries (LimitsExceeded).</summary>
    public const string IamThrottled = nameof(IamThrottled);
    /// <summary>EcrThrottled, IamThrottled, SecretsManagerThrottled: throttling or HTTP 429 after the retries (LimitsExceeded).</summary>
    public const string SecretsManagerThrottled = nameof(SecretsManagerThrottled);
    /// <summary>EcrServerError, IamServerError, SecretsManagerServerError: HTTP 5xx after the retries (ConnectionError).</summary>
    public const string IamServerError = nameof(IamServerError);
    /// <summary>EcrServerError, IamServerError, SecretsManagerServerError: HTTP 5xx after the retries (ConnectionError).</summary>
    public const string SecretsManagerServerError = nameof(SecretsManagerServerError);
    /// <summary>EcrRequestFailed, IamRequestFailed, SecretsManagerRequestFailed: any other error code (InvalidOperation).</summary>
    public const string IamRequestFailed = nameof(IamRequestFailed);
    /// <summary>EcrRequestFailed, IamRequestFailed, SecretsManagerRequestFailed: any other error code (InvalidOperation).</summary>
    public const string SecretsManagerRequestFailed = nameof(SecretsManagerRequestFailed);
    /// <summary>EcrTimeout, IamTimeout, SecretsManagerTimeout: no answer within 30 seconds (OperationTimeout).</summary>
    public const string EcrTimeout = nameof(EcrTimeout);
    /// <summary>EcrTimeout, IamTimeout, SecretsManagerTimeout: no answer within 30 seconds (OperationTimeout).</summary>
    public const string IamTimeout = nameof(IamTimeout);
    /// <summary>EcrTimeout, IamTimeout, SecretsManagerTimeout: no answer within 30 seconds (OperationTimeout).</summary>
    public const string SecretsManagerTimeout = nameof(SecretsManagerTimeout);
    /// <summary>EcrConnectionFailed, IamConnectionFailed, SecretsManagerConnectionFailed: the connection failed (ConnectionError).</summary>
    public const string EcrConnectionFailed = nameof(EcrConnectionFailed);
    /// <summary>EcrConnectionFailed, IamConnectionFailed, SecretsManagerConnectionFailed: the connection failed (ConnectionError).</summary>
    public const string IamConnectionFailed = nameof(IamConnectionFailed);
    /// <summary>EcrConnectionFailed, IamConnectionFailed, SecretsManagerConnectionFailed: the connection failed (ConnectionError).</summary>
    public const string SecretsManagerConnectionFailed = nameof(SecretsManagerConnectionFailed);
    /// <summary>EcrResponseInvalid, IamResponseInvalid, SecretsManagerResponseInvalid: a malformed answer (InvalidData).</summary>
    public const string IamResponseInvalid = nameof(IamResponseInvalid);
    /// <summary>EcrResponseInvalid, IamResponseInvalid, SecretsManagerResponseInvalid: a malformed answer (InvalidData).</summary>
    public const string SecretsManagerResponseInvalid = nameof(SecretsManagerResponseInvalid);
    /// <summary>EcrPageLimitExceeded, IamPageLimitExceeded, SecretsManagerPageLimitExceeded: a listing whose pages do not end (LimitsExceeded).</summary>
    public const string IamPageLimitExceeded = nameof(IamPageLimitExceeded);
    /// <summary>EcrPageLimitExceeded, IamPageLimitExceeded, SecretsManagerPageLimitExceeded: a listing whose pages do not end (LimitsExceeded).</summary>
    public const string SecretsManagerPageLimitExceeded = nameof(SecretsManagerPageLimitExceeded);

    // Credentials and Region (about_PtcTools_Errors).
    /// <summary>No source gave credentials; the message lists each one tried.</summary>
    public const string NoCredentials = nameof(NoCredentials);
    /// <summary>-AccessKey without -SecretKey, a -Credential that is not one, or one whose Credentials or GetCredentials() lead back to itself.</summary>
    public const string CredentialInputInvalid = nameof(CredentialInputInvalid);
    /// <summary>Only one of AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY is set.</summary>
    public const string AwsEnvironmentCredentialsIncomplete = nameof(AwsEnvironmentCredentialsIncomplete);
    /// <summary>The named profile is in neither shared file.</summary>
    public const string AwsProfileNotFound = nameof(AwsProfileNotFound);
    /// <summary>A profile without credentials, a role loop, a bad sso setting.</summary>
    public const string AwsProfileInvalid = nameof(AwsProfileInvalid);
    /// <summary>A line of the shared config or credentials file cannot be read.</summary>
    public const string AwsConfigFileInvalid = nameof(AwsConfigFileInvalid);
    /// <summary>STS refused or could not be reached for a role_arn profile.</summary>
    public const string AssumeRoleFailed = nameof(AssumeRoleFailed);
    /// <summary>The credential_process failed, timed out (it is stopped with the processes it started) or printed bad JSON or a Version other than the number 1; its stderr is shown with likely secrets masked.</summary>
    public const string CredentialProcessFailed = nameof(CredentialProcessFailed);
    /// <summary>The credential_process printed more than 1 MB.</summary>
    public const string CredentialProcessOutputTooLarge = nameof(CredentialProcessOutputTooLarge);
    /// <summary>SsoTokenMissing, SsoTokenExpired: run 'aws sso login --profile NAME'.</summary>
    public const string SsoTokenMissing = nameof(SsoTokenMissing);
    /// <summary>SsoTokenMissing, SsoTokenExpired: run 'aws sso login --profile NAME'.</summary>
    public const string SsoTokenExpired = nameof(SsoTokenExpired);
    /// <summary>The SSO portal refused the cached token.</summary>
    public const string SsoGetRoleCredentialsFailed = nameof(SsoGetRoleCredentialsFailed);
    /// <summary>The ECS container endpoint failed or is not allowed.</summary>
    public const string ContainerCredentialsFailed = nameof(ContainerCredentialsFailed);
    /// <summary>IMDSv2 answered but gave no credentials.</summary>
    public const string InstanceMetadataCredentialsFailed = nameof(InstanceMetadataCredentialsFailed);
    /// <summary>NoRegion, RegionInvalid: no Region found, or not a Region name.</summary>
    public const string NoRegion = nameof(NoRegion);
    /// <summary>NoRegion, RegionInvalid: no Region found, or not a Region name.</summary>
    public const string RegionInvalid = nameof(RegionInvalid);
    /// <summary>-EndpointUrl is not an absolute http or https URL.</summary>
    public const string InvalidEndpointUrl = nameof(InvalidEndpointUrl);
    /// <summary>An AWS parameter given with -Path or -LiteralPath, or beside a piped file (Get-ChildItem, Get-Item).</summary>
    public const string AwsParameterNotApplicable = nameof(AwsParameterNotApplicable);

    // Safe writes (about_PtcTools_Errors).
    /// <summary>The live policy changed since it was read, or the policy given was never read from this target; nothing was written (-Force).</summary>
    public const string RegistryPolicyChangedSinceRead = nameof(RegistryPolicyChangedSinceRead);
    /// <summary>The policy was read from another account (or -RegistryId names one) than the one the credentials write to; nothing was written, and -Force does not override it.</summary>
    public const string RegistryPolicyAccountMismatch = nameof(RegistryPolicyAccountMismatch);
    /// <summary>The policy names an account, but the target's could not be read (needs ecr:DescribeRegistry); nothing was written (not -Force).</summary>
    public const string RegistryPolicyAccountUnknown = nameof(RegistryPolicyAccountUnknown);
    /// <summary>-RegistryId is not a 12-digit account id.</summary>
    public const string RegistryIdInvalid = nameof(RegistryIdInvalid);
    /// <summary>After the write, other writers kept taking its statements away (merged again, at most 5 writes in all), or it could not be read back; the statements and the backups are named.</summary>
    public const string RegistryPolicyVerifyFailed = nameof(RegistryPolicyVerifyFailed);
    /// <summary>The answer to the write was lost and the live policy is not this one (the message says whether the previous policy is still there or someone else wrote), or Ctrl+C stopped the write (it says whether it may have landed; also in $Error); the backup is named.</summary>
    public const string RegistryPolicyWriteInterrupted = nameof(RegistryPolicyWriteInterrupted);
    /// <summary>The backup could not be written, so nothing was changed.</summary>
    public const string RegistryPolicyBackupFailed = nameof(RegistryPolicyBackupFailed);
    /// <summary>Another PtcTools write of the same file or ECR Region held the write lock for over 60 seconds; nothing was written.</summary>
    public const string RegistryPolicyLockTimeout = nameof(RegistryPolicyLockTimeout);
    /// <summary>The write lock file could not be made; nothing was written.</summary>
    public const string RegistryPolicyLockFailed = nameof(RegistryPolicyLockFailed);
    /// <summary>The policy file is read-only; nothing was written (-Force writes it, and it stays read-only).</summary>
    public const string PolicyFileReadOnly = nameof(PolicyFileReadOnly);
    /// <summary>The policy file is a link this runtime cannot follow.</summary>
    public const string PolicyFileLinkUnsupported = nameof(PolicyFileLinkUnsupported);
    /// <summary>The policy file is not valid UTF-8 (or UTF-16 with a BOM): its text cannot be kept byte for byte, so it is not read or written.</summary>
    public const string PolicyFileEncodingInvalid = nameof(PolicyFileEncodingInvalid);
    /// <summary>The policy file is over 16 MB.</summary>
    public const string PolicyFileTooLarge = nameof(PolicyFileTooLarge);
    /// <summary>The policy holds a lone UTF-16 surrogate, which UTF-8 cannot hold; nothing was written.</summary>
    public const string PolicyTextInvalidUnicode = nameof(PolicyTextInvalidUnicode);
    /// <summary>The policy would be refused or misread (-SkipValidation).</summary>
    public const string PolicyValidationFailed = nameof(PolicyValidationFailed);
    /// <summary>More than 10240 characters.</summary>
    public const string PolicyTextTooLong = nameof(PolicyTextTooLong);
    /// <summary>A policy file to read does not exist (a file that is read is never taken as an empty policy), a -Path wildcard matched nothing, or the path is a folder; Set-PtcRegistryPolicy -Path creates a new file.</summary>
    public const string PolicyFileNotFound = nameof(PolicyFileNotFound);
    /// <summary>A -Path wildcard matches more than one policy file; name one.</summary>
    public const string PolicyPathAmbiguous = nameof(PolicyPathAmbiguous);
    /// <summary>Set got a policy text with a PSPath (from Get-Content) and no -Region or -LiteralPath: it does not guess where to write.</summary>
    public const string PolicyTargetAmbiguous = nameof(PolicyTargetAmbiguous);
    /// <summary>A policy file could not be written; it was left as it was.</summary>
    public const string PolicyFileWriteFailed = nameof(PolicyFileWriteFailed);
    /// <summary>A policy file exists but could not be read, whether to read a policy or before Set or Remove writes it (ReadError).</summary>
    public const string PolicyFileUnreadable = nameof(PolicyFileUnreadable);
    /// <summary>The policy is not valid JSON; the message gives the line and column and, for a file, names the file.</summary>
    public const string PolicyJsonInvalid = nameof(PolicyJsonInvalid);
    /// <summary>A policy file path the runtime cannot use: U+0000, and in Windows PowerShell 5.1 also "&lt;&gt;|, control characters, a ':' that is not a drive's, or 260 characters or more.</summary>
    public const string PolicyPathInvalid = nameof(PolicyPathInvalid);
    /// <summary>Import-Module in Windows PowerShell 5.1 on a .NET Framework older than 4.7.2 (Release 461808); the message names the release found.</summary>
    public const string NetFrameworkVersionUnsupported = nameof(NetFrameworkVersionUnsupported);

    // Statements (about_PtcTools_Errors).
    /// <summary>PrincipalMissing, PrincipalConflict: no -Principal or -OrganizationId, or both (an organization id already grants every principal of the organization).</summary>
    public const string PrincipalMissing = nameof(PrincipalMissing);
    /// <summary>PrincipalMissing, PrincipalConflict: no -Principal or -OrganizationId, or both (an organization id already grants every principal of the organization).</summary>
    public const string PrincipalConflict = nameof(PrincipalConflict);
    /// <summary>An IAM group's ARN as a principal: groups cannot be principals in a policy (name its users or roles).</summary>
    public const string PrincipalIsGroup = nameof(PrincipalIsGroup);
    /// <summary>A Sid with characters other than ASCII letters and digits.</summary>
    public const string SidInvalid = nameof(SidInvalid);
    /// <summary>An action that is not service:Name.</summary>
    public const string ActionInvalid = nameof(ActionInvalid);
    /// <summary>A condition operator that does not map keys to values.</summary>
    public const string ConditionInvalid = nameof(ConditionInvalid);
    /// <summary>A statement that is not a JSON object.</summary>
    public const string StatementInvalid = nameof(StatementInvalid);
    /// <summary>The policy has the Sid with another meaning (ResourceExists); -Force replaces it in place.</summary>
    public const string StatementSidConflict = nameof(StatementSidConflict);
    /// <summary>The policy's Statement is neither an object nor a list (InvalidData).</summary>
    public const string PolicyStatementElementInvalid = nameof(PolicyStatementElementInvalid);
    /// <summary>Remove-PtcRegistryStatement -Sid matches no statement (ObjectNotFound).</summary>
    public const string StatementNotFound = nameof(StatementNotFound);
    /// <summary>Remove-PtcRegistryStatement without -Sid or -Statement.</summary>
    public const string StatementSelectorMissing = nameof(StatementSelectorMissing);
    /// <summary>Some piped statements could not be read (the errors before it say which), so Add-PtcRegistryStatement returns no policy (InvalidData).</summary>
    public const string StatementInputInvalid = nameof(StatementInputInvalid);
    /// <summary>New-PtcPolicyStatement -Sid would name two different statements (one per prefix): put {Prefix} in the Sid, or omit it.</summary>
    public const string SidNotUnique = nameof(SidNotUnique);

    // Simulation (about_PtcTools_Errors).
    /// <summary>ActionInvalid, ResourceInvalid: not an action (service:Name, no wildcards), not a resource ARN.</summary>
    public const string ResourceInvalid = nameof(ResourceInvalid);
    /// <summary>A repository action with '*' as its resource.</summary>
    public const string ActionResourceMismatch = nameof(ActionResourceMismatch);
    /// <summary>-Context is not a hashtable or an object of keys.</summary>
    public const string ContextInvalid = nameof(ContextInvalid);
    /// <summary>ResourceRequired, ResourceAndRepositoryName: neither -Resource nor -RepositoryName, or both.</summary>
    public const string ResourceRequired = nameof(ResourceRequired);
    /// <summary>ResourceRequired, ResourceAndRepositoryName: neither -Resource nor -RepositoryName, or both.</summary>
    public const string ResourceAndRepositoryName = nameof(ResourceAndRepositoryName);
    /// <summary>ContextKeyDuplicate, ContextValueInvalid: a context key given twice (keys ignore case), or without a value.</summary>
    public const string ContextKeyDuplicate = nameof(ContextKeyDuplicate);
    /// <summary>ContextKeyDuplicate, ContextValueInvalid: a context key given twice (keys ignore case), or without a value.</summary>
    public const string ContextValueInvalid = nameof(ContextValueInvalid);
    /// <summary>NoRegion, RegistryIdRequired: the repository names neither, and the policy does not tell.</summary>
    public const string RegistryIdRequired = nameof(RegistryIdRequired);

    // Lint (about_PtcTools_Errors).
    /// <summary>-IncludeRule or -ExcludeRule names no rule (ObjectNotFound).</summary>
    public const string LintRuleNotFound = nameof(LintRuleNotFound);
    /// <summary>A -PullThroughCacheRule value has no EcrRepositoryPrefix.</summary>
    public const string PullThroughCacheRuleInvalid = nameof(PullThroughCacheRuleInvalid);

    // Generated documents (about_PtcTools_Errors).
    /// <summary>A puller's or template operator's policy names no prefix.</summary>
    public const string RepositoryPrefixMissing = nameof(RepositoryPrefixMissing);
    /// <summary>Not a pull through cache prefix (2-30 characters, or ROOT).</summary>
    public const string RepositoryPrefixInvalid = nameof(RepositoryPrefixInvalid);
    /// <summary>A passed role is not a role ARN of the registry's account.</summary>
    public const string RoleArnInvalid = nameof(RoleArnInvalid);
    /// <summary>Not an IAM role name, or not a role ARN of the partition.</summary>
    public const string RoleNameInvalid = nameof(RoleNameInvalid);
    /// <summary>The custom role is in another account than the registry.</summary>
    public const string RoleAccountMismatch = nameof(RoleAccountMismatch);
    /// <summary>An ECR-to-ECR upstream that is not ACCOUNT.dkr.ecr.REGION.</summary>
    public const string UpstreamRegistryUrlInvalid = nameof(UpstreamRegistryUrlInvalid);
    /// <summary>Not a KMS key ARN of the partition.</summary>
    public const string KmsKeyInvalid = nameof(KmsKeyInvalid);
    /// <summary>Not an IAM policy name.</summary>
    public const string PolicyNameInvalid = nameof(PolicyNameInvalid);
    /// <summary>-Principal is not a role, user or assumed-role session.</summary>
    public const string PrincipalInvalid = nameof(PrincipalInvalid);

    // Access analysis (about_PtcTools_Errors).
    /// <summary>A policy AWS would reject (InvalidData), naming the statement.</summary>
    public const string PolicyInvalidForEvaluation = nameof(PolicyInvalidForEvaluation);
    /// <summary>PolicyJsonInvalid, PolicyInputInvalid: the policy is not JSON, or not a policy (InvalidData).</summary>
    public const string PolicyInputInvalid = nameof(PolicyInputInvalid);
    /// <summary>A -TrustedAccount is not 12 digits.</summary>
    public const string AccountIdInvalid = nameof(AccountIdInvalid);
    /// <summary>An -OrganizationId is not o- and 10 to 32 letters or digits.</summary>
    public const string OrganizationIdInvalid = nameof(OrganizationIdInvalid);
    /// <summary>-Principal, -Action or -RepositoryName cannot be read.</summary>
    public const string AccessQueryInvalid = nameof(AccessQueryInvalid);

    // Readiness checks (about_PtcTools_Errors).
    /// <summary>-Offline without -Rule (nothing is read from ECR).</summary>
    public const string RuleMissing = nameof(RuleMissing);
    /// <summary>-AccountId with -Rule or -Offline (it reads each account live).</summary>
    public const string AccountIdNeedsLiveRead = nameof(AccountIdNeedsLiveRead);
    /// <summary>A -Rule value has no ecrRepositoryPrefix; the next rule goes on.</summary>
    public const string RuleInputInvalid = nameof(RuleInputInvalid);
    /// <summary>-RepositoryName is not a repository name; written per rule.</summary>
    public const string RepositoryNameInvalid = nameof(RepositoryNameInvalid);
    /// <summary>TemplateInputInvalid, SecretInputInvalid: -Template or -Secret is not what it takes; the command stops.</summary>
    public const string TemplateInputInvalid = nameof(TemplateInputInvalid);
    /// <summary>TemplateInputInvalid, SecretInputInvalid: -Template or -Secret is not what it takes; the command stops.</summary>
    public const string SecretInputInvalid = nameof(SecretInputInvalid);

    // Across accounts and Regions (about_PtcTools_Errors).
    /// <summary>-RoleName, -ExternalId or -RoleSessionName without -AccountId.</summary>
    public const string AccountIdMissing = nameof(AccountIdMissing);
    /// <summary>RoleNameInvalid, RoleSessionNameInvalid, ExternalIdInvalid: not what STS takes (the sts-2011-06-15 model's patterns).</summary>
    public const string RoleSessionNameInvalid = nameof(RoleSessionNameInvalid);
    /// <summary>RoleNameInvalid, RoleSessionNameInvalid, ExternalIdInvalid: not what STS takes (the sts-2011-06-15 model's patterns).</summary>
    public const string ExternalIdInvalid = nameof(ExternalIdInvalid);
    /// <summary>-ThrottleLimit outside 1 to 256.</summary>
    public const string ThrottleLimitInvalid = nameof(ThrottleLimitInvalid);
    /// <summary>The run was stopped (Ctrl+C) before a target's write was sent; nothing was sent to it (OperationTimeout).</summary>
    public const string TargetStoppedBeforeWrite = nameof(TargetStoppedBeforeWrite);
    /// <summary>STS is not enabled in the target's Region for the account.</summary>
    public const string StsRegionDisabled = nameof(StsRegionDisabled);
    /// <summary>StsThrottled, StsServerError, StsConnectionFailed, StsTimeout: STS could not be reached or kept failing after the retries.</summary>
    public const string StsThrottled = nameof(StsThrottled);
    /// <summary>StsThrottled, StsServerError, StsConnectionFailed, StsTimeout: STS could not be reached or kept failing after the retries.</summary>
    public const string StsServerError = nameof(StsServerError);
    /// <summary>StsThrottled, StsServerError, StsConnectionFailed, StsTimeout: STS could not be reached or kept failing after the retries.</summary>
    public const string StsConnectionFailed = nameof(StsConnectionFailed);
    /// <summary>StsThrottled, StsServerError, StsConnectionFailed, StsTimeout: STS could not be reached or kept failing after the retries.</summary>
    public const string StsTimeout = nameof(StsTimeout);
    /// <summary>StsRequestFailed, StsResponseInvalid, StsPageLimitExceeded: any other STS error code, a malformed answer, or pages that do not end (as the service ids above, prefixed Sts).</summary>
    public const string StsRequestFailed = nameof(StsRequestFailed);
    /// <summary>StsRequestFailed, StsResponseInvalid, StsPageLimitExceeded: any other STS error code, a malformed answer, or pages that do not end (as the service ids above, prefixed Sts).</summary>
    public const string StsResponseInvalid = nameof(StsResponseInvalid);
    /// <summary>StsRequestFailed, StsResponseInvalid, StsPageLimitExceeded: any other STS error code, a malformed answer, or pages that do not end (as the service ids above, prefixed Sts).</summary>
    public const string StsPageLimitExceeded = nameof(StsPageLimitExceeded);
    /// <summary>A role session duration outside STS's 900 to 43200 seconds.</summary>
    public const string DurationInvalid = nameof(DurationInvalid);
    /// <summary>-JournalPath names a file that is not a PtcTools journal.</summary>
    public const string JournalInvalid = nameof(JournalInvalid);
    /// <summary>The journal is of another plan (statements, policy, role or targets differ); nothing is done.</summary>
    public const string JournalPlanMismatch = nameof(JournalPlanMismatch);
    /// <summary>A finished target could not be recorded in the journal.</summary>
    public const string JournalWriteFailed = nameof(JournalWriteFailed);
    /// <summary>Set-PtcRegistryPolicy without a policy and without -Statement.</summary>
    public const string PolicyMissing = nameof(PolicyMissing);
    /// <summary>Set-PtcRegistryPolicy with both a policy and -Statement.</summary>
    public const string PolicyAndStatementGiven = nameof(PolicyAndStatementGiven);
    /// <summary>-Statement is empty.</summary>
    public const string StatementMissing = nameof(StatementMissing);
    /// <summary>Other teams' statements would need more than 200 template parameters.</summary>
    public const string ExportTooManyParameters = nameof(ExportTooManyParameters);
    /// <summary>ExportMismatch, ExportInvalid: a template would not resolve to a target's merged policy (a defect of the export; nothing is written).</summary>
    public const string ExportMismatch = nameof(ExportMismatch);
    /// <summary>ExportMismatch, ExportInvalid: a template would not resolve to a target's merged policy (a defect of the export; nothing is written).</summary>
    public const string ExportInvalid = nameof(ExportInvalid);
}
