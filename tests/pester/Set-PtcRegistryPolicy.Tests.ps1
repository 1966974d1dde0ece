BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:ptc = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'
    $script:replication = '{"Version":"2012-10-17","Statement":[{"Sid":"Replication","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}]}'
    $script:emulator = Start-TestEcrEmulator
    $script:aws = Get-EmulatorParameters $emulator
    function Get-LivePolicy { (Get-EcrEmulatorState -Emulator $emulator).policyText }
    function Set-LivePolicy([string] $Text) {
        $body = @{ policyText = $Text } | ConvertTo-Json -Compress
        Invoke-RestMethod -Method Put -Uri "$($emulator.Url)__emulator/state" -Body $body -ContentType 'application/json' | Out-Null
    }
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Set-PtcRegistryPolicy to ECR' {
    BeforeEach {
        $emulator | Reset-EcrEmulator
        $script:backups = Join-Path $TestDrive ("backups-" + [guid]::NewGuid().ToString('N'))
    }

    It 'creates the policy on a fresh registry: Get | change | Set' {
        $read = Get-PtcRegistryPolicy @aws
        $new = $ptc | ConvertFrom-PtcRegistryPolicy
        $new.Exists = $read.Exists; $new.SourceText = $read.SourceText; $new.Region = $read.Region
        $result = $new | Set-PtcRegistryPolicy -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -BackupPath $backups
        $result | Should -BeOfType PtcTools.PtcRegistryPolicyWriteResult
        $result.Status | Should -Be 'Created'
        $result.Region | Should -Be 'us-east-1'
        $result.BackupPath | Should -BeNullOrEmpty
        Get-LivePolicy | Should -BeExactly $ptc
    }

    It 'refuses text piped from Get-Content even with -Region, instead of writing it back to its file' {
        # Get-Content's PSPath binds -LiteralPath and PowerShell then picks the file set, -Region or not.
        $file = Join-Path $TestDrive 'to-ecr.json'
        Set-Content -LiteralPath $file -Value $ptc -NoNewline
        $result = Get-Content -LiteralPath $file -Raw | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyTargetAmbiguous,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match 'not to ECR as the AWS parameters given ask'
        Get-LivePolicy | Should -BeNullOrEmpty
    }

    It 'writes the text of a file to ECR given as -PolicyText, as the refusal suggests' {
        $file = Join-Path $TestDrive 'to-ecr-argument.json'
        Set-Content -LiteralPath $file -Value $ptc -NoNewline
        $result = Set-PtcRegistryPolicy -PolicyText (Get-Content -Raw $file) @aws -BackupPath $backups -Force
        $result.Status | Should -Be 'Created'
        Get-LivePolicy | Should -BeExactly $ptc
    }

    It 'shows the statement-level change under -WhatIf and writes nothing' {
        Set-LivePolicy $replication
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$p = Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl '$($emulator.Url)' -AccessKey '$($emulator.AccessKey)' -SecretKey '$($emulator.SecretKey)'; " +
            "'$ptc' | Set-PtcRegistryPolicy -Region us-east-1 -EndpointUrl '$($emulator.Url)' -AccessKey '$($emulator.AccessKey)' -SecretKey '$($emulator.SecretKey)' -BackupPath '$backups' -Force -WhatIf"
        $whatIf = Invoke-ChildPwsh $script
        $whatIf | Should -Match 'What if: Replace the ECR registry policy in us-east-1: 1 statement'
        $whatIf | Should -Match "\+ 'PullThroughCache' added"
        $whatIf | Should -Match "- 'Replication' removed"
        Get-LivePolicy | Should -BeExactly $replication
        Test-Path -LiteralPath $backups | Should -BeFalse
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'PutRegistryPolicy').Count | Should -Be 0
    }

    It 'skips an unchanged policy without writing or backing up' {
        Set-LivePolicy $ptc
        $result = Get-PtcRegistryPolicy @aws | Set-PtcRegistryPolicy @aws -BackupPath $backups
        $result.Status | Should -Be 'Unchanged'
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'PutRegistryPolicy').Count | Should -Be 0
        Test-Path -LiteralPath $backups | Should -BeFalse
    }

    It 'backs up the previous policy, writes, and reads back with -PassThru' {
        Set-LivePolicy $replication
        $read = Get-PtcRegistryPolicy @aws
        $new = $ptc | ConvertFrom-PtcRegistryPolicy
        $new.SourceText = $read.SourceText; $new.Region = 'us-east-1'
        $written = $new | Set-PtcRegistryPolicy @aws -BackupPath $backups -PassThru
        $written | Should -BeOfType PtcTools.PtcRegistryPolicy
        $written.SourceText | Should -BeExactly $ptc
        $written.RegistryId | Should -Be '111122223333'
        $backup = Get-ChildItem -LiteralPath $backups -Filter 'ecr-us-east-1-*.json'
        @($backup).Count | Should -Be 1
        Get-Content -LiteralPath $backup.FullName -Raw | Should -BeExactly $replication
    }

    It 'refuses to overwrite a policy someone changed between the read and the write' {
        $read = Get-PtcRegistryPolicy @aws
        $emulator | Set-EcrEmulatorFault -ChangePolicyAfterNextGet $replication
        $null = Get-PtcRegistryPolicy @aws
        $new = $ptc | ConvertFrom-PtcRegistryPolicy
        $new.Exists = $read.Exists; $new.SourceText = $read.SourceText; $new.Region = 'us-east-1'
        $result = $new | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyChangedSinceRead,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problem[0].TargetObject | Should -Be 'the ECR registry policy in us-east-1'
        $result.Status | Should -Be 'Failed'
        Get-LivePolicy | Should -BeExactly $replication
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'PutRegistryPolicy').Count | Should -Be 0
    }

    It 'detects a change that lands between the read and its guard, and -Statement merges onto it' {
        # Issue 16 item 3: Set plans from one read and reads once more, under the write lock, as the guard.
        # A policy piped from Get is itself the plan's read, so a change after Get is caught by the guard.
        $racer = '{"Version":"2012-10-17","Statement":[{"Sid":"Racer","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:ReplicateImage","Resource":"*"}]}'
        Set-LivePolicy $replication
        $emulator | Set-EcrEmulatorFault -ChangePolicyAfterNextGet $racer
        $read = Get-PtcRegistryPolicy @aws
        $new = $ptc | ConvertFrom-PtcRegistryPolicy
        $new.SourceText = $read.SourceText; $new.Region = 'us-east-1'
        $new | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyChangedSinceRead,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        Get-LivePolicy | Should -BeExactly $racer

        # -Statement reads each target for its plan: the change fires after that read, the guard sees it,
        # and the statements are merged again onto what the racer wrote, which stays.
        Set-LivePolicy $replication
        $emulator | Set-EcrEmulatorFault -ChangePolicyAfterNextGet $racer
        $statement = New-PtcPolicyStatement -Sid PullThroughCache -Principal 'arn:aws:iam::111122223333:role/ci-puller' -RepositoryPrefix ecr-public -Region us-east-1 -RegistryId 111122223333
        $result = Set-PtcRegistryPolicy -Statement $statement @aws -BackupPath $backups -Confirm:$false
        $result.Status | Should -Be 'Updated'
        $live = Get-LivePolicy | ConvertFrom-Json
        $live.Statement.Sid | Sort-Object | Should -Be 'PullThroughCache', 'Racer'
    }

    It 'makes at most 3 GetRegistryPolicy, 1 GetAccountSetting and 1 PutRegistryPolicy calls for Get | Add | Set' {
        # Issue 16 item 3: Get's read, the guard and the read-back; the scope is read once; one write.
        Set-LivePolicy $replication
        $statement = New-PtcPolicyStatement -Sid PullThroughCache -Principal 'arn:aws:iam::111122223333:role/ci-puller' -RepositoryPrefix ecr-public -Region us-east-1 -RegistryId 111122223333
        $before = (Get-EcrEmulatorState -Emulator $emulator).callCounts
        $result = Get-PtcRegistryPolicy @aws | Add-PtcRegistryStatement -Statement $statement | Set-PtcRegistryPolicy @aws -BackupPath $backups
        $after = (Get-EcrEmulatorState -Emulator $emulator).callCounts
        $result.Status | Should -Be 'Updated'
        $calls = @{}
        foreach ($operation in 'GetRegistryPolicy', 'GetAccountSetting', 'PutRegistryPolicy') {
            $calls[$operation] = [int] $after.$operation - [int] $before.$operation
        }
        $calls.GetRegistryPolicy | Should -BeLessOrEqual 3
        $calls.GetAccountSetting | Should -BeLessOrEqual 1
        $calls.PutRegistryPolicy | Should -Be 1
        Get-LivePolicy | Should -Match 'PullThroughCache'
    }

    It 'reads a read-back that has not caught up with the put again, and reports Created, not RegistryPolicyNotFound' {
        # Users saw RegistryPolicyNotFoundException on the first apply: ECR's read right after a put may lag.
        $emulator | Set-EcrEmulatorFault -StaleReadsAfterPut 2
        $result = $ptc | Set-PtcRegistryPolicy @aws -BackupPath $backups -Verbose 4>&1 | Tee-Object -Variable all | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }
        $result.Status | Should -Be 'Created'
        ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'has not caught up'
        Get-LivePolicy | Should -BeExactly $ptc
        (Get-EcrEmulatorState -Emulator $emulator).callCounts.PutRegistryPolicy | Should -Be 1
    }

    It 'is RegistryPolicyVerifyFailed when the read-back never catches up within the bound, and does not write again' {
        Set-LivePolicy $replication
        $emulator | Set-EcrEmulatorFault -StaleReadsAfterPut 100
        $read = Get-PtcRegistryPolicy @aws
        $new = $ptc | ConvertFrom-PtcRegistryPolicy
        $new.SourceText = $read.SourceText; $new.Region = 'us-east-1'
        $new | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyVerifyFailed,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match 'was accepted, but 5 reads of it over 3\.1 seconds after it still show the policy it replaced'
        (Get-EcrEmulatorState -Emulator $emulator).callCounts.PutRegistryPolicy | Should -Be 1
        Get-LivePolicy | Should -BeExactly $ptc
    }

    It 'overwrites a concurrent change with -Force, keeping it as a backup' {
        Set-LivePolicy $replication
        $result = $ptc | Set-PtcRegistryPolicy @aws -BackupPath $backups -Force
        $result.Status | Should -Be 'Updated'
        Get-LivePolicy | Should -BeExactly $ptc
        Get-Content -LiteralPath $result.BackupPath -Raw | Should -BeExactly $replication
    }

    It 'refuses JSON text that was never read when the registry holds a different policy' {
        Set-LivePolicy $replication
        $ptc | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyChangedSinceRead,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match 'not read from it'
        $problem[0].ErrorDetails.RecommendedAction | Should -Be 'Read it with Get-PtcRegistryPolicy and merge with Add-PtcRegistryStatement, or use -Force to replace it whole.'
        Get-LivePolicy | Should -BeExactly $replication
    }

    It 'recovers from throttling and 500s on the write within the retry budget' {
        $emulator | Set-EcrEmulatorFault -Throttle 2 -ServerError 1 -Operation PutRegistryPolicy
        ($ptc | Set-PtcRegistryPolicy @aws -BackupPath $backups).Status | Should -Be 'Created'
        Get-LivePolicy | Should -BeExactly $ptc
    }

    It 'reports an interrupted write with the backup and a clear error' {
        Set-LivePolicy $replication
        $emulator | Set-EcrEmulatorFault -DropConnection 10 -Operation PutRegistryPolicy
        $result = $ptc | Set-PtcRegistryPolicy @aws -BackupPath $backups -Force -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyWriteInterrupted,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'WriteError'
        $backup = @(Get-ChildItem -LiteralPath $backups)[0].FullName
        $problem[0].Exception.Message | Should -Match ([regex]::Escape($backup))
        $problem[0].ErrorDetails.RecommendedAction | Should -Be 'Read it with Get-PtcRegistryPolicy before trying again.'
        Get-Content -LiteralPath $backup -Raw | Should -BeExactly $replication
        $result.Status | Should -Be 'Failed'
        $result.ErrorId | Should -Be 'RegistryPolicyWriteInterrupted'
        # The result's Error text, which no error view shows, carries the recommendation after the message.
        $result.Error | Should -BeExactly ($problem[0].Exception.Message + ' ' + $problem[0].ErrorDetails.RecommendedAction)
    }

    It 'refuses a policy that fails the check with PolicyValidationFailed, and -SkipValidation lets ECR judge it' {
        $bad = '{"Version":"2012-10-17","Statement":[{"Sid":"NoPrincipal","Effect":"Allow","Action":"ecr:CreateRepository","Resource":"*"}]}'
        $bad | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyValidationFailed,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].TargetObject | Should -Be $bad
        $problem[0].Exception.Message | Should -Match "statement 'NoPrincipal'"

        $bad | Set-PtcRegistryPolicy @aws -BackupPath $backups -SkipValidation -ErrorAction SilentlyContinue -ErrorVariable refused | Out-Null
        $refused[0].FullyQualifiedErrorId | Should -Be 'EcrInvalidParameter,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $refused[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $refused[0].Exception.Message | Should -Match 'Nothing was written'
    }

    It 'names the Region the chain resolved as the target, not "(default Region)"' {
        try {
            $env:AWS_REGION = 'us-east-1'
            $result = Get-PtcRegistryPolicy -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey |
                Add-PtcRegistryStatement -Statement (New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix quay -Region us-east-1 -RegistryId 111122223333) |
                Set-PtcRegistryPolicy -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -BackupPath $backups -Confirm:$false
            $result.Target | Should -Be 'us-east-1'
            $result.Region | Should -Be 'us-east-1'
            $result.Status | Should -Be 'Created'
        } finally {
            Remove-Item env:AWS_REGION -ErrorAction Ignore
        }
    }

    It 'names a finding about the whole policy as "the policy", in sentences that end once' {
        '{"Version":"2012-10-17","Statement":[]}' | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyValidationFailed,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match '\[PTC004\] the policy: '
        $problem[0].Exception.Message | Should -Not -Match 'statement -1|\.\.'
    }

    It 'checks the policy against the registry policy scope it reads (V1 refuses other actions)' {
        Invoke-RestMethod -Method Put -Uri "$($emulator.Url)__emulator/state" -Body (@{ registryPolicyScope = 'V1' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        $pull = '{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:BatchGetImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}]}'
        $pull | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyValidationFailed,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match "\[PTC\d+\] statement 'Pull'"
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'PutRegistryPolicy').Count | Should -Be 0
    }

    It 'refuses a policy over 10240 characters with PolicyTextTooLong' {
        $long = '{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"' + ('x' * 10240) + '"}]}'
        $long | Set-PtcRegistryPolicy @aws -SkipValidation -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyTextTooLong,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'rolls out to several Regions one by one, with a summary per Region and a failed Region as a non-terminating error' {
        $results = $ptc | Set-PtcRegistryPolicy -Region 'us-east-1', 'eu-west-1' -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $results.Count | Should -Be 2
        $results[0].Target | Should -Be 'us-east-1'
        $results[0].Status | Should -Be 'Created'
        $results[1].Target | Should -Be 'eu-west-1'
        $results[1].Status | Should -Be 'Failed'
        $results[1].ErrorId | Should -Be 'AwsCredentialsRejected'
        $problem.Count | Should -Be 1
        $problem[0].TargetObject | Should -Be 'eu-west-1'
        Get-LivePolicy | Should -BeExactly $ptc
    }

    It 'accepts the PolicyText property of an AWS.Tools response' {
        ([pscustomobject]@{ PolicyText = $ptc; RegistryId = '111122223333' } | Set-PtcRegistryPolicy @aws -BackupPath $backups).Status | Should -Be 'Created'
    }

    It 'is ConfirmImpact Medium and supports -WhatIf and -Confirm' {
        $metadata = [System.Management.Automation.CommandMetadata]::new((Get-Command Set-PtcRegistryPolicy))
        $metadata.ConfirmImpact | Should -Be 'Medium'
        $metadata.SupportsShouldProcess | Should -BeTrue
    }
}

Describe 'Set-PtcRegistryPolicy and the account it writes to' {
    BeforeAll {
        # A second registry in account 444455556666: what credentials (a profile, a role) for another account reach.
        $script:other = Start-TestEcrEmulator -AccountId '444455556666'
        $script:otherAws = Get-EmulatorParameters $other
        function Get-OtherPolicy { (Get-EcrEmulatorState -Emulator $other).policyText }
        function Get-OtherPuts { @($other | Get-EcrEmulatorRequest | Where-Object operation -EQ 'PutRegistryPolicy').Count }
    }

    AfterAll {
        if ($other) { $other | Stop-EcrEmulator }
    }

    BeforeEach {
        $emulator | Reset-EcrEmulator
        $other | Reset-EcrEmulator
        $script:backups = Join-Path $TestDrive ("backups-" + [guid]::NewGuid().ToString('N'))
    }

    It 'refuses a policy read from account 111122223333 piped to credentials of account 444455556666 (<Case>)' -TestCases @(
        @{ Case = 'a fresh registry'; OtherPolicy = $null; Force = $false }
        @{ Case = 'a fresh registry, -Force'; OtherPolicy = $null; Force = $true }
        @{ Case = 'a registry with a policy, -Force'; OtherPolicy = 'replication'; Force = $true }
    ) {
        Set-LivePolicy $ptc
        if ($OtherPolicy) {
            Invoke-RestMethod -Method Put -Uri "$($other.Url)__emulator/state" -Body (@{ policyText = $replication } | ConvertTo-Json -Compress) -ContentType 'application/json' | Out-Null
        }
        $before = Get-OtherPolicy
        $result = Get-PtcRegistryPolicy @aws | Set-PtcRegistryPolicy @otherAws -BackupPath $backups -Force:$Force -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problem[0].TargetObject | Should -Be 'the ECR registry policy in us-east-1'
        $problem[0].Exception.Message | Should -Match 'read from account 111122223333, but the credentials in use write to the ECR registry policy in us-east-1 of account 444455556666'
        $problem[0].Exception.Message | Should -Match 'Nothing was written'
        $problem[0].Exception.Message | Should -Not -Match '(^|\s|\()-[A-Z][a-z]+|\b(Get|Set|Test)-Ptc'
        $problem[0].ErrorDetails.RecommendedAction | Should -Match '^Check -ProfileName, -Credential or the session credentials\. To copy the policy .*Test-PtcRegistryPolicy -RegistryId .*PolicyText'
        $result.Status | Should -Be 'Failed'
        $result.ErrorId | Should -Be 'RegistryPolicyAccountMismatch'
        $result.RegistryId | Should -Be '444455556666'
        Get-OtherPolicy | Should -Be $before
        Get-OtherPuts | Should -Be 0
        Test-Path -LiteralPath $backups | Should -BeFalse
    }

    It 'refuses it even when the other account already holds the same text, instead of reporting Unchanged' {
        Set-LivePolicy $ptc
        Invoke-RestMethod -Method Put -Uri "$($other.Url)__emulator/state" -Body (@{ policyText = $ptc } | ConvertTo-Json -Compress) -ContentType 'application/json' | Out-Null
        $result = Get-PtcRegistryPolicy @aws | Set-PtcRegistryPolicy @otherAws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $result.Status | Should -Be 'Failed'
    }

    It 'refuses it under -WhatIf too, so the preview does not promise a write that would be wrong' {
        $result = Get-PtcRegistryPolicy @aws | Set-PtcRegistryPolicy @otherAws -BackupPath $backups -WhatIf -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $result.Status | Should -Be 'Failed'
        Get-OtherPuts | Should -Be 0
    }

    It 'refuses <Case> that names another account' -TestCases @(
        @{ Case = 'an AWS.Tools Get-ECRRegistryPolicy response'; Make = { param($p) [pscustomobject]@{ PolicyText = $p.PolicyText; RegistryId = $p.RegistryId } } }
        @{ Case = 'a deserialized policy (remoting, jobs)'; Make = { param($p) [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($p)) } }
        @{ Case = 'a policy given with -PolicyText instead of the pipeline'; Make = { param($p) $p }; Named = $true }
    ) {
        Set-LivePolicy $ptc
        $input = & $Make (Get-PtcRegistryPolicy @aws)
        if ($Named) { $result = Set-PtcRegistryPolicy -PolicyText $input @otherAws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem }
        else { $result = $input | Set-PtcRegistryPolicy @otherAws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem }
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $result.Status | Should -Be 'Failed'
        Get-OtherPuts | Should -Be 0
    }

    It 'refuses JSON text when -RegistryId names another account than the credentials reach, and writes it when it names theirs' {
        $ptc | Set-PtcRegistryPolicy @otherAws -RegistryId 111122223333 -BackupPath $backups -Force -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problem[0].Exception.Message | Should -Match '^The registry id given names account 111122223333, but .* of account 444455556666'
        $problem[0].ErrorDetails.RecommendedAction | Should -Be 'Check -ProfileName, -Credential or the session credentials.'
        Get-OtherPuts | Should -Be 0
        ($ptc | Set-PtcRegistryPolicy @aws -RegistryId 111122223333 -BackupPath $backups).Status | Should -Be 'Created'
    }

    It 'refuses a -RegistryId that is not 12 digits with RegistryIdInvalid' {
        $ptc | Set-PtcRegistryPolicy @aws -RegistryId 'prod' -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryIdInvalid,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be 'prod'
        Get-LivePolicy | Should -BeNullOrEmpty
    }

    It 'binds -RegistryId by property name for each piped object alone, not carrying one object''s account to the next' {
        $results = @([pscustomobject]@{ PolicyText = $ptc; RegistryId = '444455556666' }, $ptc) | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $results.Status | Should -Be 'Failed', 'Created'
    }

    It 'takes -RegistryId by property name' {
        (Get-Command Set-PtcRegistryPolicy).Parameters['RegistryId'].Attributes.Where({ $_ -is [Parameter] }).ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It 'writes Get | Add | Set on a fresh registry of the same account, which now reads with its account' {
        $statement = New-PtcPolicyStatement -Sid PullThroughCache -Principal 'arn:aws:iam::111122223333:role/ci-puller' -RepositoryPrefix ecr-public -Region us-east-1 -RegistryId 111122223333
        $read = Get-PtcRegistryPolicy @aws
        $read.RegistryId | Should -Be '111122223333'
        $result = $read | Add-PtcRegistryStatement -Statement $statement | Set-PtcRegistryPolicy @aws -BackupPath $backups
        $result.Status | Should -Be 'Created'
        $result.RegistryId | Should -Be '111122223333'
        Get-LivePolicy | Should -Match 'PullThroughCache'
    }

    It 'writes the PolicyText of a policy from another account on purpose, warning of its Resource ARNs (PTC102) on a fresh registry' {
        Set-LivePolicy $ptc
        $result = (Get-PtcRegistryPolicy @aws).PolicyText | Set-PtcRegistryPolicy @otherAws -BackupPath $backups -WarningVariable warned 3>$null
        $result.Status | Should -Be 'Created'
        Get-OtherPolicy | Should -BeExactly $ptc
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match "^\[PTC102\] statement 'PullThroughCache': .*111122223333.*444455556666"
    }

    It 'warns of nothing when the Resource ARNs are the registry''s own' {
        $result = $ptc | Set-PtcRegistryPolicy @aws -BackupPath $backups -WarningVariable warned 3>$null
        $result.Status | Should -Be 'Created'
        @($warned).Count | Should -Be 0
    }

    It 'refuses with RegistryPolicyAccountUnknown when the account written to cannot be described' {
        $other | Set-EcrEmulatorFault -ServerError 10 -Operation DescribeRegistry
        $result = Get-PtcRegistryPolicy @aws | Set-PtcRegistryPolicy @otherAws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyAccountUnknown,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $problem[0].TargetObject | Should -Be 'the ECR registry policy in us-east-1'
        $problem[0].Exception.Message | Should -Match 'ecr:DescribeRegistry'
        $problem[0].ErrorDetails.RecommendedAction | Should -Match '^Allow ecr:DescribeRegistry .*pipe the policy''s PolicyText'
        $result.Status | Should -Be 'Failed'
        Get-OtherPuts | Should -Be 0
    }

    It 'writes a policy read from an account to a policy file, which belongs to no account' {
        Set-LivePolicy $ptc
        $file = Join-Path $TestDrive 'from-ecr.json'
        (Get-PtcRegistryPolicy @aws | Set-PtcRegistryPolicy -LiteralPath $file -BackupPath $backups).Status | Should -Be 'Created'
        (Get-PtcRegistryPolicy -LiteralPath $file).PolicyText | Should -BeExactly $ptc
    }
}

Describe 'Set-PtcRegistryPolicy to files' {
    It 'writes a policy read from a file back to that file, indented, with a backup' {
        $file = Join-Path $TestDrive 'policy.json'
        Set-Content -LiteralPath $file -Value $replication -NoNewline
        $backups = Join-Path $TestDrive 'file-backups'
        $read = Get-PtcRegistryPolicy -LiteralPath $file
        $new = $ptc | ConvertFrom-PtcRegistryPolicy
        $new.SourceText = $read.SourceText; $new.Path = $read.Path
        $result = $new | Set-PtcRegistryPolicy -BackupPath $backups
        $result.Status | Should -Be 'Updated'
        $result.Path | Should -Be $file
        (Get-Content -LiteralPath $file -Raw | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $ptc
        (Get-Content -LiteralPath $file).Count | Should -BeGreaterThan 1
        Get-Content -LiteralPath $result.BackupPath -Raw | Should -BeExactly $replication
    }

    It 'refuses a folder given as the policy file with PolicyFileNotFound, before writing anything' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'not-a-file') -Force
        $result = $ptc | Set-PtcRegistryPolicy -LiteralPath $folder.FullName -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @(Get-ChildItem -LiteralPath $folder.FullName -Force).Count | Should -Be 0
    }

    It 'refuses to guess a target for a piped file object, and says so in the words of a file object' {
        # Get-Item binds -PolicyText by value (the file is read) and -LiteralPath by its PSPath, as Get-Content's text does.
        $file = Join-Path $TestDrive 'item.json'
        Set-Content -LiteralPath $file -Value $replication -NoNewline
        $result = Get-Item -LiteralPath $file | Set-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyTargetAmbiguous,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].TargetObject | Should -Be $file
        $problem[0].Exception.Message | Should -Match 'file object piped in'
        $problem[0].Exception.Message | Should -Not -Match 'Get-Content|policy text'
        # The path is shown as it is typed, without the provider prefix of a PSPath.
        $problem[0].Exception.Message | Should -Not -Match 'FileSystem::'
        $problem[0].Exception.Message | Should -Match ([regex]::Escape("-PolicyText (Get-Item -LiteralPath '$file')"))
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $replication
    }

    It 'refuses to guess a target for text piped from Get-Content, which carries its file''s PSPath' {
        $file = Join-Path $TestDrive 'gitops.json'
        Set-Content -LiteralPath $file -Value $replication -NoNewline
        $result = Get-Content -LiteralPath $file -Raw | Set-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyTargetAmbiguous,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be $file
        $problem[0].Exception.Message | Should -Match '-Region'
        (Get-Content -LiteralPath $file -Raw | Set-PtcRegistryPolicy -LiteralPath $file).Status | Should -Be 'Unchanged'
    }

    It 'creates a new file with -LiteralPath' {
        $file = Join-Path $TestDrive 'new' 'policy.json'
        ($ptc | Set-PtcRegistryPolicy -LiteralPath $file).Status | Should -Be 'Created'
        (Get-PtcRegistryPolicy -LiteralPath $file).PolicyText | Should -BeExactly $ptc
    }

    It 'leaves the old file or the new one, never a part, when the writing process is killed midway' {
        # A child process rewrites the file with 8 MB texts as fast as it can; killed at a random moment,
        # the file must still parse as one of the two complete policies.
        $file = Join-Path $TestDrive 'killed.json'
        $a = '{"Version":"2012-10-17","Statement":[],"Padding":"' + ('a' * 8MB) + '"}'
        Set-Content -LiteralPath $file -Value $a -NoNewline
        $assembly = Join-Path (Split-Path $env:PTCTOOLS_MODULE) 'PtcTools.Aws.dll'
        $child = Start-ChildPwsh @"
`$null = [System.Reflection.Assembly]::LoadFrom('$assembly')
`$a = '{"Version":"2012-10-17","Statement":[],"Padding":"' + ('a' * 8MB) + '"}'
`$b = '{"Version":"2012-10-17","Statement":[],"Padding":"' + ('b' * 8MB) + '"}'
'started'
while (`$true) { [PtcTools.Aws.Stores.FileRegistryPolicyStore]::WriteAtomically('$file', `$b); [PtcTools.Aws.Stores.FileRegistryPolicyStore]::WriteAtomically('$file', `$a) }
"@
        try {
            $null = $child.StandardOutput.ReadLineAsync().Wait(30000)
            Start-Sleep -Milliseconds (Get-Random -Minimum 300 -Maximum 900)
        } finally {
            $child.Kill($true)
            $null = $child.WaitForExit(10000)
        }
        $text = [System.IO.File]::ReadAllText($file)
        $text.Length | Should -Be $a.Length
        $text | Should -Match '^\{"Version":"2012-10-17","Statement":\[\],"Padding":"(a+|b+)"\}$'
    }

    Context 'typed -PolicyText (issue 16 item 1 decision)' {
        It 'has a PtcRegistryPolicy -PolicyText and a PtcPolicyStatement[] -Statement' {
            (Get-Command Set-PtcRegistryPolicy).Parameters.PolicyText.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            (Get-Command Set-PtcRegistryPolicy).Parameters.Statement.ParameterType | Should -Be ([PtcTools.PtcPolicyStatement[]])
        }

        It 'reads a policy file object as the policy file: written where a target is named, else back to its file (it was PolicyInputInvalid)' {
            $source = Join-Path $TestDrive 'typed-source.json'
            Set-Content -LiteralPath $source -Value $ptc -NoNewline
            $copy = Join-Path $TestDrive 'typed-copy.json'
            (Set-PtcRegistryPolicy -PolicyText (Get-Item -LiteralPath $source) -LiteralPath $copy).Status | Should -Be 'Created'
            (Get-PtcRegistryPolicy -LiteralPath $copy).PolicyText | Should -BeExactly $ptc
            $back = Set-PtcRegistryPolicy -PolicyText (Get-Item -LiteralPath $source)
            $back.Status | Should -Be 'Unchanged'
            $back.Path | Should -Be (Get-Item -LiteralPath $source).FullName
        }

        It 'reports a value that is no policy with the cmdlet''s error id and the value as target, and writes nothing: <ErrorId>' -TestCases @(
            @{ Value = 42; ErrorId = 'PolicyInputInvalid'; Category = 'InvalidArgument' }
            @{ Value = '{"Version":'; ErrorId = 'PolicyJsonInvalid'; Category = 'InvalidData' }
        ) {
            $file = Join-Path $TestDrive ('typed-' + [guid]::NewGuid().ToString('N') + '.json')
            Set-PtcRegistryPolicy -PolicyText $Value -LiteralPath $file -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
            $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.SetPtcRegistryPolicyCommand"
            $problem[0].CategoryInfo.Category | Should -Be $Category
            $problem[0].TargetObject | Should -Be $Value
            Test-Path -LiteralPath $file | Should -BeFalse
        }

        It 'stops on a -Statement that is no statement before resolving any target, with the value as target' {
            try { Set-PtcRegistryPolicy -Statement '{"Sid":' -Region us-east-1 -ErrorAction Stop } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.SetPtcRegistryPolicyCommand'
            $caught.TargetObject | Should -BeExactly '{"Sid":'
        }
    }
}

