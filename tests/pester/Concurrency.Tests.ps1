# Issue 18, item 1: writers that each add their own statements at the same time lose nothing. Every statement whose
# writer was told Created, Updated or Unchanged is in the policy at the end. One pwsh per writer runs all its rounds.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:emulator = Start-TestEcrEmulator

    # One writer: waits for the start signal, then adds one statement per round with Get | Add | Set, reading again
    # when Set says the policy changed since it was read. It prints one line per round: the Sid and what Set said.
    $script:writer = {
        param([string] $Module, [string] $Id, [int] $Rounds, [string] $Go, [string] $Target, [string] $Backups, [string] $LockHome, [hashtable] $Aws)
        if ($LockHome) { $env:XDG_DATA_HOME = $LockHome; $env:LOCALAPPDATA = $LockHome }
        Import-Module $Module
        $deadline = [DateTime]::UtcNow.AddSeconds(120)
        while (-not (Test-Path -LiteralPath $Go) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 10 }
        for ($round = 0; $round -lt $Rounds; $round++) {
            $sid = "$($Id)r$round"
            $statement = '{"Sid":"' + $sid + '","Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}'
            $outcome = 'GaveUp'
            for ($try = 0; $try -lt 40; $try++) {
                $problem = $null
                $result = if ($Target) {
                    Get-PtcRegistryPolicy -LiteralPath $Target | Add-PtcRegistryStatement -Statement $statement | Set-PtcRegistryPolicy -SkipValidation -BackupPath $Backups -ErrorAction SilentlyContinue -ErrorVariable problem
                } else {
                    Get-PtcRegistryPolicy @Aws | Add-PtcRegistryStatement -Statement $statement | Set-PtcRegistryPolicy @Aws -SkipValidation -BackupPath $Backups -ErrorAction SilentlyContinue -ErrorVariable problem
                }
                if ($result.Status -in 'Created', 'Updated', 'Unchanged') { $outcome = $result.Status; break }
                $outcome = if ($problem) { $problem[0].FullyQualifiedErrorId.Split(',')[0] } else { 'NoResult' }
                if ($outcome -ne 'RegistryPolicyChangedSinceRead') { break }
            }
            "$sid $outcome $try"
        }
    }

    function Invoke-Writers {
        param([int] $Count, [int] $Rounds, [string] $Target, [switch] $SeparateLocks, [int] $SettleMs)
        $go = Join-Path $TestDrive ("go-" + [guid]::NewGuid().ToString('N'))
        $aws = "@{ Region = 'us-east-1'; EndpointUrl = '$($emulator.Url)'; AccessKey = '$($emulator.AccessKey)'; SecretKey = '$($emulator.SecretKey)' }"
        $processes = foreach ($i in 1..$Count) {
            $lockHome = if ($SeparateLocks) { Join-Path $TestDrive "machine-$i-$([guid]::NewGuid().ToString('N'))" } else { '' }
            $backups = Join-Path $TestDrive "backups-w$i"
            $script = "`$env:PTCTOOLS_WRITE_SETTLE_MS = '$SettleMs'; & { $writer } -Module '$env:PTCTOOLS_MODULE' -Id 'w$i' -Rounds $Rounds -Go '$go' -Target '$Target' -Backups '$backups' -LockHome '$lockHome' -Aws $aws"
            Start-ChildPwsh $script
        }
        $reads = foreach ($process in $processes) { $process.StandardOutput.ReadToEndAsync() }
        Start-Sleep -Milliseconds 300
        $null = New-Item -ItemType File -Path $go
        $lines = foreach ($i in 0..($processes.Count - 1)) {
            $finished = $reads[$i].Wait([TimeSpan]::FromSeconds(240))
            if (-not $finished) { $processes[$i].Kill($true) }
            $finished | Should -BeTrue -Because "writer $($i + 1) must finish its rounds in time"
            $reads[$i].Result -split "`n" | ForEach-Object Trim | Where-Object { $_ -match '^w\d+r\d+ ' }
        }
        foreach ($process in $processes) { $null = $process.WaitForExit(10000); $process.Dispose() }
        $lines | ForEach-Object { $sid, $outcome, $tries = $_ -split ' ', 3; [pscustomobject]@{ Sid = $sid; Outcome = $outcome; Retries = [int] $tries } }
    }

    function Assert-NothingLost {
        param($Outcomes, [string[]] $Present, [int] $Expected)
        @($Outcomes).Count | Should -Be $Expected -Because 'every writer reports every round'
        $succeeded = @($Outcomes | Where-Object Outcome -In 'Created', 'Updated', 'Unchanged')
        $lost = @($succeeded | Where-Object Sid -NotIn $Present)
        $lost.Sid | Should -BeNullOrEmpty -Because 'a statement whose writer was told it was written is in the policy'
        # Between PtcTools writers each round ends written: a refusal is retried, and nothing else may happen.
        @($Outcomes | Where-Object Outcome -NotIn 'Created', 'Updated', 'Unchanged').Count | Should -Be 0 -Because (($Outcomes | Where-Object Outcome -NotIn 'Created', 'Updated', 'Unchanged' | ForEach-Object { "$($_.Sid): $($_.Outcome)" }) -join '; ')
        $Present.Count | Should -Be $Expected
    }
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Concurrent writers lose nothing' {
    It 'keeps every statement of 2 writers x 50 rounds on one policy file' {
        $file = Join-Path $TestDrive 'shared-policy.json'
        Set-Content -LiteralPath $file -Value '{"Version":"2012-10-17","Statement":[]}' -NoNewline
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $outcomes = Invoke-Writers -Count 2 -Rounds 50 -Target $file
        Write-Host "file: $($watch.Elapsed) retries $(($outcomes | Measure-Object Retries -Sum).Sum)"
        $present = @((Get-PtcRegistryPolicy -LiteralPath $file).Statement.Sid)
        Assert-NothingLost $outcomes $present 100
    }

    It 'keeps every statement of 2 writers x 50 rounds on ECR, each writer on its own machine (no shared lock)' {
        $emulator | Reset-EcrEmulator
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $outcomes = Invoke-Writers -Count 2 -Rounds 50 -SeparateLocks -SettleMs 400
        Write-Host "ecr: $($watch.Elapsed) retries $(($outcomes | Measure-Object Retries -Sum).Sum)"
        $present = @(((Get-EcrEmulatorState -Emulator $emulator).policyText | ConvertFrom-PtcRegistryPolicy).Statement.Sid)
        Assert-NothingLost $outcomes $present 100
    }
}
