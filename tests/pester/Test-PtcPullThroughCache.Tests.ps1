BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:puller = 'arn:aws:iam::111122223333:role/ci-puller'
    $script:rule = [pscustomobject]@{ EcrRepositoryPrefix = 'quay'; UpstreamRegistry = 'quay'; UpstreamRegistryUrl = 'quay.upstream.example'; RegistryId = '111122223333'; Region = 'us-east-1' }
    $script:registry = New-PtcPolicyStatement -Principal $puller -RepositoryPrefix quay -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement
    $script:pull = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],"Resource":"*"}]}'
    $script:offline = @{ Offline = $true; Principal = $puller; RegistryPolicy = $registry; Scope = 'V2'; Template = @(); IdentityPolicy = $pull }
}

AfterAll { Exit-IsolatedAws $saved }

Describe 'Test-PtcPullThroughCache offline' {
    It 'writes one PtcReadinessCheck per check, in checklist order, and -Quiet says whether all pass' {
        $checks = $rule | Test-PtcPullThroughCache @offline
        $checks | Should -BeOfType PtcTools.PtcReadinessCheck
        $checks.Check | Should -Be @('Rule', 'RepositoryCreationTemplate', 'RegistryPolicyScope', 'FirstPull', 'LaterPulls')
        $checks.Status | Should -Be @('Pass', 'Pass', 'Pass', 'Pass', 'Pass')
        $checks[3].Principal | Should -Be $puller
        $checks[0].Rule | Should -Be 'quay (111122223333, us-east-1)'
        $rule | Test-PtcPullThroughCache @offline -Quiet | Should -BeTrue
    }

    It 'takes the rule as <Form>' -TestCases @(
        @{ Form = 'the AWS CLI''s JSON answer'; Rule = '{"pullThroughCacheRules":[{"ecrRepositoryPrefix":"quay","upstreamRegistryUrl":"quay.upstream.example","upstreamRegistry":"quay","registryId":"111122223333"}]}' }
        @{ Form = 'a hashtable'; Rule = @{ ecrRepositoryPrefix = 'quay'; upstreamRegistry = 'quay'; registryId = '111122223333' } }
        @{ Form = 'an object shaped like AWS.Tools'' PullThroughCacheRule (an enum object for the kind)'; Rule = [pscustomobject]@{ EcrRepositoryPrefix = 'quay'; UpstreamRegistry = [pscustomobject]@{ Value = 'quay' }; UpstreamRegistryUrl = 'quay.upstream.example'; RegistryId = '111122223333' } }
    ) {
        Test-PtcPullThroughCache -Rule $Rule -Region us-east-1 @offline -Quiet | Should -BeTrue
    }

    It 'reads the rule and the documents from files' {
        $ruleFile = Join-Path $TestDrive 'rules.json'
        Set-Content -LiteralPath $ruleFile -Value '{"pullThroughCacheRules":[{"ecrRepositoryPrefix":"quay","upstreamRegistry":"quay","registryId":"111122223333"}]}'
        $policyFile = Join-Path $TestDrive 'pull.json'
        Set-Content -LiteralPath $policyFile -Value $pull
        $registryFile = Join-Path $TestDrive 'registry.json'
        Set-Content -LiteralPath $registryFile -Value $registry.PolicyText
        Get-Item -LiteralPath $ruleFile | Test-PtcPullThroughCache -Offline -Region us-east-1 -Principal $puller -RegistryPolicy $registryFile -Scope V2 -Template @() -IdentityPolicy $policyFile -Quiet | Should -BeTrue
    }

    It 'fails the first pull when a template tags and hands back an identity policy that fixes it' {
        $template = @{ prefix = 'quay'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'ci' }); customRoleArn = 'arn:aws:iam::111122223333:role/ptc-template' }
        $role = New-PtcServiceRole RepositoryCreationTemplate -RoleName arn:aws:iam::111122223333:role/ptc-template -Region us-east-1
        $documents = $offline.Clone()
        $documents.Template = $template
        $documents.TemplateRoleTrustPolicy = $role.TrustPolicy
        $documents.TemplateRolePolicy = $role.PermissionsPolicy
        $first = $rule | Test-PtcPullThroughCache @documents | Where-Object Check -EQ FirstPull
        $first.Status | Should -Be 'Fail'
        $first.Summary | Should -Be 'missing: ecr:TagResource'
        $first.Fix[0] | Should -BeOfType PtcTools.PtcIamPolicy
        $first.Fix[0].RoleName | Should -Be 'ci-puller'
        $first.FixAction[0] | Should -Match 'Write-IAMRolePolicy'
        $documents.IdentityPolicy = @($pull) + $first.Fix
        $rule | Test-PtcPullThroughCache @documents -Quiet | Should -BeTrue
    }

    It 'hands back registry statements that Add-PtcRegistryStatement merges' {
        $checks = $rule | Test-PtcPullThroughCache @offline -RegistryPolicy $null
        $fix = ($checks | Where-Object Status -EQ Fail).Fix | Where-Object { $_ -is [PtcTools.PtcPolicyStatement] }
        $fixed = $fix | Add-PtcRegistryStatement
        $rule | Test-PtcPullThroughCache @offline -RegistryPolicy $fixed -Quiet | Should -BeTrue
    }

    # A registry without a policy answers GetRegistryPolicy with RegistryPolicyNotFoundException (ECR API Reference,
    # GetRegistryPolicy), and Statement is a required element (IAM JSON policy elements reference, Statement), so no
    # stored registry policy has an empty Statement list: one given is what "none" looks like (docs/decisions.md).
    It 'reads <Case> as no registry policy: the pulls Fail with the statement to add, not Unknown' -TestCases @(
        @{ Case = 'a PtcRegistryPolicy without statements'; Policy = { '{"Version":"2012-10-17","Statement":[]}' | ConvertFrom-PtcRegistryPolicy } }
        @{ Case = 'a document with an empty Statement list'; Policy = { '{"Version":"2012-10-17","Statement":[]}' } }
    ) {
        $none = & $Policy
        $checks = $rule | Test-PtcPullThroughCache @offline -RegistryPolicy $none
        ($checks | Where-Object Status -NE Pass | ForEach-Object { "$($_.Check)=$($_.Status)" }) | Should -Be @('FirstPull=Fail', 'LaterPulls=Fail')
        ($checks | Where-Object Check -EQ FirstPull).Fix | Should -BeOfType PtcTools.PtcPolicyStatement
    }

    It 'is Unknown, never Pass, for what is not given' {
        $checks = $rule | Test-PtcPullThroughCache -Offline -Principal $puller
        ($checks | Where-Object Status -EQ Pass).Check | Should -Be @('Rule')
        ($checks | Where-Object Status -EQ Unknown).Check | Should -Be @('RepositoryCreationTemplate', 'RegistryPolicyScope', 'FirstPull', 'LaterPulls')
        $rule | Test-PtcPullThroughCache -Offline -Principal $puller -Quiet | Should -BeFalse
    }

    It 'shows a checklist grouped by rule that reads in 80 columns' {
        $lines = @(($rule | Test-PtcPullThroughCache @offline | Format-Table | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
        $lines[0] | Should -Match 'Pull through cache rule: quay \(111122223333, us-east-1\)'
        $lines[1] | Should -Match '^Status\s+Check\s+Summary$'
        $lines | Where-Object { $_.Length -gt 80 } | Should -BeNullOrEmpty
        ($lines -match '^Pass\s+FirstPull role/ci-puller\s+allowed: 7 action\(s\)$').Count | Should -Be 0
        ($lines -match '^Pass\s+FirstPull role/ci-puller\s+allowed: 6 action\(s\)$').Count | Should -Be 1
    }

    It 'lists Actor, Document, the whole Reason and the fixes with Format-List' {
        $text = $rule | Test-PtcPullThroughCache @offline -RegistryPolicy $null | Where-Object Check -EQ FirstPull | Format-List | Out-String -Width 200
        $text | Should -Match 'Actor\s+: puller arn:aws:iam::111122223333:role/ci-puller'
        $text | Should -Match 'Document\s+: identity policies of'
        $text | Should -Match 'Fix\s+: statement PullThroughCacheQuay'
        $text | Should -Match 'FixAction\s+: Add this statement'
    }

    It 'refuses <Case> with <ErrorId> and checks nothing' -TestCases @(
        @{ Case = 'a principal that is not one'; Arguments = @{ Principal = 'ci-puller' }; ErrorId = 'PrincipalInvalid' }
        @{ Case = 'a registry policy that is not JSON'; Arguments = @{ RegistryPolicy = '{"Statement":' }; ErrorId = 'PolicyJsonInvalid' }
        @{ Case = 'a template without a prefix'; Arguments = @{ Template = @{ appliedFor = @('PULL_THROUGH_CACHE') } }; ErrorId = 'TemplateInputInvalid' }
        @{ Case = 'a secret without an ARN'; Arguments = @{ Secret = @{ Name = 'x' } }; ErrorId = 'SecretInputInvalid' }
    ) {
        $given = $offline.Clone()
        foreach ($pair in $Arguments.GetEnumerator()) { $given[$pair.Key] = $pair.Value }
        { $rule | Test-PtcPullThroughCache @given -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,PtcTools.Commands.TestPtcPullThroughCacheCommand"
    }

    It 'reads a document file as a policy file is read (issue 16 item 1 decision: one file resolver)' {
        # Not UTF-8: before, File.ReadAllText made replacement characters of the bytes; a name that names no file was JSON text.
        $latin1 = Join-Path $TestDrive 'templates-latin1.json'
        [System.IO.File]::WriteAllBytes($latin1, [byte[]](0x7B, 0x22, 0x70, 0x72, 0x65, 0x66, 0x69, 0x78, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D))
        $missing = Join-Path $TestDrive 'no-templates.json'
        foreach ($case in @(@{ Template = $latin1; ErrorId = 'PolicyFileEncodingInvalid' }, @{ Template = $missing; ErrorId = 'PolicyFileNotFound' })) {
            $given = $offline.Clone()
            $given.Template = $case.Template
            { $rule | Test-PtcPullThroughCache @given -ErrorAction Stop } | Should -Throw -ErrorId "$($case.ErrorId),PtcTools.Commands.TestPtcPullThroughCacheCommand"
        }
    }

    It 'writes <ErrorId> for <Case> and goes on with the next rule' -TestCases @(
        @{ Case = 'a rule without a prefix'; Bad = @{ upstreamRegistry = 'quay'; registryId = '111122223333' }; ErrorId = 'RuleInputInvalid' }
        @{ Case = 'a rule without a registry'; Bad = @{ ecrRepositoryPrefix = 'quay'; upstreamRegistry = 'quay' }; ErrorId = 'RegistryIdInvalid' }
        @{ Case = 'a repository name that is not one'; Bad = $null; ErrorId = 'RepositoryNameInvalid'; RepositoryName = 'Library/*' }
    ) {
        $extra = if ($RepositoryName) { @{ RepositoryName = $RepositoryName } } else { @{} }
        $inputs = if ($Bad) { @($Bad, $rule) } else { @($rule) }
        $checks = $inputs | Test-PtcPullThroughCache @offline @extra -Region us-east-1 -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.TestPtcPullThroughCacheCommand"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        if ($Bad) { @($checks).Count | Should -Be 5 }
    }

    It 'converts to JSON at the default depth and to CSV values, the fixes as their documents' {
        $checks = @($rule | Test-PtcPullThroughCache @offline -RegistryPolicy $null)
        $role = New-PtcServiceRole PullThroughCache -RegistryId 111122223333 -Region us-east-1 -UpstreamRegistryUrl 444455556666.dkr.ecr.us-east-1.amazonaws.com
        $policy = New-PtcIdentityPolicy Puller -RepositoryPrefix quay -Region us-east-1 -RegistryId 111122223333
        foreach ($object in $checks[3], $role, $policy) {
            $null = ConvertTo-Json -InputObject $object -WarningVariable warned -WarningAction SilentlyContinue
            $warned | Should -BeNullOrEmpty -Because "$($object.GetType().Name) must convert at the default depth"
        }
        $back = ConvertTo-Json -InputObject $checks[3] | ConvertFrom-Json
        $back.Status | Should -Be 'Fail'
        $back.Check | Should -Be 'FirstPull'
        ($back.FixText[0] | ConvertFrom-Json).Effect | Should -Be 'Allow'
        foreach ($line in @($checks + $role + $policy) | ForEach-Object { $_ | ConvertTo-Csv -NoTypeInformation }) {
            $line | Should -Not -Match '"(System|PtcTools)\.[A-Za-z.]+(\[\]|`\d)?"'
        }
    }

    It 'needs -Rule with -Offline (RuleMissing)' {
        Test-PtcPullThroughCache @offline -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'RuleMissing,PtcTools.Commands.TestPtcPullThroughCacheCommand'
    }
}

Describe 'Test-PtcPullThroughCache against the ECR emulator' {
    BeforeAll {
        $template = @{ prefix = 'ecr-public'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'ci' }); customRoleArn = 'arn:aws:iam::111122223333:role/ptc-template' }
        $script:emulator = Start-TestEcrEmulator -Seed @{
            pullThroughCacheRules       = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }, @{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' })
            repositoryCreationTemplates = @($template)
            policyText                  = (New-PtcPolicyStatement -Principal $puller -RepositoryPrefix ecr-public, quay -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement).PolicyText
        }
        $script:aws = Get-EmulatorParameters $emulator
        $script:role = New-PtcServiceRole RepositoryCreationTemplate -RoleName arn:aws:iam::111122223333:role/ptc-template -Region us-east-1
        # IAM is given, so only ECR is read.
        $script:iam = @{ Principal = $puller; IdentityPolicy = $pull; TemplateRoleTrustPolicy = $role.TrustPolicy; TemplateRolePolicy = $role.PermissionsPolicy }
    }
    AfterAll { if ($emulator) { $emulator | Stop-EcrEmulator } }
    BeforeEach { $emulator | Reset-EcrEmulator }

    It 'reads every rule, the registry policy, its scope and the templates, each once' {
        $checks = Test-PtcPullThroughCache @aws @iam
        ($checks | Select-Object -ExpandProperty EcrRepositoryPrefix -Unique) | Should -Be @('ecr-public', 'quay')
        ($checks | Where-Object { $_.EcrRepositoryPrefix -eq 'ecr-public' -and $_.Check -eq 'FirstPull' }).Summary | Should -Be 'missing: ecr:TagResource'
        ($checks | Where-Object { $_.EcrRepositoryPrefix -eq 'quay' }).Status | Should -Not -Contain 'Fail'
        $calls = $emulator | Get-EcrEmulatorRequest | Group-Object operation -AsHashTable -AsString
        foreach ($operation in 'GetRegistryPolicy', 'GetAccountSetting', 'DescribeRepositoryCreationTemplates') { @($calls[$operation]).Count | Should -Be 1 -Because $operation }
    }

    It 'takes the rules from Get-PtcPullThroughCacheRule' {
        $checks = Get-PtcPullThroughCacheRule @aws -EcrRepositoryPrefix quay | Test-PtcPullThroughCache @aws @iam
        ($checks | Select-Object -ExpandProperty EcrRepositoryPrefix -Unique) | Should -Be 'quay'
    }

    It 'makes only the template check Unknown when the template read stays throttled, and the rest still runs' {
        $emulator | Set-EcrEmulatorFault -Throttle 10 -Operation DescribeRepositoryCreationTemplates | Out-Null
        $checks = Test-PtcPullThroughCache @aws @iam -EcrRepositoryPrefix quay
        $template = $checks | Where-Object Check -EQ RepositoryCreationTemplate
        $template.Status | Should -Be 'Unknown'
        $template.ErrorId | Should -Be 'EcrThrottled'
        ($checks | Where-Object Check -EQ Rule).Status | Should -Be 'Pass'
        ($checks | Where-Object Check -EQ RegistryPolicyScope).Status | Should -Be 'Pass'
        ($checks | Where-Object Check -EQ LaterPulls).Status | Should -Be 'Pass'
    }

    It 'recovers from throttling within the retry budget' {
        $emulator | Set-EcrEmulatorFault -Throttle 2 -Operation DescribeRepositoryCreationTemplates | Out-Null
        (Test-PtcPullThroughCache @aws @iam -EcrRepositoryPrefix quay | Where-Object Check -EQ RepositoryCreationTemplate).Status | Should -Be 'Pass'
    }
}

