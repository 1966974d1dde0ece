# AWS.Tools loads AWSSDK.Core into the session; PtcTools carries no AWS SDK assembly, so whichever
# version is loaded first must not matter. This loads the one the test project restores, then runs the cmdlets.
BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $script:sdk = Get-ChildItem -Path (Join-Path $packages 'awssdk.core/*/lib/net8.0/AWSSDK.Core.dll') -ErrorAction Ignore | Select-Object -First 1
    if (-not $sdk) { throw "AWSSDK.Core is not in the NuGet cache ($packages); restore tests/PtcTools.Aws.Tests first." }
    $null = [System.Reflection.Assembly]::LoadFrom($sdk.FullName)
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:emulator = Start-TestEcrEmulator -Seed @{ pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }) }
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'PtcTools beside AWSSDK.Core' {
    It 'has AWSSDK.Core loaded in the session and none in the module folder' {
        [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name | Should -Contain 'AWSSDK.Core'
        Get-ChildItem -LiteralPath (Split-Path $env:PTCTOOLS_MODULE) -Filter 'AWSSDK*' | Should -BeNullOrEmpty
    }

    It 'reads, writes and lists with an SDK BasicAWSCredentials passed as -Credential' {
        $credential = [Amazon.Runtime.BasicAWSCredentials]::new($emulator.AccessKey, $emulator.SecretKey)
        $common = @{ Region = 'us-east-1'; EndpointUrl = $emulator.Url; Credential = $credential }
        $policy = '{"Version":"2012-10-17","Statement":[{"Sid":"Ptc","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'

        (Get-PtcRegistryPolicy @common).Exists | Should -BeFalse
        ($policy | Set-PtcRegistryPolicy @common -BackupPath (Join-Path $TestDrive 'b')).Status | Should -Be 'Created'
        (Get-PtcRegistryPolicy @common).SourceText | Should -BeExactly $policy
        (Get-PtcPullThroughCacheRule @common).EcrRepositoryPrefix | Should -Be 'ecr-public'
    }

    It 'takes session credentials from an SDK SessionAWSCredentials' {
        $credential = [Amazon.Runtime.SessionAWSCredentials]::new($emulator.SessionAccessKey, $emulator.SessionSecretKey, $emulator.SessionToken)
        (Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $emulator.Url -Credential $credential).Region | Should -Be 'us-east-1'
    }
}
