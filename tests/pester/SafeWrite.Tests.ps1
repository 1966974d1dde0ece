# Issue 18 (items 2, 3, 5, 6, 7) and issue 17 (items 2 and 3): where a write goes, what -WhatIf and Ctrl+C say,
# and how files, lost answers and malformed answers are handled by Set, Get and Remove.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:emulator = Start-TestEcrEmulator
    $script:aws = Get-EmulatorParameters $emulator
    $script:old = '{"Version":"2012-10-17","Statement":[{"Sid":"Old","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:ReplicateImage","Resource":"*"}]}'
    $script:theirs = '{"Version":"2012-10-17","Statement":[{"Sid":"Old","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:ReplicateImage","Resource":"*"},{"Sid":"Theirs","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:ReplicateImage","Resource":"*"}]}'
    $script:ours = '{"Sid":"Ours","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}'
    function Set-LivePolicy([string] $Text) {
        $body = @{ policyText = $Text } | ConvertTo-Json -Compress
        Invoke-RestMethod -Method Put -Uri "$($emulator.Url)__emulator/state" -Body $body -ContentType 'application/json' | Out-Null
    }
    function Get-LivePolicy { (Get-EcrEmulatorState -Emulator $emulator).policyText }
    function Get-PutCount([string] $Operation = 'PutRegistryPolicy') { @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ $Operation).Count }
    function New-PolicyFile([string] $Name, [string] $Text = $old) {
        $file = Join-Path $TestDrive $Name
        Set-Content -LiteralPath $file -Value $Text -NoNewline
        $file
    }
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'A policy goes back where it came from' {
    BeforeEach {
        $emulator | Reset-EcrEmulator
        $script:backups = Join-Path $TestDrive ('backups-' + [guid]::NewGuid().ToString('N'))
        # ECR is reachable without any parameter, as in a shell set up for AWS: a write that goes there by mistake would land.
        $env:AWS_REGION = 'us-east-1'; $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
        $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey; $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    }
    AfterEach {
        foreach ($name in 'AWS_REGION', 'AWS_ENDPOINT_URL_ECR', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY') { Remove-Item "env:$name" -ErrorAction Ignore }
    }

    It 'writes Get -Path f | <Edit> | Set back to the file, not to ECR' -TestCases @(
        @{ Edit = 'Add-PtcRegistryStatement -Statement'; Run = { param($p) $p | Add-PtcRegistryStatement -Statement $ours } }
        @{ Edit = 'Add-PtcRegistryStatement -Policy'; Run = { param($p) $ours | Add-PtcRegistryStatement -Policy $p } }
        @{ Edit = 'Remove-PtcRegistryStatement'; Run = { param($p) $p | Add-PtcRegistryStatement -Statement $ours | Remove-PtcRegistryStatement -Sid Old } }
        @{ Edit = 'ConvertFrom-PtcRegistryPolicy'; Run = { param($p) $p | ConvertFrom-PtcRegistryPolicy | Add-PtcRegistryStatement -Statement $ours } }
    ) {
        param($Edit, $Run)
        $file = New-PolicyFile "origin-$([guid]::NewGuid().ToString('N')).json"
        $edited = & $Run (Get-PtcRegistryPolicy -Path $file)
        $edited.Path | Should -Be $file
        $result = $edited | Set-PtcRegistryPolicy -BackupPath $backups
        $result.Status | Should -Be 'Updated'
        $result.Path | Should -Be $file
        (Get-PtcRegistryPolicy -LiteralPath $file).Statement.Sid | Should -Contain 'Ours'
        Get-PutCount | Should -Be 0
        Get-LivePolicy | Should -BeNullOrEmpty
    }

    It 'writes to ECR when a target is named (<Target>)' -TestCases @(
        @{ Target = '-Region'; Parameters = @{ Region = 'us-east-1' } }
        @{ Target = '-EndpointUrl'; Parameters = @{ EndpointUrl = 'placeholder' } }
    ) {
        param($Target, $Parameters)
        if ($Parameters.EndpointUrl) { $Parameters.EndpointUrl = $emulator.Url }
        $file = New-PolicyFile "named-$([guid]::NewGuid().ToString('N')).json"
        $result = Get-PtcRegistryPolicy -Path $file | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy @Parameters -BackupPath $backups -Force
        $result.Status | Should -Be 'Created'
        $result.Region | Should -Be 'us-east-1'
        Get-LivePolicy | Should -Match '"Sid":"Ours"'
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $old
    }
}

Describe 'Set-PtcRegistryPolicy -WhatIf runs the checks of the real run' {
    BeforeEach {
        $emulator | Reset-EcrEmulator
        $script:backups = Join-Path $TestDrive ('backups-' + [guid]::NewGuid().ToString('N'))
    }

    It 'says a stale file policy would be refused, with the id, and shows no diff' {
        $file = New-PolicyFile 'stale.json'
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$p = Get-PtcRegistryPolicy -LiteralPath '$file'; " +
            "Set-Content -LiteralPath '$file' -Value '$theirs' -NoNewline; " +
            "`$p | Add-PtcRegistryStatement -Statement '$ours' | Set-PtcRegistryPolicy -BackupPath '$backups' -WhatIf -ErrorAction SilentlyContinue; `$Error[0].FullyQualifiedErrorId"
        $output = Invoke-ChildPwsh $script
        $output | Should -Match 'What if: Set-PtcRegistryPolicy would be refused for the policy file .*stale\.json: RegistryPolicyChangedSinceRead'
        # The preview says what to do about it as the error would (its recommended action).
        ($output -join ' ') | Should -Match 'RegistryPolicyChangedSinceRead: .*changed since it was read.* Read it again with Get-PtcRegistryPolicy, .*or use -Force'
        $output | Should -Match 'RegistryPolicyChangedSinceRead,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $output | Should -Not -Match "\+ 'Ours' added"
        $output | Should -Not -Match 'What if: Replace'
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $theirs
        Test-Path -LiteralPath $backups | Should -BeFalse
    }

    It 'says a stale ECR policy would be refused the same way, and nothing is sent' {
        Set-LivePolicy $old
        $parameters = "-Region us-east-1 -EndpointUrl '$($emulator.Url)' -AccessKey '$($emulator.AccessKey)' -SecretKey '$($emulator.SecretKey)'"
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$p = Get-PtcRegistryPolicy $parameters; " +
            "Invoke-RestMethod -Method Put -Uri '$($emulator.Url)__emulator/state' -Body (@{ policyText = '$theirs' } | ConvertTo-Json) -ContentType 'application/json' | Out-Null; " +
            "`$p | Add-PtcRegistryStatement -Statement '$ours' | Set-PtcRegistryPolicy $parameters -BackupPath '$backups' -WhatIf"
        $output = Invoke-ChildPwsh $script
        $output | Should -Match 'What if: Set-PtcRegistryPolicy would be refused for the ECR registry policy in us-east-1: RegistryPolicyChangedSinceRead'
        $output | Should -Not -Match 'What if: Replace'
        Get-PutCount | Should -Be 0
        Get-LivePolicy | Should -BeExactly $theirs
    }

    It 'shows the diff when the real run would write' {
        $file = New-PolicyFile 'fresh.json'
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; Get-PtcRegistryPolicy -LiteralPath '$file' | Add-PtcRegistryStatement -Statement '$ours' | Set-PtcRegistryPolicy -BackupPath '$backups' -WhatIf"
        $output = Invoke-ChildPwsh $script
        $output | Should -Match 'What if: Replace the policy file'
        $output | Should -Match "\+ 'Ours' added"
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $old
    }
}

Describe 'Restoring a backup' {
    It 'puts the previous policy of a file back with the documented recipe' {
        $file = New-PolicyFile 'restore.json'
        $backups = Join-Path $TestDrive 'restore-backups'
        $written = Get-PtcRegistryPolicy -LiteralPath $file | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy -BackupPath $backups
        $written.Status | Should -Be 'Updated'
        # The recipe of Set-PtcRegistryPolicy's help: the backup's text, -Force (the target holds what replaced it), same target.
        $restored = Set-PtcRegistryPolicy -PolicyText (Get-Content -LiteralPath $written.BackupPath -Raw) -LiteralPath $file -BackupPath $backups -Force
        $restored.Status | Should -Be 'Updated'
        (Get-PtcRegistryPolicy -LiteralPath $file).PolicyText | Should -BeExactly $old
        (Get-PtcRegistryPolicy -LiteralPath $restored.BackupPath).Statement.Sid | Should -Contain 'Ours'
    }

    It 'puts the previous policy of ECR back the same way' {
        $emulator | Reset-EcrEmulator
        Set-LivePolicy $old
        $backups = Join-Path $TestDrive 'restore-ecr-backups'
        $written = Get-PtcRegistryPolicy @aws | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy @aws -BackupPath $backups
        $restored = Set-PtcRegistryPolicy -PolicyText (Get-Content -LiteralPath $written.BackupPath -Raw) @aws -BackupPath $backups -Force
        $restored.Status | Should -Be 'Updated'
        Get-LivePolicy | Should -BeExactly $old
    }
}

Describe 'Ctrl+C during Set-PtcRegistryPolicy' {
    It 'reports RegistryPolicyWriteInterrupted naming the backup and saying the write may have landed, in $Error' {
        $emulator | Reset-EcrEmulator
        Set-LivePolicy $old
        $backups = Join-Path $TestDrive 'stopped-backups'
        $emulator | Set-EcrEmulatorFault -DelayMs 20000 -DelayCount 1 -Operation PutRegistryPolicy | Out-Null
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        try {
            $null = $shell.AddScript("Import-Module '$env:PTCTOOLS_MODULE'; '$theirs' | Set-PtcRegistryPolicy -Region us-east-1 -EndpointUrl '$($emulator.Url)' -AccessKey '$($emulator.AccessKey)' -SecretKey '$($emulator.SecretKey)' -BackupPath '$backups' -Force")
            $running = $shell.BeginInvoke()
            # The backup is made right before the write is sent; then the write waits in the emulator.
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while (-not (Test-Path -LiteralPath $backups) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 500
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            { $shell.EndInvoke($running) } | Should -Throw
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        } finally {
            $shell.Dispose()
        }
        $inspect = [powershell]::Create()
        $inspect.Runspace = $runspace
        $errors = @($inspect.AddScript('$Error').Invoke())
        $runspace.Dispose()
        $errors.Count | Should -BeGreaterThan 0
        $errors[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyWriteInterrupted,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'WriteError'
        $backup = @(Get-ChildItem -LiteralPath $backups -Filter *.json)[0].FullName
        $errors[0].Exception.Message | Should -Match ([regex]::Escape($backup))
        $errors[0].Exception.Message | Should -Match 'may or may not have landed'
        Get-Content -LiteralPath $backup -Raw | Should -BeExactly $old
    }
}

Describe 'Lost answers' {
    BeforeEach {
        $emulator | Reset-EcrEmulator
        Set-LivePolicy $old
        $script:backups = Join-Path $TestDrive ('backups-' + [guid]::NewGuid().ToString('N'))
    }

    It 'reports Updated for a write whose answer was dropped after it landed, sending it once' {
        $emulator | Set-EcrEmulatorFault -DropResponse 5 -Operation PutRegistryPolicy | Out-Null
        $result = Get-PtcRegistryPolicy @aws | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy @aws -BackupPath $backups
        $result.Status | Should -Be 'Updated'
        Get-PutCount | Should -Be 1
        Get-LivePolicy | Should -Match '"Sid":"Ours"'
    }

    It 'does not send a write again whose connection dropped before it landed, and says it did not land' {
        $emulator | Set-EcrEmulatorFault -DropConnection 5 -Operation PutRegistryPolicy | Out-Null
        $result = Get-PtcRegistryPolicy @aws | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $result.Status | Should -Be 'Failed'
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyWriteInterrupted,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match 'has not landed'
        Get-PutCount | Should -Be 1
        Get-LivePolicy | Should -BeExactly $old
    }

    It 'merges its statement again when another writer lands right after it, and reports it honestly' {
        $emulator | Set-EcrEmulatorFault -ChangePolicyAfterPut $theirs | Out-Null
        $result = Get-PtcRegistryPolicy @aws | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy @aws -BackupPath $backups -Verbose 4>&1
        ($result | Where-Object { $_ -is [PtcTools.PtcRegistryPolicyWriteResult] }).Status | Should -Be 'Updated'
        (($result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match "Another writer replaced .*'Ours' \(missing\)"
        $live = Get-LivePolicy | ConvertFrom-PtcRegistryPolicy
        $live.Statement.Sid | Should -Be @('Old', 'Theirs', 'Ours')
    }

    It 'fails naming the statement when another writer keeps taking it away' {
        $emulator | Set-EcrEmulatorFault -ChangePolicyAfterPut $theirs -ChangePolicyAfterPutCount 50 | Out-Null
        $result = Get-PtcRegistryPolicy @aws | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy @aws -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $result.Status | Should -Be 'Failed'
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyVerifyFailed,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match "'Ours' \(missing\)"
    }
}

Describe 'Malformed and oversized ECR answers' {
    BeforeEach {
        $emulator | Reset-EcrEmulator
        Set-LivePolicy $old
        $script:backups = Join-Path $TestDrive ('backups-' + [guid]::NewGuid().ToString('N'))
    }

    It 'refuses GetRegistryPolicy without policyText with EcrResponseInvalid in <Command>, writing and removing nothing' -TestCases @(
        @{ Command = 'Get-PtcRegistryPolicy' }
        @{ Command = 'Set-PtcRegistryPolicy -Force' }
        @{ Command = 'Remove-PtcRegistryPolicy' }
    ) {
        param($Command)
        $emulator | Set-EcrEmulatorFault -RespondBody '{"registryId":"111122223333"}' -RespondCount 20 -Operation GetRegistryPolicy | Out-Null
        switch ($Command) {
            'Get-PtcRegistryPolicy' { Get-PtcRegistryPolicy @aws -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty }
            'Set-PtcRegistryPolicy -Force' { $theirs | Set-PtcRegistryPolicy @aws -Force -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null }
            'Remove-PtcRegistryPolicy' { Remove-PtcRegistryPolicy @aws -BackupPath $backups -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problem }
        }
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'EcrResponseInvalid,*'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].Exception.Message | Should -Match 'no policyText'
        $problem[0].Exception.Message | Should -Not -Match 'changed since|text is empty'
        Get-PutCount | Should -Be 0
        Get-PutCount DeleteRegistryPolicy | Should -Be 0
        Get-LivePolicy | Should -BeExactly $old
    }

    It 'refuses <Case> with EcrResponseInvalid' -TestCases @(
        @{ Case = 'policyText as an object'; Operation = 'GetRegistryPolicy'; Body = '{"registryId":"111122223333","policyText":{"Version":"2012-10-17"}}'; Command = { Get-PtcRegistryPolicy @aws -ErrorAction SilentlyContinue -ErrorVariable problem } }
        @{ Case = 'rules that are numbers'; Operation = 'DescribePullThroughCacheRules'; Body = '{"pullThroughCacheRules":[1,2]}'; Command = { Get-PtcPullThroughCacheRule @aws -ErrorAction SilentlyContinue -ErrorVariable problem } }
        @{ Case = 'createdAt 1e300'; Operation = 'DescribePullThroughCacheRules'; Body = '{"pullThroughCacheRules":[{"ecrRepositoryPrefix":"a","upstreamRegistryUrl":"quay.upstream.example","createdAt":1e300}]}'; Command = { Get-PtcPullThroughCacheRule @aws -ErrorAction SilentlyContinue -ErrorVariable problem } }
    ) {
        param($Case, $Operation, $Body, $Command)
        $emulator | Set-EcrEmulatorFault -RespondBody $Body -Operation $Operation | Out-Null
        $problem = $null
        $result = . $Command
        $result | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'EcrResponseInvalid,*'
    }

    It 'stops a listing whose pages do not end with EcrPageLimitExceeded' {
        $emulator | Set-EcrEmulatorFault -RespondBody '{"pullThroughCacheRules":[],"nextToken":"again"}' -RespondCount 5 -Operation DescribePullThroughCacheRules | Out-Null
        Get-PtcPullThroughCacheRule @aws -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'EcrPageLimitExceeded,PtcTools.Commands.GetPtcPullThroughCacheRuleCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'refuses an answer over 16 MB with AwsResponseTooLarge' {
        $emulator | Set-EcrEmulatorFault -RespondBody ('{"registryId":"111122223333","policyText":"' + ('a' * 17MB) + '"}') -Operation GetRegistryPolicy | Out-Null
        Get-PtcRegistryPolicy @aws -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'AwsResponseTooLarge,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
    }

    It 'prints a server message of 2 MB cut short and without control characters' {
        $message = "Denied`e[2J`e]0;title`a" + ('x' * 2MB)
        $emulator | Set-EcrEmulatorFault -RespondStatus 400 -RespondBody (@{ __type = 'AccessDeniedException'; message = $message } | ConvertTo-Json -Compress) -Operation GetRegistryPolicy | Out-Null
        Get-PtcRegistryPolicy @aws -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'EcrAccessDenied,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message.Length | Should -BeLessThan 1400
        $problem[0].Exception.Message | Should -Match 'Denied'
        $problem[0].Exception.Message | Should -Not -Match '[\x00-\x1f\x7f]'
    }
}

Describe 'Policy files are kept as they are' {
    BeforeEach { $script:backups = Join-Path $TestDrive ('backups-' + [guid]::NewGuid().ToString('N')) }

    It 'refuses a read-only file with PolicyFileReadOnly, and -Force writes it keeping it read-only' -Skip:$IsWindows {
        $file = New-PolicyFile 'read-only.json'
        chmod 0444 $file
        $result = Get-PtcRegistryPolicy -LiteralPath $file | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem
        $result.Status | Should -Be 'Failed'
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileReadOnly,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $old
        Test-Path -LiteralPath $backups | Should -BeFalse
        $forced = Get-PtcRegistryPolicy -LiteralPath $file | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy -BackupPath $backups -Force
        $forced.Status | Should -Be 'Updated'
        (Get-PtcRegistryPolicy -LiteralPath $file).Statement.Sid | Should -Contain 'Ours'
        (Get-Item -LiteralPath $file).UnixMode | Should -Be '-r--r--r--'
    }

    It 'writes through a symbolic link: the link stays, its target gets the policy' -Skip:$IsWindows {
        $target = New-PolicyFile 'link-target.json'
        $link = Join-Path $TestDrive 'the-link.json'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $target
        $result = Get-PtcRegistryPolicy -LiteralPath $link | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy -BackupPath $backups
        $result.Status | Should -Be 'Updated'
        (Get-Item -LiteralPath $link).LinkType | Should -Be 'SymbolicLink'
        (Get-PtcRegistryPolicy -LiteralPath $target).Statement.Sid | Should -Contain 'Ours'
    }

    It 'refuses a file that is not UTF-8 in <Command> before anything is written' -TestCases @(
        @{ Command = 'Get-PtcRegistryPolicy'; Run = { param($f) Get-PtcRegistryPolicy -LiteralPath $f -ErrorAction SilentlyContinue -ErrorVariable problem; $problem } }
        @{ Command = 'Add-PtcRegistryStatement -LiteralPath'; Run = { param($f) try { Add-PtcRegistryStatement -LiteralPath $f -Statement $ours -ErrorAction Stop } catch { $_ } } }
        @{ Command = 'Set-PtcRegistryPolicy -Force'; Run = { param($f) $null = $ours | Add-PtcRegistryStatement | Set-PtcRegistryPolicy -LiteralPath $f -Force -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem; $problem } }
    ) {
        param($Command, $Run)
        $file = Join-Path $TestDrive "latin1-$([guid]::NewGuid().ToString('N')).json"
        $bytes = [Text.Encoding]::UTF8.GetBytes('{"Version":"2012-10-17","Statement":[{"Sid":"Caf') + [byte]0xE9 + [Text.Encoding]::UTF8.GetBytes('","Effect":"Allow","Principal":"*","Action":"ecr:ReplicateImage","Resource":"*"}]}')
        [IO.File]::WriteAllBytes($file, [byte[]] $bytes)
        $problem = @(& $Run $file) | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'PolicyFileEncodingInvalid,*'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        [IO.File]::ReadAllBytes($file) | Should -Be $bytes
        Test-Path -LiteralPath $backups | Should -BeFalse
    }

    It 'refuses policy text with half a surrogate pair (<Case>) with PolicyJsonInvalid at its place, before anything is written' -TestCases @(
        @{ Case = 'an escaped \ud800'; Sid = '\ud800' }
        @{ Case = 'an escaped \udc00 alone'; Sid = 'a\udc00' }
        @{ Case = 'a raw one'; Sid = [string][char]0xD800 }
    ) {
        param($Case, $Sid)
        $file = Join-Path $TestDrive "surrogate-$([guid]::NewGuid().ToString('N')).json"
        ('{"Version":"2012-10-17","Statement":[{"Sid":"' + $Sid + '","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:ReplicateImage","Resource":"*"}]}') |
            Set-PtcRegistryPolicy -LiteralPath $file -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match 'line 1, column 4\d.*half of a UTF-16 surrogate pair'
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'keeps a whole surrogate pair as it is' {
        $file = Join-Path $TestDrive 'pair.json'
        '{"Version":"2012-10-17","Statement":[{"Sid":"Rocket","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:ReplicateImage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/icon":"\ud83d\ude80"}}}]}' |
            Set-PtcRegistryPolicy -LiteralPath $file -BackupPath $backups -SkipValidation | Out-Null
        (Get-PtcRegistryPolicy -LiteralPath $file).PolicyText | Should -BeLike ('*"aws:PrincipalTag/icon":"' + [char]::ConvertFromUtf32(0x1F680) + '"*')
    }

    It 'refuses a lone surrogate that came in as structure with PolicyTextInvalidUnicode before anything is written' {
        $file = Join-Path $TestDrive 'surrogate-structure.json'
        $policy = ConvertFrom-PtcRegistryPolicy -InputObject @{ Version = '2012-10-17'; Statement = @(@{ Sid = [string][char]0xD800; Effect = 'Allow'; Principal = @{ AWS = '111122223333' }; Action = 'ecr:ReplicateImage'; Resource = '*' }) }
        $policy | Set-PtcRegistryPolicy -LiteralPath $file -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyTextInvalidUnicode,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        Test-Path -LiteralPath $file | Should -BeFalse
    }

    It 'removes the temp files a killed write left behind' {
        $file = New-PolicyFile 'leftovers.json'
        $leftover = Join-Path $TestDrive '.leftovers.json.0badf00d.tmp'
        Set-Content -LiteralPath $leftover -Value '{"Version":"2012-10-17","Statement":[{"Sid":"Ha'
        (Get-PtcRegistryPolicy -LiteralPath $file | Add-PtcRegistryStatement -Statement $ours | Set-PtcRegistryPolicy -BackupPath $backups).Status | Should -Be 'Updated'
        Test-Path -LiteralPath $leftover | Should -BeFalse
    }
}
