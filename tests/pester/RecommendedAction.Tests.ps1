BeforeAll {
    $script:common = @{ Region = 'us-east-1'; RegistryId = '111122223333' }
    $script:policy = '{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}]}'
}

# Issue 16 item 4: the domain and the AWS layer say which remedy applies; the module words it with its own names
# in ErrorDetails.RecommendedAction, which PowerShell 7's default view shows as "Recommendation:" under the message.
Describe 'Recommended actions' {
    BeforeEach {
        $script:saved = $env:AWS_REGION, $env:AWS_DEFAULT_REGION, $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_PROFILE
        $env:AWS_REGION = $null; $env:AWS_DEFAULT_REGION = $null; $env:AWS_PROFILE = $null
        $env:AWS_CONFIG_FILE = Join-Path $TestDrive 'no-config'; $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path $TestDrive 'no-credentials'
    }
    AfterEach {
        $env:AWS_REGION, $env:AWS_DEFAULT_REGION, $env:AWS_CONFIG_FILE, $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_PROFILE = $script:saved
    }

    It 'tells how to get past <ErrorId> (<Case>)' -TestCases @(
        @{ Case = 'the same Sid, another meaning'; ErrorId = 'StatementSidConflict'; Action = '^Use -Force to replace the statement'
           Call = { New-PtcPolicyStatement -PolicyType Replication -Principal 777777777777 @common -Sid Pull | Add-PtcRegistryStatement -Policy $policy } }
        @{ Case = 'no Region anywhere'; ErrorId = 'NoRegion'; Action = '^Give -Region .*Set-DefaultAWSRegion'
           Call = { New-PtcPolicyStatement -Principal 444455556666 -RegistryId 111122223333 } }
        @{ Case = 'no registry id'; ErrorId = 'RegistryIdInvalid'; Action = '^Give -RegistryId'
           Call = { New-PtcPolicyStatement -Principal 444455556666 -Region us-east-1 } }
        @{ Case = 'everyone as the principal'; ErrorId = 'PrincipalInvalid'; Action = '^Use -OrganizationId'
           Call = { New-PtcPolicyStatement -Principal '*' @common } }
        @{ Case = 'the organization twice'; ErrorId = 'ConditionInvalid'; Action = '-OrganizationId or in -Condition'
           Call = { New-PtcPolicyStatement -OrganizationId o-a1b2c3d4e5 -Condition @{ StringEquals = @{ 'aws:PrincipalOrgID' = 'o-a1b2c3d4e5' } } @common } }
        @{ Case = 'a repository action on *'; ErrorId = 'ActionResourceMismatch'; Action = '-Resource.*-RepositoryName'
           Call = { Test-PtcPermission -Policy $policy -Principal arn:aws:iam::444455556666:role/ci -Action ecr:BatchGetImage -Resource '*' } }
        @{ Case = 'a puller without prefixes'; ErrorId = 'RepositoryPrefixMissing'; Action = '-RepositoryPrefix.*Get-PtcPullThroughCacheRule'
           Call = { New-PtcIdentityPolicy Puller @common } }
        @{ Case = 'plain http to a remote host'; ErrorId = 'AwsEndpointNotEncrypted'; Action = '^Pass -AllowUnencryptedHttp'
           Call = { Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl 'http://ecr.internal.example:8080' -AccessKey a -SecretKey b } }
    ) {
        $ErrorActionPreference = 'Continue'
        # Add-PtcRegistryStatement stops the pipeline on a conflict; the others write the error and go on.
        $output = try { @(& $Call 2>&1) } catch { @($_) }
        $problem = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($output | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $problem[0].ErrorDetails.RecommendedAction | Should -Match $Action
        # The message is the domain's: it names no parameter and no cmdlet; the view shows the recommendation below it.
        $problem[0].Exception.Message | Should -Not -Match '(^|\s|\()-[A-Z][a-z]+|\b(Get|Set|New|Add|Test)-(Ptc|Default|AWS)'
        $problem[0].ErrorDetails.Message | Should -BeExactly $problem[0].Exception.Message
        ($problem[0] | Out-String -Width 200) | Should -Match ([regex]::Escape($problem[0].ErrorDetails.RecommendedAction.Substring(0, 20)))
    }

    It 'adds nothing where the message says all there is' {
        '{"Version":' | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'PolicyJsonInvalid,*'
        $problem[0].ErrorDetails | Should -BeNullOrEmpty
    }
}

# The AWS client's own failures are AwsClientException, not the domain's PolicyException (docs/decisions.md, "Issue 16
# item 4 (the rest): the AWS client's failures are AwsClientException"): what a user sees of them stays.
Describe 'The AWS client''s failures' {
    BeforeAll { . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1') }
    BeforeEach { $script:isolated = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws') }
    AfterEach { Exit-IsolatedAws $script:isolated }

    It 'keep the id, category and recommended action of <ErrorId>' -TestCases @(
        @{ ErrorId = 'NoRegion'; Category = 'InvalidArgument'; Action = '^Give -Region .*Set-DefaultAWSRegion'
           Call = { Get-PtcRegistryPolicy -EndpointUrl 'http://127.0.0.1:9' -AccessKey a -SecretKey b } }
        @{ ErrorId = 'NoCredentials'; Category = 'PermissionDenied'; Action = '^Pass -AccessKey/-SecretKey, -Credential or -ProfileName'
           Call = { Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl 'http://127.0.0.1:9' } }
    ) {
        $ErrorActionPreference = 'Continue'
        $output = try { @(& $Call 2>&1) } catch { @($_) }
        $problem = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.GetPtcRegistryPolicyCommand"
        $problem[0].CategoryInfo.Category | Should -Be $Category
        $problem[0].ErrorDetails.RecommendedAction | Should -Match $Action
        $problem[0].Exception.GetType().FullName | Should -Be 'PtcTools.Aws.AwsClientException'
        $problem[0].Exception | Should -Not -BeOfType ([PtcTools.Policy.PolicyException])
        $problem[0].Exception | Should -BeOfType ([PtcTools.Policy.PtcToolsException])
    }
}

# Readiness checks are output, not errors: the domain gives the remedy and the fix's target, and the check's Reason
# and FixAction name the cmdlets that do it.
Describe 'Readiness checks say what to run' {
    BeforeAll {
        $script:puller = 'arn:aws:iam::111122223333:role/ci-puller'
    }

    It 'names the cmdlet that makes a missing custom role, and the ones that create it' {
        $ecrUpstream = [pscustomobject]@{ EcrRepositoryPrefix = 'upstream'; UpstreamRegistry = 'ecr'; UpstreamRegistryUrl = '444455556666.dkr.ecr.us-west-2.amazonaws.com'; RegistryId = '111122223333'; Region = 'us-east-1' }
        $check = $ecrUpstream | Test-PtcPullThroughCache -Offline -Principal $puller | Where-Object Check -EQ Rule
        $check.Status | Should -Be 'Fail'
        $check.Reason | Should -Match 'Create one and update the rule\. New-PtcServiceRole PullThroughCache makes the role\.$'
        $check.FixAction | Should -BeExactly 'Create this role (New-IAMRole, then Write-IAMRolePolicy), then name it in the rule (UpdatePullThroughCacheRule customRoleArn).'
        "$check" | Should -Match 'New-PtcServiceRole PullThroughCache'
    }

    It 'names the parameter that gives what the check needs' {
        $template = @{ prefix = 'quay'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'ci' }); customRoleArn = 'arn:aws:iam::111122223333:role/ptc-template' }
        $role = New-PtcServiceRole RepositoryCreationTemplate -RoleName arn:aws:iam::111122223333:role/ptc-template -Region us-east-1
        $rule = [pscustomobject]@{ EcrRepositoryPrefix = 'quay'; UpstreamRegistry = 'quay'; UpstreamRegistryUrl = 'quay.upstream.example'; RegistryId = '111122223333'; Region = 'us-east-1' }
        $check = $rule | Test-PtcPullThroughCache -Offline -Principal $puller -Template $template -TemplateRoleTrustPolicy $role.TrustPolicy | Where-Object Check -EQ TemplateRolePermissions
        $check.Status | Should -Be 'Unknown'
        $check.Reason | Should -BeExactly "The role's permissions policies were not given. Give them with -TemplateRolePolicy."
    }
}
