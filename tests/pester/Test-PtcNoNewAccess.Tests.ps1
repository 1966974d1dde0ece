BeforeAll {
    $script:id = 'PtcTools.Commands.TestPtcNoNewAccessCommand'
    function script:Policy([string[]] $Statements) { '{"Version":"2012-10-17","Statement":[' + ($Statements -join ',') + ']}' }
    $script:pull = '{"Sid":"Pull","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
    $script:existing = Policy $pull
}

Describe 'Test-PtcNoNewAccess' {
    It 'passes for the same policy and for a narrower one' {
        $same = Test-PtcNoNewAccess $existing $existing
        $same | Should -BeOfType PtcTools.PtcAccessCheckResult
        $same.Result | Should -Be 'Pass'
        $same.Check | Should -Be 'NoNewAccess'
        $same.Witnesses | Should -BeNullOrEmpty
        (Test-PtcNoNewAccess $existing (Policy ($pull -replace ',"ecr:GetDownloadUrlForLayer"', ''))).Result | Should -Be 'Pass'
    }

    It 'fails for an added action, with the statement and witnesses that Test-PtcPermission confirms' {
        $new = Policy ($pull -replace '"ecr:GetDownloadUrlForLayer"', '"ecr:GetDownloadUrlForLayer","ecr:DescribeImages"')
        $result = Test-PtcNoNewAccess -ExistingPolicy $existing -Policy $new
        $result.Result | Should -Be 'Fail'
        $result.Reasons.StatementIndex | Should -Be 0
        $result.Reasons.StatementId | Should -Be 'Pull'
        $result.Witnesses.Action | Should -Be 'ecr:DescribeImages'
        $result.Witnesses.Access | Should -Be 'OtherAccount'
        $result.Witnesses.Grant | Should -Be 'IfIdentityAllows'
        ($result.Witnesses | Test-PtcPermission -Policy $new).Decision | Should -Be 'Allowed'
        ($result.Witnesses | Test-PtcPermission -Policy $existing).Decision | Should -Not -Contain 'Allowed'
    }

    It 'sees a removed Deny as new access for the registry''s own principals' {
        $deny = '{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"ecr:DeleteRepository","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
        $result = Test-PtcNoNewAccess (Policy $pull, $deny) $existing
        $result.Result | Should -Be 'Fail'
        $result.Reasons | Where-Object Policy -EQ 'existing policy' | ForEach-Object StatementId | Should -Be 'NoDelete'
        $result.Witnesses.Action | Should -Contain 'ecr:DeleteRepository'
        $result.Witnesses.Access | Should -Contain 'Trusted'
    }

    It 'reads the registry from a policy read from ECR, and -RegistryId wins' {
        $read = ConvertFrom-PtcRegistryPolicy $existing
        $read.RegistryId = '444455556666'
        $read.Region = 'us-east-1'
        (Test-PtcNoNewAccess $read $read).RegistryId | Should -Be '444455556666'
        (Test-PtcNoNewAccess $read $read -RegistryId 111122223333).RegistryId | Should -Be '111122223333'
    }

    It 'takes the new policy from the pipeline, by value and by PolicyText' {
        $new = Policy $pull, '{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/public/*"}'
        ($new | Test-PtcNoNewAccess -ExistingPolicy $existing).Result | Should -Be 'Fail'
        ([pscustomobject]@{ PolicyText = $new } | Test-PtcNoNewAccess -ExistingPolicy $existing).Result | Should -Be 'Fail'
        (ConvertFrom-PtcRegistryPolicy $existing | Test-PtcNoNewAccess -ExistingPolicy $existing).Result | Should -Be 'Pass'
    }

    It 'answers one bool with -Quiet' {
        Test-PtcNoNewAccess $existing $existing -Quiet | Should -BeTrue
        Test-PtcNoNewAccess $existing (Policy $pull, '{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}') -Quiet | Should -BeFalse
    }

    It 'is Unknown, not Pass, for a policy variable it cannot partition, and says which statement' {
        $variable = '{"Sid":"Team","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/${aws:PrincipalTag/team}/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}'
        $result = Test-PtcNoNewAccess (Policy $pull, $variable) (Policy $pull, $variable) -WarningVariable warned -WarningAction SilentlyContinue
        $result.Result | Should -Be 'Unknown'
        ($result.Reasons | Where-Object StatementId -EQ 'Team').Description | Should -Match 'policy variable'
        $warned | Should -Not -BeNullOrEmpty
    }

    It 'reports <Case> as <ErrorId> naming the input' -TestCases @(
        @{ Case = 'a policy AWS would reject'; Existing = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'; ErrorId = 'PolicyInvalidForEvaluation'; Category = 'InvalidData' }
        @{ Case = 'text that is not JSON'; Existing = '{"Version":'; ErrorId = 'PolicyJsonInvalid'; Category = 'InvalidData' }
        @{ Case = 'policies that name no account'; Existing = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}'; ErrorId = 'RegistryIdRequired'; Category = 'InvalidArgument' }
    ) {
        $other = if ($ErrorId -eq 'RegistryIdRequired') { $Existing } else { $existing }
        $result = Test-PtcNoNewAccess $Existing $other -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$id"
        $problem[0].CategoryInfo.Category | Should -Be $Category
    }

    It 'rejects a malformed -RegistryId and -Region' {
        Test-PtcNoNewAccess $existing $existing -RegistryId 1234 -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "RegistryIdInvalid,$id"
        Test-PtcNoNewAccess $existing $existing -Region 'nowhere' -ErrorAction SilentlyContinue -ErrorVariable problem2 | Should -BeNullOrEmpty
        $problem2[0].FullyQualifiedErrorId | Should -Be "RegionInvalid,$id"
    }

    It 'honours the V1 scope: only the three registry actions are analysed' {
        $v1 = Policy '{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:ReplicateImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
        $v1more = Policy '{"Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":["ecr:ReplicateImage","ecr:CreateRepository"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
        $result = Test-PtcNoNewAccess $v1 $v1more -Scope V1
        $result.Result | Should -Be 'Fail'
        $result.Witnesses.Actions | Should -Be 'ecr:CreateRepository'
        Test-PtcNoNewAccess $existing $existing -Scope V1 -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PolicyInvalidForEvaluation,$id"
    }

    Context 'typed -ExistingPolicy and -Policy (issue 16 item 1 read cmdlets decision)' {
        It 'has PtcRegistryPolicy parameters and reads a policy file object on either side' {
            (Get-Command Test-PtcNoNewAccess).Parameters.ExistingPolicy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            (Get-Command Test-PtcNoNewAccess).Parameters.Policy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            $file = Join-Path $TestDrive 'existing.json'
            Set-Content -LiteralPath $file -Value $existing
            (Test-PtcNoNewAccess (Get-Item -LiteralPath $file) $existing).Result | Should -Be 'Pass'
            (Get-Item -LiteralPath $file | Test-PtcNoNewAccess (Policy)).Result | Should -Be 'Fail'
        }

        It 'names the policy that is no policy as the target: <Side>' -TestCases @(
            @{ Side = 'the existing policy'; Before = '{'; After = $null }
            @{ Side = 'the new policy'; Before = $null; After = '{' }
        ) {
            $reference = if ($Before) { $Before } else { $existing }
            $new = if ($After) { $After } else { $existing }
            Test-PtcNoNewAccess $reference $new -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
            $problem[0].TargetObject | Should -Be '{'
        }
    }
}