Describe 'Test-PtcPullThroughCache across accounts (-AccountId)' {
    BeforeAll {
        Import-TestEcrEmulator
        # Each member account holds its own rule; the caller (111122223333) reaches them through the fake STS.
        $script:org = Start-EcrEmulator -AccountId 111122223333, 444455556666, 777788889999 -Region us-east-1, eu-west-1 -ExitAfterSeconds 900 -Seed @{
            registries = @(
                @{ accountId = '444455556666'; region = 'us-east-1'; pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }) }
                @{ accountId = '777788889999'; region = 'eu-west-1'; pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' }) })
        }
        $script:savedSts = $env:AWS_ENDPOINT_URL_STS
        $env:AWS_ENDPOINT_URL_STS = $org.Url
        $script:orgAws = @{ EndpointUrl = $org.Url; AccessKey = $org.AccessKey; SecretKey = $org.SecretKey; Region = 'us-east-1', 'eu-west-1' }
        # IAM is given, so only ECR (and STS) is read.
        $script:orgIam = @{ Principal = $puller; IdentityPolicy = $pull }
    }
    AfterAll {
        if ($org) { $org | Stop-EcrEmulator }
        $env:AWS_ENDPOINT_URL_STS = $savedSts
    }
    BeforeEach { $org | Reset-EcrEmulator }

    It 'checks the rules of every account x Region target, read through the role assumed once per account' {
        $checks = Test-PtcPullThroughCache @orgAws @orgIam -AccountId 444455556666, 777788889999
        @($checks | ForEach-Object { "$($_.RegistryId)/$($_.Region)/$($_.EcrRepositoryPrefix)" } | Sort-Object -Unique) |
            Should -Be @('444455556666/us-east-1/ecr-public', '777788889999/eu-west-1/quay')
        ($checks | Where-Object Check -EQ Rule).Status | Should -Be @('Pass', 'Pass')
        @($org | Get-EcrEmulatorRequest | Where-Object operation -EQ AssumeRole).Count | Should -Be 2
    }

    It 'reports an account whose role cannot be assumed, names its targets, and checks the others' {
        $checks = Test-PtcPullThroughCache @orgAws @orgIam -AccountId 444455556666, 123412341234 -Region us-east-1 -ErrorAction SilentlyContinue -ErrorVariable problems
        ($checks | Select-Object -ExpandProperty RegistryId -Unique) | Should -Be '444455556666'
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'AssumeRoleFailed,*'
        "$($problems[0].TargetObject)" | Should -Be '123412341234/us-east-1'
        Test-PtcPullThroughCache @orgAws @orgIam -AccountId 444455556666, 123412341234 -Region us-east-1 -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'refuses -AccountId with <Case> (AccountIdNeedsLiveRead) and reads nothing' -TestCases @(
        @{ Case = '-Rule'; Extra = @{ Rule = $rule } }
        @{ Case = '-Offline'; Extra = @{ Offline = $true } }
    ) {
        { Test-PtcPullThroughCache @orgAws @orgIam @Extra -AccountId 444455556666 -ErrorAction Stop } |
            Should -Throw -ErrorId 'AccountIdNeedsLiveRead,PtcTools.Commands.TestPtcPullThroughCacheCommand'
        @($org | Get-EcrEmulatorRequest).Count | Should -Be 0
    }
}
