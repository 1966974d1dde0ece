# Every recipe in README.md runs here, unchanged, against one loopback ECR emulator that serves both Regions
# (as AWS serves one account in many Regions), so the README cannot drift from the module. The walkthrough
# "Try it without AWS" runs block after block in a fresh pwsh at the root of the repository, as a new user does.
BeforeDiscovery {
    $lines = Get-Content (Join-Path $env:PTCTOOLS_REPO 'README.md')
    $script:recipes = @()
    $inRecipes = $false; $title = $null; $inCode = $false; $code = @()
    foreach ($line in $lines) {
        if ($line -match '^## ') { $inRecipes = $line -eq '## Recipes'; continue }
        if (-not $inRecipes) { continue }
        if ($line -match '^### (.+)$') { $title = $Matches[1]; continue }
        if ($line -eq '```powershell') { $inCode = $true; $code = @(); continue }
        if ($inCode -and $line -eq '```') { $inCode = $false; $script:recipes += @{ Title = $title; Code = ($code -join "`n") }; continue }
        if ($inCode) { $code += $line }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    Import-TestEcrEmulator
    # The seed the walkthrough uses: a replication statement and two rules (ecr-public, quay) in each Region.
    $script:emulator = Start-EcrEmulator -AccountId 111122223333, 444455556666, 777788889999 -Region us-east-1, eu-west-1 -ExitAfterSeconds 900 -Seed (Join-Path $env:PTCTOOLS_REPO 'demo/emulator-seed.json')
    $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
    # The organization recipe reaches other accounts through the emulator's fake STS.
    $env:AWS_ENDPOINT_URL_STS = $emulator.Url
    $global:PtcReadmeEmulatorUrl = $emulator.Url

    # Stand-ins for the AWS.Tools cmdlets (not installable here), built on the AWS CLI, an
    # independent AWS client: they return and take what AWS.Tools does (PolicyText, RegistryId).
    function global:Get-ECRRegistryPolicy {
        param([string] $Region)
        $printed = aws ecr get-registry-policy --region $Region --endpoint-url $global:PtcReadmeEmulatorUrl --output json 2>&1
        if ($LASTEXITCODE) { throw "aws ecr get-registry-policy failed ($LASTEXITCODE): $printed" }
        $response = $printed | Out-String | ConvertFrom-Json
        [pscustomobject]@{ RegistryId = $response.registryId; PolicyText = $response.policyText }
    }
    function global:Write-ECRRegistryPolicy {
        param([Parameter(Mandatory, ValueFromPipelineByPropertyName)] [string] $PolicyText, [string] $Region)
        process {
            $file = Join-Path ([System.IO.Path]::GetTempPath()) "readme-put-$([guid]::NewGuid().ToString('n')).json"
            [System.IO.File]::WriteAllText($file, $PolicyText)
            try {
                $printed = aws ecr put-registry-policy --region $Region --endpoint-url $global:PtcReadmeEmulatorUrl --policy-text "file://$file" --output json 2>&1
                if ($LASTEXITCODE) { throw "aws ecr put-registry-policy failed ($LASTEXITCODE): $printed" }
                $response = $printed | Out-String | ConvertFrom-Json
                [pscustomobject]@{ RegistryId = $response.registryId; PolicyText = $response.policyText }
            } finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
        }
    }

    function Get-LivePolicy([string] $Region) { Get-PtcRegistryPolicy -Region $Region }

    # IAM and Secrets Manager for "Why does my first pull fail?": moto_server in the emulators' account,
    # with the CI role allowed the pull actions; AWS.Tools' Write-IAMRolePolicy is a stand-in that writes to it.
    . (Join-Path $PSScriptRoot 'MotoTestSupport.ps1')
    . (Join-Path $PSScriptRoot 'AwsToolsStandIns.ps1')
    if (Get-MotoServerPath) {
        $env:MOTO_ACCOUNT_ID = '111122223333'
        try { $script:moto = Start-TestMotoServer } finally { Remove-Item env:MOTO_ACCOUNT_ID -ErrorAction Ignore }
        $env:AWS_ENDPOINT_URL_IAM = $moto.Url
        $env:AWS_ENDPOINT_URL_SECRETS_MANAGER = $moto.Url
        Connect-AwsToolsStandInsToMoto -Moto $moto
    }
    function Reset-ReadmeIam {
        if (-not $moto) { return }
        Reset-TestMotoServer -Moto $moto
        $null = Invoke-MotoQuery $moto CreateRole @{ RoleName = 'ci-puller'; AssumeRolePolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}' }
        $null = Invoke-MotoQuery $moto PutRolePolicy @{ RoleName = 'ci-puller'; PolicyName = 'pull'; PolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],"Resource":"*"}]}' }
    }
}

