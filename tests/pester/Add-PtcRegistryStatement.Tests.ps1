BeforeAll {
    $script:id = 'PtcTools.Commands.AddPtcRegistryStatementCommand'
    # An unusual but valid policy: Id first, an unknown top-level key, odd numbers and NotPrincipal in a statement.
    $script:sample = '{"Id":"team-policy","Version":"2012-10-17","Statement":[{"Sid":"ReplicationFromProd","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*","X-Ticket":{"n":1.50,"tags":[true,null]}},{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"ecr:*","Resource":"*"}],"X-Owner":"platform"}'
    $script:ptc = New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryPrefix ecr-public -Region us-east-1 -RegistryId 111122223333 -Sid PtcEcrPublic
}

Describe 'Add-PtcRegistryStatement' {
    It 'appends a statement and keeps every other byte in place' {
        $merged = $ptc | Add-PtcRegistryStatement -Policy $sample
        $merged | Should -BeOfType PtcTools.PtcRegistryPolicy
        $merged.PolicyText | Should -BeExactly ($sample -replace '\],"X-Owner"', ",$($ptc.Json)],`"X-Owner`"")
    }

    It 'shows the merged policy and its statements as readable tables' {
        $merged = $ptc | Add-PtcRegistryStatement -Policy $sample
        $policyTable = $merged | Format-Table | Out-String -Width 200
        $policyTable | Should -Match 'Source\s+Statements\s+Length\s+Sids'
        $policyTable | Should -Match "\s3\s+$($merged.Length) ReplicationFromProd\s+\(no Sid\)\s+PtcEcrPublic"
        # Format-Table of statements: ARNs shortened to what differs (Layout.Tests.ps1 covers 80 and 120 columns).
        $statementTable = $merged.Statement | Format-Table | Out-String -Width 250
        $statementTable | Should -Match 'PtcEcrPublic\s+Allow\s+role/ci-puller\s+ecr:CreateRepository\s+ecr-public/\*'
        $statementTable | Should -Match 'Deny\s+NOT 111122223333\s+ecr:\*'
    }

    It 'is a no-op on a re-run and says so with -Verbose' {
        $once = $ptc | Add-PtcRegistryStatement -Policy $sample
        $verbose = $ptc | Add-PtcRegistryStatement -Policy $once -Verbose 4>&1
        $twice = $verbose | Where-Object { $_ -is [PtcTools.PtcRegistryPolicy] }
        $twice.PolicyText | Should -BeExactly $once.PolicyText
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match "'PtcEcrPublic' is already in the policy .* unchanged"
        ($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'the policy is unchanged'
    }

    It 'treats the same Sid with the same meaning written differently as unchanged' {
        $same = '{"Resource":["arn:aws:ecr:us-east-1:111122223333:repository/*"],"Action":["ECR:replicateimage","ecr:CreateRepository"],"Principal":{"AWS":["444455556666"]},"Effect":"Allow","Sid":"ReplicationFromProd","X-Ticket":{"n":1.50,"tags":[true,null]}}'
        (Add-PtcRegistryStatement -Statement $same -Policy $sample).PolicyText | Should -BeExactly $sample
    }

    It 'refuses the same Sid with another meaning with StatementSidConflict' {
        $other = New-PtcPolicyStatement -PolicyType Replication -Principal 777777777777 -Region us-east-1 -RegistryId 111122223333 -Sid ReplicationFromProd
        { $other | Add-PtcRegistryStatement -Policy $sample -ErrorAction Stop } | Should -Throw -ErrorId "StatementSidConflict,$id"
        try { $other | Add-PtcRegistryStatement -Policy $sample -ErrorAction Stop } catch { $caught = $_ }
        $caught.CategoryInfo.Category | Should -Be 'ResourceExists'
        $caught.TargetObject.Sid | Should -Be 'ReplicationFromProd'
        $caught.Exception.Message | Should -Match 'differs in Principal'
        $caught.ErrorDetails.RecommendedAction | Should -Match '^Use -Force to replace the statement that has this Sid in place'
    }

    It 'replaces the statement in place with -Force' {
        $other = New-PtcPolicyStatement -PolicyType Replication -Principal 777777777777 -Region us-east-1 -RegistryId 111122223333 -Sid ReplicationFromProd
        $merged = $other | Add-PtcRegistryStatement -Policy $sample -Force
        $original = ConvertFrom-PtcRegistryPolicy $sample
        $merged.Statement.Count | Should -Be 2
        $merged.Statement[0].Json | Should -BeExactly $other.Json
        $merged.Statement[1].Json | Should -BeExactly $original.Statement[1].Json
        $merged.PolicyText | Should -Match '^\{"Id":"team-policy","Version":"2012-10-17","Statement":\[.*\],"X-Owner":"platform"\}$'
    }

    It 'deduplicates statements without Sid by meaning, not text' {
        $twin = @{ Effect = 'Deny'; NotPrincipal = @{ AWS = @('arn:aws:iam::111122223333:root') }; Action = @('ECR:*'); Resource = @('*') }
        (Add-PtcRegistryStatement -Statement $twin -Policy $sample).PolicyText | Should -BeExactly $sample
        $new = @{ Effect = 'Deny'; NotPrincipal = @{ AWS = '222222222222' }; Action = 'ecr:*'; Resource = '*' }
        (Add-PtcRegistryStatement -Statement $new -Policy $sample).Statement.Count | Should -Be 3
    }

    It 'refuses a result over 10240 characters with PolicyTextTooLong, naming size and limit in digits only (issue 17)' {
        $names = 1..200 | ForEach-Object { "team-$_/service-$_" }
        $big = New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix docker-hub -RepositoryName $names -Region us-east-1 -RegistryId 111122223333
        try { $big | Add-PtcRegistryStatement -Policy $sample -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "PolicyTextTooLong,$id"
        $caught.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $caught.Exception.Message | Should -Match 'would be \d{5} characters.*limit of 10240 '
    }

    It 'starts from a new empty policy when none is given' {
        ($ptc | Add-PtcRegistryStatement).PolicyText | Should -BeExactly "{`"Version`":`"2012-10-17`",`"Statement`":[$($ptc.Json)]}"
    }

    It 'binds PolicyText by property name from a Get-ECRRegistryPolicy-shaped response and keeps its RegistryId' {
        $response = [pscustomobject]@{ RegistryId = '111122223333'; PolicyText = $sample }
        $merged = $response | Add-PtcRegistryStatement -Statement $ptc
        $merged.Statement.Count | Should -Be 3
        $merged.RegistryId | Should -Be '111122223333'
    }

    It 'keeps where a piped policy came from' {
        $policy = ConvertFrom-PtcRegistryPolicy $sample
        $policy.Region = 'eu-west-1'; $policy.RegistryId = '111122223333'; $policy.SourceText = $sample
        $merged = $policy | Add-PtcRegistryStatement -Statement $ptc
        $merged.Region, $merged.RegistryId, $merged.SourceText | Should -Be @('eu-west-1', '111122223333', $sample)
    }

    It 'adds the same statements to each policy piped in' {
        $results = $sample, '{"Version":"2012-10-17","Statement":[]}' | ConvertFrom-PtcRegistryPolicy | Add-PtcRegistryStatement -Statement $ptc
        $results.Count | Should -Be 2
        $results[1].Statement.Count | Should -Be 1
    }

    It 'merges into a deserialized policy and emits PolicyText' {
        $policy = ConvertFrom-PtcRegistryPolicy $sample
        $policy.Region = 'us-east-1'; $policy.SourceText = $sample
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($policy))
        $statement = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($ptc))
        $deserialized.pstypenames | Should -Contain 'Deserialized.PtcTools.PtcRegistryPolicy'
        $merged = $statement | Add-PtcRegistryStatement -Policy $deserialized
        $merged.PolicyText | Should -BeExactly ($sample -replace '\],"X-Owner"', ",$($ptc.Json)],`"X-Owner`"")
        $merged.Region | Should -Be 'us-east-1'
        $merged.SourceText | Should -BeExactly $sample
    }

    It 'reads -Path and -LiteralPath without writing the file' {
        $file = Join-Path $TestDrive 'policy [1].json'
        Set-Content -LiteralPath $file -Value $sample -NoNewline
        $before = (Get-Item -LiteralPath $file).LastWriteTimeUtc
        $merged = $ptc | Add-PtcRegistryStatement -LiteralPath $file
        $merged.Statement.Count | Should -Be 3
        $merged.Path | Should -Be $file
        $merged.SourceText | Should -BeExactly $sample
        Get-Content -LiteralPath $file -Raw | Should -BeExactly $sample
        (Get-Item -LiteralPath $file).LastWriteTimeUtc | Should -Be $before
        Set-Content -LiteralPath (Join-Path $TestDrive 'plain.json') -Value $sample
        ($ptc | Add-PtcRegistryStatement -Path (Join-Path $TestDrive 'pla*.json')).Statement.Count | Should -Be 3
    }

    It 'reports <ErrorId> (<Category>) for <Case>' -TestCases @(
        @{ Case = 'a missing file'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound'; Arguments = @{ Path = 'TestDrive:/missing.json' } }
        @{ Case = 'a wildcard matching two files'; ErrorId = 'PolicyPathAmbiguous'; Category = 'InvalidArgument'; Arguments = @{ Path = 'TestDrive:/two-*.json' } }
        @{ Case = 'a folder'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound'; Arguments = @{ LiteralPath = 'TestDrive:/' } }
        @{ Case = 'a path of another provider'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound'; Arguments = @{ Path = 'Function:/prompt' } }
        @{ Case = 'a drive that does not exist'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound'; Arguments = @{ Path = 'NoSuchDrive:/policy.json' } }
        @{ Case = 'malformed policy JSON'; ErrorId = 'PolicyJsonInvalid'; Category = 'InvalidData'; Arguments = @{ Policy = '{"Version":' } }
        @{ Case = 'a value that is not a policy'; ErrorId = 'PolicyInputInvalid'; Category = 'InvalidArgument'; Arguments = @{ Policy = 42 } }
        @{ Case = 'a Statement element that is a string'; ErrorId = 'PolicyStatementElementInvalid'; Category = 'InvalidData'; Arguments = @{ Policy = '{"Version":"2012-10-17","Statement":"none"}' } }
    ) {
        Set-Content -LiteralPath (Join-Path $TestDrive 'two-a.json') -Value $sample
        Set-Content -LiteralPath (Join-Path $TestDrive 'two-b.json') -Value $sample
        try { $ptc | Add-PtcRegistryStatement @Arguments -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,$id"
        $caught.CategoryInfo.Category | Should -Be $Category
        $caught.TargetObject | Should -Not -BeNullOrEmpty
    }

    It 'reports a file that cannot be read as PolicyFileUnreadable' -Skip:(-not $IsLinux) {
        # Reading /proc/self/mem from offset 0 fails with an I/O error, even for root.
        try { $ptc | Add-PtcRegistryStatement -LiteralPath /proc/self/mem -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "PolicyFileUnreadable,$id"
        $caught.CategoryInfo.Category | Should -Be 'ReadError'
        $caught.TargetObject | Should -Be '/proc/self/mem'
    }

    It 'returns no policy when a statement cannot be read, rather than one that lacks it' {
        $output = $null
        try { $output = $ptc, '{"Sid":', 42 | Add-PtcRegistryStatement -Policy $sample -ErrorAction SilentlyContinue -ErrorVariable problem } catch { $caught = $_ }
        $output | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
        $problem[1].FullyQualifiedErrorId | Should -Be "StatementInvalid,$id"
        $problem[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[1].TargetObject | Should -Be 42
        $caught.FullyQualifiedErrorId | Should -Be "StatementInputInvalid,$id"
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        # The statements that could not be read, not whichever came last down the pipeline.
        $caught.TargetObject | Should -Be @('{"Sid":', 42)
    }

    It 'names the one unreadable statement as the target even when good ones follow it' {
        try { 'nope', $ptc | Add-PtcRegistryStatement -ErrorAction SilentlyContinue } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "StatementInputInvalid,$id"
        $caught.TargetObject | Should -BeExactly 'nope'
    }

    It 'refuses a whole policy given as a statement' {
        $policy = ConvertFrom-PtcRegistryPolicy $sample
        { Add-PtcRegistryStatement -Statement $policy -ErrorAction Stop } | Should -Throw -ErrorId "StatementInvalid,$id"
    }

    Context 'typed -Policy and -Statement (issue 16 item 1 decision)' {
        It 'has no hidden parameters: a piped policy keeps where it came from by itself' {
            $hidden = (Get-Command Add-PtcRegistryStatement).Parameters.Values | Where-Object { $_.Attributes.DontShow -contains $true }
            $hidden | Should -BeNullOrEmpty
            (Get-Command Add-PtcRegistryStatement).Parameters.Policy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            (Get-Command Add-PtcRegistryStatement).Parameters.Statement.ParameterType | Should -Be ([PtcTools.PtcPolicyStatement[]])
            $policy = ConvertFrom-PtcRegistryPolicy $sample
            $policy.RegistryId = '111122223333'; $policy.Region = 'eu-west-1'; $policy.Scope = 'V1'; $policy.Exists = $false
            $merged = $policy | Add-PtcRegistryStatement -Statement $ptc
            $merged.RegistryId, $merged.Region, $merged.Scope, $merged.Exists | Should -Be @('111122223333', 'eu-west-1', 'V1', $false)
        }

        It 'takes the policy as <Form>' -TestCases @(
            @{ Form = 'a hashtable'; Policy = { @{ Version = '2012-10-17'; Statement = @() } } }
            @{ Form = 'a ConvertFrom-Json object'; Policy = { $sample | ConvertFrom-Json } }
            @{ Form = 'a file object (Get-Item), read as a policy file'; Policy = { $f = Join-Path $TestDrive 'typed.json'; Set-Content -LiteralPath $f -Value $sample; Get-Item -LiteralPath $f } }
        ) {
            $merged = Add-PtcRegistryStatement -Statement $ptc -Policy (& $Policy)
            $merged.Sids | Should -Contain 'PtcEcrPublic'
        }

        It 'reports a value that is no policy with the cmdlet''s error id, not a binding error: <ErrorId>' -TestCases @(
            @{ Value = '{"Statement":'; ErrorId = 'PolicyJsonInvalid' }
            @{ Value = 42; ErrorId = 'PolicyInputInvalid' }
        ) {
            { Add-PtcRegistryStatement -Statement $ptc -Policy $Value -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$id"
        }

        It 'takes piped hashtables and text as statements into a new policy, though they convert to a policy too' {
            $h = @{ Sid = 'FromTable'; Effect = 'Allow'; Principal = @{ AWS = 'arn:aws:iam::111122223333:root' }; Action = 'ecr:CreateRepository'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/quay/*' }
            $merged = $h, $ptc.Json | Add-PtcRegistryStatement
            $merged.Sids | Should -Be @('FromTable', 'PtcEcrPublic')
            $merged.Exists | Should -BeFalse
        }
    }
}