Describe 'Set-PtcRegistryPolicy -WhatIf and the access it would grant' {
    It 'ends the preview with the access the write would newly grant, or none' {
        $file = Join-Path $TestDrive 'whatif-access.json'
        Set-Content -LiteralPath $file -Value $replication -NoNewline
        $wider = $replication.Replace('"arn:aws:iam::444455556666:root"', '"*"')
        $whatIf = Invoke-ChildPwsh "Import-Module '$env:PTCTOOLS_MODULE'; '$wider' | Set-PtcRegistryPolicy -LiteralPath '$file' -Force -WhatIf"
        $whatIf | Should -Match "~ 'Replication' changed"
        $whatIf | Should -Match 'Access the write would newly grant \(\d+ class(es)?\):'
        $whatIf | Should -Match '\+ New access: arn:aws:iam::999999999999:root .*can ecr:CreateRepository'
        (Get-Content -LiteralPath $file -Raw) | Should -BeExactly $replication

        $narrower = $replication.Replace('"ecr:CreateRepository",', '')
        $whatIf = Invoke-ChildPwsh "Import-Module '$env:PTCTOOLS_MODULE'; '$narrower' | Set-PtcRegistryPolicy -LiteralPath '$file' -Force -WhatIf"
        $whatIf | Should -Match 'Access the write would newly grant: none\.'
    }
}
