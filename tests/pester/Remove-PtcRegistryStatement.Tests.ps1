BeforeAll {
    $script:id = 'PtcTools.Commands.RemovePtcRegistryStatementCommand'
    $script:sample = '{"Version":"2012-10-17","Statement":[{"Sid":"ReplicationFromProd","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"},{"Sid":"PtcEcrPublic","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"},{"Sid":"PtcQuay","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/quay/*","X-Keep":[1.50]},{"Effect":"Deny","Principal":"*","Action":"ecr:*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}'
    $script:doc = ConvertFrom-PtcRegistryPolicy $sample
}

Describe 'Remove-PtcRegistryStatement' {
    It 'removes by Sid from a piped policy and keeps the rest byte for byte' {
        $result = $sample | Remove-PtcRegistryStatement -Sid PtcEcrPublic
        $result | Should -BeOfType PtcTools.PtcRegistryPolicy
        $result.PolicyText | Should -BeExactly ($sample.Replace(',' + $doc.Statement[1].Json, ''))
    }

    It 'removes every statement whose Sid matches a wildcard' {
        (Remove-PtcRegistryStatement -Policy $doc -Sid 'Ptc*').Statement.Sid | Should -Be @('ReplicationFromProd', $null)
    }

    It 'matches Sids case-sensitively, as IAM does, and reports a miss as StatementNotFound' {
        $result = $doc | Remove-PtcRegistryStatement -Sid ptcquay, PtcQuay -ErrorAction SilentlyContinue -ErrorVariable problem
        $result.Statement.Count | Should -Be 3
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "StatementNotFound,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -BeExactly 'ptcquay'
        $problem[0].Exception.Message | Should -Match 'PtcQuay'
    }

    It 'still emits the policy when nothing matched' {
        $result = $doc | Remove-PtcRegistryStatement -Sid Nothing* -ErrorAction SilentlyContinue
        $result.PolicyText | Should -BeExactly $sample
    }

    It 'removes statements by meaning, also those without Sid' {
        $deny = @{ Effect = 'Deny'; Principal = '*'; Action = @('ECR:*'); Resource = @('*'); Condition = @{ Bool = @{ 'aws:SecureTransport' = @('false') } } }
        $result = Remove-PtcRegistryStatement -Policy $doc -Statement $deny
        $result.Statement.Count | Should -Be 3
        $result.Statement.Sid | Should -Not -Contain $null
    }

    It 'reports a statement that matches nothing as StatementNotFound with the statement as target' {
        $missing = New-PtcPolicyStatement -Principal 999999999999 -Region us-east-1 -RegistryId 111122223333
        $doc | Remove-PtcRegistryStatement -Statement $missing -ErrorAction SilentlyContinue -ErrorVariable problem | Out-Null
        $problem[0].FullyQualifiedErrorId | Should -Be "StatementNotFound,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject.Sid | Should -Be $missing.Sid
    }

    It 'gives back the original policy after adding and removing a new statement' {
        $new = New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci -RepositoryPrefix k8s -Region us-east-1 -RegistryId 111122223333
        $added = $new | Add-PtcRegistryStatement -Policy $doc
        ($added | Remove-PtcRegistryStatement -Sid $new.Sid).PolicyText | Should -BeExactly $sample
        ($added | Remove-PtcRegistryStatement -Statement $new).PolicyText | Should -BeExactly $sample
    }

    It 'binds PolicyText by property name from a Get-ECRRegistryPolicy-shaped response' {
        ([pscustomobject]@{ RegistryId = '111122223333'; PolicyText = $sample } | Remove-PtcRegistryStatement -Sid PtcQuay).Statement.Count | Should -Be 3
    }

    It 'accepts a deserialized policy and keeps its origin' {
        $policy = ConvertFrom-PtcRegistryPolicy $sample
        $policy.Region = 'us-east-1'
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($policy))
        $result = $deserialized | Remove-PtcRegistryStatement -Sid PtcQuay
        $result.Statement.Count | Should -Be 3
        $result.Region | Should -Be 'us-east-1'
    }

    It 'reads a policy file without writing it' {
        $file = Join-Path $TestDrive 'policy.json'
        Set-Content -LiteralPath $file -Value $sample -NoNewline
        (Remove-PtcRegistryStatement -Path $file -Sid PtcQuay).Statement.Count | Should -Be 3
        (Remove-PtcRegistryStatement -LiteralPath $file -Sid PtcQuay).Path | Should -Be $file
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $sample
    }

    It 'reports <ErrorId> (<Category>) for <Case>' -TestCases @(
        @{ Case = 'no -Sid or -Statement'; ErrorId = 'StatementSelectorMissing'; Category = 'InvalidArgument'; Arguments = @{ Policy = '{"Statement":[]}' } }
        @{ Case = 'a missing file'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound'; Arguments = @{ Path = 'TestDrive:/missing.json'; Sid = 'A' } }
        @{ Case = 'a wildcard matching two files'; ErrorId = 'PolicyPathAmbiguous'; Category = 'InvalidArgument'; Arguments = @{ Path = 'TestDrive:/two-*.json'; Sid = 'A' } }
        @{ Case = 'a statement that is not one'; ErrorId = 'StatementInvalid'; Category = 'InvalidArgument'; Arguments = @{ Policy = '{"Statement":[]}'; Statement = 42 } }
    ) {
        Set-Content -LiteralPath (Join-Path $TestDrive 'two-a.json') -Value $sample
        Set-Content -LiteralPath (Join-Path $TestDrive 'two-b.json') -Value $sample
        try { Remove-PtcRegistryStatement @Arguments -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,$id"
        $caught.CategoryInfo.Category | Should -Be $Category
    }

    It 'reports a value that is not a policy as PolicyInputInvalid' {
        42 | Remove-PtcRegistryStatement -Sid A -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PolicyInputInvalid,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be 42
    }

    It 'reports a malformed policy from the pipeline and goes on with the next' {
        $results = '{"Version":', $sample | Remove-PtcRegistryStatement -Sid PtcQuay -ErrorAction SilentlyContinue -ErrorVariable problem
        @($results).Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].TargetObject | Should -Be '{"Version":'
    }

    Context 'typed -Policy and -Statement (issue 16 item 1 decision)' {
        It 'binds a piped policy as itself, which keeps where it came from' {
            (Get-Command Remove-PtcRegistryStatement).Parameters.Policy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            (Get-Command Remove-PtcRegistryStatement).Parameters.Statement.ParameterType | Should -Be ([PtcTools.PtcPolicyStatement[]])
            $policy = ConvertFrom-PtcRegistryPolicy $sample
            $policy.RegistryId = '111122223333'; $policy.Region = 'eu-west-1'; $policy.Scope = 'V1'; $policy.SourceText = $sample
            $result = $policy | Remove-PtcRegistryStatement -Sid PtcQuay
            $result.RegistryId, $result.Region, $result.Scope, $result.SourceText | Should -Be @('111122223333', 'eu-west-1', 'V1', $sample)
            $response = [pscustomobject]@{ RegistryId = '444455556666'; PolicyText = $sample }
            ($response | Remove-PtcRegistryStatement -Sid PtcQuay).RegistryId | Should -Be '444455556666'
        }

        It 'reads a policy file object given to -Policy as a policy file (it was PolicyInputInvalid)' {
            $file = Join-Path $TestDrive 'typed-remove.json'
            Set-Content -LiteralPath $file -Value $sample
            $result = Remove-PtcRegistryStatement -Policy (Get-Item -LiteralPath $file) -Sid PtcQuay
            $result.Sids | Should -Not -Contain 'PtcQuay'
            $result.Path | Should -Be (Get-Item -LiteralPath $file).FullName
        }

        It 'reports a -Statement that is no statement with the cmdlet''s error id and the value as target, before reading any policy' {
            try { Remove-PtcRegistryStatement -Policy '{"Version":' -Statement $doc -ErrorAction Stop } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be "StatementInvalid,$id"
            $caught.TargetObject | Should -BeOfType PtcTools.PtcRegistryPolicy
            try { Remove-PtcRegistryStatement -Policy $doc -Statement '{"Sid":' -ErrorAction Stop } catch { $caught = $_ }
            $caught.FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
            $caught.TargetObject | Should -BeExactly '{"Sid":'
        }
    }
}
