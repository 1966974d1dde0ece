# Issue 14: a rollout to 50 accounts x 4 Regions behind the emulator's fake STS, one process for every registry:
# faults in some targets, nothing lost, a kill in the middle and a resume from the journal.
BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:savedAws = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    Import-TestEcrEmulator
    $script:accounts = 1..50 | ForEach-Object { '{0:D12}' -f (300000000000 + $_) }
    $script:regions = 'us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'
    $script:emulator = Start-EcrEmulator -AccountId (@('111122223333') + $accounts) -Region $regions -ExitAfterSeconds 900
    # The caller's keys (the management account) and the one endpoint for ECR and STS, as a user's environment would.
    $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
    $env:AWS_ENDPOINT_URL_STS = $emulator.Url
    $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    $script:savedSettle = $env:PTCTOOLS_WRITE_SETTLE_MS
    $env:PTCTOOLS_WRITE_SETTLE_MS = '0'
    $script:backups = Join-Path $TestDrive 'backups'
    $script:ci = New-PtcPolicyStatement -Sid CiPull -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
    $script:team = @{ Sid = 'TeamReplication'; Effect = 'Allow'; Principal = @{ AWS = 'arn:aws:iam::999988887777:root' }; Action = 'ecr:ReplicateImage'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/*' }

    function Get-Sids([string] $Account, [string] $Region) {
        $parameters = Get-EcrEmulatorParameter -Emulator $emulator -AccountId $Account -Region $Region
        @((Get-PtcRegistryPolicy @parameters).Statement.Sid)
    }
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $savedAws
    $env:PTCTOOLS_WRITE_SETTLE_MS = $savedSettle
}

Describe 'A rollout to 50 accounts x 4 Regions' {
    BeforeEach {
        $emulator | Set-EcrEmulatorFault -Clear | Out-Null
    }

    BeforeAll {
        # Another team's statement is already in every registry, placed in each account and Region.
        $seeded = Set-PtcRegistryPolicy -Statement $team -AccountId $accounts -Region $regions -ThrottleLimit 32 -BackupPath $backups
        $seeded.Count | Should -Be 200
    }

    It 'writes every target once, reports one result per target, and a failing target does not stop the others' {
        $emulator | Set-EcrEmulatorFault -Throttle 3 -Operation PutRegistryPolicy -AccountId $accounts[3] -Region eu-west-1 | Out-Null
        $emulator | Set-EcrEmulatorFault -ServerError 500 -Operation GetRegistryPolicy -AccountId $accounts[7] -Region us-west-2 | Out-Null
        # STS in one Region slows down: AssumeRole is retried.
        $emulator | Set-EcrEmulatorFault -Throttle 3 -Operation AssumeRole -Region ap-southeast-2 | Out-Null
        $journal = Join-Path $TestDrive 'rollout.journal'
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $results = Set-PtcRegistryPolicy -Statement $ci -AccountId $accounts -Region $regions -ThrottleLimit 32 -JournalPath $journal -BackupPath $backups -ErrorAction SilentlyContinue -ErrorVariable problems
        $watch.Stop()
        Write-Host "    200 targets at ThrottleLimit 32: $([math]::Round($watch.Elapsed.TotalSeconds, 1)) s"
        $results.Count | Should -Be 200
        @($results | Where-Object Status -eq 'Updated').Count | Should -Be 199
        $failed = @($results | Where-Object Status -eq 'Failed')
        $failed.Target | Should -Be "$($accounts[7])/us-west-2"
        $failed[0].ErrorId | Should -Be 'EcrServerError'
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -Be 'EcrServerError,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        $problems[0].TargetObject | Should -Be "$($accounts[7])/us-west-2"
        # The throttled target got through on its retries.
        ($results | Where-Object Target -eq "$($accounts[3])/eu-west-1").Status | Should -Be 'Updated'

        # The rerun with the journal retries only the failed targets; the others are skipped.
        $emulator | Set-EcrEmulatorFault -Clear | Out-Null
        $again = Set-PtcRegistryPolicy -Statement $ci -AccountId $accounts -Region $regions -ThrottleLimit 32 -JournalPath $journal -BackupPath $backups
        @($again | Where-Object Status -eq 'Skipped').Count | Should -Be (200 - $failed.Count)
        @($again | Where-Object Status -eq 'Updated').Count | Should -Be $failed.Count
    }

    It 'loses no statement: every registry holds the other team''s and ours, placed in its own account and Region' {
        foreach ($account in $accounts[0, 7, 49]) {
            foreach ($region in $regions) {
                Get-Sids $account $region | Should -Be @('TeamReplication', 'CiPull')
            }
        }
        $policy = Get-PtcRegistryPolicy -AccountId $accounts[7] -Region us-west-2
        ($policy.Statement | Where-Object Sid -eq CiPull).Resource | Should -Be "arn:aws:ecr:us-west-2:$($accounts[7]):repository/ecr-public/*"
        $drift = Get-PtcRegistryPolicyDrift -Statement $ci -AccountId $accounts -Region $regions -ThrottleLimit 32
        $drift.Count | Should -Be 200
        @($drift | Where-Object Status -ne 'InSync').Count | Should -Be 0
        @($drift | Where-Object { $_.Foreign -contains 'TeamReplication' }).Count | Should -Be 200
    }

    It 'refuses the journal of another plan before touching anything' {
        $journal = Join-Path $TestDrive 'rollout.journal'
        $before = $emulator | Get-EcrEmulatorRequest
        { Set-PtcRegistryPolicy -Statement $team -AccountId $accounts -Region $regions -JournalPath $journal -BackupPath $backups -ErrorAction Stop } |
            Should -Throw -ErrorId 'JournalPlanMismatch,PtcTools.Commands.SetPtcRegistryPolicyCommand'
        @($emulator | Get-EcrEmulatorRequest).Count | Should -Be @($before).Count
    }

    It 'resumes from its journal after the process running it was killed, and loses nothing' {
        $quay = New-PtcPolicyStatement -Sid CiPullQuay -RepositoryPrefix quay -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
        $quayJson = $quay.ToString() -replace "'", "''"
        $journal = Join-Path $TestDrive 'killed.journal'
        # Every call waits, so the run is still going when it is killed.
        $emulator | Set-EcrEmulatorFault -DelayMs 50 | Out-Null
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$env:AWS_ENDPOINT_URL_ECR = '$($emulator.Url)'; `$env:AWS_ENDPOINT_URL_STS = '$($emulator.Url)'; " +
            "`$env:AWS_ACCESS_KEY_ID = '$($emulator.AccessKey)'; `$env:AWS_SECRET_ACCESS_KEY = '$($emulator.SecretKey)'; `$env:PTCTOOLS_WRITE_SETTLE_MS = '0'; " +
            "Set-PtcRegistryPolicy -Statement '$quayJson' -AccountId $($accounts -join ',') -Region $($regions -join ',') -ThrottleLimit 8 -JournalPath '$journal' -BackupPath '$backups' | Out-Null"
        $child = Start-ChildPwsh -Script $script
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            $finished = 0
            while ([DateTime]::UtcNow -lt $deadline -and $finished -lt 30) {
                Start-Sleep -Milliseconds 200
                if (Test-Path -LiteralPath $journal) {
                    $finished = @((Get-Content -LiteralPath $journal -Raw | ConvertFrom-Json).targets.PSObject.Properties).Count
                }
            }
            $finished | Should -BeGreaterOrEqual 30
        } finally {
            $child.Kill($true)
            $child.WaitForExit(10000) | Out-Null
        }
        $emulator | Set-EcrEmulatorFault -Clear | Out-Null
        $recorded = @((Get-Content -LiteralPath $journal -Raw | ConvertFrom-Json).targets.PSObject.Properties | Where-Object { $_.Value.succeeded }).Count
        $recorded | Should -BeLessThan 200

        $resumed = Set-PtcRegistryPolicy -Statement $quay -AccountId $accounts -Region $regions -ThrottleLimit 32 -JournalPath $journal -BackupPath $backups
        $resumed.Count | Should -Be 200
        @($resumed | Where-Object Status -eq 'Skipped').Count | Should -Be $recorded
        @($resumed | Where-Object Status -eq 'Failed').Count | Should -Be 0
        $drift = Get-PtcRegistryPolicyDrift -Statement $ci, $quay -AccountId $accounts -Region $regions -ThrottleLimit 32
        @($drift | Where-Object Status -ne 'InSync').Count | Should -Be 0
        @($drift | Where-Object { $_.Foreign -notcontains 'TeamReplication' }).Count | Should -Be 0
    }
}

Describe 'Seeing and stopping a rollout' {
    BeforeEach {
        $emulator | Set-EcrEmulatorFault -Clear | Out-Null
    }

    It 'prints the plan of every target under -WhatIf and writes nothing' {
        $few = $accounts[10..12]
        $new = New-PtcPolicyStatement -Sid CiPullMirror -RepositoryPrefix mirror -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$env:AWS_ENDPOINT_URL_ECR = '$($emulator.Url)'; `$env:AWS_ENDPOINT_URL_STS = '$($emulator.Url)'; " +
            "`$env:AWS_ACCESS_KEY_ID = '$($emulator.AccessKey)'; `$env:AWS_SECRET_ACCESS_KEY = '$($emulator.SecretKey)'; " +
            "Set-PtcRegistryPolicy -Statement '$($new.ToString() -replace "'", "''")' -AccountId $($few -join ',') -Region us-east-1, eu-west-1 -WhatIf -JournalPath '$(Join-Path $TestDrive 'whatif.journal')' | Out-Null"
        $puts = ($emulator | Get-EcrEmulatorState).callCount
        $printed = Invoke-ChildPwsh -Script $script
        foreach ($account in $few) {
            foreach ($region in 'us-east-1', 'eu-west-1') {
                $printed | Should -Match ([regex]::Escape("What if: Replace the ECR registry policy of account $account in $region"))
            }
        }
        $printed | Should -Match ([regex]::Escape("+ 'CiPullMirror' added"))
        @($emulator | Get-EcrEmulatorRequest | Where-Object { $_.sequence -gt $puts -and $_.operation -eq 'PutRegistryPolicy' }).Count | Should -Be 0
        Test-Path (Join-Path $TestDrive 'whatif.journal') | Should -BeFalse
    }

    It 'shows done, failed and remaining targets with Write-Progress' {
        $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $state.ImportPSModule($env:PTCTOOLS_MODULE)
        $shell = [powershell]::Create($state)
        try {
            $null = $shell.AddCommand('Set-PtcRegistryPolicy').AddParameter('Statement', $ci).AddParameter('AccountId', $accounts[20..21]).AddParameter('Region', [string[]]('us-east-1', 'eu-west-1')).AddParameter('BackupPath', $backups)
            $null = $shell.Invoke()
            $records = @($shell.Streams.Progress)
            $records.Count | Should -BeGreaterThan 1
            $records[-1].RecordType | Should -Be 'Completed'
            $records[-1].StatusDescription | Should -Be '4 done, 0 failed, 0 remaining'
            $records[0].Activity | Should -Be 'Set-PtcRegistryPolicy'
        } finally {
            $shell.Dispose()
        }
    }

    It 'stops promptly on Ctrl+C and leaves no target half-written: what was written is what the journal says' {
        $quick = New-PtcPolicyStatement -Sid CiPullK8s -RepositoryPrefix k8s -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
        $journal = Join-Path $TestDrive 'stopped.journal'
        $some = $accounts[30..39]
        # Each write waits in the emulator, so several are on their way when the stop comes.
        $emulator | Set-EcrEmulatorFault -DelayMs 800 -Operation PutRegistryPolicy | Out-Null
        $state = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
        $state.ImportPSModule($env:PTCTOOLS_MODULE)
        $shell = [powershell]::Create($state)
        try {
            $null = $shell.AddCommand('Set-PtcRegistryPolicy').AddParameter('Statement', $quick).AddParameter('AccountId', $some).AddParameter('Region', [string[]]$regions).AddParameter('ThrottleLimit', 4).AddParameter('JournalPath', $journal).AddParameter('BackupPath', $backups)
            $running = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ([DateTime]::UtcNow -lt $deadline -and -not ((Test-Path -LiteralPath $journal) -and @((Get-Content -LiteralPath $journal -Raw | ConvertFrom-Json).targets.PSObject.Properties).Count -ge 4)) { Start-Sleep -Milliseconds 50 }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            { $shell.EndInvoke($running) } | Should -Throw
        } finally {
            $shell.Dispose()
        }
        $emulator | Set-EcrEmulatorFault -Clear | Out-Null
        $recorded = @((Get-Content -LiteralPath $journal -Raw | ConvertFrom-Json).targets.PSObject.Properties | Where-Object { $_.Value.succeeded } | ForEach-Object Name)
        $recorded.Count | Should -BeLessThan 40
        $written = foreach ($account in $some) { foreach ($region in $regions) { if ((Get-Sids $account $region) -contains 'CiPullK8s') { "$account/$region" } } }
        @($written | Sort-Object) | Should -Be @($recorded | Sort-Object)
    }
}
