# One scenario per pull through cache upstream kind, end to end against real peers: the loopback ECR emulator
# (rules, templates, the registry policy) and moto_server (IAM roles and policies, Secrets Manager secrets).
# Each starts broken, is diagnosed by Test-PtcPullThroughCache, is fixed only from the Fix objects it returns
# (registry statements through Add-PtcRegistryStatement and Set-PtcRegistryPolicy, IAM policies through the
# AWS.Tools cmdlets, here stand-ins with their parameters that write to moto), and then passes.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'MotoTestSupport.ps1')
    $script:noMoto = -not (Get-MotoServerPath)
    if ($noMoto) { Write-Warning 'moto_server is not on PATH: the pull through cache scenarios are skipped (they read IAM and Secrets Manager from it).' }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    . (Join-Path $PSScriptRoot 'MotoTestSupport.ps1')
    . (Join-Path $PSScriptRoot 'AwsToolsStandIns.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    $script:account = '123456789012'   # moto's account: the emulated registry is in it too
    $script:puller = "arn:aws:iam::${account}:role/ci-puller"
    if (-not (Get-MotoServerPath)) { return }

    $script:moto = Start-TestMotoServer
    $script:emulator = Start-TestEcrEmulator -AccountId $account
    $script:upstream = Start-TestEcrEmulator -AccountId 444455556666
    $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    $env:AWS_REGION = 'us-east-1'
    $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
    $env:AWS_ENDPOINT_URL_IAM = $moto.Url
    $env:AWS_ENDPOINT_URL_SECRETS_MANAGER = $moto.Url
    Connect-AwsToolsStandInsToMoto -Moto $moto

    $script:pullActions = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:GetAuthorizationToken","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer","ecr:BatchCheckLayerAvailability"],"Resource":"*"}]}'
    $script:ecrTrust = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecr.amazonaws.com"},"Action":"sts:AssumeRole"}]}'

    function Set-EmulatorState([hashtable] $Seed, $Target = $emulator) {
        $body = $Seed | ConvertTo-Json -Depth 20 -Compress
        $null = Invoke-RestMethod -Uri ([Uri]::new([Uri] $Target.Url, '__emulator/state')) -Method Put -Body $body -ContentType 'application/json' -NoProxy -TimeoutSec 30
    }

    function Set-Scenario([hashtable] $Seed) {
        # A fresh registry and IAM: the emulator takes the seed (as a state), moto starts empty but for the puller.
        Set-EmulatorState $Seed
        Set-EmulatorState @{} $upstream
        Reset-TestMotoServer -Moto $moto
        $null = Invoke-MotoQuery $moto CreateRole @{ RoleName = 'ci-puller'; AssumeRolePolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"codebuild.amazonaws.com"},"Action":"sts:AssumeRole"}]}' }
        $null = Invoke-MotoQuery $moto PutRolePolicy @{ RoleName = 'ci-puller'; PolicyName = 'pull'; PolicyDocument = $pullActions }
        $global:PtcAwsToolsCalls.Clear()
    }

    function Invoke-Fix([object[]] $Checks, [hashtable] $Upstream) {
        # Only what the checks hand back is applied, each object where its type goes.
        $fixes = @($Checks | Where-Object Status -EQ 'Fail' | ForEach-Object Fix)
        $statements = @($fixes | Where-Object { $_ -is [PtcTools.PtcPolicyStatement] })
        $local = @($statements | Where-Object { $_.Resource[0] -like "*:${account}:*" })
        $remote = @($statements | Where-Object { $_.Resource[0] -notlike "*:${account}:*" })
        if ($local) { $null = $local | Add-PtcRegistryStatement -Policy (Get-PtcRegistryPolicy) | Set-PtcRegistryPolicy -Confirm:$false }
        if ($remote) { $null = $remote | Add-PtcRegistryStatement -Policy (Get-PtcRegistryPolicy @Upstream) | Set-PtcRegistryPolicy @Upstream -Confirm:$false }
        $fixes | Where-Object { $_ -is [PtcTools.PtcServiceRole] } | ForEach-Object { $_ | New-IAMRole; $_ | Write-IAMRolePolicy }
        foreach ($policy in $fixes | Where-Object { $_ -is [PtcTools.PtcIamPolicy] }) {
            switch ($policy.Kind) {
                { $_ -like '*TrustPolicy' } { $policy | Update-IAMAssumeRolePolicy }
                default { if ($policy.UserName) { $policy | Write-IAMUserPolicy } else { $policy | Write-IAMRolePolicy } }
            }
        }
        $fixes
    }

    function Get-Failing([object[]] $Checks) { @($Checks | Where-Object Status -NE 'Pass' | ForEach-Object { "$($_.Check)=$($_.Status)" }) }
}

