# Every recipe in README.md runs here, unchanged, against loopback ECR emulators (one per Region),
# so the README cannot drift from the module.
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
    Import-Module $env:PTCTOOLS_MODULE -Force
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $module = Join-Path $env:PTCTOOLS_REPO 'out/EcrEmulator/EcrEmulator.psm1'
    Import-Module $module -Force -Global
    $replication = '{"Version":"2012-10-17","Statement":[{"Sid":"ReplicationFromProd","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:REGION:111122223333:repository/*"}]}'
    $rules = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }, @{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' })
    $script:emulators = @{}
    foreach ($region in 'us-east-1', 'eu-west-1') {
        $emulators[$region] = Start-EcrEmulator -Region $region -ExitAfterSeconds 600 -Seed @{ policyText = $replication.Replace('REGION', $region); pullThroughCacheRules = $rules }
    }
    $first = $emulators['us-east-1']
    $env:AWS_ACCESS_KEY_ID = $first.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $first.SecretKey
    $env:AWS_ENDPOINT_URL_ECR = $first.Url
    # Each Region has its own emulator, as a real account has one endpoint per Region: thin proxies
    # of the AWS cmdlets add the Region's -EndpointUrl (a Region that only arrives through the
    # pipeline uses AWS_ENDPOINT_URL_ECR, the us-east-1 emulator).
    $global:PtcReadmeEmulators = $emulators
    $script:proxied = 'Get-PtcRegistryPolicy', 'Set-PtcRegistryPolicy', 'Get-PtcPullThroughCacheRule'
    foreach ($name in $proxied) {
        $proxy = [System.Management.Automation.ProxyCommand]::Create([System.Management.Automation.CommandMetadata]::new((Get-Command "PtcTools\$name")))
        $route = 'if ($PSBoundParameters.ContainsKey(''Region'') -and -not $PSBoundParameters.ContainsKey(''EndpointUrl'')) { $PSBoundParameters[''EndpointUrl''] = $global:PtcReadmeEmulators[@($PSBoundParameters[''Region''])[0]].Url }' + "`n"
        $proxy = $proxy.Replace('$wrappedCmd = ', $route + '$wrappedCmd = ')
        $proxy | Should -Match 'PtcReadmeEmulators'
        Set-Item -Path "function:global:$name" -Value $proxy
    }

    # Stand-ins for the AWS.Tools cmdlets (not installable here), built on the AWS CLI, an
    # independent AWS client: they return and take what AWS.Tools does (PolicyText, RegistryId).
    function global:Get-ECRRegistryPolicy {
        param([string] $Region)
        $printed = aws ecr get-registry-policy --region $Region --endpoint-url $emulators[$Region].Url --output json 2>&1
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
                $printed = aws ecr put-registry-policy --region $Region --endpoint-url $emulators[$Region].Url --policy-text "file://$file" --output json 2>&1
                if ($LASTEXITCODE) { throw "aws ecr put-registry-policy failed ($LASTEXITCODE): $printed" }
                $response = $printed | Out-String | ConvertFrom-Json
                [pscustomobject]@{ RegistryId = $response.registryId; PolicyText = $response.policyText }
            } finally { Remove-Item -LiteralPath $file -ErrorAction Ignore }
        }
    }

    function Get-LivePolicy([string] $Region) { Get-PtcRegistryPolicy -Region $Region }
}

AfterAll {
    # "function:global:NAME" defines a global function with Set-Item, but Remove-Item ignores it silently (the
    # proxies then outlived this file); "function:NAME" finds the global one from here.
    foreach ($name in $proxied) { Remove-Item -Path "function:$name" -ErrorAction Ignore }
    Remove-Variable -Name PtcReadmeEmulators -Scope Global -ErrorAction Ignore
    Remove-Item function:Get-ECRRegistryPolicy, function:Write-ECRRegistryPolicy -ErrorAction Ignore
    foreach ($emulator in $emulators.Values) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'README recipe "<Title>"' -ForEach $recipes {
    BeforeAll {
        foreach ($emulator in $emulators.Values) { $emulator | Reset-EcrEmulator }
        $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
        $null = New-Item -ItemType Directory -Path $work
        # The GitOps recipe reads the reviewed policy from the repository.
        Set-Content -LiteralPath (Join-Path $work 'registry-policy.json') -Value (New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/release -RepositoryPrefix docker-hub -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement).PolicyText
        Push-Location $work
        $before = @{}
        foreach ($region in $emulators.Keys) { $before[$region] = Get-LivePolicy $region }
        $output = & ([scriptblock]::Create($Code)) 2>&1
    }
    AfterAll { Pop-Location }

    It 'runs without an error' {
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
    }

    It 'keeps every statement that was there before' {
        foreach ($region in $emulators.Keys) {
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
            default { throw "The recipe '$Title' has no check of its effect; add one here." }
        }
    }
}

Describe 'The GitOps recipe with a misspelt policy file' {
    It 'fails the CI step and pushes nothing (issue 17: a file that is read must exist)' {
        $recipe = ($recipes | Where-Object { $_.Title -like 'GitOps*' }).Code
        $recipe | Should -Match ([regex]::Escape('./registry-policy.json'))
        foreach ($emulator in $emulators.Values) { $emulator | Reset-EcrEmulator }
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
        $emulators['us-east-1'] | Reset-EcrEmulator
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$env:AWS_ENDPOINT_URL_ECR = '$($emulators['us-east-1'].Url)'; " + $recipe
        $printed = Invoke-ChildPwsh -Script $script
        $printed | Should -Match 'us-east-1: registry policy Updated'
        $printed | Should -Not -Match 'Confirm|NonInteractive'
    }
}
