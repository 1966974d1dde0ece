# Issue 17, item 7: the smaller things a new user met in the first hour.
BeforeAll {
    Import-Module $env:PTCTOOLS_MODULE -Force
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
