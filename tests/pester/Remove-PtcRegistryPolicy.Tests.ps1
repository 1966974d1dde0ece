BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'
    $script:emulator = Start-TestEcrEmulator -Seed @{ policyText = $policy }
    $script:aws = Get-EmulatorParameters $emulator
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Remove-PtcRegistryPolicy' {
    BeforeEach {
        $emulator | Reset-EcrEmulator
        $script:backups = Join-Path $TestDrive ("backups-" + [guid]::NewGuid().ToString('N'))
    }

    It 'is ConfirmImpact High' {
        [System.Management.Automation.CommandMetadata]::new((Get-Command Remove-PtcRegistryPolicy)).ConfirmImpact | Should -Be 'High'
    }

    It 'leaves the policy in place under -WhatIf' {
        Remove-PtcRegistryPolicy @aws -BackupPath $backups -WhatIf
        (Get-EcrEmulatorState -Emulator $emulator).policyText | Should -BeExactly $policy
        Test-Path -LiteralPath $backups | Should -BeFalse
    }

    It 'backs the policy up first, then deletes it' {
        $result = Remove-PtcRegistryPolicy @aws -BackupPath $backups -Confirm:$false -PassThru
        $result | Should -BeOfType PtcTools.PtcRegistryPolicyWriteResult
        $result.Status | Should -Be 'Removed'
        $result.RegistryId | Should -Be '111122223333'
        Get-Content -LiteralPath $result.BackupPath -Raw | Should -BeExactly $policy
        (Get-EcrEmulatorState -Emulator $emulator).policyText | Should -BeNullOrEmpty
        (Get-PtcRegistryPolicy @aws).Exists | Should -BeFalse
    }

    It 'can be undone the way its help says: the backup written back with Set-PtcRegistryPolicy -PolicyText' {
        $result = Remove-PtcRegistryPolicy @aws -BackupPath $backups -Confirm:$false -PassThru
        $backup = $result.BackupPath
        # The line of the help (docs/en-US/Remove-PtcRegistryPolicy.md), with this test's emulator and backup folder.
        $restored = Set-PtcRegistryPolicy -PolicyText (Get-Content $backup -Raw) @aws -BackupPath $backups
        $restored.Status | Should -Be 'Created'
        (Get-EcrEmulatorState -Emulator $emulator).policyText | Should -BeExactly $policy
        (Get-Content -LiteralPath (Join-Path $env:PTCTOOLS_REPO 'docs/en-US/Remove-PtcRegistryPolicy.md') -Raw) |
            Should -Match ([regex]::Escape('Set-PtcRegistryPolicy -PolicyText (Get-Content $backup -Raw) -Region'))
    }

    It 'writes nothing without -PassThru' {
        Remove-PtcRegistryPolicy @aws -BackupPath $backups -Confirm:$false | Should -BeNullOrEmpty
    }

    It 'reports a registry without a policy as RegistryPolicyNotFound' {
        Remove-PtcRegistryPolicy @aws -BackupPath $backups -Confirm:$false
        Remove-PtcRegistryPolicy @aws -BackupPath $backups -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyNotFound,PtcTools.Commands.RemovePtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -Be 'the ECR registry policy in us-east-1'
    }

    It 'does not delete when the backup cannot be written (RegistryPolicyBackupFailed)' {
        $blocker = Join-Path $TestDrive 'a-file'
        Set-Content -LiteralPath $blocker -Value 'x'
        Remove-PtcRegistryPolicy @aws -BackupPath (Join-Path $blocker 'sub') -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'RegistryPolicyBackupFailed,PtcTools.Commands.RemovePtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'WriteError'
        (Get-EcrEmulatorState -Emulator $emulator).policyText | Should -BeExactly $policy
    }

    It 'removes a policy file with a backup' {
        $file = Join-Path $TestDrive 'policy.json'
        Set-Content -LiteralPath $file -Value $policy -NoNewline
        $result = Remove-PtcRegistryPolicy -LiteralPath $file -BackupPath $backups -Confirm:$false -PassThru
        Test-Path -LiteralPath $file | Should -BeFalse
        Get-Content -LiteralPath $result.BackupPath -Raw | Should -BeExactly $policy
    }
}
