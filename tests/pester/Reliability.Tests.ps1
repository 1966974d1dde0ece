# Issue 18: what comes in is bounded and typed, credentials cannot crash the process, plain http is refused.
# The concurrency rows are in Concurrency.Tests.ps1; the safe-write rows of files and ECR are in SafeWrite.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:emulator = Start-TestEcrEmulator
    $script:aws = Get-EmulatorParameters $emulator
    $script:statement = @{ Sid = 'Numbers'; Effect = 'Allow'; Principal = @{ AWS = '111122223333' }; Action = 'ecr:ReplicateImage'; Resource = '*' }
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Numbers a policy cannot hold, in structured input' {
    It 'refuses <Case> in a hashtable given to <Command> with PolicyInputInvalid naming where it is' -TestCases @(
        @{ Command = 'ConvertFrom-PtcRegistryPolicy'; Case = 'NaN'; Value = [double]::NaN }
        @{ Command = 'ConvertFrom-PtcRegistryPolicy'; Case = 'Infinity'; Value = [double]::PositiveInfinity }
        @{ Command = 'ConvertFrom-PtcRegistryPolicy'; Case = '1e300'; Value = 1e300 }
        @{ Command = 'Add-PtcRegistryStatement'; Case = '-Infinity'; Value = [double]::NegativeInfinity }
        @{ Command = 'Add-PtcRegistryStatement'; Case = '1e300'; Value = 1e300 }
        @{ Command = 'New-PtcPolicyStatement'; Case = 'NaN'; Value = [double]::NaN }
        @{ Command = 'New-PtcPolicyStatement'; Case = '1e300'; Value = -1e300 }
    ) {
        param($Command, $Case, $Value)
        $condition = @{ NumericLessThan = @{ 'aws:MultiFactorAuthAge' = $Value } }
        $statement = $script:statement.Clone()
        $statement.Condition = $condition
        $result = switch ($Command) {
            'ConvertFrom-PtcRegistryPolicy' { ConvertFrom-PtcRegistryPolicy -InputObject @{ Version = '2012-10-17'; Statement = @($statement) } -ErrorAction SilentlyContinue -ErrorVariable problem }
            # Add stops (StatementInputInvalid) after naming the statement it could not read.
            'Add-PtcRegistryStatement' { try { Add-PtcRegistryStatement -Statement $statement -ErrorAction SilentlyContinue -ErrorVariable problem } catch { $null } }
            'New-PtcPolicyStatement' { New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix ecr-public -Condition $condition -ErrorAction SilentlyContinue -ErrorVariable problem }
        }
        $result | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -BeLike "PolicyInputInvalid,*"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].Exception.Message | Should -Match 'aws:MultiFactorAuthAge'
        $problem[0].Exception.Message | Should -Match 'JSON has no NaN or Infinity'
    }

    It 'keeps an ordinary number of a hashtable as the number' {
        $statement = $script:statement.Clone()
        $statement.Condition = @{ NumericLessThan = @{ 'aws:MultiFactorAuthAge' = 3600.5 } }
        (Add-PtcRegistryStatement -Statement $statement).PolicyText | Should -Match '"aws:MultiFactorAuthAge":3600\.5'
    }
}

Describe 'Credentials that refer to themselves' {
    It 'refuses a -Credential whose Credentials is itself with CredentialInputInvalid instead of overflowing the stack' {
        $credential = [pscustomobject]@{ Name = 'loop' }
        $credential | Add-Member -NotePropertyName Credentials -NotePropertyValue $credential
        Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $emulator.Url -Credential $credential -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'CredentialInputInvalid,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].Exception.Message | Should -Match 'refer to itself'
    }

    It 'refuses a $StoredAWSCredentials whose GetCredentials() returns itself the same way' {
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$global:StoredAWSCredentials = [pscustomobject]@{ Name = 'loop' }; " +
            "`$global:StoredAWSCredentials | Add-Member -MemberType ScriptMethod -Name GetCredentials -Value { `$this }; " +
            "try { Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl '$($emulator.Url)' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }; 'still running'"
        $output = Invoke-ChildPwsh $script
        $output | Should -Match 'CredentialInputInvalid,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $output | Should -Match 'still running'
    }
}

Describe 'Plain http' {
    It 'refuses an http endpoint that is not loopback with AwsEndpointNotEncrypted before anything is sent' {
        Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl 'http://ecr.internal.example:8080' -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'AwsEndpointNotEncrypted,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be 'http://ecr.internal.example:8080'
        $problem[0].Exception.Message | Should -Match 'Nothing was sent'
    }

    It 'refuses it from AWS_ENDPOINT_URL_ECR too' {
        $env:AWS_ENDPOINT_URL_ECR = 'http://ecr.internal.example'
        try {
            Get-PtcPullThroughCacheRule -Region us-east-1 -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -Be 'AwsEndpointNotEncrypted,PtcTools.Commands.GetPtcPullThroughCacheRuleCommand'
        } finally { Remove-Item env:AWS_ENDPOINT_URL_ECR }
    }

    It 'warns when -AllowUnencryptedHttp lets it through' {
        # A malformed Region stops the call right after the warning, so nothing goes to the network.
        Get-PtcRegistryPolicy -Region 'not-a-region' -EndpointUrl 'http://ecr.internal.example:8080' -AllowUnencryptedHttp -AccessKey a -SecretKey b -WarningVariable warned -WarningAction SilentlyContinue -ErrorAction SilentlyContinue | Out-Null
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match 'http://ecr.internal.example:8080 go over plain http'
    }

    It 'needs no switch for the loopback emulator' {
        (Get-PtcRegistryPolicy @aws -WarningVariable warned).Region | Should -Be 'us-east-1'
        $warned.Count | Should -Be 0
    }
}
