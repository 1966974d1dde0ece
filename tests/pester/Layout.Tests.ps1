# Issue 17, item 4: output reads at 80 and 120 columns. Every identifier (Sid, ARN, action, path) a view shows
# stays whole on one line, prose wraps between words, and no line is wider than the console, in a culture where
# PowerShell wraps at word boundaries (en-US) and in one where it does not (the invariant culture).
BeforeDiscovery {
    $script:consoles = foreach ($culture in '', 'en-US') { foreach ($width in 80, 120) { @{ Culture = $culture; Width = $width; Name = "$(if ($culture) { $culture } else { 'invariant' }) $width" } } }
}

BeforeAll {
    $script:ptc = New-PtcPolicyStatement -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/team-x -Region us-east-1 -RegistryId 111122223333
    $script:docker = New-PtcPolicyStatement -RepositoryPrefix docker-hub -Principal arn:aws:iam::111122223333:role/ci-puller, arn:aws:iam::111122223333:role/release-pipeline -Region us-east-1 -RegistryId 111122223333
    $script:replication = New-PtcPolicyStatement -PolicyType Replication -Principal 444455556666 -Region us-east-1 -RegistryId 111122223333
    $script:policy = $ptc, $docker, $replication | Add-PtcRegistryStatement
    $policy.Region = 'ap-southeast-2'; $policy.RegistryId = '111122223333'
    $script:sids = @($ptc.Sid, $docker.Sid, $replication.Sid)
    $script:results = @(Test-PtcPermission -Policy $policy -Principal arn:aws:iam::111122223333:role/team-x, arn:aws:iam::444455556666:role/partner-puller -Resource 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/library/nginx')
    $script:findings = @(Test-PtcRegistryPolicy -LiteralPath (Join-Path $env:PTCTOOLS_REPO 'demo/lint-mistakes.json') -Region us-east-1 -RegistryId 111122223333)
    $script:changes = @(Compare-PtcRegistryPolicy -ReferencePolicy ($replication | Add-PtcRegistryStatement) -DifferencePolicy $policy)
    # A backup path fits an 80-column line when its folder is short (the default, under ~, is); a long one is whole in
    # the default view and wraps in a list at 80 columns (the decision 'A long backup path in a list').
    # A pull through cache checklist whose custom role trusts the wrong service and whose puller lacks ecr:TagResource.
    $ecrRule = @{ ecrRepositoryPrefix = 'mirror'; upstreamRegistryUrl = '111122223333.dkr.ecr.eu-west-1.amazonaws.com'; customRoleArn = 'arn:aws:iam::111122223333:role/ptc-upstream'; registryId = '111122223333'; region = 'us-east-1' }
    $templateRole = New-PtcServiceRole RepositoryCreationTemplate -RoleName arn:aws:iam::111122223333:role/ptc-template -Region us-east-1
    $upstreamRole = New-PtcServiceRole PullThroughCache -RoleName arn:aws:iam::111122223333:role/ptc-upstream -Region us-east-1
    $script:readiness = @(Test-PtcPullThroughCache -Offline -Rule $ecrRule -Principal arn:aws:iam::111122223333:role/ci-puller -Scope V2 `
        -RegistryPolicy (New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller -RepositoryPrefix mirror -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement) `
        -Template @{ prefix = 'mirror'; appliedFor = @('PULL_THROUGH_CACHE'); resourceTags = @(@{ Key = 'team'; Value = 'platform' }); customRoleArn = 'arn:aws:iam::111122223333:role/ptc-template' } `
        -IdentityPolicy (New-PtcIdentityPolicy Puller -RepositoryPrefix mirror -Region us-east-1 -RegistryId 111122223333) `
        -CustomRoleTrustPolicy $templateRole.TrustPolicy -CustomRolePolicy $upstreamRole.PermissionsPolicy `
        -TemplateRoleTrustPolicy $templateRole.TrustPolicy -TemplateRolePolicy $templateRole.PermissionsPolicy)
    @($readiness | Where-Object Status -EQ Fail).Count | Should -Be 2
    # Reasons, actors and documents that name ARNs too long for an 80-column list line: a custom role with a path and
    # a Secrets Manager secret (every full secret ARN is longer than 80 characters).
    $script:longRole = 'arn:aws:iam::111122223333:role/service-role/ecr-pull-through-cache-upstream-credentials'
    $script:secret = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub-AbCdEf'
    $longRule = @{ ecrRepositoryPrefix = 'mirror'; upstreamRegistryUrl = '111122223333.dkr.ecr.eu-west-1.amazonaws.com'; customRoleArn = $longRole; registryId = '111122223333'; region = 'us-east-1' }
    $secretRule = @{ ecrRepositoryPrefix = 'docker-hub'; upstreamRegistry = 'docker-hub'; upstreamRegistryUrl = 'registry-1.docker.io'; credentialArn = $secret; registryId = '111122223333'; region = 'us-east-1' }
    $longUpstreamRole = New-PtcServiceRole PullThroughCache -RoleName $longRole -Region us-east-1
    $script:longArns = @(Test-PtcPullThroughCache -Offline -Rule $longRule, $secretRule -Principal arn:aws:iam::444455556666:role/service-role/partner-ci-image-puller -Scope V2 `
        -CustomRoleTrustPolicy $templateRole.TrustPolicy -CustomRolePolicy $longUpstreamRole.PermissionsPolicy)
    @($longArns | Where-Object { "$($_.Reason) $($_.FixAction) $($_.Actor) $($_.Document)" -match [regex]::Escape($longRole) }).Count | Should -BeGreaterThan 1
    @($longArns | Where-Object { $_.Reason -match [regex]::Escape($secret) }).Count | Should -BeGreaterThan 0
    $backups = Join-Path $TestDrive 'b'
    $file = Join-Path $TestDrive 'registry-policy.json'
    $policy | Set-PtcRegistryPolicy -LiteralPath $file -Confirm:$false -Force | Out-Null
    $quay = New-PtcPolicyStatement -RepositoryPrefix quay -Principal arn:aws:iam::111122223333:role/team-x -Region us-east-1 -RegistryId 111122223333
    $script:written = ($quay | Add-PtcRegistryStatement -Policy (Get-PtcRegistryPolicy -LiteralPath $file)) | Set-PtcRegistryPolicy -BackupPath $backups -Confirm:$false -Force
    $written.BackupPath | Should -Not -BeNullOrEmpty
    # A backup folder long enough that a backup path (74 characters) does not fit a list line at 80 columns (80 less the
    # 13 of the label), but fits a line of its own.
    $pad = 74 - [PtcTools.Formatting.Layout]::ShortPath((Join-Path $TestDrive (Split-Path -Leaf $written.BackupPath))).Length - 1
    $longBackups = Join-Path $TestDrive ('b' + ('x' * [Math]::Max(1, $pad - 1)))
    $ghcr = New-PtcPolicyStatement -RepositoryPrefix ghcr -Principal arn:aws:iam::111122223333:role/team-x -Region us-east-1 -RegistryId 111122223333
    $script:longWritten = ($ghcr | Add-PtcRegistryStatement -Policy (Get-PtcRegistryPolicy -LiteralPath $file)) | Set-PtcRegistryPolicy -BackupPath $longBackups -Confirm:$false -Force

    function Show([object[]] $Objects, [int] $Width, [string] $Format) {
        $text = if ($Format) { $Objects | & $Format | Out-String -Width $Width } else { $Objects | Out-String -Width $Width }
        @(($text -replace "`r", '') -split "`n" | ForEach-Object TrimEnd)
    }
    # Each identifier must appear whole on one line; each word of prose must be a whole word of the output.
    function Assert-Whole([string[]] $Lines, [string[]] $Identifiers, [int] $Width) {
        @($Lines | Where-Object { $_.Length -gt $Width }) | Should -BeNullOrEmpty -Because "no line may be wider than $Width"
        foreach ($identifier in $Identifiers) {
            @($Lines | Where-Object { $_.Contains($identifier) }).Count | Should -BeGreaterThan 0 -Because "'$identifier' must be shown whole on one line"
        }
    }
    function Assert-Words([string[]] $Lines, [string] $Prose) {
        $tokens = [System.Collections.Generic.HashSet[string]]::new([string[]] (-split ($Lines -join "`n")))
        foreach ($word in -split $Prose) { $tokens.Contains($word) | Should -BeTrue -Because "the word '$word' must not be split" }
    }
}

Describe 'In a <Name>-column console' -ForEach $consoles {
    BeforeAll {
        $script:saved = [cultureinfo]::CurrentCulture, [cultureinfo]::CurrentUICulture
        $chosen = if ($Culture) { [cultureinfo]::GetCultureInfo($Culture) } else { [cultureinfo]::InvariantCulture }
        [cultureinfo]::CurrentCulture = $chosen; [cultureinfo]::CurrentUICulture = $chosen
    }
    AfterAll { [cultureinfo]::CurrentCulture, [cultureinfo]::CurrentUICulture = $saved }

    It 'shows statements with whole Sids, role ARNs, actions and resources' {
        $lines = Show @($ptc, $docker, $replication) $Width
        Assert-Whole $lines ($sids + 'arn:aws:iam::111122223333:role/team-x', 'arn:aws:iam::111122223333:role/release-pipeline', 'ecr:BatchImportUpstreamImage', 'ecr:ReplicateImage', 'arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*') $Width
    }

    It 'shows a policy with its source and every Sid whole' {
        Assert-Whole (Show $policy $Width) ($sids + 'ap-southeast-2 111122223333') $Width
    }

    It 'lists a policy with its PolicyText broken between JSON elements, never inside an ARN' {
        $lines = Show $policy $Width 'Format-List'
        Assert-Whole $lines ($sids + 'arn:aws:iam::111122223333:role/release-pipeline', 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*') $Width
        # The wrapped text is the PolicyText again once the line breaks are taken out.
        $start = [array]::FindIndex($lines, [Predicate[string]] { param($l) $l.StartsWith('PolicyText : ') })
        $json = -join ($lines[$start..($lines.Count - 1)] | Where-Object { $_ } | ForEach-Object { $_.Substring(13) })
        $json | Should -BeExactly $policy.PolicyText
    }

    It 'shows Test-PtcPermission results with the reason, and whole identifiers' {
        $lines = Show $results $Width
        @($lines -match '^Reason\s+: ').Count | Should -Be $results.Count
        Assert-Whole $lines ('arn:aws:iam::444455556666:role/partner-puller', 'ecr:BatchImportUpstreamImage', 'ecr-public/library/nginx', $ptc.Sid) $Width
        foreach ($result in $results) { Assert-Words $lines ([PtcTools.Formatting.Layout]::Reason($result)) }
    }

    It 'shows findings as a compiler does, the message wrapped between words' {
        $lines = Show $findings $Width
        Assert-Whole $lines ('PTC007', 'pull-through-cache', "'arn:aws:iam::111122223333:group/ci'", "'ecr:BatchImportUpstreamImages'") $Width
        foreach ($finding in $findings) { Assert-Words $lines $finding.Message }
    }

    It 'lists findings with the message wrapped between words' {
        $lines = Show $findings $Width 'Format-List'
        Assert-Whole $lines ('PTC007', 'pull-through-cache') $Width
        foreach ($finding in $findings) { Assert-Words $lines $finding.Message }
    }

    It 'shows a readiness checklist and its failed checks with whole service names and the reasons wrapped between words' {
        $table = Show $readiness $Width
        Assert-Whole $table ('does not trust', 'pullthroughcache.ecr.amazonaws.com', 'missing: ecr:TagResource [fix: 1]') $Width
        $failed = @($readiness | Where-Object Status -EQ Fail)
        $list = Show $failed $Width 'Format-List'
        Assert-Whole $list ('pullthroughcache.ecr.amazonaws.com', 'ecr:TagResource', '(Update-IAMAssumeRolePolicy):', '(Write-IAMRolePolicy);') $Width
        # Words as the view shows them: an ARN too long for a line is shortened to what differs from the rule.
        foreach ($check in $failed) { Assert-Words $list ([PtcTools.Formatting.Layout]::Readiness($check, $check.Reason)); foreach ($action in $check.FixAction) { Assert-Words $list ([PtcTools.Formatting.Layout]::Readiness($check, $action)) } }
    }

    It 'lists readiness checks whose reasons name long ARNs with each ARN whole, shortened to what differs from the rule' {
        $list = Show $longArns $Width 'Format-List'
        # The rule line above each check names the account and Region the short forms leave out.
        Assert-Whole $list ('mirror (111122223333, us-east-1)', 'role/service-role/ecr-pull-through-cache-upstream-credentials', 'secret:ecr-pullthroughcache/docker-hub-AbCdEf', '444455556666:role/service-role/partner-ci-image-puller') $Width
        foreach ($check in $longArns) {
            Assert-Words $list ([PtcTools.Formatting.Layout]::Readiness($check, $check.Reason))
            foreach ($action in $check.FixAction) { Assert-Words $list ([PtcTools.Formatting.Layout]::Readiness($check, $action)) }
        }
        # The table: a puller too long for the Check column stands on a line of its own in the Summary column.
        Assert-Whole (Show $longArns $Width) ('role/service-role/partner-ci-image-puller', 'mirror (111122223333, us-east-1)') $Width
        # The objects keep the full text for scripts, JSON and CSV.
        ($longArns | ConvertTo-Json -Depth 3) | Should -Match ([regex]::Escape($secret))
        @($longArns.Reason -match [regex]::Escape($longRole)).Count | Should -BeGreaterThan 0
    }

    It 'shows a comparison with whole Sids, actions and ARNs' {
        Assert-Whole (Show $changes $Width) ($ptc.Sid, $docker.Sid, 'ecr:BatchImportUpstreamImage', 'arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*') $Width
    }

    It 'shows a write with its backup path whole, on a line of its own' {
        $shown = [PtcTools.Formatting.Layout]::ShortPath($written.BackupPath)
        $shown.Length | Should -BeLessThan $Width -Because 'the test needs a path that fits'
        $lines = Show $written $Width
        Assert-Whole $lines ($shown, 'registry-policy.json: Updated, 4 statements') $Width
        # Format-List puts it after a label: whole where the console is wide enough for both.
        if ($Width -ge $shown.Length + 13) { Assert-Whole (Show $written $Width 'Format-List') ($shown, 'Updated') $Width }
    }
    It 'shows a write whose backup folder is long with the backup path whole in the default view, and lists it unshortened' {
        $shown = [PtcTools.Formatting.Layout]::ShortPath($longWritten.BackupPath)
        $shown.Length | Should -BeGreaterThan 67 -Because 'the test needs a path too long for a list line at 80 columns'
        $shown.Length | Should -BeLessThan 80 -Because 'the test needs a path that fits a line of its own'
        Assert-Whole (Show $longWritten $Width) $shown $Width
        $list = Show $longWritten $Width 'Format-List'
        if ($Width -ge $shown.Length + 13) { Assert-Whole $list $shown $Width }
        else {
            # Decision (docs/decisions.md, 'A long backup path in a list'): a list value cannot start a line of its own, and a
            # backup path is what a restore needs, so the list shows it unshortened and PowerShell wraps it; the default
            # view (Set's output) shows it whole.
            $start = [array]::FindIndex($list, [Predicate[string]] { param($l) $l.StartsWith('BackupPath : ') })
            $value = $list[$start].Substring(13)
            for ($i = $start + 1; $list[$i] -match '^ {13}\S'; $i++) { $value += $list[$i].Substring(13) }
            $value | Should -BeExactly $shown
        }
    }
}

Describe 'Format-Table in a 120-column console' {
    It 'keeps the statement table''s identifiers whole, ARNs shortened to what differs' {
        $lines = Show @($ptc, $docker) 120 'Format-Table'
        # The principals are in the registry's own account, so the account is left out too.
        Assert-Whole $lines ($ptc.Sid, $docker.Sid, 'role/team-x', 'role/release-pipeline', 'ecr:BatchImportUpstreamImage', 'ecr-public/*', 'docker-hub/*') 120
        @($lines -match '111122223333').Count | Should -Be 0
    }

    It 'groups Test-PtcPermission results by principal with whole actions and repositories' {
        $lines = Show $results 120 'Format-Table'
        Assert-Whole $lines ('Principal: arn:aws:iam::111122223333:role/team-x', 'ecr:BatchImportUpstreamImage', 'ecr-public/library/nginx') 120
    }
}

Describe 'Short forms of ARNs' {
    It 'shortens <Text> to <Short>' -TestCases @(
        @{ Kind = 'principal'; Text = 'arn:aws:iam::111122223333:role/team-x'; Short = '111122223333:role/team-x' }
        @{ Kind = 'principal'; Text = 'arn:aws:sts::111122223333:assumed-role/ci/session'; Short = '111122223333:assumed-role/ci/session' }
        @{ Kind = 'principal'; Text = 'Service:ecr.amazonaws.com'; Short = 'Service:ecr.amazonaws.com' }
        @{ Kind = 'principal'; Text = '*'; Short = '*' }
        @{ Kind = 'resource'; Text = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'; Short = 'ecr-public/*' }
        @{ Kind = 'resource'; Text = '*'; Short = '*' }
        @{ Kind = 'resource'; Text = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:x'; Short = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:x' }
    ) {
        $actual = if ($Kind -eq 'principal') { [PtcTools.Formatting.Layout]::ShortPrincipal($Text) } else { [PtcTools.Formatting.Layout]::ShortResource($Text) }
        $actual | Should -BeExactly $Short
    }
}

Describe 'Numbers (issue 17: lengths were printed as 16,537 in one place and 15569 in another)' {
    It 'prints every length as digits only, in messages and views, whatever the culture' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = [cultureinfo]::GetCultureInfo('en-US')
            $long = '{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/' + ('x' * 10300) + '"}]}'
            $lint = (Test-PtcRegistryPolicy $long | Where-Object RuleId -eq 'PTC002').Message
            $set = { $long | Set-PtcRegistryPolicy -LiteralPath (Join-Path $TestDrive 'long.json') -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
            $merge = { New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix docker-hub -RepositoryName (1..200 | ForEach-Object { "team-$_/service-$_" }) -Region us-east-1 -RegistryId 111122223333 | Add-PtcRegistryStatement -ErrorAction Stop } | Should -Throw -PassThru
            $view = $policy | Format-List | Out-String
        } finally { [cultureinfo]::CurrentCulture = $saved }
        foreach ($text in $lint, $set.Exception.Message, $merge.Exception.Message, $view) {
            $text | Should -Match '\b10240\b'
            $text | Should -Not -Match '\d,\d{3}'
        }
    }
}

Describe 'Generated IAM documents in an 80-column console' {
    It 'keeps Sids, actions and ARNs whole in the table and the list of New-PtcIdentityPolicy' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
            $generated = New-PtcIdentityPolicy -Actor Puller -RepositoryPrefix docker-hub -Region us-east-1 -RegistryId 111122223333
            $table = Show $generated 80
            $list = Show $generated 80 'Format-List'
        } finally { [cultureinfo]::CurrentCulture = $saved }
        Assert-Whole $table ('PullThroughCachePull', 'PullThroughCacheFirstPull') 80
        Assert-Whole $list ('PullThroughCacheFirstPull', 'ecr:BatchCheckLayerAvailability', 'arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*', '"ecr:GetAuthorizationToken",') 80
    }
}
