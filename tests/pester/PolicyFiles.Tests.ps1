# Issue 17, item 1: no silent no-ops. A policy file that is read must exist; every reader unwraps what
# `aws ecr get-registry-policy` prints the same way; a JSON error names its file; a merge of nothing says so.
BeforeAll {
    $script:inner = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"},{"Sid":"Replication","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}]}'
    # What `aws ecr get-registry-policy --output json` prints, byte for byte in shape: indented, policyText a JSON string.
    $script:printed = [ordered]@{ registryId = '111122223333'; policyText = $inner } | ConvertTo-Json
    $script:envelopeFile = Join-Path $TestDrive 'get-registry-policy.json'
    Set-Content -LiteralPath $envelopeFile -Value $printed
    $script:plainFile = Join-Path $TestDrive 'registry-policy.json'
    Set-Content -LiteralPath $plainFile -Value $inner
    $script:sids = @('PullThroughCache', 'Replication')
    $script:statement = '{"Sid":"Extra","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/other"},"Action":"ecr:CreateRepository","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/quay/*"}'
    $script:broken = Join-Path $TestDrive 'broken.json'
    Set-Content -LiteralPath $broken -Value "{`n  `"Version`": `"2012-10-17`",`n  `"Statement`": [ }`n}"
}

Describe 'Every reader unwraps what aws ecr get-registry-policy prints, the same way' {
    It '<Reader> reads the statements inside policyText' -TestCases @(
        @{ Reader = 'Get-PtcRegistryPolicy -Path'; Read = { (Get-PtcRegistryPolicy -Path $envelopeFile -ErrorAction Stop).Statement.Sid } }
        @{ Reader = 'Get-PtcRegistryPolicy -LiteralPath'; Read = { (Get-PtcRegistryPolicy -LiteralPath $envelopeFile -ErrorAction Stop).Statement.Sid } }
        @{ Reader = 'Add-PtcRegistryStatement -Path'; Read = { (Add-PtcRegistryStatement -Statement $statement -Path $envelopeFile -ErrorAction Stop).Statement.Sid | Where-Object { $_ -ne 'Extra' } } }
        @{ Reader = 'Add-PtcRegistryStatement -Policy text'; Read = { (Add-PtcRegistryStatement -Statement $statement -Policy $printed -ErrorAction Stop).Statement.Sid | Where-Object { $_ -ne 'Extra' } } }
        @{ Reader = 'Remove-PtcRegistryStatement -LiteralPath'; Read = { (Remove-PtcRegistryStatement -LiteralPath $envelopeFile -Sid Nothing* -ErrorAction SilentlyContinue).Statement.Sid } }
        @{ Reader = 'ConvertFrom-PtcRegistryPolicy (text)'; Read = { ($printed | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop).Statement.Sid } }
        @{ Reader = 'ConvertFrom-PtcRegistryPolicy (ConvertFrom-Json)'; Read = { ($printed | ConvertFrom-Json | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop).Statement.Sid } }
        @{ Reader = 'ConvertFrom-PtcRegistryPolicy (Get-Content, no -Raw)'; Read = { (Get-Content -LiteralPath $envelopeFile | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop).Statement.Sid } }
        @{ Reader = 'ConvertFrom-PtcRegistryPolicy (hashtable)'; Read = { (ConvertFrom-PtcRegistryPolicy -PolicyText @{ registryId = '111122223333'; policyText = $inner } -ErrorAction Stop).Statement.Sid } }
        @{ Reader = 'Compare-PtcRegistryPolicy'; Read = { (Compare-PtcRegistryPolicy -ReferencePolicy $printed -DifferencePolicy $inner -IncludeEqual -ErrorAction Stop | Where-Object Change -eq 'Unchanged').Sid } }
    ) {
        @(& $Read) | Should -Be $sids
    }

    It 'Test-PtcRegistryPolicy -Path finds what it finds in the plain policy, not PTC004/PTC109 for the wrapper' {
        $wrapped = @(Test-PtcRegistryPolicy -Path $envelopeFile -Region us-east-1 -RegistryId 111122223333 -ErrorAction Stop)
        $plain = @(Test-PtcRegistryPolicy -Path $plainFile -Region us-east-1 -RegistryId 111122223333 -ErrorAction Stop)
        $wrapped.RuleId | Should -Not -Contain 'PTC004'
        $wrapped.RuleId | Should -Not -Contain 'PTC109'
        @($wrapped | ForEach-Object { "$($_.RuleId) $($_.Sid)" }) | Should -Be @($plain | ForEach-Object { "$($_.RuleId) $($_.Sid)" })
        Test-PtcRegistryPolicy -Path $envelopeFile -Quiet | Should -BeTrue
    }

    It 'Test-PtcPermission -Policy reads the file and the text alike' {
        $arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci-puller'; RepositoryName = 'ecr-public/library/nginx'; Region = 'us-east-1'; RegistryId = '111122223333'; Quiet = $true }
        Test-PtcPermission -Policy $envelopeFile @arguments | Should -BeTrue
        Test-PtcPermission -Policy $printed @arguments | Should -BeTrue
        Test-PtcPermission -Policy (Get-Item -LiteralPath $envelopeFile) @arguments | Should -BeTrue
    }

    It 'Set-PtcRegistryPolicy -PolicyText writes the policy inside, not the wrapper' {
        $target = Join-Path $TestDrive 'written.json'
        $result = Set-PtcRegistryPolicy -PolicyText $printed -LiteralPath $target -Confirm:$false -ErrorAction Stop
        $result.Status | Should -Be 'Created'
        (Get-Content -LiteralPath $target -Raw | ConvertFrom-Json).Statement.Sid | Should -Be $sids
    }

    It 'completes Sids from a file that holds the wrapper' {
        $line = "Remove-PtcRegistryStatement -LiteralPath '$envelopeFile' -Sid "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be $sids
    }

    It 'refuses two policyText members that differ only in case, instead of guessing' {
        $twice = '{"policyText":"{}","PolicyText":"{\"Version\":\"2012-10-17\",\"Statement\":[]}"}'
        $twice | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyInputInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
    }
}

Describe 'A policy file that is read must exist' {
    BeforeAll {
        $script:typo = Join-Path $TestDrive 'registry-polcy.json'
    }

    It '<Reader> reports PolicyFileNotFound (ObjectNotFound) naming the path' -TestCases @(
        @{ Reader = 'Get-PtcRegistryPolicy'; Command = 'GetPtcRegistryPolicyCommand'; Run = { Get-PtcRegistryPolicy -Path $typo -ErrorAction Stop } }
        @{ Reader = 'Get-PtcRegistryPolicy -LiteralPath'; Command = 'GetPtcRegistryPolicyCommand'; Run = { Get-PtcRegistryPolicy -LiteralPath $typo -ErrorAction Stop } }
        @{ Reader = 'Test-PtcRegistryPolicy'; Command = 'TestPtcRegistryPolicyCommand'; Run = { Test-PtcRegistryPolicy -Path $typo -ErrorAction Stop } }
        @{ Reader = 'Add-PtcRegistryStatement'; Command = 'AddPtcRegistryStatementCommand'; Run = { Add-PtcRegistryStatement -Statement $statement -LiteralPath $typo -ErrorAction Stop } }
        @{ Reader = 'Remove-PtcRegistryStatement'; Command = 'RemovePtcRegistryStatementCommand'; Run = { Remove-PtcRegistryStatement -LiteralPath $typo -Sid A -ErrorAction Stop } }
    ) {
        $problem = { & $Run } | Should -Throw -ErrorId "PolicyFileNotFound,PtcTools.Commands.$Command" -PassThru
        $problem.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($problem.TargetObject)" | Should -BeLike '*registry-polcy.json'
        Test-Path -LiteralPath $typo | Should -BeFalse
    }

    It 'still creates a policy file that Set-PtcRegistryPolicy -Path names as its target' {
        $new = Join-Path $TestDrive 'new-policy.json'
        $result = $statement | Add-PtcRegistryStatement | Set-PtcRegistryPolicy -Path $new -Confirm:$false -ErrorAction Stop
        $result.Status | Should -Be 'Created'
        (Get-PtcRegistryPolicy -Path $new).Statement.Sid | Should -Be 'Extra'
    }
}

Describe 'A JSON error names the file it is in' {
    It '<Reader> says which file is broken' -TestCases @(
        @{ Reader = 'Get-PtcRegistryPolicy'; Run = { Get-PtcRegistryPolicy -LiteralPath $broken -ErrorAction Stop } }
        @{ Reader = 'Add-PtcRegistryStatement'; Run = { Add-PtcRegistryStatement -Statement $statement -LiteralPath $broken -ErrorAction Stop } }
        @{ Reader = 'Remove-PtcRegistryStatement'; Run = { Remove-PtcRegistryStatement -LiteralPath $broken -Sid A -ErrorAction Stop } }
        @{ Reader = 'Test-PtcPermission'; Run = { Test-PtcPermission -Policy $broken -Principal arn:aws:iam::111122223333:role/x -Resource * -ErrorAction Stop } }
    ) {
        $problem = { & $Run } | Should -Throw -PassThru
        $problem.FullyQualifiedErrorId | Should -BeLike 'PolicyJsonInvalid,*'
        $problem.Exception.Message | Should -Match ([regex]::Escape("The policy in the file '$broken' is not valid JSON at line 3"))
    }

    It 'names the file and the policyText when the text inside the wrapper is broken' {
        $file = Join-Path $TestDrive 'broken-inside.json'
        Set-Content -LiteralPath $file -Value '{"registryId":"111122223333","policyText":"{\"Version\":"}'
        $problem = { Get-PtcRegistryPolicy -LiteralPath $file -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyJsonInvalid,PtcTools.Commands.GetPtcRegistryPolicyCommand' -PassThru
        $problem.Exception.Message | Should -Match ([regex]::Escape("in the policyText of the file '$file'"))
    }

    It 'Test-PtcRegistryPolicy reports it as PTC001 with the file as Source' {
        $finding = Test-PtcRegistryPolicy -LiteralPath $broken
        $finding.RuleId | Should -Be 'PTC001'
        $finding.Source | Should -Be $broken
        $finding.Line | Should -Be 3
    }
}

Describe 'A merge given no statements says so' {
    It 'warns when -Statement is empty, and returns the policy unchanged' {
        $result = Add-PtcRegistryStatement -Statement @() -Policy $inner -WarningVariable warned -WarningAction SilentlyContinue
        $result.PolicyText | Should -BeExactly $inner
        @($warned).Count | Should -Be 1
        "$($warned[0])" | Should -Match 'no statements were merged'
    }

    It 'warns when nothing comes down the pipeline' {
        $result = @() | Add-PtcRegistryStatement -Policy $inner -WarningVariable warned -WarningAction SilentlyContinue
        $result.PolicyText | Should -BeExactly $inner
        "$($warned[0])" | Should -Match 'No statements came down the pipeline'
    }

    It 'warns once for many piped policies' {
        $policies = (ConvertFrom-PtcRegistryPolicy $inner), (ConvertFrom-PtcRegistryPolicy $inner)
        $null = $policies | Add-PtcRegistryStatement -Statement @() -WarningVariable warned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 1
    }

    It 'does not warn when statements were merged' {
        $null = Add-PtcRegistryStatement -Statement $statement -Policy $inner -WarningVariable warned
        $warned | Should -BeNullOrEmpty
    }
}