AfterAll {
    Remove-Variable -Name PtcReadmeEmulatorUrl -Scope Global -ErrorAction Ignore
    # "function:global:NAME" defines a global function with Set-Item, but Remove-Item ignores it silently;
    # "function:NAME" finds the global one from here.
    Remove-Item function:Get-ECRRegistryPolicy, function:Write-ECRRegistryPolicy -ErrorAction Ignore
    if ($moto) { $moto | Stop-TestMotoServer }
    Remove-Variable -Name PtcTestMoto -Scope Global -ErrorAction Ignore
    Remove-PtcAwsToolsStandIns
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'README "Try it without AWS", pasted block after block into a fresh pwsh' {
    BeforeAll {
        $lines = Get-Content (Join-Path $env:PTCTOOLS_REPO 'README.md')
        $start = [array]::IndexOf($lines, '## Try it without AWS: from a clone to a pushed policy')
        $end = [array]::FindIndex($lines, $start + 1, [Predicate[string]] { param($l) $l.StartsWith('## ') })
        $section = $lines[($start + 1)..($end - 1)]
        $script:blocks = @(); $script:shell = @(); $fence = $null; $code = @()
        foreach ($line in $section) {
            if ($null -eq $fence -and $line -match '^```(\w*)$') { $fence = $Matches[1]; $code = @(); continue }
            if ($null -ne $fence -and $line -eq '```') { if ($fence -eq 'powershell') { $script:blocks += ($code -join "`n") } else { $script:shell += $code }; $fence = $null; continue }
            if ($null -ne $fence) { $code += $line }
        }
        # A new user's machine: no AWS setup at all, a home folder of its own (the backups go there).
        $userHome = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory -Path $userHome
        $script:isolated = @{}
        foreach ($name in 'HOME', 'XDG_DATA_HOME', 'NO_COLOR', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_ECR') { $isolated[$name] = [Environment]::GetEnvironmentVariable($name) }
        $env:HOME = $userHome
        Remove-Item env:XDG_DATA_HOME, env:AWS_ACCESS_KEY_ID, env:AWS_SECRET_ACCESS_KEY, env:AWS_ENDPOINT_URL_ECR -ErrorAction Ignore
        Push-Location $env:PTCTOOLS_REPO
        try {
            # Each block in turn, in one session, as one pasted input each (its own Out-Default, as at the prompt);
            # the last line tells whether any block wrote an error.
            $env:NO_COLOR = '1'
            $script:printed = Invoke-ChildPwsh -Script ((($blocks | ForEach-Object { ". {`n$_`n} | Out-Default" }) -join "`n") + "`n'errors: ' + `$Error.Count")
        } finally {
            Pop-Location
            foreach ($pair in $isolated.GetEnumerator()) { [Environment]::SetEnvironmentVariable($pair.Key, $pair.Value) }
        }
    }

    It 'starts with the build, as from a fresh clone' {
        $shell[0] | Should -BeExactly 'dotnet tool restore && dotnet pwsh ./build.ps1 Demo'
        $blocks.Count | Should -BeGreaterOrEqual 6
    }

    It 'runs every block without an error' {
        $printed | Should -Match 'errors: 0\s*$'
    }

    It 'shows what is there, merges, previews, pushes and proves the grant' {
        $printed | Should -Match 'ReplicationFromProd'
        $printed | Should -Match 'quay\.upstream\.example'
        $printed | Should -Match 'What if: Replace the ECR registry policy in us-east-1'
        $printed | Should -Match 'us-east-1: Updated, 3 statements'
        $printed | Should -Match 'Decision\s+: Allowed'
        $printed | Should -Not -Match 'ImplicitDeny'
    }

    It 'keeps the backup in the user''s own folder' {
        @(Get-ChildItem -LiteralPath (Join-Path $TestDrive 'home') -Recurse -Force -Filter 'ecr-us-east-1-*.json').Count | Should -Be 1
    }
}

Describe 'README recipe "<Title>"' -ForEach $recipes {
    BeforeAll {
        $emulator | Reset-EcrEmulator | Out-Null
        Reset-ReadmeIam
        $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $work
        # The GitOps recipe reads the reviewed policy from the repository.
        Set-Content -LiteralPath (Join-Path $work 'registry-policy.json') -Value (New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/release -RepositoryPrefix docker-hub -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement).PolicyText
        # The CI gate compares it with the main branch's copy, here the same text.
        Copy-Item -LiteralPath (Join-Path $work 'registry-policy.json') -Destination (Join-Path $work 'base-policy.json')
        Push-Location $work
        $before = @{}
        foreach ($region in $emulator.Regions) { $before[$region] = Get-LivePolicy $region }
        $output = & ([scriptblock]::Create($Code)) 2>&1
    }
    AfterAll { Pop-Location }

    It 'runs without an error' {
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
    }

    It 'keeps every statement that was there before' {
        foreach ($region in $emulator.Regions) {
            $after = Get-LivePolicy $region
            foreach ($sid in $before[$region].Statement.Sid) { $after.Statement.Sid | Should -Contain $sid }
        }
    }

    It 'grants what the recipe says' {
        $east = Get-LivePolicy 'us-east-1'
        switch -Wildcard ($Title) {
            'The first pull through cache*' {
                $east.Statement.Count | Should -Be 3
                Test-PtcPermission -Policy $east -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryName quay/coreos/etcd -Quiet | Should -BeTrue
            }
            'With AWS.Tools' {
                Test-PtcPermission -Policy $east -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryName quay/coreos/etcd -Quiet | Should -BeTrue
                Test-PtcPermission -Policy $east -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryName ecr-public/nginx -Quiet | Should -BeFalse
            }
            'GitOps*' {
                Test-PtcPermission -Policy $east -Principal arn:aws:iam::111122223333:role/release -RepositoryName docker-hub/library/nginx -Quiet | Should -BeTrue
            }
            'CI gate*' {
                # The same file passes; one more grant to another account is new access, and the gate throws naming it.
                Get-PtcRegistryPolicy -Path ./registry-policy.json |
                    Add-PtcRegistryStatement -Statement (New-PtcPolicyStatement -PolicyType Replication -Principal 777788889999 -Region us-east-1 -RegistryId 111122223333) |
                    Set-PtcRegistryPolicy -Path ./registry-policy.json -Force -Confirm:$false | Out-Null
                { & ([scriptblock]::Create($Code)) 6>$null } | Should -Throw '*grants new access*'
            }
            '*runbook' {
                ($output | Where-Object { $_ -is [string] }) | Should -Be 'us-east-1: registry policy Updated'
            }
            '*several Regions' {
                foreach ($region in 'us-east-1', 'eu-west-1') {
                    $policy = Get-LivePolicy $region
                    Test-PtcPermission -Policy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryName ecr-public/nginx -Region $region -Quiet | Should -BeTrue
                }
                @($output | Where-Object { $_.PSObject.Properties['Status'] } | ForEach-Object { "$($_.Region)=$($_.Status)" }) | Should -Be @('us-east-1=Updated', 'eu-west-1=Updated')
            }
            'Why does my first pull fail?' {
                if (-not $moto) { Set-ItResult -Skipped -Because 'moto_server is not on PATH (the recipe reads IAM)'; return }
                @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
                $east.Statement.Count | Should -Be 3
                Get-PtcPullThroughCacheRule -Region us-east-1 | Test-PtcPullThroughCache -Principal arn:aws:iam::111122223333:role/ci-puller -Quiet | Should -BeTrue
            }
            '*organization' {
                foreach ($account in '444455556666', '777788889999') {
                    foreach ($region in 'us-east-1', 'eu-west-1') {
                        $policy = Get-PtcRegistryPolicy -AccountId $account -Region $region
                        # The grant is the account's own: its repository ARNs name that account and Region.
                        @($policy.Statement | Where-Object { $_.Resource -contains "arn:aws:ecr:${region}:${account}:repository/quay/*" }).Count | Should -Be 1
                        @($policy.Statement | Where-Object { $_.Resource -contains "arn:aws:ecr:${region}:${account}:repository/ecr-public/*" }).Count | Should -Be 1
                    }
                }
                Test-Path -LiteralPath (Join-Path $work 'rollout.journal') | Should -BeTrue
                Test-Path -LiteralPath (Join-Path $work 'stackset/registry-policy.template.yaml') | Should -BeTrue
                @($output | Where-Object { $_.PSObject.Properties['Kept'] }).Count | Should -Be 4
            }
            default { throw "The recipe '$Title' has no check of its effect; add one here." }
        }
    }
}

Describe 'The GitOps recipe with a misspelt policy file' {
    It 'fails the CI step and pushes nothing (issue 17: a file that is read must exist)' {
        $recipe = ($recipes | Where-Object { $_.Title -like 'GitOps*' }).Code
        $recipe | Should -Match ([regex]::Escape('./registry-policy.json'))
        $emulator | Reset-EcrEmulator | Out-Null
        $before = (Get-LivePolicy 'us-east-1').PolicyText
        $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $work
        Push-Location $work
        try {
            # No registry-policy.json here: as if the file were misspelt in the pipeline definition.
            $problem = { & ([scriptblock]::Create($recipe)) } | Should -Throw -PassThru
        } finally { Pop-Location }
        $problem.FullyQualifiedErrorId | Should -BeLike 'PolicyFileNotFound,*'
        (Get-LivePolicy 'us-east-1').PolicyText | Should -BeExactly $before
    }
}

Describe 'The runbook recipe in a non-interactive host' {
    It 'runs without prompting in pwsh -NonInteractive' {
        $recipe = ($recipes | Where-Object { $_.Title -like '*runbook' }).Code
        $recipe | Should -Not -BeNullOrEmpty
        $emulator | Reset-EcrEmulator | Out-Null
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$env:AWS_ENDPOINT_URL_ECR = '$($emulator.Url)'; " + $recipe
        $printed = Invoke-ChildPwsh -Script $script
        $printed | Should -Match 'us-east-1: registry policy Updated'
        $printed | Should -Not -Match 'Confirm|NonInteractive'
    }
}
