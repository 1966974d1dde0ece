BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'
    $script:emulator = Start-TestEcrEmulator
    $script:aws = Get-EmulatorParameters $emulator
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Get-PtcRegistryPolicy from ECR' {
    BeforeEach { $emulator | Reset-EcrEmulator }

    It 'gives an empty policy with Exists = $false for a registry without one' {
        $result = Get-PtcRegistryPolicy @aws
        $result | Should -BeOfType PtcTools.PtcRegistryPolicy
        $result.Exists | Should -BeFalse
        $result.PolicyText | Should -BeExactly '{"Version":"2012-10-17","Statement":[]}'
        $result.SourceText | Should -BeNullOrEmpty
        $result.Region | Should -Be 'us-east-1'
        $result.Scope | Should -Be 'V2'
        $result.RegistryId | Should -Be '111122223333'
    }

    It 'still reads a registry without a policy when its account cannot be described, with RegistryId empty and a verbose note' {
        $emulator | Set-EcrEmulatorFault -ServerError 10 -Operation DescribeRegistry
        $all = Get-PtcRegistryPolicy @aws -Verbose 4>&1
        $result = $all | Where-Object { $_ -is [PtcTools.PtcRegistryPolicy] }
        $result.Exists | Should -BeFalse
        $result.RegistryId | Should -BeNullOrEmpty
        (($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n") | Should -Match 'account could not be read \(DescribeRegistry\)'
    }

    It 'reads the policy with its registry, Region, scope and the exact text' {
        $indented = ($policy | ConvertFrom-Json | ConvertTo-Json -Depth 10)
        Invoke-RestMethod -Method Put -Uri "$($emulator.Url)__emulator/state" -Body (@{ policyText = $indented } | ConvertTo-Json) -ContentType 'application/json' | Out-Null
        $result = Get-PtcRegistryPolicy @aws
        $result.Exists | Should -BeTrue
        $result.RegistryId | Should -Be '111122223333'
        $result.SourceText | Should -BeExactly $indented
        $result.PolicyText | Should -BeExactly $policy
        $result.Statement.Sid | Should -Be 'PullThroughCache'
    }

    It 'takes the endpoint from <Variable> as the AWS SDKs do' -TestCases @(
        @{ Variable = 'AWS_ENDPOINT_URL_ECR' }
        @{ Variable = 'AWS_ENDPOINT_URL' }
    ) {
        try {
            [Environment]::SetEnvironmentVariable($Variable, $emulator.Url)
            $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
            $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
            $result = Get-PtcRegistryPolicy -Region us-east-1 -Verbose 4>&1
            ($result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "Endpoint $($emulator.Url) (from the AWS_ENDPOINT_URL_ECR or AWS_ENDPOINT_URL environment variable)."
            ($result | Where-Object { $_ -is [PtcTools.PtcRegistryPolicy] }).Exists | Should -BeFalse
        } finally {
            [Environment]::SetEnvironmentVariable($Variable, $null)
            $env:AWS_ACCESS_KEY_ID = $null
            $env:AWS_SECRET_ACCESS_KEY = $null
        }
    }

    It 'binds the Region by property name' {
        ([pscustomobject]@{ Region = 'us-east-1' } | Get-PtcRegistryPolicy -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey).Region | Should -Be 'us-east-1'
    }

    It 'reads several Regions, and a failing Region is a non-terminating error while the others go on' {
        # The emulator signs for us-east-1 only, so eu-west-1 is refused as a real wrong-Region call would be.
        $results = Get-PtcRegistryPolicy -Region 'eu-west-1', 'us-east-1' -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -ErrorAction SilentlyContinue -ErrorVariable problem
        @($results).Count | Should -Be 1
        $results.Region | Should -Be 'us-east-1'
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'AwsCredentialsRejected,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problem[0].TargetObject | Should -Be 'eu-west-1'
    }

    It 'recovers from throttling and server errors within the retry budget' {
        $emulator | Set-EcrEmulatorFault -Throttle 2 -ServerError 1 -Operation GetRegistryPolicy
        (Get-PtcRegistryPolicy @aws).Exists | Should -BeFalse
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'GetRegistryPolicy').Count | Should -Be 4
    }

    It 'refuses a malformed Region with RegionInvalid' {
        { Get-PtcRegistryPolicy -Region 'US-EAST' -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -ErrorAction Stop } |
            Should -Throw -ErrorId 'RegionInvalid,PtcTools.Commands.GetPtcRegistryPolicyCommand'
    }
}

Describe 'Get-PtcRegistryPolicy credentials' {
    BeforeEach { $emulator | Reset-EcrEmulator }

    It 'reports NoCredentials, listing every source tried, when none is configured' {
        Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $emulator.Url -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'NoCredentials,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $problem[0].TargetObject | Should -Be 'us-east-1'
        foreach ($source in 'environment variables', 'shared config and credentials files', 'ECS container credentials', 'EC2 instance metadata') {
            $problem[0].Exception.Message | Should -Match ([regex]::Escape($source))
        }
    }

    It 'reports NoRegion when no Region is given or configured' {
        Get-PtcRegistryPolicy -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -SecretKey $emulator.SecretKey -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'NoRegion,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'takes credentials from <Case>' -TestCases @(
        @{ Case = 'the AWS.Tools aliases AK and SK'; Arrange = { }; Call = { param($e) Get-PtcRegistryPolicy -RegionToCall us-east-1 -EndpointUrl $e.Url -AK $e.AccessKey -SK $e.SecretKey } }
        @{ Case = 'a session token (ST)'; Arrange = { }; Call = { param($e) Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $e.Url -AccessKey $e.SessionAccessKey -SecretAccessKey $e.SessionSecretKey -ST $e.SessionToken } }
        @{ Case = 'a PSCredential'; Arrange = { }; Call = { param($e) Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $e.Url -Credential ([pscredential]::new($e.AccessKey, (ConvertTo-SecureString $e.SecretKey -AsPlainText -Force))) } }
        @{ Case = 'an object with GetCredentials(), as AWS.Tools AWSCredentials have'; Arrange = { }; Call = {
                param($e)
                $immutable = [pscustomobject]@{ AccessKey = $e.AccessKey; SecretKey = $e.SecretKey; Token = $null }
                $credential = [pscustomobject]@{ Inner = $immutable } | Add-Member -MemberType ScriptMethod -Name GetCredentials -Value { $this.Inner } -PassThru
                Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $e.Url -Credential $credential
            } }
        @{ Case = 'an AWSPSCredentials-shaped object (its Credentials property)'; Arrange = { }; Call = {
                param($e)
                Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $e.Url -Credential ([pscustomobject]@{ Credentials = [pscustomobject]@{ AccessKey = $e.AccessKey; SecretKey = $e.SecretKey } })
            } }
        @{ Case = 'a named profile (ProfileName, StoredCredentials)'; Arrange = { param($e) Set-Content -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -Value "[emulator]`naws_access_key_id = $($e.AccessKey)`naws_secret_access_key = $($e.SecretKey)`nregion = us-east-1" }; Call = { param($e) Get-PtcRegistryPolicy -StoredCredentials emulator -EndpointUrl $e.Url } }
        @{ Case = 'a profile in -ProfileLocation'; Arrange = { param($e) Set-Content -LiteralPath (Join-Path $TestDrive 'other-credentials') -Value "[default]`naws_access_key_id = $($e.AccessKey)`naws_secret_access_key = $($e.SecretKey)" }; Call = { param($e) Get-PtcRegistryPolicy -Region us-east-1 -ProfileLocation (Join-Path $TestDrive 'other-credentials') -EndpointUrl $e.Url } }
        @{ Case = 'the session defaults of Set-AWSCredential and Set-DefaultAWSRegion'; Arrange = { }; Call = {
                param($e)
                $StoredAWSCredentials = [pscustomobject]@{ Credentials = [pscustomobject]@{ AccessKey = $e.AccessKey; SecretKey = $e.SecretKey } }
                $StoredAWSRegion = 'us-east-1'
                Get-PtcRegistryPolicy -EndpointUrl $e.Url
            } }
        @{ Case = 'the environment variables'; Arrange = { param($e) $env:AWS_ACCESS_KEY_ID = $e.AccessKey; $env:AWS_SECRET_ACCESS_KEY = $e.SecretKey; $env:AWS_REGION = 'us-east-1' }; Call = { param($e) Get-PtcRegistryPolicy -EndpointUrl $e.Url } }
    ) {
        try {
            & $Arrange $emulator
            $result = & $Call $emulator
            $result.Region | Should -Be 'us-east-1'
            $result.Exists | Should -BeFalse
        } finally {
            Remove-Item -LiteralPath $env:AWS_SHARED_CREDENTIALS_FILE -ErrorAction Ignore
            $env:AWS_ACCESS_KEY_ID = $null; $env:AWS_SECRET_ACCESS_KEY = $null; $env:AWS_REGION = $null
        }
    }

    It 'never writes the secret key or session token to the verbose or debug streams' {
        $all = Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $emulator.Url -AccessKey $emulator.SessionAccessKey -SecretKey $emulator.SessionSecretKey -SessionToken $emulator.SessionToken -Verbose -Debug 4>&1 5>&1 6>&1 | Out-String
        $all | Should -Match 'GetRegistryPolicy'
        $all | Should -Not -Match ([regex]::Escape($emulator.SessionSecretKey))
        $all | Should -Not -Match ([regex]::Escape($emulator.SessionToken))
        $all | Should -Not -Match ([regex]::Escape($emulator.SessionAccessKey))
    }

    It 'refuses an access key without a secret key with CredentialInputInvalid' {
        Get-PtcRegistryPolicy -Region us-east-1 -EndpointUrl $emulator.Url -AccessKey $emulator.AccessKey -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'CredentialInputInvalid,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'names the AWS.Tools aliases of <Parameter>' -TestCases @(
        @{ Parameter = 'Region'; Aliases = @('RegionToCall') }
        @{ Parameter = 'ProfileName'; Aliases = @('StoredCredentials', 'AWSProfileName') }
        @{ Parameter = 'ProfileLocation'; Aliases = @('AWSProfilesLocation', 'ProfilesLocation') }
        @{ Parameter = 'AccessKey'; Aliases = @('AK') }
        @{ Parameter = 'SecretKey'; Aliases = @('SK', 'SecretAccessKey') }
        @{ Parameter = 'SessionToken'; Aliases = @('ST') }
        @{ Parameter = 'LiteralPath'; Aliases = @('PSPath') }
    ) {
        foreach ($command in 'Get-PtcRegistryPolicy', 'Set-PtcRegistryPolicy', 'Remove-PtcRegistryPolicy') {
            (Get-Command $command).Parameters[$Parameter].Aliases | Should -Be $Aliases
        }
    }
}

Describe 'Get-PtcRegistryPolicy from files' {
    It 'reads a file with its text and path' {
        $file = Join-Path $TestDrive 'policy.json'
        Set-Content -LiteralPath $file -Value $policy -NoNewline
        $result = Get-PtcRegistryPolicy -LiteralPath $file
        $result.Exists | Should -BeTrue
        $result.Path | Should -Be $file
        $result.SourceText | Should -BeExactly $policy
        $result.PolicyText | Should -BeExactly $policy
    }

    It 'resolves wildcards with -Path and binds PSPath from Get-ChildItem' {
        Set-Content -LiteralPath (Join-Path $TestDrive 'a.policy.json') -Value $policy
        Set-Content -LiteralPath (Join-Path $TestDrive 'b.policy.json') -Value '{"Version":"2012-10-17","Statement":[]}'
        @(Get-PtcRegistryPolicy -Path (Join-Path $TestDrive '*.policy.json')).Count | Should -Be 2
        @(Get-ChildItem -LiteralPath $TestDrive -Filter '*.policy.json' | Get-PtcRegistryPolicy).Count | Should -Be 2
    }

    It 'reports a file that does not exist as PolicyFileNotFound, not as an empty policy (issue 17)' {
        $missing = Join-Path $TestDrive 'registry-polcy.json'
        $result = Get-PtcRegistryPolicy -LiteralPath $missing -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -Be $missing
        $problem[0].Exception.Message | Should -Match 'Set-PtcRegistryPolicy -Path'
    }

    It 'refuses a folder given as the policy file (<Parameter>) instead of reading it as no policy' -TestCases @(
        @{ Parameter = 'Path' }
        @{ Parameter = 'LiteralPath' }
    ) {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'a-folder') -Force
        $arguments = @{ $Parameter = $folder.FullName }
        $result = Get-PtcRegistryPolicy @arguments -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -Be $folder.FullName
        $problem[0].Exception.Message | Should -Match 'is a folder'
    }

    It 'reads only the files a wildcard matches, not the folders' {
        New-Item -ItemType Directory -Path (Join-Path $TestDrive 'w' 'dir.json') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $TestDrive 'w' 'file.json') -Value '{"Version":"2012-10-17","Statement":[]}'
        $result = @(Get-PtcRegistryPolicy -Path (Join-Path $TestDrive 'w' '*.json') -ErrorAction Stop)
        $result.Count | Should -Be 1
        $result[0].Path | Should -Be (Join-Path $TestDrive 'w' 'file.json')
    }

    It 'reports a wildcard that matches nothing as PolicyFileNotFound' {
        $pattern = Join-Path $TestDrive 'nothing-*.json'
        Get-PtcRegistryPolicy -Path $pattern -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -Be $pattern
    }

    It 'refuses an AWS parameter beside a path with AwsParameterNotApplicable (<Parameter>)' -TestCases @(
        @{ Parameter = 'Region'; Value = 'us-east-1' }
        @{ Parameter = 'EndpointUrl'; Value = 'http://127.0.0.1:1' }
        @{ Parameter = 'ProfileName'; Value = 'dev' }
    ) {
        $arguments = @{ LiteralPath = (Join-Path $TestDrive 'x.json'); $Parameter = $Value; ErrorAction = 'Stop' }
        $problem = { Get-PtcRegistryPolicy @arguments } | Should -Throw -ErrorId 'AwsParameterNotApplicable,PtcTools.Commands.GetPtcRegistryPolicyCommand' -PassThru
        $problem.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem.TargetObject | Should -Be "-$Parameter"
        { Remove-PtcRegistryPolicy @arguments -Confirm:$false } | Should -Throw -ErrorId 'AwsParameterNotApplicable,PtcTools.Commands.RemovePtcRegistryPolicyCommand'
        { '{}' | Set-PtcRegistryPolicy @arguments } | Should -Throw -ErrorId 'AwsParameterNotApplicable,PtcTools.Commands.SetPtcRegistryPolicyCommand'
    }

    It 'refuses an AWS parameter beside a piped file too, and leaves the file alone (<Command>)' -TestCases @(
        @{ Command = 'Get-PtcRegistryPolicy'; Run = { param($Item) $Item | Get-PtcRegistryPolicy -Region us-east-1 -ErrorAction Stop } }
        @{ Command = 'Remove-PtcRegistryPolicy'; Run = { param($Item) $Item | Remove-PtcRegistryPolicy -Region us-east-1 -Confirm:$false -ErrorAction Stop } }
    ) {
        $file = Join-Path $TestDrive 'piped.json'
        Set-Content -LiteralPath $file -Value '{"Version":"2012-10-17","Statement":[]}'
        $problem = { & $Run (Get-Item -LiteralPath $file) } | Should -Throw -ErrorId "AwsParameterNotApplicable,PtcTools.Commands.$($Command -replace '-', '')Command" -PassThru
        $problem.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem.TargetObject | Should -Be '-Region'
        Test-Path -LiteralPath $file | Should -BeTrue
    }

    It 'reports a file that is not a policy as PolicyJsonInvalid naming the file' {
        $file = Join-Path $TestDrive 'broken.json'
        Set-Content -LiteralPath $file -Value "{`n  `"Version`": `"2012-10-17`",`n  `"Statement`": [ }`n}"
        Get-PtcRegistryPolicy -LiteralPath $file -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.GetPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].TargetObject | Should -Be $file
        $problem[0].Exception.Message | Should -Match 'line 3'
        $problem[0].Exception.Message | Should -Match ([regex]::Escape("in the file '$file'"))
    }
}