AfterAll {
    if (Get-Variable -Name emulator -Scope Script -ErrorAction Ignore) { $emulator | Stop-EcrEmulator; $upstream | Stop-EcrEmulator }
    if (Get-Variable -Name moto -Scope Script -ErrorAction Ignore) { $moto | Stop-TestMotoServer }
    Remove-Variable -Name PtcTestMoto -Scope Global -ErrorAction Ignore
    Remove-PtcAwsToolsStandIns
    Exit-IsolatedAws $saved
}

Describe 'Pull through cache, end to end: <Name>' -ForEach @(
    @{ Name = 'an upstream without authentication, no template' },
    @{ Name = 'an upstream without authentication, with a tagging template' },
    @{ Name = 'an upstream with a secret, no template' },
    @{ Name = 'an upstream with a secret, with a tagging template whose role trusts the wrong service' },
    @{ Name = 'an ECR upstream in the same account, no template' },
    @{ Name = 'an ECR upstream in the same account, with a tagging template' },
    @{ Name = 'an ECR upstream in another account, no template' },
    @{ Name = 'an ECR upstream in another account, with a tagging template' }
) {
    It 'starts broken, is diagnosed, is fixed from the Fix objects, and passes' -Skip:$noMoto {
        switch -Wildcard ($Name) {
            '*without authentication, no template' {
                Set-Scenario @{ pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' }) }
                $expected = @('FirstPull=Fail', 'LaterPulls=Fail')
                $upstreamParameters = $null
            }
            '*without authentication, with a tagging template' {
                $upstreamParameters = $null
                Set-Scenario @{
                    pullThroughCacheRules       = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' })
                    repositoryCreationTemplates = @(@{ prefix = 'ecr-public'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'platform' }); customRoleArn = "arn:aws:iam::${account}:role/ptc-template" })
                    policyText                  = (New-PtcPolicyStatement -Principal $puller -RepositoryPrefix ecr-public -Region us-east-1 -RegistryId $account | Add-PtcRegistryStatement).PolicyText
                }
                New-PtcServiceRole RepositoryCreationTemplate -RoleName "arn:aws:iam::${account}:role/ptc-template" -Region us-east-1 | ForEach-Object { $_ | New-IAMRole; $_ | Write-IAMRolePolicy }
                $expected = @('FirstPull=Fail')
            }
            '*with a secret, no template' {
                Set-Scenario @{}
                $secret = Invoke-MotoJson $moto 'secretsmanager.CreateSecret' @{ Name = 'ecr-pullthroughcache/quay'; SecretString = '{"username":"ci","accessToken":"not-read"}' }
                Set-EmulatorState @{ pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example'; credentialArn = $secret.ARN }) }
                $expected = @('FirstPull=Fail', 'LaterPulls=Fail')
                $upstreamParameters = $null
            }
            '*with a secret, with a tagging template*' {
                Set-Scenario @{}
                $secret = Invoke-MotoJson $moto 'secretsmanager.CreateSecret' @{ Name = 'ecr-pullthroughcache/docker-hub'; SecretString = '{"username":"ci","accessToken":"not-read"}' }
                Set-EmulatorState @{
                    pullThroughCacheRules       = @(@{ ecrRepositoryPrefix = 'docker-hub'; upstreamRegistryUrl = 'docker-hub.upstream.example'; credentialArn = $secret.ARN })
                    repositoryCreationTemplates = @(@{ prefix = 'docker-hub'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'platform' }); customRoleArn = "arn:aws:iam::${account}:role/ptc-template" })
                }
                # Made by hand, wrongly: it trusts pull through cache rather than ECR's repository creation.
                $role = New-PtcServiceRole RepositoryCreationTemplate -RoleName "arn:aws:iam::${account}:role/ptc-template" -Region us-east-1
                $null = Invoke-MotoQuery $moto CreateRole @{ RoleName = 'ptc-template'; AssumeRolePolicyDocument = $role.AssumeRolePolicyDocument.Replace('"ecr.amazonaws.com"', '"pullthroughcache.ecr.amazonaws.com"') }
                $role | Write-IAMRolePolicy
                $expected = @('TemplateRoleTrust=Fail', 'FirstPull=Fail', 'LaterPulls=Fail')
                $upstreamParameters = $null
            }
            '*ECR upstream in the same account, with a tagging template' {
                Set-Scenario @{
                    pullThroughCacheRules       = @(@{ ecrRepositoryPrefix = 'mirror'; upstreamRegistryUrl = "${account}.dkr.ecr.eu-west-1.amazonaws.com"; customRoleArn = "arn:aws:iam::${account}:role/ptc-upstream" })
                    repositoryCreationTemplates = @(@{ prefix = 'mirror'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'platform' }); customRoleArn = "arn:aws:iam::${account}:role/ptc-template" })
                    policyText                  = (New-PtcPolicyStatement -Principal $puller -RepositoryPrefix mirror -Region us-east-1 -RegistryId $account | Add-PtcRegistryStatement).PolicyText
                }
                New-PtcServiceRole PullThroughCache -RoleName "arn:aws:iam::${account}:role/ptc-upstream" -Region us-east-1 | ForEach-Object { $_ | New-IAMRole; $_ | Write-IAMRolePolicy }
                # The template's role is missing altogether: the check hands back the role to create.
                $expected = @('TemplateRoleTrust=Fail', 'TemplateRolePermissions=Fail', 'FirstPull=Fail')
                $upstreamParameters = $null
            }
            '*ECR upstream in the same account, no template' {
                Set-Scenario @{
                    pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'mirror'; upstreamRegistryUrl = "${account}.dkr.ecr.eu-west-1.amazonaws.com"; customRoleArn = "arn:aws:iam::${account}:role/ptc-upstream" })
                    policyText            = (New-PtcPolicyStatement -Principal $puller -RepositoryPrefix mirror -Region us-east-1 -RegistryId $account | Add-PtcRegistryStatement).PolicyText
                }
                # Made by hand, wrongly: it trusts ECR rather than pull through cache, and may only read.
                $null = Invoke-MotoQuery $moto CreateRole @{ RoleName = 'ptc-upstream'; AssumeRolePolicyDocument = $ecrTrust }
                $null = Invoke-MotoQuery $moto PutRolePolicy @{ RoleName = 'ptc-upstream'; PolicyName = 'read'; PolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*"}]}' }
                $expected = @('CustomRoleTrust=Fail', 'CustomRolePermissions=Fail')
                $upstreamParameters = $null
            }
            '*ECR upstream in another account*' {
                $tagging = $Name -like '*tagging*'
                $seed = @{
                    pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'team-a'; upstreamRegistryUrl = '444455556666.dkr.ecr.us-east-1.amazonaws.com'; upstreamRepositoryPrefix = 'team-a'; customRoleArn = "arn:aws:iam::${account}:role/ptc-upstream" })
                    policyText            = (New-PtcPolicyStatement -Principal $puller -RepositoryPrefix team-a -Region us-east-1 -RegistryId $account | Add-PtcRegistryStatement).PolicyText
                }
                if ($tagging) { $seed.repositoryCreationTemplates = @(@{ prefix = 'ROOT'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'platform' }); customRoleArn = "arn:aws:iam::${account}:role/ptc-template" }) }
                Set-Scenario $seed
                New-PtcServiceRole PullThroughCache -RoleName "arn:aws:iam::${account}:role/ptc-upstream" -Region us-east-1 | ForEach-Object { $_ | New-IAMRole; $_ | Write-IAMRolePolicy }
                if ($tagging) { New-PtcServiceRole RepositoryCreationTemplate -RoleName "arn:aws:iam::${account}:role/ptc-template" -Region us-east-1 | ForEach-Object { $_ | New-IAMRole; $_ | Write-IAMRolePolicy } }
                $upstreamParameters = @{ EndpointUrl = $upstream.Url; Region = 'us-east-1' }
                $expected = if ($tagging) { @('UpstreamRegistryPolicy=Fail', 'FirstPull=Fail') } else { @('UpstreamRegistryPolicy=Fail') }
            }
        }

        $diagnose = {
            $given = if ($upstreamParameters) { @{ UpstreamRegistryPolicy = (Get-PtcRegistryPolicy @upstreamParameters) } } else { @{} }
            @(Get-PtcPullThroughCacheRule | Test-PtcPullThroughCache -Principal $puller @given)
        }
        $before = & $diagnose
        Get-Failing $before | Should -Be $expected -Because ($before | Out-String -Width 200)
        $before | Should -BeOfType PtcTools.PtcReadinessCheck

        if ($expected) {
            $fixes = Invoke-Fix $before $upstreamParameters
            $fixes | Should -Not -BeNullOrEmpty
            $after = & $diagnose
            Get-Failing $after | Should -BeNullOrEmpty -Because ($after | Where-Object Status -NE 'Pass' | Format-List Check, Status, Reason | Out-String -Width 200)
        }
    }
}

