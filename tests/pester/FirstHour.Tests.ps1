# Issue 17, item 7: the smaller things a new user met in the first hour.
BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:emulator = Start-TestEcrEmulator
}
AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Credentials and Region from the AWS.Tools session' {
    It 'names $StoredAWSCredentials among the sources tried when none gives credentials' {
        $problem = { Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $emulator.Url -ErrorAction Stop } | Should -Throw -ErrorId 'NoCredentials,PtcTools.Commands.GetPtcRegistryPolicyCommand' -PassThru
        $problem.Exception.Message | Should -Match '\$StoredAWSCredentials \(Set-AWSCredential\): not given'
        $problem.Exception.Message | Should -Match 'Set-AWSCredential'
    }

    It 'takes the Region of the profile Set-AWSCredential stored, with its keys' {
        Set-Content -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -Value "[dev]`naws_access_key_id = $($emulator.AccessKey)`naws_secret_access_key = $($emulator.SecretKey)"
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[profile dev]`nregion = us-east-1"
        try {
            $StoredAWSCredentials = 'dev'
            $result = Get-PtcRegistryPolicy -EndpointUrl $emulator.Url -Verbose 4>&1
            $policy = $result | Where-Object { $_ -is [PtcTools.PtcRegistryPolicy] }
            $policy.Region | Should -Be 'us-east-1'
            ($result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -match "Region us-east-1 \(from profile 'dev' \(\`$StoredAWSCredentials\)\)" | Should -Not -BeNullOrEmpty
        } finally {
            Remove-Item -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE -ErrorAction Ignore
        }
    }

    It 'lets $StoredAWSRegion win over the stored profile''s Region, as an explicit session default' {
        Set-Content -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -Value "[dev]`naws_access_key_id = $($emulator.AccessKey)`naws_secret_access_key = $($emulator.SecretKey)"
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[profile dev]`nregion = eu-west-1"
        try {
            $StoredAWSCredentials = 'dev'
            $StoredAWSRegion = 'us-east-1'
            (Get-PtcRegistryPolicy -EndpointUrl $emulator.Url).Region | Should -Be 'us-east-1'
        } finally {
            Remove-Item -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE -ErrorAction Ignore
        }
    }
}

