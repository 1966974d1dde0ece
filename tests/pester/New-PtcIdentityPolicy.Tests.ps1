BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsToolsStandIns.ps1')
    $script:common = @{ Region = 'us-east-1'; RegistryId = '111122223333' }
    $script:repository = 'arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/nginx'
}

AfterAll { Remove-PtcAwsToolsStandIns }

Describe 'New-PtcIdentityPolicy' {
    It 'gives a puller what the first pull needs and no more, as Test-PtcPermission shows' {
        $policy = New-PtcIdentityPolicy Puller -RepositoryPrefix docker-hub @common
        $policy | Should -BeOfType PtcTools.PtcIamPolicy
        $policy.Kind | Should -Be 'PullerPolicy'
        foreach ($action in 'ecr:BatchImportUpstreamImage', 'ecr:CreateRepository', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability') {
            Test-PtcPermission -IdentityPolicy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -Action $action -Resource $repository -Quiet | Should -BeTrue -Because $action
        }
        Test-PtcPermission -IdentityPolicy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:GetAuthorizationToken -Resource '*' -Context @{ 'aws:RequestedRegion' = 'us-east-1' } -Quiet | Should -BeTrue
        Test-PtcPermission -IdentityPolicy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:TagResource -Resource $repository -Quiet | Should -BeFalse
        Test-PtcPermission -IdentityPolicy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:CreateRepository -Resource 'arn:aws:ecr:us-east-1:111122223333:repository/quay/etcd' -Quiet | Should -BeFalse
    }

    It 'adds ecr:TagResource with -TagResource, and leaves the first pull out with -Stage LaterPulls' {
        $tagging = New-PtcIdentityPolicy Puller -RepositoryPrefix docker-hub -TagResource @common
        $later = New-PtcIdentityPolicy Puller -RepositoryPrefix docker-hub -Stage LaterPulls -TagResource @common
        Test-PtcPermission -IdentityPolicy $tagging -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:TagResource -Resource $repository -Quiet | Should -BeTrue
        $later.Statement.Action | Should -Not -Contain 'ecr:CreateRepository'
        $later.Statement.Action | Should -Not -Contain 'ecr:TagResource'
        ($later.Caveats -join ' ') | Should -Match 'third-party report'
    }

    It 'makes one policy per account of the rules piped in, covering each prefix and Region' {
        $rules = @(
            [pscustomobject]@{ EcrRepositoryPrefix = 'ecr-public'; RegistryId = '111122223333'; Region = 'us-east-1' }
            [pscustomobject]@{ EcrRepositoryPrefix = 'quay'; RegistryId = '111122223333'; Region = 'eu-west-1' }
            [pscustomobject]@{ EcrRepositoryPrefix = 'quay'; RegistryId = '444455556666'; Region = 'us-east-1' }
        )
        $policies = @($rules | New-PtcIdentityPolicy Puller)
        $policies.Count | Should -Be 2
        $policies[0].Statement[1].Resource | Should -Be @(
            'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*', 'arn:aws:ecr:us-east-1:111122223333:repository/quay/*',
            'arn:aws:ecr:eu-west-1:111122223333:repository/ecr-public/*', 'arn:aws:ecr:eu-west-1:111122223333:repository/quay/*')
        $policies[1].Statement[1].Resource | Should -Be 'arn:aws:ecr:us-east-1:444455556666:repository/quay/*'
    }

    It 'passes only the rules'' custom roles for a rule operator, bound from CustomRoleArn' {
        $rule = [pscustomobject]@{ EcrRepositoryPrefix = 'upstream'; RegistryId = '111122223333'; Region = 'us-east-1'; CustomRoleArn = 'arn:aws:iam::111122223333:role/ptc-upstream' }
        $policy = $rule | New-PtcIdentityPolicy RuleOperator
        $passRole = $policy.Statement | Where-Object Sid -EQ 'PassRoleToEcr'
        $passRole.Resource | Should -Be 'arn:aws:iam::111122223333:role/ptc-upstream'
        $passRole.Condition | Should -Be '{"StringEquals":{"iam:PassedToService":"pullthroughcache.ecr.amazonaws.com"}}'
        ($policy.Caveats -join ' ') | Should -Match 'inferred'
    }

    It 'binds Write-IAMRolePolicy, Write-IAMUserPolicy and New-IAMPolicy of AWS.Tools by property name' {
        $global:PtcAwsToolsCalls.Clear()
        New-PtcIdentityPolicy Puller -RepositoryPrefix quay -Principal arn:aws:sts::111122223333:assumed-role/ci-puller/build-42 @common | Write-IAMRolePolicy
        New-PtcIdentityPolicy Puller -RepositoryPrefix quay -Principal ([pscustomobject]@{ Arn = 'arn:aws:iam::111122223333:user/dev/alice' }) @common | Write-IAMUserPolicy
        New-PtcIdentityPolicy TemplateOperator -RepositoryPrefix quay -PolicyName PtcTemplates @common | New-IAMPolicy
        $calls = $global:PtcAwsToolsCalls
        $calls[0].Parameters.RoleName | Should -Be 'ci-puller'
        $calls[0].Parameters.PolicyName | Should -Be 'PtcPullThroughCachePuller'
        ($calls[0].Parameters.PolicyDocument | ConvertFrom-Json).Statement.Count | Should -Be 3
        $calls[1].Parameters.UserName | Should -Be 'alice'
        $calls[2].Parameters.PolicyName | Should -Be 'PtcTemplates'
        $calls[2].Parameters.Path | Should -Be '/'
        $calls[2].Parameters.Description | Should -Match 'repository creation templates'
    }

    It 'refuses <Case> with <ErrorId>' -TestCases @(
        @{ Case = 'a puller without a prefix'; Arguments = @{ Actor = 'Puller' ; Region = 'us-east-1'; RegistryId = '111122223333' }; ErrorId = 'RepositoryPrefixMissing'; Target = '111122223333' }
        @{ Case = 'a prefix in capitals'; Arguments = @{ Actor = 'Puller'; RepositoryPrefix = 'Docker-Hub' ; Region = 'us-east-1'; RegistryId = '111122223333' }; ErrorId = 'RepositoryPrefixInvalid'; Target = 'Docker-Hub' }
        @{ Case = 'a registry id that is not 12 digits'; Arguments = @{ Actor = 'Puller'; RepositoryPrefix = 'quay'; Region = 'us-east-1'; RegistryId = '1234' }; ErrorId = 'RegistryIdInvalid'; Target = '1234' }
        @{ Case = 'Regions of two partitions'; Arguments = @{ Actor = 'Puller'; RepositoryPrefix = 'quay'; Region = 'us-east-1', 'cn-north-1'; RegistryId = '111122223333' }; ErrorId = 'RegionInvalid'; Target = 'cn-north-1' }
        @{ Case = 'a custom role of another account'; Arguments = @{ Actor = 'RuleOperator'; RoleArn = 'arn:aws:iam::444455556666:role/x' ; Region = 'us-east-1'; RegistryId = '111122223333' }; ErrorId = 'RoleArnInvalid'; Target = 'arn:aws:iam::444455556666:role/x' }
        @{ Case = 'a policy name with a space'; Arguments = @{ Actor = 'RuleOperator'; PolicyName = 'my policy' ; Region = 'us-east-1'; RegistryId = '111122223333' }; ErrorId = 'PolicyNameInvalid'; Target = 'my policy' }
    ) {
        $result = New-PtcIdentityPolicy @Arguments -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.NewPtcIdentityPolicyCommand"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be $Target
    }

    It 'stops on a -Principal that is not a role, user or session (PrincipalInvalid)' {
        { New-PtcIdentityPolicy Puller -RepositoryPrefix quay -Principal arn:aws:iam::111122223333:group/dev @common -ErrorAction Stop } |
            Should -Throw -ErrorId 'PrincipalInvalid,PtcTools.Commands.NewPtcIdentityPolicyCommand'
    }

    It 'takes the Region from the session when none is given' {
        $saved = $env:AWS_REGION
        try {
            $env:AWS_REGION = 'eu-central-1'
            (New-PtcIdentityPolicy Puller -RepositoryPrefix quay -RegistryId 111122223333).Statement[1].Resource | Should -Be 'arn:aws:ecr:eu-central-1:111122223333:repository/quay/*'
        } finally { $env:AWS_REGION = $saved }
    }
}
