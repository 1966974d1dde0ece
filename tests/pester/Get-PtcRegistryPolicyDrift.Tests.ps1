BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:savedAws = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    Import-TestEcrEmulator
    $script:emulator = Start-EcrEmulator -AccountId 111122223333, 444455556666, 777788889999 -Region us-east-1, eu-west-1 -ExitAfterSeconds 600
    $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
    $env:AWS_ENDPOINT_URL_STS = $emulator.Url
    $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    $script:ci = New-PtcPolicyStatement -Sid CiPull -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
    $script:backups = Join-Path $TestDrive 'backups'
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $savedAws
}

Describe 'Get-PtcRegistryPolicyDrift' {
    BeforeEach { $null = $emulator | Reset-EcrEmulator }

    It 'gives one result per target: in sync where the statement is, drifted where it is missing' {
        Set-PtcRegistryPolicy -Statement $ci -AccountId 444455556666 -Region us-east-1 -BackupPath $backups | Out-Null
        $drift = Get-PtcRegistryPolicyDrift -Statement $ci -AccountId 444455556666, 777788889999 -Region us-east-1, eu-west-1
        $drift.Target | Should -Be '444455556666/us-east-1', '444455556666/eu-west-1', '777788889999/us-east-1', '777788889999/eu-west-1'
        $drift.Status | Should -Be 'InSync', 'Drifted', 'Drifted', 'Drifted'
        $drift[1].Missing | Should -Be 'CiPull'
    }

    It 'names changed and foreign statements' {
        $old = New-PtcPolicyStatement -Sid CiPull -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/old -Region us-east-1 -RegistryId 111122223333
        $team = '{"Sid":"Team","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"ecr:ReplicateImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
        Set-PtcRegistryPolicy -Statement $old, $team -AccountId 777788889999 -Region eu-west-1 -BackupPath $backups | Out-Null
        $drift = Get-PtcRegistryPolicyDrift -Statement $ci -AccountId 777788889999 -Region eu-west-1
        $drift.Changed | Should -Be 'CiPull'
        $drift.Foreign | Should -Be 'Team'
        ($drift.Statements | Where-Object Kind -eq Changed).Live | Should -Match 'role/old'
    }

    It 'converts -Statement to PtcPolicyStatement and reports a value that is no statement as StatementInvalid, with the value as target (issue 16 item 1 decision)' {
        (Get-Command Get-PtcRegistryPolicyDrift).Parameters.Statement.ParameterType | Should -Be ([PtcTools.PtcPolicyStatement[]])
        try { 42 | Get-PtcRegistryPolicyDrift -Region us-east-1 -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'StatementInvalid,PtcTools.Commands.GetPtcRegistryPolicyDriftCommand'
        $caught.TargetObject | Should -Be 42
        @($emulator | Get-EcrEmulatorRequest).Count | Should -Be 0
        ($ci.Json | ConvertFrom-Json | Get-PtcRegistryPolicyDrift -Region us-east-1).Missing | Should -Be 'CiPull'
    }

    It 'takes the statements from the pipeline' {
        $drift = $ci | Get-PtcRegistryPolicyDrift -Region us-east-1
        $drift.Status | Should -Be 'Drifted'
        $drift.RegistryId | Should -Be '111122223333'
    }

    It 'reports a target it cannot reach and goes on with the others' {
        $drift = Get-PtcRegistryPolicyDrift -Statement $ci -AccountId 123412341234, 444455556666 -Region us-east-1 -ErrorAction SilentlyContinue -ErrorVariable problem
        $drift.Status | Should -Be 'Failed', 'Drifted'
        $problem[0].FullyQualifiedErrorId | Should -Be 'AssumeRoleFailed,PtcTools.Commands.GetPtcRegistryPolicyDriftCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problem[0].TargetObject | Should -Be '123412341234/us-east-1'
    }

    It 'refuses an account id that is not 12 digits before calling anything' {
        { Get-PtcRegistryPolicyDrift -Statement $ci -AccountId 1234 -Region us-east-1 -ErrorAction Stop } | Should -Throw -ErrorId 'AccountIdInvalid,PtcTools.Commands.GetPtcRegistryPolicyDriftCommand'
        @($emulator | Get-EcrEmulatorRequest).Count | Should -Be 0
    }

    It 'refuses a -ThrottleLimit out of range' {
        { Get-PtcRegistryPolicyDrift -Statement $ci -Region us-east-1 -ThrottleLimit 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ThrottleLimitInvalid,PtcTools.Commands.GetPtcRegistryPolicyDriftCommand'
    }

    It 'refuses -RoleName without -AccountId' {
        { Get-PtcRegistryPolicyDrift -Statement $ci -Region us-east-1 -RoleName Other -ErrorAction Stop } | Should -Throw -ErrorId 'AccountIdMissing,PtcTools.Commands.GetPtcRegistryPolicyDriftCommand'
    }
}