Describe 'Completion of -ProfileName and of repository prefixes' {
    BeforeAll {
        function Get-Completion([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches }
    }
    AfterEach {
        Remove-Item -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE, $env:AWS_CONFIG_FILE -ErrorAction Ignore
        Remove-Item env:AWS_ACCESS_KEY_ID, env:AWS_SECRET_ACCESS_KEY, env:AWS_ENDPOINT_URL_ECR, env:AWS_REGION -ErrorAction Ignore
    }

    It 'offers the profiles of the config and credentials files' {
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[default]`nregion = us-east-1`n[profile dev]`nregion = eu-west-1`n[profile dev-admin]`nrole_arn = arn:aws:iam::111122223333:role/admin`nsource_profile = dev"
        Set-Content -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -Value "[ci]`naws_access_key_id = A`naws_secret_access_key = B"
        @((Get-Completion 'Get-PtcRegistryPolicy -ProfileName ').CompletionText) | Should -Be @('ci', 'default', 'dev', 'dev-admin')
        @((Get-Completion 'Set-PtcRegistryPolicy -PolicyText x -ProfileName dev').CompletionText) | Should -Be @('dev', 'dev-admin')
    }

    It 'offers the profiles of -ProfileLocation when it is given' {
        $other = Join-Path $TestDrive 'other-credentials'
        Set-Content -LiteralPath $other -Value "[elsewhere]`naws_access_key_id = A`naws_secret_access_key = B"
        @((Get-Completion "Get-PtcRegistryPolicy -ProfileLocation '$other' -ProfileName ").CompletionText) | Should -Be @('elsewhere')
    }

    It 'offers the live pull through cache rules when credentials are at hand (<Case>)' -TestCases @(
        @{ Case = 'the environment'; Line = 'New-PtcPolicyStatement -Region us-east-1 -RepositoryPrefix '; Arrange = { $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey; $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey; $env:AWS_ENDPOINT_URL_ECR = $emulator.Url } }
        @{ Case = 'keys on the command line'; Line = 'Get-PtcPullThroughCacheRule -Region us-east-1 -EndpointUrl URL -AccessKey KEY -SecretKey SECRET -EcrRepositoryPrefix '; Arrange = { } }
    ) {
        $emulator | Reset-EcrEmulator | Out-Null
        Invoke-RestMethod -Method Put -Uri ([Uri]::new([Uri] $emulator.Url, '__emulator/state')) -ContentType 'application/json' -NoProxy -TimeoutSec 30 `
            -Body '{"pullThroughCacheRules":[{"ecrRepositoryPrefix":"ecr-public","upstreamRegistryUrl":"ecr-public.upstream.example"},{"ecrRepositoryPrefix":"quay","upstreamRegistryUrl":"quay.upstream.example"}]}' | Out-Null
        & $Arrange
        # The test cases are made before the emulator starts: its address and keys go in now.
        $found = Get-Completion $Line.Replace('URL', $emulator.Url).Replace('KEY', $emulator.AccessKey).Replace('SECRET', $emulator.SecretKey)
        @($found.CompletionText) | Should -Be @('ecr-public', 'quay')
        ($found | Where-Object CompletionText -eq 'quay').ToolTip | Should -Be 'quay -> quay.upstream.example (us-east-1)'
    }

    It 'offers nothing, quickly, without credentials' {
        $elapsed = Measure-Command { $found = Get-Completion 'New-PtcPolicyStatement -Region us-east-1 -RepositoryPrefix ' }
        @($found | Where-Object ResultType -eq 'ParameterValue') | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeLessThan 10 -Because 'a completion asks no metadata service and makes one bounded attempt'
    }
}

Describe 'A stable Sid for a grant that changes' {
    BeforeAll {
        $script:ci = 'arn:aws:iam::111122223333:role/ci-puller'
        $script:release = 'arn:aws:iam::111122223333:role/release'
        $script:where = @{ Region = 'us-east-1'; RegistryId = '111122223333' }
    }

    It 'adds a changed grant beside the old one when the Sid is generated (a hash of the grant)' {
        $policy = New-PtcPolicyStatement -RepositoryPrefix quay -Principal $ci @where | Add-PtcRegistryStatement
        $merged = New-PtcPolicyStatement -RepositoryPrefix quay -Principal $ci, $release @where | Add-PtcRegistryStatement -Policy $policy
        $merged.Statement.Count | Should -Be 2
    }

    It 'replaces a changed grant in place with -Force when -Sid names it with {Prefix}' {
        $rules = @([pscustomobject]@{ EcrRepositoryPrefix = 'quay' }, [pscustomobject]@{ EcrRepositoryPrefix = 'docker-hub' })
        $policy = $rules | New-PtcPolicyStatement -Principal $ci -Sid 'Ci{Prefix}' @where | Add-PtcRegistryStatement
        $policy.Sids | Should -Be @('CiQuay', 'CiDockerHub')
        $changed = $rules | New-PtcPolicyStatement -Principal $ci, $release -Sid 'Ci{Prefix}' @where
        { $changed | Add-PtcRegistryStatement -Policy $policy -ErrorAction Stop } | Should -Throw -ErrorId 'StatementSidConflict,PtcTools.Commands.AddPtcRegistryStatementCommand'
        $replaced = $changed | Add-PtcRegistryStatement -Policy $policy -Force
        $replaced.Sids | Should -Be @('CiQuay', 'CiDockerHub')
        @($replaced.Statement | ForEach-Object { $_.Principal.Count }) | Should -Be @(2, 2)
    }

    It 'names ROOT and no prefix All, and still refuses a Sid that is not letters and digits' {
        (New-PtcPolicyStatement -PolicyType Replication -Principal 444455556666 -Sid 'Replication{Prefix}' @where).Sid | Should -BeExactly 'ReplicationAll'
        { New-PtcPolicyStatement -Principal $ci -Sid 'Ci-{Prefix}' @where -ErrorAction Stop } | Should -Throw -ErrorId 'SidInvalid,PtcTools.Commands.NewPtcPolicyStatementCommand'
    }

    It 'refuses one fixed -Sid for two prefixes with SidNotUnique, saying how {Prefix} helps' {
        $rules = @([pscustomobject]@{ EcrRepositoryPrefix = 'quay' }, [pscustomobject]@{ EcrRepositoryPrefix = 'docker-hub' })
        $null = $rules | New-PtcPolicyStatement -Principal $ci -Sid 'Ci' @where -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'SidNotUnique,PtcTools.Commands.NewPtcPolicyStatementCommand'
        $problem[0].Exception.Message | Should -Match '\{Prefix\}'
    }
}
