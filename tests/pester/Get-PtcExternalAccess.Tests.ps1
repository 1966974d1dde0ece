BeforeAll {
    $script:id = 'PtcTools.Commands.GetPtcExternalAccessCommand'
    $script:policy = '{"Version":"2012-10-17","Statement":[' +
        '{"Sid":"Replication","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"},' +
        '{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/base/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}},' +
        '{"Sid":"Cache","Effect":"Allow","Principal":{"Service":"pullthroughcache.ecr.amazonaws.com"},"Action":"ecr:BatchImportUpstreamImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"},' +
        '{"Sid":"CiRoles","Effect":"Allow","Principal":"*","Action":"ecr:PutImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ci/*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"}}},' +
        '{"Sid":"Own","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/admin"},"Action":"ecr:*","Resource":"*"}]}'
}

Describe 'Get-PtcExternalAccess' {
    It 'classifies every grant outside the registry''s account' {
        $result = Get-PtcExternalAccess $policy
        $result | Should -BeOfType PtcTools.PtcAccessCheckResult
        $result.Result | Should -Be 'Fail'
        $byAccess = $result.Witnesses | Group-Object Access -AsHashTable -AsString
        $byAccess['OtherAccount'].Principal | Should -Match '^arn:aws:(iam|sts)::444455556666:'
        ($byAccess['OtherAccount'].Actions | Sort-Object -Unique) | Should -Be @('ecr:CreateRepository', 'ecr:ReplicateImage')
        $byAccess['OtherOrganization'].Context['aws:PrincipalOrgID'] | Sort-Object -Unique | Should -Be 'o-a1b2c3d4e5'
        $byAccess['Service'].Principal | Should -Be 'pullthroughcache.ecr.amazonaws.com'
        $byAccess['Public'].Action | Sort-Object -Unique | Should -Be 'ecr:PutImage'
        $byAccess['Public'].Conditions | Should -Contain 'CiRoles: ArnLike aws:PrincipalArn = arn:aws:iam::*:role/ci-*'
        $result.Witnesses.Principal | Should -Not -Match '::111122223333:'
        ($result.Witnesses | Test-PtcPermission -Policy $policy).Decision | Sort-Object -Unique | Should -Be 'Allowed'
    }

    It 'leaves out the trusted accounts and organizations' {
        $result = Get-PtcExternalAccess $policy -TrustedAccount 444455556666 -OrganizationId o-a1b2c3d4e5
        $result.Witnesses.Access | Sort-Object -Unique | Should -Be @('Public', 'Service')
        $result.Message | Should -Match 'account 444455556666, organization o-a1b2c3d4e5'
    }

    It 'passes for a policy that grants only within the account' {
        $own = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:*","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}]}'
        (Get-PtcExternalAccess $own).Result | Should -Be 'Pass'
        $own | Get-PtcExternalAccess -Quiet | Should -BeTrue
    }

    It 'binds a policy read from ECR with its registry and Region' {
        $read = ConvertFrom-PtcRegistryPolicy $policy
        $read.RegistryId = '111122223333'
        $read.Region = 'us-east-1'
        $result = $read | Get-PtcExternalAccess
        $result.RegistryId | Should -Be '111122223333'
        $result.Region | Should -Be 'us-east-1'
    }

    It 'shows a result in an 80-column console without losing the answer' {
        $lines = Get-PtcExternalAccess $policy | Out-String -Width 80 -Stream
        ($lines | Where-Object { $_.Length -gt 80 }) | Should -BeNullOrEmpty
        ($lines -join "`n") | Should -Match 'Fail\s+ExternalAccess'
    }

    It 'reports a malformed trusted account as AccountIdInvalid' {
        Get-PtcExternalAccess $policy -TrustedAccount 12 -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "AccountIdInvalid,$id"
    }

    Context 'typed -Policy (issue 16 item 1 read cmdlets decision)' {
        It 'has a PtcRegistryPolicy parameter and reads a policy file object, piped or given' {
            (Get-Command Get-PtcExternalAccess).Parameters.Policy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            $file = Join-Path $TestDrive 'policy.json'
            Set-Content -LiteralPath $file -Value $policy
            (Get-Item -LiteralPath $file | Get-PtcExternalAccess).Result | Should -Be 'Fail'
            (Get-PtcExternalAccess (Get-Item -LiteralPath $file)).Witnesses.Count | Should -Be (Get-PtcExternalAccess $policy).Witnesses.Count
        }

        It 'takes the registry and Region of a deserialized policy given as -Policy, as of a piped one' {
            $anywhere = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*"}]}'
            Get-PtcExternalAccess $anywhere -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -Be "RegistryIdRequired,$id"
            $problem[0].TargetObject | Should -Be $anywhere
            $read = ConvertFrom-PtcRegistryPolicy $anywhere
            $read.RegistryId = '111122223333'; $read.Region = 'eu-west-1'
            $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($read))
            foreach ($result in (Get-PtcExternalAccess -Policy $deserialized), ($deserialized | Get-PtcExternalAccess)) {
                $result.RegistryId, $result.Region | Should -Be @('111122223333', 'eu-west-1')
            }
        }
    }
}
