# Issue 17, item 5: output that scripts and CI can use. Enums serialize as names; ConvertTo-Json gives the shape
# docs/decisions.md describes, at its default depth, without a truncation warning and at a sane size; Export-Csv
# writes values, never type names. The shapes are a contract: a change to them is a change users notice.
BeforeAll {
    $script:ptc = New-PtcPolicyStatement -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/ci-puller -Region us-east-1 -RegistryId 111122223333
    $script:replication = New-PtcPolicyStatement -PolicyType Replication -Principal 444455556666 -Region us-east-1 -RegistryId 111122223333
    $org = '{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}'
    $script:policy = $ptc, $replication, $org | Add-PtcRegistryStatement
    $policy.Region = 'us-east-1'; $policy.RegistryId = '111122223333'
    $script:results = @(Test-PtcPermission -Policy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:CreateRepository, ecr:BatchGetImage -RepositoryName ecr-public/nginx -Context @{ 'aws:PrincipalOrgID' = 'o-zzz999' })
    $script:findings = @(Test-PtcRegistryPolicy -LiteralPath (Join-Path $env:PTCTOOLS_REPO 'demo/lint-mistakes.json'))
    $script:changes = @(Compare-PtcRegistryPolicy -ReferencePolicy ($replication | Add-PtcRegistryStatement) -DifferencePolicy $policy)
    $file = Join-Path $TestDrive 'policy.json'
    $script:written = $policy | Set-PtcRegistryPolicy -LiteralPath $file -Confirm:$false

    function ConvertTo-CheckedJson($InputObject) {
        # At ConvertTo-Json's default depth: a shape that needs -Depth is not one users get.
        $json = ConvertTo-Json -InputObject $InputObject -WarningVariable warned -WarningAction SilentlyContinue
        $warned | Should -BeNullOrEmpty -Because 'the default depth must hold the whole object'
        $json
    }
    function Get-Csv([object[]] $Objects) {
        $csv = $Objects | ConvertTo-Csv -NoTypeInformation
        foreach ($line in $csv) { $line | Should -Not -Match '"(System|PtcTools)\.[A-Za-z.]+(\[\]|`\d)?' -Because 'a cell must hold a value, not a type name' }
        @($csv | ConvertFrom-Csv)
    }
}

