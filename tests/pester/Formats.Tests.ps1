# The default table and the list view of the policy and statement types, as a user sees them.
BeforeAll {
    $script:policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"NotAction":"ecr:Describe*","Resource":"*"}]}' |
        ConvertFrom-PtcRegistryPolicy
    function Get-Lines($Object, [string] $Format = 'Format-Table') {
        @(($Object | & $Format | Out-String -Width 200) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
    }
    # The text of one column, rows joined and white space removed: what a user reads in it, however the values wrap.
    function Get-Column([string] $Table, [string] $Header) {
        $lines = @($Table -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
        $headers = @([regex]::Matches($lines[0], '\S+'))
        $index = [array]::FindIndex($headers, [Predicate[object]] { param($h) $h.Value -eq $Header })
        $index | Should -BeGreaterOrEqual 0 -Because "the $Header column must be shown"
        $start = $headers[$index].Index
        $end = if ($index + 1 -lt $headers.Count) { $headers[$index + 1].Index } else { [int]::MaxValue }
        $cells = foreach ($line in $lines | Select-Object -Skip 2) {
            if ($line.Length -gt $start) { $line.Substring($start, [Math]::Min($end, $line.Length) - $start) }
        }
        (-join $cells) -replace '\s', ''
    }
}

Describe 'PtcRegistryPolicy views' {
    It 'shows a policy as a table of what matters at a glance' {
        $lines = Get-Lines $policy
        $lines[0] | Should -Match '^Source\s+Statements\s+Length\s+Sids$'
        $lines[2] | Should -Match '^\s+2\s+\d+\s+PullThroughCache$'
        $lines[3] | Should -Match '^\s+\(no Sid\)$'
    }

    It 'lists every detail with Format-List, the text ECR stores included' {
        $text = Get-Lines $policy 'Format-List'
        $text | Should -Contain 'Statements : 2'
        $text | Should -Contain ('Length     : {0} of 10240' -f $policy.Length)
        ($text -match '^PolicyText : \{"Version"').Count | Should -Be 1
    }
}

Describe 'PtcPolicyStatement views' {
    It 'shows statements as a list of Sid, Effect, principals, actions and resources, one value a line, in a <Width>-column console' -TestCases @(
        @{ Width = 80 }, @{ Width = 120 }, @{ Width = 200 }
    ) {
        $lines = @(($policy.Statement[0] | Out-String -Width $Width) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
        $lines | Should -Be @(
            'Sid       : PullThroughCache'
            'Effect    : Allow'
            'Principal : arn:aws:iam::111122223333:role/ci-puller'
            'Action    : ecr:CreateRepository'
            '            ecr:BatchImportUpstreamImage'
            'Resource  : arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'
        )
    }

    It 'shows statements as a table with Format-Table, ARNs shortened to what differs, in a <Width>-column console' -TestCases @(
        @{ Width = 120 }, @{ Width = 200 }
    ) {
        $table = $policy.Statement[0] | Format-Table | Out-String -Width $Width
        ($table -split "`n" | Where-Object { $_.Trim() })[0] | Should -Match '^Sid\s+Effect\s+Principal\s+Action\s+Resource$'
        Get-Column $table 'Sid' | Should -BeExactly 'PullThroughCache'
        Get-Column $table 'Effect' | Should -BeExactly 'Allow'
        Get-Column $table 'Principal' | Should -BeExactly 'role/ci-puller'
        Get-Column $table 'Action' | Should -BeExactly 'ecr:CreateRepositoryecr:BatchImportUpstreamImage'
        Get-Column $table 'Resource' | Should -BeExactly 'ecr-public/*'
    }

    It 'marks NotPrincipal and NotAction so they cannot be mistaken for grants' {
        $lines = Get-Lines $policy.Statement[1] 'Format-List'
        $lines | Should -Contain 'Principal : NOT arn:aws:iam::111122223333:root'
        $lines | Should -Contain 'Action    : NOT ecr:Describe*'
        $lines[0] | Should -BeExactly 'Sid       : (no Sid)'
    }
}

Describe 'Views in an 80-column console' {
    It 'shows the whole repository of every Test-PtcPermission row with Format-Table, not a truncated ARN' {
        $resources = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/library/nginx', 'arn:aws:ecr:us-east-1:111122223333:repository/quay/app'
        $table = Test-PtcPermission -Policy $policy -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:CreateRepository -Resource $resources |
            Format-Table | Out-String -Width 80
        $table | Should -Not -Match '…'
        # The group header names the principal; the rows, the repositories (the registry is the same for all).
        $table | Should -Match 'Principal: arn:aws:iam::111122223333:role/ci-puller'
        $table | Should -Match 'Deny\s+ecr:CreateRepository\s+ecr-public/library/nginx'
        $table | Should -Match 'Deny\s+ecr:CreateRepository\s+quay/app'
    }
}

Describe 'PtcRegistryPolicyWriteResult view' {
    It 'shows the whole backup path in an 80-column console' {
        $folder = Join-Path $TestDrive 'a/rather/deep/folder/for/the/backups/of/registry/policies'
        $file = Join-Path $TestDrive 'policy.json'
        Set-Content -LiteralPath $file -Value '{"Version":"2012-10-17","Statement":[]}'
        $result = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}]}' |
            Set-PtcRegistryPolicy -LiteralPath $file -BackupPath $folder -Force -Confirm:$false
        $result.BackupPath | Should -Not -BeNullOrEmpty
        $text = ($result | Format-Table | Out-String -Width 80) -replace '\s', ''
        $text | Should -Match ([regex]::Escape(($result.BackupPath -replace '\s', '')))
    }
}
