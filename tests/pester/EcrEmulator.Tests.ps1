# The PowerShell helpers of the loopback ECR emulator (out/EcrEmulator/EcrEmulator.psm1), which the
# cmdlet tests and the demo use. The emulator itself is covered by tests/EcrEmulator.Tests (xUnit).
BeforeAll {
    $repo = if ($env:PTCTOOLS_REPO) { $env:PTCTOOLS_REPO } else { (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path }
    $helper = Join-Path $repo 'out/EcrEmulator/EcrEmulator.psm1'
    if (-not (Test-Path -LiteralPath $helper)) {
        throw "The emulator is not built at $helper. Run: dotnet pwsh ./build.ps1 Test"
    }
    Import-Module $helper -Force

    $script:policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'

    function Send-UnsignedEcrCall([pscustomobject] $Emulator) {
        # No signature: the answer is MissingAuthenticationTokenException unless an armed fault fires first.
        $response = Invoke-WebRequest -Uri $Emulator.Url -Method Post -Body '{}' -ContentType 'application/x-amz-json-1.1' `
            -Headers @{ 'X-Amz-Target' = 'AmazonEC2ContainerRegistry_V20150921.GetRegistryPolicy' } -SkipHttpErrorCheck -NoProxy -TimeoutSec 30
        # application/x-amz-json-1.1 is not a type Invoke-WebRequest decodes as text, so read the raw bytes.
        $body = [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray())
        [pscustomobject]@{ Status = [int]$response.StatusCode; Type = ($body | ConvertFrom-Json).__type }
    }
}

Describe 'Start-EcrEmulator' {
    BeforeAll {
        $script:emulator = Start-EcrEmulator -AccountId 444455556666 -Region eu-west-1 -ExitAfterSeconds 300 -Seed @{
            policyText            = $policy
            pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' })
        }
    }
    AfterAll {
        if ($emulator) { $emulator | Stop-EcrEmulator }
    }

    It 'returns a loopback URL, the running process and the test keys' {
        $emulator.Url | Should -Match '^http://127\.0\.0\.1:\d+/$'
        $emulator.Process.HasExited | Should -BeFalse
        $emulator.AccessKey | Should -Be 'AKIDPTCTOOLSEXAMPLE'
        $emulator.SecretKey | Should -Be 'ptctools/emulator/secret/EXAMPLEKEY'
        $emulator.SessionToken | Should -Not -BeNullOrEmpty
        $emulator.AccountId | Should -Be '444455556666'
        $emulator.Region | Should -Be 'eu-west-1'
    }

    It 'starts from the seed hashtable' {
        $state = $emulator | Get-EcrEmulatorState
        $state.policyText | Should -BeExactly $policy
        $state.accountId | Should -Be '444455556666'
        $state.pullThroughCacheRules[0].upstreamRegistry | Should -Be 'ecr-public'
    }
}

Describe 'Set-EcrEmulatorFault' {
    BeforeAll {
        $script:emulator = Start-EcrEmulator -ExitAfterSeconds 300
    }
    AfterAll {
        if ($emulator) { $emulator | Stop-EcrEmulator }
    }
    BeforeEach {
        $null = $emulator | Reset-EcrEmulator
    }

    It 'arms throttles and 500s that fire on the next calls, and the request log counts them' {
        $null = $emulator | Set-EcrEmulatorFault -Throttle 1 -ServerError 1

        $answers = 1..3 | ForEach-Object { Send-UnsignedEcrCall $emulator }

        $answers.Status | Should -Be @(400, 500, 400)
        $answers.Type | Should -Be @('com.amazon.coral.availability#ThrottlingException', 'ServerException', 'com.amazon.coral.service#MissingAuthenticationTokenException')
        $log = @($emulator | Get-EcrEmulatorRequest)
        $log.Count | Should -Be 3
        $log.fault | Should -Be @('Throttle', 'ServerError', $null)
        ($emulator | Get-EcrEmulatorState).callCount | Should -Be 3
    }

    It 'passes every fault parameter to the emulator' {
        $faults = $emulator | Set-EcrEmulatorFault -Throttle 1 -ServerError 2 -DropConnection 3 -DropResponse 4 -DelayMs 5 -DelayCount 6 -ChangePolicyAfterNextGet $policy

        $pending = @{}
        foreach ($item in $faults.pending) { $pending[$item.kind] = $item.remaining }
        $pending.Throttle | Should -Be 1
        $pending.ServerError | Should -Be 2
        $pending.DropConnection | Should -Be 3
        $pending.DropResponse | Should -Be 4
        $pending.Delay | Should -Be 6
        ($faults.pending | Where-Object kind -EQ 'Delay').delayMs | Should -Be 5
        $faults.changePolicyAfterNextGet | Should -BeTrue
    }

    It 'limits faults to one operation' {
        $null = $emulator | Set-EcrEmulatorFault -ServerError 1 -Operation PutRegistryPolicy

        (Send-UnsignedEcrCall $emulator).Status | Should -Be 400
        ($emulator | Get-EcrEmulatorState).faults.pending[0].operation | Should -Be 'PutRegistryPolicy'
    }

    It 'lets another writer change the policy right after the next read' {
        $null = $emulator | Set-EcrEmulatorFault -ChangePolicyAfterNextGet $policy
        ($emulator | Get-EcrEmulatorState).faults.changePolicyAfterNextGet | Should -BeTrue

        $null = Send-UnsignedEcrCall $emulator   # refused before the read, so the change stays armed
        ($emulator | Get-EcrEmulatorState).policyText | Should -BeNullOrEmpty
    }

    It 'clears every armed fault' {
        $null = $emulator | Set-EcrEmulatorFault -Throttle 5
        $null = $emulator | Set-EcrEmulatorFault -Clear

        (Send-UnsignedEcrCall $emulator).Type | Should -Be 'com.amazon.coral.service#MissingAuthenticationTokenException'
    }

    It 'refuses <Case> with <ErrorId>' -TestCases @(
        @{ Case = 'an operation the emulator does not speak'; Arguments = @{ Throttle = 1; Operation = 'PutRegistryPolicyy' }; ErrorId = 'EcrEmulatorControlRefused'; Category = 'InvalidArgument'; Message = "'operation'" }
        @{ Case = 'a delay count without a delay'; Arguments = @{ DelayCount = 2 }; ErrorId = 'EcrEmulatorControlRefused'; Category = 'InvalidArgument'; Message = "'delayMs'" }
        @{ Case = 'no fault at all'; Arguments = @{}; ErrorId = 'EcrEmulatorNoFaultGiven'; Category = 'InvalidArgument'; Message = 'at least one fault' }
    ) {
        $err = { $emulator | Set-EcrEmulatorFault @Arguments } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "$ErrorId,Set-EcrEmulatorFault"
        $err.CategoryInfo.Category | Should -Be $Category
        $err.Exception.Message | Should -Match ([regex]::Escape($Message))
        ($emulator | Get-EcrEmulatorState).faults.pending | Should -BeNullOrEmpty
    }
}

Describe 'Stop-EcrEmulator' {
    It 'stops the process and frees the port' {
        $emulator = Start-EcrEmulator -ExitAfterSeconds 300
        $emulator | Stop-EcrEmulator

        $emulator.Process.HasExited | Should -BeTrue
        $err = { $emulator | Get-EcrEmulatorState } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'EcrEmulatorUnreachable,Get-EcrEmulatorState'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'removes the temporary seed file it wrote' {
        $emulator = Start-EcrEmulator -ExitAfterSeconds 300 -Seed @{ registryPolicyScope = 'V1' }
        $seedFile = $emulator.SeedFile
        Test-Path -LiteralPath $seedFile | Should -BeTrue
        $emulator | Stop-EcrEmulator

        Test-Path -LiteralPath $seedFile | Should -BeFalse
    }
}

Describe 'Start-EcrEmulator failures' {
    It 'names a missing seed file' {
        $missing = Join-Path ([System.IO.Path]::GetTempPath()) 'no-such-ecr-seed.json'
        $err = { Start-EcrEmulator -Seed $missing } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'EcrEmulatorSeedNotFound,Start-EcrEmulator'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be $missing
    }

    It 'reports why the emulator would not start (a seed ECR would refuse)' {
        $err = { Start-EcrEmulator -Seed @{ policyText = 'not a policy' } -ExitAfterSeconds 60 } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'EcrEmulatorStartFailed,Start-EcrEmulator'
        $err.CategoryInfo.Category | Should -Be 'OpenError'
        $err.Exception.Message | Should -Match 'Invalid registry policy provided'
    }

    It 'names a folder without the emulator' {
        $err = { Start-EcrEmulator -EmulatorPath ([System.IO.Path]::GetTempPath()) } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'EcrEmulatorNotBuilt,Start-EcrEmulator'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'One emulator, several Regions and accounts (issue 17)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
        $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
        $script:emulator = Start-EcrEmulator -AccountId 111122223333, 444455556666 -Region us-east-1, eu-west-1 -ExitAfterSeconds 300 -Seed @{
            registries = @(
                @{ region = 'eu-west-1'; pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' }) }
                @{ accountId = '444455556666'; region = 'eu-west-1'; policyText = $policy.Replace('111122223333', '444455556666').Replace('us-east-1', 'eu-west-1') }
            )
        }
    }
    AfterAll {
        if ($emulator) { $emulator | Stop-EcrEmulator }
        Exit-IsolatedAws $saved
    }

    It 'says what it serves and gives the parameters to splat' {
        $emulator.AccountIds | Should -Be @('111122223333', '444455556666')
        $emulator.Regions | Should -Be @('us-east-1', 'eu-west-1')
        $emulator.Parameters.Keys | Sort-Object | Should -Be @('AccessKey', 'EndpointUrl', 'SecretKey')
        $emulator.Parameters.EndpointUrl | Should -Be $emulator.Url
    }

    It 'answers each Region from its own registry, through the splatted parameters' {
        $aws = $emulator.Parameters
        (Get-PtcPullThroughCacheRule @aws -Region eu-west-1).EcrRepositoryPrefix | Should -Be 'quay'
        @(Get-PtcPullThroughCacheRule @aws -Region us-east-1) | Should -BeNullOrEmpty
        $written = New-PtcPolicyStatement -RepositoryPrefix quay -Principal arn:aws:iam::111122223333:role/ci -Region eu-west-1 -RegistryId 111122223333 |
            Add-PtcRegistryStatement -Policy (Get-PtcRegistryPolicy @aws -Region eu-west-1) | Set-PtcRegistryPolicy @aws -Region eu-west-1 -Confirm:$false
        $written.Status | Should -Be 'Created'
        (Get-PtcRegistryPolicy @aws -Region us-east-1).Exists | Should -BeFalse
        ($emulator | Get-EcrEmulatorState -Region eu-west-1).policyText | Should -Not -BeNullOrEmpty
    }

    It 'reaches another account with Get-EcrEmulatorParameter' {
        $partner = $emulator | Get-EcrEmulatorParameter -AccountId 444455556666 -Region eu-west-1
        $partner.Region | Should -Be 'eu-west-1'
        $read = Get-PtcRegistryPolicy @partner
        $read.RegistryId | Should -Be '444455556666'
        $read.Statement.Sid | Should -Be 'PullThroughCache'
    }

    It 'refuses an account or Region it does not serve, saying which it serves' {
        { $emulator | Get-EcrEmulatorParameter -AccountId 777788889999 } | Should -Throw -ErrorId 'EcrEmulatorAccountNotServed,Get-EcrEmulatorParameter'
        { $emulator | Get-EcrEmulatorParameter -Region ap-south-1 } | Should -Throw -ErrorId 'EcrEmulatorRegionNotServed,Get-EcrEmulatorParameter'
    }
}
