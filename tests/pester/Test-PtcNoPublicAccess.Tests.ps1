BeforeAll {
    $script:id = 'PtcTools.Commands.TestPtcNoPublicAccessCommand'
    function script:Grant([string] $Principal, [string] $Condition) {
        $c = if ($Condition) { ',"Condition":' + $Condition } else { '' }
        '{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Principal":' + $Principal + ',"Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"' + $c + '}]}'
    }
}

Describe 'Test-PtcNoPublicAccess' {
    It 'answers <Expected> for <Case>' -TestCases @(
        @{ Case = 'one user'; Principal = '{"AWS":"arn:aws:iam::111122223333:user/JohnDoe"}'; Condition = $null; Expected = 'Pass' }
        @{ Case = 'another account'; Principal = '{"AWS":"444455556666"}'; Condition = $null; Expected = 'Pass' }
        @{ Case = 'everyone'; Principal = '"*"'; Condition = $null; Expected = 'Fail' }
        @{ Case = 'everyone in one organization'; Principal = '"*"'; Condition = '{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}'; Expected = 'Pass' }
        @{ Case = 'everyone in organizations matching a pattern'; Principal = '"*"'; Condition = '{"StringLike":{"aws:PrincipalOrgID":"o-*"}}'; Expected = 'Fail' }
        @{ Case = 'everyone in one account'; Principal = '"*"'; Condition = '{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}'; Expected = 'Pass' }
        @{ Case = 'roles of one name in any account'; Principal = '"*"'; Condition = '{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/ci-*"}}'; Expected = 'Fail' }
        @{ Case = 'everyone from one network'; Principal = '"*"'; Condition = '{"IpAddress":{"aws:SourceIp":"203.0.113.0/24"}}'; Expected = 'Fail' }
        @{ Case = 'a service only'; Principal = '{"Service":"ecr.amazonaws.com"}'; Condition = $null; Expected = 'Pass' }
    ) {
        $policy = Grant $Principal $Condition
        $result = Test-PtcNoPublicAccess $policy
        $result | Should -BeOfType PtcTools.PtcAccessCheckResult
        $result.Result | Should -Be $Expected
        if ($Expected -eq 'Fail') {
            $result.Witnesses.Access | Sort-Object -Unique | Should -Be 'Public'
            $result.Reasons.Description | Should -Be 'Public access in the statement with index: 0.'
            ($result.Witnesses | Test-PtcPermission -Policy $policy).Decision | Sort-Object -Unique | Should -Be 'Allowed'
        }
    }

    It 'takes the policy from the pipeline by value and by PolicyText, and -Quiet answers a bool' {
        Grant '"*"' | Test-PtcNoPublicAccess -Quiet | Should -BeFalse
        [pscustomobject]@{ PolicyText = (Grant '{"AWS":"444455556666"}') } | Test-PtcNoPublicAccess -Quiet | Should -BeTrue
    }

    It 'reports a policy AWS would reject as PolicyInvalidForEvaluation' {
        Test-PtcNoPublicAccess '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*"}]}' -RegistryId 111122223333 -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PolicyInvalidForEvaluation,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    Context 'typed -Policy (issue 16 item 1 read cmdlets decision)' {
        It 'has a PtcRegistryPolicy parameter, reads a policy file object and keeps the scope of a deserialized policy given as -Policy' {
            (Get-Command Test-PtcNoPublicAccess).Parameters.Policy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            $file = Join-Path $TestDrive 'policy.json'
            Set-Content -LiteralPath $file -Value (Grant '"*"')
            (Get-Item -LiteralPath $file | Test-PtcNoPublicAccess).Result | Should -Be 'Fail'
            $read = ConvertFrom-PtcRegistryPolicy (Grant '{"AWS":"444455556666"}')
            $read.Scope = 'V1'
            $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($read))
            Test-PtcNoPublicAccess -Policy $deserialized -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -Be "PolicyInvalidForEvaluation,$id"
            (Test-PtcNoPublicAccess -Policy $deserialized -Scope V2).Result | Should -Be 'Pass'
        }
    }
}
