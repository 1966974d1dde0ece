BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:saved = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    # 150 rules, so DescribePullThroughCacheRules needs two pages of 100.
    $rules = @(
        @{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }
        @{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' }
    ) + @(1..148 | ForEach-Object { @{ ecrRepositoryPrefix = ('team{0:d3}' -f $_); upstreamRegistryUrl = 'ecr-public.upstream.example' } })
    $script:emulator = Start-TestEcrEmulator -Seed @{ pullThroughCacheRules = $rules }
    $script:aws = Get-EmulatorParameters $emulator
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $saved
}

Describe 'Get-PtcPullThroughCacheRule' {
    BeforeEach { $emulator | Reset-EcrEmulator }

    It 'lists every rule across pages' {
        $all = Get-PtcPullThroughCacheRule @aws
        $all.Count | Should -Be 150
        $all[0] | Should -BeOfType PtcTools.PtcPullThroughCacheRule
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'DescribePullThroughCacheRules').Count | Should -Be 2
    }

    It 'gives each rule its prefix, upstream, registry and Region' {
        $rule = Get-PtcPullThroughCacheRule @aws -EcrRepositoryPrefix ecr-public
        $rule.EcrRepositoryPrefix | Should -Be 'ecr-public'
        $rule.UpstreamRegistryUrl | Should -Be 'ecr-public.upstream.example'
        $rule.UpstreamRegistry | Should -Be 'ecr-public'
        $rule.RegistryId | Should -Be '111122223333'
        $rule.Region | Should -Be 'us-east-1'
        $rule.CreatedAt | Should -BeOfType datetime
    }

    It 'filters with wildcards' {
        @(Get-PtcPullThroughCacheRule @aws -EcrRepositoryPrefix 'team00*').Count | Should -Be 9
        @(Get-PtcPullThroughCacheRule @aws 'quay', 'ecr-*').EcrRepositoryPrefix | Should -Be @('ecr-public', 'quay')
    }

    It 'reports a prefix without a rule as PullThroughCacheRuleNotFound' {
        Get-PtcPullThroughCacheRule @aws -EcrRepositoryPrefix 'docker-hub' -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PullThroughCacheRuleNotFound,PtcTools.Commands.GetPtcPullThroughCacheRuleCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -Be 'docker-hub'
    }

    It 'pipes EcrRepositoryPrefix, RegistryId and Region by property name into the next command' {
        function Receive-Rule {
            param(
                [Parameter(ValueFromPipelineByPropertyName)] [string] $RepositoryPrefix,
                [Parameter(ValueFromPipelineByPropertyName)] [Alias('EcrRepositoryPrefix')] [string] $Prefix,
                [Parameter(ValueFromPipelineByPropertyName)] [string] $RegistryId,
                [Parameter(ValueFromPipelineByPropertyName)] [string] $Region)
            process { "$Prefix|$RegistryId|$Region" }
        }
        Get-PtcPullThroughCacheRule @aws -EcrRepositoryPrefix quay | Receive-Rule | Should -Be 'quay|111122223333|us-east-1'
    }

    It 'recovers from throttling within the retry budget' {
        $emulator | Set-EcrEmulatorFault -Throttle 2 -Operation DescribePullThroughCacheRules
        (Get-PtcPullThroughCacheRule @aws).Count | Should -Be 150
    }

    It 'refuses a malformed <What> with <ErrorId> before calling ECR' -TestCases @(
        @{ What = 'registry id'; Arguments = @{ RegistryId = '12' }; ErrorId = 'RegistryIdInvalid'; Target = '12' }
        @{ What = 'empty prefix'; Arguments = @{ EcrRepositoryPrefix = '' }; ErrorId = 'RepositoryPrefixInvalid'; Target = '' }
        @{ What = 'prefix in capitals'; Arguments = @{ EcrRepositoryPrefix = 'Docker-Hub' }; ErrorId = 'RepositoryPrefixInvalid'; Target = 'Docker-Hub' }
    ) {
        $emulator | Reset-EcrEmulator
        Get-PtcPullThroughCacheRule @aws @Arguments -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.GetPtcPullThroughCacheRuleCommand"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be $Target
        @($emulator | Get-EcrEmulatorRequest | Where-Object operation -EQ 'DescribePullThroughCacheRules').Count | Should -Be 0
    }

    It 'has the AWS.Tools alias EcrRepositoryPrefixes' {
        (Get-Command Get-PtcPullThroughCacheRule).Parameters['EcrRepositoryPrefix'].Aliases | Should -Contain 'EcrRepositoryPrefixes'
    }
}
