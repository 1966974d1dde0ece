BeforeAll {
    $script:id = 'PtcTools.Commands.TestPtcAccessNotGrantedCommand'
    function script:Policy([string[]] $Statements) { '{"Version":"2012-10-17","Statement":[' + ($Statements -join ',') + ']}' }
    $script:orgCache = Policy '{"Sid":"OrgCache","Effect":"Allow","Principal":"*","Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}'
}

Describe 'Test-PtcAccessNotGranted' {
    It 'passes for a guardrail the policy keeps: nobody outside the organization creates repositories' {
        $result = Test-PtcAccessNotGranted $orgCache -Action ecr:CreateRepository -OrganizationId o-a1b2c3d4e5
        $result | Should -BeOfType PtcTools.PtcAccessCheckResult
        $result.Result | Should -Be 'Pass'
        $result.Check | Should -Be 'AccessNotGranted'
    }

    It 'fails for the same guardrail when everyone counts, with the statement and witnesses' {
        $result = Test-PtcAccessNotGranted $orgCache -Action ecr:CreateRepository
        $result.Result | Should -Be 'Fail'
        $result.Reasons.StatementId | Should -Be 'OrgCache'
        $result.Witnesses.Action | Sort-Object -Unique | Should -Be 'ecr:CreateRepository'
        @($result.Witnesses | Where-Object { $_.Context['aws:PrincipalOrgID'] -ne 'o-a1b2c3d4e5' }) | Should -BeNullOrEmpty
        ($result.Witnesses | Test-PtcPermission -Policy $orgCache).Decision | Sort-Object -Unique | Should -Be 'Allowed'
    }

    It 'limits the check to <Case>' -TestCases @(
        @{ Case = 'other actions'; Arguments = @{ Action = 'ecr:PutImage', 'ecr:Delete*' }; Expected = 'Pass' }
        @{ Case = 'repositories outside the grant'; Arguments = @{ RepositoryName = 'team-a/*' }; Expected = 'Pass' }
        @{ Case = 'repositories inside the grant'; Arguments = @{ RepositoryName = 'ecr-public/nginx' }; Expected = 'Fail' }
        @{ Case = 'a principal of another account'; Arguments = @{ Principal = '444455556666' }; Expected = 'Fail' }
        @{ Case = 'a service'; Arguments = @{ Principal = 'ecr.amazonaws.com' }; Expected = 'Pass' }
        @{ Case = 'a wildcard action pattern'; Arguments = @{ Action = 'ecr:BatchImport*' }; Expected = 'Fail' }
    ) {
        (Test-PtcAccessNotGranted $orgCache @Arguments).Result | Should -Be $Expected
    }

    It 'takes the policy from the pipeline and answers a bool with -Quiet' {
        $orgCache | Test-PtcAccessNotGranted -Action ecr:CreateRepository -OrganizationId o-a1b2c3d4e5 -Quiet | Should -BeTrue
        [pscustomobject]@{ PolicyText = $orgCache } | Test-PtcAccessNotGranted -Action ecr:CreateRepository -Quiet | Should -BeFalse
    }

    It 'reports <Case> as <ErrorId>' -TestCases @(
        @{ Case = 'a malformed principal'; Arguments = @{ Principal = 'arn:aws:iam::1:role/x' }; ErrorId = 'AccessQueryInvalid' }
        @{ Case = 'a malformed trusted account'; Arguments = @{ TrustedAccount = '12345' }; ErrorId = 'AccountIdInvalid' }
        @{ Case = 'a malformed organization'; Arguments = @{ OrganizationId = 'org-1' }; ErrorId = 'OrganizationIdInvalid' }
    ) {
        Test-PtcAccessNotGranted $orgCache @Arguments -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    Context 'typed -Policy (issue 16 item 1 read cmdlets decision)' {
        It 'has a PtcRegistryPolicy parameter, reads a policy file object and reports malformed text as before' {
            (Get-Command Test-PtcAccessNotGranted).Parameters.Policy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            $file = Join-Path $TestDrive 'policy.json'
            Set-Content -LiteralPath $file -Value $orgCache
            (Get-Item -LiteralPath $file | Test-PtcAccessNotGranted -Action ecr:CreateRepository -OrganizationId o-a1b2c3d4e5).Result | Should -Be 'Pass'
            '{' | Test-PtcAccessNotGranted -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
            $problem[0].TargetObject | Should -Be '{'
        }
    }
}
