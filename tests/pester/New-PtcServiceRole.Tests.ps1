BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsToolsStandIns.ps1')
    $script:key = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'
}

AfterAll { Remove-PtcAwsToolsStandIns }

Describe 'New-PtcServiceRole' {
    It 'gives the ECR-to-ECR custom role the documented trust and nine actions' {
        $role = New-PtcServiceRole PullThroughCache -RegistryId 111122223333 -Region us-east-1
        $role | Should -BeOfType PtcTools.PtcServiceRole
        $role.AssumeRolePolicyDocument | Should -BeExactly '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"pullthroughcache.ecr.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
        @($role.PermissionsPolicy.Statement.Action).Count | Should -Be 9
        $role.UpstreamStatement | Should -BeNullOrEmpty
    }

    It 'reads the role, its account and the upstream from a pull through cache rule piped in' {
        $rule = [pscustomobject]@{
            EcrRepositoryPrefix = 'team-a'; RegistryId = '111122223333'; Region = 'us-east-1'; UpstreamRegistryUrl = '444455556666.dkr.ecr.us-west-2.amazonaws.com'
            UpstreamRepositoryPrefix = 'team-a'; CustomRoleArn = 'arn:aws:iam::111122223333:role/ptc/team-a-upstream'
        }
        $role = $rule | New-PtcServiceRole PullThroughCache
        $role.RoleName | Should -Be 'team-a-upstream'
        $role.Path | Should -Be '/ptc/'
        $expected = New-PtcPolicyStatement -PolicyType UpstreamAccess -Principal 111122223333 -RepositoryPrefix team-a -Region us-west-2 -RegistryId 444455556666
        $role.UpstreamStatement.Json | Should -BeExactly $expected.Json
    }

    It 'gives no upstream statement when the upstream is in the same account (another Region)' {
        $role = New-PtcServiceRole PullThroughCache -RegistryId 111122223333 -Region us-east-1 -UpstreamRegistryUrl 111122223333.dkr.ecr.eu-west-1.amazonaws.com
        $role.UpstreamStatement | Should -BeNullOrEmpty
    }

    It 'gives a template role KMS grants only on the named keys' {
        $plain = New-PtcServiceRole RepositoryCreationTemplate -Region us-east-1
        $encrypting = New-PtcServiceRole RepositoryCreationTemplate -Region us-east-1 -KmsKey $key
        $plain.AssumeRolePolicyDocument | Should -Match '"Service":"ecr.amazonaws.com"'
        $plain.PermissionsPolicy.Statement.Action | Should -Not -Contain 'kms:CreateGrant'
        ($encrypting.PermissionsPolicy.Statement | Where-Object Sid -EQ 'TemplateKmsGrants').Resource | Should -Be $key
    }

    It 'binds New-IAMRole, Write-IAMRolePolicy and Update-IAMAssumeRolePolicy of AWS.Tools by property name' {
        $global:PtcAwsToolsCalls.Clear()
        $role = New-PtcServiceRole PullThroughCache -RoleName arn:aws:iam::111122223333:role/ptc/upstream -Region us-east-1
        $role | New-IAMRole
        $role | Write-IAMRolePolicy
        $role.TrustPolicy | Update-IAMAssumeRolePolicy
        $calls = $global:PtcAwsToolsCalls
        $calls[0].Parameters.RoleName | Should -Be 'upstream'
        $calls[0].Parameters.Path | Should -Be '/ptc/'
        $calls[0].Parameters.AssumeRolePolicyDocument | Should -BeExactly $role.AssumeRolePolicyDocument
        $calls[0].Parameters.Description | Should -Match 'ECR-to-ECR'
        $calls[1].Parameters.RoleName | Should -Be 'upstream'
        $calls[1].Parameters.PolicyName | Should -Be 'upstream'
        $calls[1].Parameters.PolicyDocument | Should -BeExactly $role.PolicyDocument
        $calls[2].Parameters.RoleName | Should -Be 'upstream'
        $calls[2].Parameters.PolicyDocument | Should -BeExactly $role.AssumeRolePolicyDocument
    }

    It 'refuses <Case> with <ErrorId>' -TestCases @(
        @{ Case = 'a role of another account'; Arguments = @{ Kind = 'PullThroughCache'; RoleName = 'arn:aws:iam::444455556666:role/x'; RegistryId = '111122223333'; Region = 'us-east-1' }; ErrorId = 'RoleAccountMismatch'; Target = 'arn:aws:iam::444455556666:role/x' }
        @{ Case = 'a role name with a space'; Arguments = @{ Kind = 'PullThroughCache'; RoleName = 'my role'; Region = 'us-east-1' }; ErrorId = 'RoleNameInvalid'; Target = 'my role' }
        @{ Case = 'an upstream that is not ECR'; Arguments = @{ Kind = 'PullThroughCache'; UpstreamRegistryUrl = 'quay.upstream.example'; RegistryId = '111122223333'; Region = 'us-east-1' }; ErrorId = 'UpstreamRegistryUrlInvalid'; Target = 'quay.upstream.example' }
        @{ Case = 'a key alias for a template role'; Arguments = @{ Kind = 'RepositoryCreationTemplate'; KmsKey = 'alias/ptc'; Region = 'us-east-1' }; ErrorId = 'KmsKeyInvalid'; Target = 'alias/ptc' }
        @{ Case = 'a Region that is not one'; Arguments = @{ Kind = 'RepositoryCreationTemplate'; Region = 'moon-1' }; ErrorId = 'RegionInvalid'; Target = 'moon-1' }
    ) {
        $result = New-PtcServiceRole @Arguments -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.NewPtcServiceRoleCommand"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be $Target
    }
}