Describe 'A read that is refused' {
    It 'makes the checks that need it Unknown with the read''s error id, and the others still run' -Skip:$noMoto {
        Set-Scenario @{}
        $secret = Invoke-MotoJson $moto 'secretsmanager.CreateSecret' @{ Name = 'ecr-pullthroughcache/docker-hub'; SecretString = 'x' }
        $null = Invoke-MotoQuery $moto CreateUser @{ UserName = 'reader' }
        $null = Invoke-MotoQuery $moto PutUserPolicy @{ UserName = 'reader'; PolicyName = 'read-iam'; PolicyDocument = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"}]}' }
        $key = (Invoke-MotoQuery $moto CreateAccessKey @{ UserName = 'reader' }).CreateAccessKeyResponse.CreateAccessKeyResult.AccessKey
        $rule = @{ ecrRepositoryPrefix = 'docker-hub'; upstreamRegistry = 'docker-hub'; upstreamRegistryUrl = 'docker-hub.upstream.example'; credentialArn = $secret.ARN; registryId = $account; region = 'us-east-1' }
        $registry = New-PtcPolicyStatement -Principal $puller -RepositoryPrefix docker-hub -Region us-east-1 -RegistryId $account | Add-PtcRegistryStatement
        Set-TestMotoAuthentication -Moto $moto -Mode Enforce
        try {
            # The ECR documents are given, so only moto is asked, with the reader's keys (moto checks the signature).
            $checks = Test-PtcPullThroughCache -Rule $rule -Principal $puller -RegistryPolicy $registry -Template @() -Scope V2 -AccessKey $key.AccessKeyId -SecretKey $key.SecretAccessKey
        } finally {
            Set-TestMotoAuthentication -Moto $moto -Mode Relax
        }
        $secretCheck = $checks | Where-Object Check -EQ 'Secret'
        $secretCheck.Status | Should -Be 'Unknown'
        $secretCheck.ErrorId | Should -Be 'SecretsManagerAccessDenied'
        $secretCheck.Reason | Should -Match 'AccessDenied'
        ($checks | Where-Object Check -EQ 'FirstPull').Status | Should -Be 'Pass'
        ($checks | Where-Object Check -EQ 'SecretName').Status | Should -Be 'Pass'
    }
}