Describe 'ConvertTo-Json' {
    It 'writes a policy as its origin, Sids and PolicyText: the statements once, as ECR stores them' {
        $json = ConvertTo-CheckedJson $policy
        $back = $json | ConvertFrom-Json
        @($back.PSObject.Properties.Name) | Should -Be @('Version', 'Id', 'Sids', 'PolicyText', 'Length', 'RegistryId', 'Region', 'Scope', 'Exists', 'Path')
        $back.PolicyText | Should -BeExactly $policy.PolicyText
        $back.Sids | Should -Be @($ptc.Sid, $replication.Sid, 'OrgRead')
        # The text itself, escaped, and a few hundred characters of origin: not the internals (9,404 characters for 760 before).
        $json.Length | Should -BeLessThan ($policy.PolicyText.Length * 1.3 + 400)
    }

    It 'round-trips a policy through JSON to the same policy' {
        (ConvertTo-CheckedJson $policy | ConvertFrom-Json | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $policy.PolicyText
    }

    It 'writes a statement with its lists as arrays, and round-trips it through JSON' {
        $back = ConvertTo-CheckedJson $replication | ConvertFrom-Json
        @($back.PSObject.Properties.Name) | Should -Be @('Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Json')
        @($back.Action) | Should -Be @('ecr:CreateRepository', 'ecr:ReplicateImage')
        (Add-PtcRegistryStatement -Statement $back).PolicyText | Should -BeExactly ($replication | Add-PtcRegistryStatement).PolicyText
    }

    It 'writes a Test-PtcPermission result with the decision as a name and the statements as objects' {
        $allowed = ConvertTo-CheckedJson $results[0] | ConvertFrom-Json
        $allowed.Decision | Should -BeExactly 'Allowed'
        $allowed.MatchedStatements[0].PolicyKind | Should -BeExactly 'Resource'
        $allowed.MatchedStatements[0].PrincipalMatch | Should -BeExactly 'Direct'
        $allowed.Reason | Should -Match '^Allowed: '
        $denied = ConvertTo-CheckedJson $results[1] | ConvertFrom-Json
        $denied.Decision | Should -BeExactly 'ImplicitDeny'
        $denied.NearMisses[0].Sid | Should -BeExactly 'OrgRead'
        $denied.NearMisses[0].Conditions | Should -Match 'StringEquals aws:PrincipalOrgID = o-abc123 is not met \(the request has o-zzz999\)'
        $denied.Context.'aws:PrincipalOrgID' | Should -BeExactly 'o-zzz999'
    }

    It 'writes many results: the statements as objects with -Depth 4, as their one-line text at the default depth' {
        # ConvertTo-Json counts the array of piped results as a level, so its default depth of 2 stops at the
        # statements of each result: PowerShell then writes their text (and warns), which still reads.
        $deep = $results | ConvertTo-Json -Depth 4 | ConvertFrom-Json
        $deep[0].MatchedStatements[0].Sid | Should -BeExactly $ptc.Sid
        $shallow = $results | ConvertTo-Json -WarningAction SilentlyContinue | ConvertFrom-Json
        $shallow[0].Decision | Should -BeExactly 'Allowed'
        $shallow[0].MatchedStatements[0] | Should -BeExactly "registry policy: $($ptc.Sid) (Allow)"
    }

    It 'writes findings with the severity as a name' {
        $back = ConvertTo-CheckedJson $findings | ConvertFrom-Json
        @($back.Severity | Sort-Object -Unique) | Should -Be @('Error', 'Warning')
        @($back[0].PSObject.Properties.Name) | Should -Be @('RuleId', 'Severity', 'Title', 'Sid', 'StatementIndex', 'Path', 'Line', 'Column', 'Message', 'AccessAnalyzerCode', 'HelpUri', 'Source')
    }

    It 'writes changes with the kind of change as a name' {
        $back = ConvertTo-CheckedJson $changes | ConvertFrom-Json
        @($back.Change | Sort-Object -Unique) | Should -Be @('Added')
        $back[0].ChangedElements.GetType().IsArray -or $null -eq $back[0].ChangedElements | Should -BeTrue
        $back[0].PSObject.Properties.Name | Should -Not -Contain 'PolicyChange'
    }

    It 'writes a write result flat' {
        $back = ConvertTo-CheckedJson $written | ConvertFrom-Json
        $back.Status | Should -BeExactly 'Created'
        $back.Path | Should -Be $written.Path
    }
}

Describe 'Export-Csv' {
    It 'writes a policy as one row: origin, Sids and PolicyText' {
        $row = Get-Csv $policy
        $row.Count | Should -Be 1
        $row[0].Sids | Should -BeExactly "$($ptc.Sid); $($replication.Sid); OrgRead"
        $row[0].PolicyText | Should -BeExactly $policy.PolicyText
        $row[0].Region | Should -BeExactly 'us-east-1'
    }

    It 'writes statements with their lists as "; "-separated values' {
        $rows = Get-Csv $policy.Statement
        $rows.Count | Should -Be 3
        $rows[0].Action | Should -BeExactly 'ecr:CreateRepository; ecr:BatchImportUpstreamImage'
        $rows[0].Principal | Should -BeExactly 'arn:aws:iam::111122223333:role/ci-puller'
        $rows[2].Condition | Should -BeExactly '{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}'
    }

    It 'writes Test-PtcPermission results with the deciding statements and the reason' {
        $rows = Get-Csv $results
        $rows[0].Decision | Should -BeExactly 'Allowed'
        $rows[0].MatchedStatements | Should -BeExactly "registry policy: $($ptc.Sid) (Allow)"
        $rows[1].NearMisses | Should -Match '^registry policy: OrgRead \(Allow\): StringEquals aws:PrincipalOrgID'
        $rows[1].Context | Should -Match 'aws:PrincipalOrgID=o-zzz999'
        $rows[1].Reason | Should -Match '^Implicitly denied'
    }

    It 'writes findings, changes and write results with values only' {
        (Get-Csv $findings)[0].Severity | Should -BeIn 'Error', 'Warning'
        (Get-Csv $changes)[0].Change | Should -BeExactly 'Added'
        (Get-Csv $written)[0].Status | Should -BeExactly 'Created'
    }
}

Describe 'What stays out of JSON and CSV is still there for scripts and remoting' {
    It 'keeps Statement, Document and SourceText on the object (hidden from the listing)' {
        $policy.Statement.Count | Should -Be 3
        $policy.Document | Should -Not -BeNullOrEmpty
        ($policy | Get-Member -Force -Name Statement, Document, SourceText).Count | Should -Be 3
    }

    It 'keeps them through Export-Clixml, so a deserialized policy still writes safely' {
        $read = Get-PtcRegistryPolicy -LiteralPath $written.Path
        $clixml = Join-Path $TestDrive 'policy.xml'
        $read | Export-Clixml -LiteralPath $clixml
        $back = Import-Clixml -LiteralPath $clixml
        $back.SourceText | Should -BeExactly $read.SourceText
        @($back.Statement).Count | Should -Be 3
    }

    It 'binds a hidden SourceText by property name, so Get | Add | Set still detects a concurrent change' {
        $path = Join-Path $TestDrive 'concurrent.json'
        Set-Content -LiteralPath $path -Value $policy.PolicyText
        $read = Get-PtcRegistryPolicy -LiteralPath $path
        Set-Content -LiteralPath $path -Value ($replication | Add-PtcRegistryStatement).PolicyText
        $merged = $read | Add-PtcRegistryStatement -Statement (New-PtcPolicyStatement -RepositoryPrefix quay -Principal arn:aws:iam::111122223333:role/ci-puller -Region us-east-1 -RegistryId 111122223333)
        $merged.SourceText | Should -BeExactly $read.SourceText
        $result = Set-PtcRegistryPolicy -PolicyText $merged -LiteralPath $path -Confirm:$false -ErrorAction SilentlyContinue
        $result.ErrorId | Should -BeExactly 'RegistryPolicyChangedSinceRead'
    }
}
