BeforeAll {
    $script:good = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}]}'
    # Line numbers matter below: the second statement starts on line 10, its bad action is on line 14.
    $script:bad = @'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Fine", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/ci-puller"},
      "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
      "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"
    },
    {
      "Sid": "Broken",
      "Effect": "Allow",
      "Principal": "*",
      "Action": ["ecr:CreateRepository",   "ecr:BatchImportUpstreamImages"],
      "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/quay/*"
    },
    {
      "Sid": "Public",
      "Effect": "Allow",
      "Principal": "*",
      "Action": ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
      "Resource": "arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*"
    }
  ]
}
'@ -replace "`r`n", "`n"
    $script:lines = $bad -split "`n"
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "ptctools-lint-$PID"
    $null = New-Item -ItemType Directory -Path $work -Force
    Set-Content -LiteralPath (Join-Path $work 'good.json') -Value $good -NoNewline
    Set-Content -LiteralPath (Join-Path $work 'bad.json') -Value $bad -NoNewline
    Set-Content -LiteralPath (Join-Path $work 'odd [name].json') -Value $good -NoNewline
    $null = New-Item -ItemType Directory -Path (Join-Path $work 'folder')
}

AfterAll {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}

Describe 'Test-PtcRegistryPolicy' {
    It 'reports nothing for a sound pull through cache policy' {
        @($good | Test-PtcRegistryPolicy -RegistryId 111122223333 -Region us-east-1 -Scope V1 -PullThroughCacheRule ecr-public -TrustedAccount 111122223333) | Should -HaveCount 0
    }

    It 'lints a file piped line by line by Get-Content without -Raw as one policy, with the same lines' {
        $file = Join-Path $TestDrive 'bad.json'
        Set-Content -LiteralPath $file -Value $bad
        $expected = Test-PtcRegistryPolicy -LiteralPath $file | ForEach-Object { "$($_.RuleId)@$($_.Line)" }
        $actual = Get-Content -LiteralPath $file | Test-PtcRegistryPolicy | ForEach-Object { "$($_.RuleId)@$($_.Line)" }
        $expected | Should -Contain 'PTC016@14'
        $actual | Should -Be $expected
        Get-Content -LiteralPath $file | Test-PtcRegistryPolicy -Quiet | Should -BeExactly $false
        $good -split '(?<=,)' | Test-PtcRegistryPolicy -Quiet | Should -BeExactly $true
    }

    It 'emits PtcPolicyFinding objects with every documented property' {
        $finding = $bad | Test-PtcRegistryPolicy | Where-Object RuleId -EQ 'PTC016'
        $finding | Should -BeOfType PtcTools.PtcPolicyFinding
        $finding.Severity | Should -Be 'Error'
        $finding.Sid | Should -Be 'Broken'
        $finding.StatementIndex | Should -Be 1
        $finding.Path | Should -Be '$.Statement[1].Action[1]'
        $finding.Message | Should -Match 'Did you mean ecr:BatchImportUpstreamImage\?'
        $finding.HelpUri | Should -Match '[\\/]rules[\\/]PTC016\.md$'
        Get-Content -LiteralPath $finding.HelpUri -TotalCount 1 | Should -Be '# PTC016: An ECR action does not exist'
        $finding.Title | Should -Not -BeNullOrEmpty
        $finding.AccessAnalyzerCode | Should -BeExactly 'INVALID_ACTION'
        $finding.Message | Should -Match '^Statement "Broken", Action: '
    }

    It 'names a statement without a Sid by its index, and gives Access Analyzer''s code where it has one (issue 11)' {
        $text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":"ecr:BatchGetImage","Resource":"arn:aws:ecr::111122223333:repository/web"}]}'
        $finding = Test-PtcRegistryPolicy -PolicyText $text | Where-Object RuleId -EQ 'PTC018'
        $finding.Message | Should -Match '^Statement 0, Resource: .* has no Region'
        $finding.AccessAnalyzerCode | Should -BeExactly 'MISSING_ARN_REGION'
        ($finding | Format-List | Out-String -Width 80) | Should -Match 'AccessAnalyzerCode : MISSING_ARN_REGION'
        $none = Test-PtcRegistryPolicy -PolicyText ($good -replace '"Principal":\{[^}]*\}', '"Principal":"*"') | Where-Object RuleId -EQ 'PTC101'
        $none.AccessAnalyzerCode | Should -BeNullOrEmpty
    }

    It 'points Line and Column at the offending element in the original text' {
        $findings = $bad | Test-PtcRegistryPolicy
        $action = $findings | Where-Object RuleId -EQ 'PTC016'
        $action.Line | Should -Be 14
        $lines[$action.Line - 1].Substring($action.Column - 1) | Should -BeLike '"ecr:BatchImportUpstreamImages"*'
        $public = $findings | Where-Object { $_.RuleId -eq 'PTC101' -and $_.Sid -eq 'Public' }
        $public.Line | Should -Be 20
        $lines[$public.Line - 1].Substring($public.Column - 1) | Should -BeLike '"*"*'
    }

    It 'points a finding about a whole statement at the statement''s opening brace' {
        $text = $bad -replace '"Sid": "Broken",', '"Sid": "Broken", "Sid2": 1,'
        $text = $text -replace '"Sid": "Public",\n      "Effect": "Allow",\n      "Principal": "\*",', '"Sid": "Public", "Effect": "Allow",'
        $finding = $text | Test-PtcRegistryPolicy | Where-Object RuleId -EQ 'PTC006'
        $finding.Sid | Should -Be 'Public'
        $textLines = $text -split "`n"
        $textLines[$finding.Line - 1].Substring($finding.Column - 1) | Should -Be '{'
        $textLines[$finding.Line] | Should -BeLike '*"Sid": "Public"*'
    }

    It 'reports invalid JSON as PTC001 with its line and column instead of failing' {
        $findings = @("{`n  `"Version`": `"2012-10-17`",`n  `"Statement`": [ }`n}" | Test-PtcRegistryPolicy -ErrorAction Stop)
        $findings | Should -HaveCount 1
        $findings[0].RuleId | Should -Be 'PTC001'
        $findings[0].Line | Should -Be 3
        $findings[0].Column | Should -BeGreaterThan 0
    }

    Context '-Quiet' {
        It 'returns <Expected> for <Case>' -TestCases @(
            @{ Case = 'a sound policy'; Text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:ReplicateImage","Resource":"*"}]}'; Expected = $true }
            @{ Case = 'a policy with only warnings'; Text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:*","Resource":"*"}]}'; Expected = $true }
            @{ Case = 'a policy with an error'; Text = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:Nope","Resource":"*"}]}'; Expected = $false }
            @{ Case = 'invalid JSON'; Text = '{"Version":'; Expected = $false }
        ) {
            $result = $Text | Test-PtcRegistryPolicy -Quiet
            $result | Should -BeOfType [bool]
            $result | Should -Be $Expected
        }

        It 'counts only the errors left after -ExcludeRule' {
            $bad | Test-PtcRegistryPolicy -Quiet | Should -BeFalse
            $bad | Test-PtcRegistryPolicy -Quiet -ExcludeRule PTC016 | Should -BeTrue
        }

        It 'returns one answer per policy from the pipeline' {
            $good, $bad | Test-PtcRegistryPolicy -Quiet | Should -Be @($true, $false)
        }
    }

    Context '-Severity and -ExcludeRule' {
        It 'keeps findings of <Severity> and above' -TestCases @(
            @{ Severity = 'Information'; Allowed = @('Error', 'Warning', 'Information') }
            @{ Severity = 'Warning'; Allowed = @('Error', 'Warning') }
            @{ Severity = 'Error'; Allowed = @('Error') }
        ) {
            $all = @($bad -replace '"Version": "2012-10-17",', '' | Test-PtcRegistryPolicy)
            @($all | ForEach-Object { "$($_.Severity)" } | Sort-Object -Unique) | Should -Be @('Error', 'Information', 'Warning')
            $kept = @($bad -replace '"Version": "2012-10-17",', '' | Test-PtcRegistryPolicy -Severity $Severity)
            $kept | ForEach-Object { $Allowed | Should -Contain "$($_.Severity)" }
            $kept.Count | Should -Be @($all | Where-Object { $Allowed -contains "$($_.Severity)" }).Count
        }

        It 'drops the findings of excluded rules, in any case' {
            $all = @($bad | Test-PtcRegistryPolicy)
            $all.RuleId | Should -Contain 'PTC101'
            $kept = @($bad | Test-PtcRegistryPolicy -ExcludeRule ptc101, PTC016)
            $kept.RuleId | Should -Not -Contain 'PTC101'
            $kept.RuleId | Should -Not -Contain 'PTC016'
            $keys = $kept | ForEach-Object { "$($_.RuleId)@$($_.Line):$($_.Column)" }
            $all | Where-Object RuleId -NotIn 'PTC101', 'PTC016' | ForEach-Object { $keys | Should -Contain "$($_.RuleId)@$($_.Line):$($_.Column)" }
        }
    }

    Context 'input' {
        It 'binds PolicyText by property name, with RegistryId, Region and Scope' {
            $response = [pscustomobject]@{ PolicyText = $good; RegistryId = '444455556666'; Region = 'us-east-1'; Scope = 'V1' }
            $findings = @($response | Test-PtcRegistryPolicy)
            $findings.RuleId | Should -Be 'PTC102'
            $findings[0].Message | Should -Match '444455556666'
        }

        It 'checks a policy given as -PolicyText against the registry it names, as a piped one (RegistryId, Region, Scope)' {
            # A policy read from ECR in 444455556666 is checked for that registry whether it is piped or given;
            # -RegistryId, -Region and -Scope given on the command line still decide.
            $response = [pscustomobject]@{ PolicyText = $good; RegistryId = '444455556666'; Region = 'us-east-1'; Scope = 'V1' }
            $policy = $good | ConvertFrom-PtcRegistryPolicy
            $policy.RegistryId = '444455556666'; $policy.Region = 'us-east-1'; $policy.Scope = 'V1'
            $piped = @($policy | Test-PtcRegistryPolicy)
            $given = @(Test-PtcRegistryPolicy -PolicyText $policy)
            $piped.RuleId | Should -Be 'PTC102'
            $given.RuleId | Should -Be $piped.RuleId
            $given[0].Message | Should -BeExactly $piped[0].Message
            @(Test-PtcRegistryPolicy -PolicyText $policy -RegistryId 111122223333 -Region us-east-1) | Should -HaveCount 0
            @(Test-PtcRegistryPolicy -PolicyText $response).RuleId | Should -Be 'PTC102'
        }

        It 'ignores empty RegistryId, Region and Scope properties of a piped policy' {
            $policy = $good | ConvertFrom-PtcRegistryPolicy
            $policy.RegistryId | Should -BeNullOrEmpty
            @($policy | Test-PtcRegistryPolicy) | Should -HaveCount 0
        }

        It 'takes a PtcRegistryPolicy and keeps positions in the text it was read from' {
            $finding = $bad | ConvertFrom-PtcRegistryPolicy | Test-PtcRegistryPolicy | Where-Object RuleId -EQ 'PTC016'
            $finding.Line | Should -Be 14
        }

        It 'takes a hashtable, with paths but no positions' {
            $table = @{ Version = '2012-10-17'; Statement = @(@{ Effect = 'Allow'; Principal = @{ AWS = '111122223333' }; Action = 'ecr:Nope'; Resource = '*' }) }
            $finding = $table | Test-PtcRegistryPolicy
            $finding.RuleId | Should -Be 'PTC016'
            $finding.Path | Should -Be '$.Statement[0].Action'
            $finding.Line | Should -Be 0
        }

        It 'reads files from -Path with wildcards and names the file in Source' {
            $findings = @(Test-PtcRegistryPolicy -Path (Join-Path $work '*.json') -Severity Error)
            $findings | Should -Not -BeNullOrEmpty
            $findings.Source | Sort-Object -Unique | Should -Be (Join-Path $work 'bad.json')
        }

        It 'reads a file with brackets in its name from -LiteralPath and from Get-ChildItem' {
            Test-PtcRegistryPolicy -LiteralPath (Join-Path $work 'odd [name].json') -Quiet | Should -BeTrue
            Get-ChildItem -LiteralPath (Join-Path $work 'bad.json') | Test-PtcRegistryPolicy -Quiet | Should -BeFalse
        }

        It 'takes pull through cache rules as objects with EcrRepositoryPrefix' {
            $rules = [pscustomobject]@{ EcrRepositoryPrefix = 'docker-hub'; UpstreamRegistryUrl = 'docker-hub.upstream.example' }
            $finding = $good | Test-PtcRegistryPolicy -PullThroughCacheRule $rules
            $finding.RuleId | Should -Be 'PTC104'
            ($good | Test-PtcRegistryPolicy -PullThroughCacheRule $rules, ([pscustomobject]@{ EcrRepositoryPrefix = 'ROOT' })).RuleId | Should -Be 'PTC108'
            ($good | Test-PtcRegistryPolicy -PullThroughCacheRule @{ EcrRepositoryPrefix = 'quay' }).RuleId | Should -Be 'PTC104'
            @($good | Test-PtcRegistryPolicy -PullThroughCacheRule @{ EcrRepositoryPrefix = 'ecr-public' }, 'quay') | Should -HaveCount 0
            $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($rules))
            ($good | Test-PtcRegistryPolicy -PullThroughCacheRule $deserialized).RuleId | Should -Be 'PTC104'
        }

        It 'checks trusted accounts and organizations' {
            ($good | Test-PtcRegistryPolicy -TrustedAccount 444455556666).RuleId | Should -Be 'PTC107'
            @($good | Test-PtcRegistryPolicy -TrustedAccount 111122223333 -OrganizationId o-a1b2c3d4e5) | Should -HaveCount 0
        }
    }

    Context 'errors' {
        It 'writes <ErrorId> (<Category>) for <Case> and goes on' -TestCases @(
            @{ Case = 'a value that is not a policy'; Parameter = 'Input'; Value = 42; ErrorId = 'PolicyInputInvalid'; Category = 'InvalidArgument' }
            @{ Case = 'a missing file'; Parameter = 'Path'; Value = 'missing.json'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound' }
            @{ Case = 'a wildcard that matches nothing'; Parameter = 'Path'; Value = 'none*.json'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound' }
            @{ Case = 'a missing literal path'; Parameter = 'LiteralPath'; Value = 'missing[1].json'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound' }
            @{ Case = 'a folder'; Parameter = 'LiteralPath'; Value = 'folder'; ErrorId = 'PolicyFileNotFound'; Category = 'ObjectNotFound' }
        ) {
            $target = if ($Parameter -eq 'Input') { $Value } else { Join-Path $work $Value }
            $result = switch ($Parameter) {
                'Input' { $Value, $good | Test-PtcRegistryPolicy -Quiet -ErrorAction SilentlyContinue -ErrorVariable problem }
                'Path' { Test-PtcRegistryPolicy -Path $target, (Join-Path $work 'good.json') -Quiet -ErrorAction SilentlyContinue -ErrorVariable problem }
                'LiteralPath' { Test-PtcRegistryPolicy -LiteralPath $target, (Join-Path $work 'good.json') -Quiet -ErrorAction SilentlyContinue -ErrorVariable problem }
            }
            $result | Should -Be $true
            $problem | Should -HaveCount 1
            $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.TestPtcRegistryPolicyCommand"
            $problem[0].CategoryInfo.Category | Should -Be $Category
            $problem[0].TargetObject | Should -Be $target
        }

        It 'skips a folder that a wildcard matches (issue 16 item 1 decision: one file resolver)' {
            # The work folder holds three policy files and the folder 'folder'; before, the folder was a PolicyFileNotFound error.
            $findings = Test-PtcRegistryPolicy -Path (Join-Path $work '*') -Severity Error -ErrorAction SilentlyContinue -ErrorVariable problem
            $problem | Should -HaveCount 0
            @($findings.Source | Sort-Object -Unique) | Should -Be @((Join-Path $work 'bad.json'))
        }

        It 'writes PolicyFileUnreadable (ReadError) for a file that cannot be read and goes on' -Skip:(-not $IsLinux) {
            # Reading /proc/self/mem from offset 0 fails with an I/O error, even for root.
            $result = Test-PtcRegistryPolicy -LiteralPath '/proc/self/mem', (Join-Path $work 'good.json') -Quiet -ErrorAction SilentlyContinue -ErrorVariable problem
            $result | Should -Be $true
            $problem | Should -HaveCount 1
            $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileUnreadable,PtcTools.Commands.TestPtcRegistryPolicyCommand'
            $problem[0].CategoryInfo.Category | Should -Be 'ReadError'
            $problem[0].TargetObject | Should -Be '/proc/self/mem'
        }

        It 'stops with <ErrorId> (<Category>) for <Case>' -TestCases @(
            @{ Case = 'an unknown rule id'; Parameters = @{ ExcludeRule = 'PTC999' }; ErrorId = 'LintRuleNotFound'; Category = 'ObjectNotFound'; Target = 'PTC999' }
            @{ Case = 'a malformed registry id'; Parameters = @{ RegistryId = '1111-2222-3333' }; ErrorId = 'RegistryIdInvalid'; Category = 'InvalidArgument'; Target = '1111-2222-3333' }
            @{ Case = 'a malformed Region'; Parameters = @{ Region = 'us-east' }; ErrorId = 'RegionInvalid'; Category = 'InvalidArgument'; Target = 'us-east' }
            @{ Case = 'a malformed trusted account'; Parameters = @{ TrustedAccount = '12345' }; ErrorId = 'AccountIdInvalid'; Category = 'InvalidArgument'; Target = '12345' }
            @{ Case = 'a malformed organization id'; Parameters = @{ OrganizationId = 'org-1' }; ErrorId = 'OrganizationIdInvalid'; Category = 'InvalidArgument'; Target = 'org-1' }
            @{ Case = 'a malformed rule prefix'; Parameters = @{ PullThroughCacheRule = 'Docker_Hub' }; ErrorId = 'RepositoryPrefixInvalid'; Category = 'InvalidArgument'; Target = 'Docker_Hub' }
            @{ Case = 'a rule without a prefix'; Parameters = @{ PullThroughCacheRule = [pscustomobject]@{ Name = 'x' } }; ErrorId = 'PullThroughCacheRuleInvalid'; Category = 'InvalidArgument'; Target = $null }
        ) {
            $caught = $null
            try { $good | Test-PtcRegistryPolicy @Parameters -ErrorAction Stop } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.TestPtcRegistryPolicyCommand"
            $caught.CategoryInfo.Category | Should -Be $Category
            if ($null -ne $Target) { $caught.TargetObject | Should -Be $Target } else { $caught.TargetObject.Name | Should -Be 'x' }
        }
    }

    Context 'formatting' {
        It 'shows severity, rule, Sid and line, then the message, as a compiler does' {
            $text = $bad | Test-PtcRegistryPolicy | Out-String -Width 200
            $text | Should -Match 'Error\s+PTC016\s+Broken\s+line 14\r?\n    Statement "Broken", Action: ''ecr:BatchImportUpstreamImages'''
        }

        It 'shows severity, rule, Sid, line and message as a table with Format-Table' {
            $text = $bad | Test-PtcRegistryPolicy | Format-Table | Out-String -Width 200
            $text | Should -Match 'Severity\s+Rule\s+Sid\s+Line\s+Message'
            $text | Should -Match 'Error\s+PTC016\s+Broken\s+14\s+Statement "Broken", Action: ''ecr:BatchImportUpstreamImages'''
        }

        It 'shows position, path and help in the list view' {
            $text = $bad | Test-PtcRegistryPolicy | Where-Object RuleId -EQ 'PTC016' | Format-List | Out-String -Width 200
            $text | Should -Match 'Position\s+: line 14, column \d+'
            $text | Should -Match 'HelpUri\s+: \S+[\\/]rules[\\/]PTC016\.md'
        }
    }
}

Describe 'Test-PtcRegistryPolicy: typed -PolicyText (issue 16 item 1 decision)' {
    BeforeAll {
        # An AWS.Tools response is a .NET object (Amazon.ECR.Model.GetRegistryPolicyResponse), not a property bag.
        class StandInRegistryPolicyResponse { [string] $RegistryId; [string] $PolicyText }
        # One unknown action (PTC016) and nothing else; structure (a hashtable, ConvertFrom-Json output) keeps all of it.
        $script:nope = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:Nope","Resource":"*"}]}'
        $script:typedFile = Join-Path $TestDrive 'typed.json'
        Set-Content -LiteralPath $typedFile -Value $nope -NoNewline
        $script:live = Get-PtcRegistryPolicy -LiteralPath $typedFile
        $script:deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
        $script:response = [StandInRegistryPolicyResponse]@{ PolicyText = $nope }
    }

    It 'has a PtcRegistryPolicy -PolicyText' {
        (Get-Command Test-PtcRegistryPolicy).Parameters.PolicyText.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
    }

    It 'lints <Form>, given, by position and piped, with the same finding' -TestCases @(
        @{ Form = 'text'; Value = { $nope }; Source = $null }
        @{ Form = 'a policy file object'; Value = { Get-Item -LiteralPath $typedFile }; Source = 'file' }
        @{ Form = 'an AWS.Tools response (a .NET object with PolicyText)'; Value = { $response }; Source = $null }
        @{ Form = 'an object with PolicyText'; Value = { [pscustomobject]@{ PolicyText = $nope } }; Source = $null }
        @{ Form = 'a hashtable'; Value = { $nope | ConvertFrom-Json -AsHashtable }; Source = $null }
        @{ Form = 'a ConvertFrom-Json object'; Value = { $nope | ConvertFrom-Json }; Source = $null }
        @{ Form = 'a PtcRegistryPolicy'; Value = { $live }; Source = $null }
        @{ Form = 'a deserialized PtcRegistryPolicy'; Value = { $deserialized }; Source = $null }
    ) {
        $value = & $Value
        $expected = if ($Source) { (Get-Item -LiteralPath $typedFile).FullName } else { $null }
        foreach ($findings in @(
                @(Test-PtcRegistryPolicy -PolicyText $value -ErrorAction Stop),
                @(Test-PtcRegistryPolicy $value -ErrorAction Stop),
                @($value | Test-PtcRegistryPolicy -ErrorAction Stop))) {
            $findings.RuleId | Should -Be 'PTC016'
            $findings[0].Source | Should -Be $expected
        }
    }

    It 'lints the files Get-ChildItem pipes, in order, each named in Source' {
        $folder = Join-Path $TestDrive 'gci'
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content -LiteralPath (Join-Path $folder 'a.json') -Value $nope -NoNewline
        Set-Content -LiteralPath (Join-Path $folder 'b.json') -Value '{"Version":' -NoNewline
        Set-Content -LiteralPath (Join-Path $folder 'c.json') -Value ($nope -replace 'ecr:Nope', 'ecr:ReplicateImage') -NoNewline
        $findings = @(Get-ChildItem -LiteralPath $folder -Filter '*.json' | Sort-Object Name | Test-PtcRegistryPolicy -Severity Error -ErrorAction Stop)
        ($findings | ForEach-Object { "$(Split-Path $_.Source -Leaf) $($_.RuleId)" }) | Should -Be @('a.json PTC016', 'b.json PTC001')
        Get-ChildItem -LiteralPath $folder -Filter '*.json' | Sort-Object Name | Test-PtcRegistryPolicy -Quiet | Should -Be @($false, $false, $true)
    }

    It 'reports a file object whose file is gone as PolicyFileNotFound, with the file as target, and goes on' {
        $gone = Join-Path $TestDrive 'gone.json'
        Set-Content -LiteralPath $gone -Value $nope
        $item = Get-Item -LiteralPath $gone
        Remove-Item -LiteralPath $gone
        $item, $nope | Test-PtcRegistryPolicy -Quiet -ErrorAction SilentlyContinue -ErrorVariable problem | Should -Be @($false)
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.TestPtcRegistryPolicyCommand'
        $problem[0].TargetObject | Should -Be $gone
    }

    It 'takes piped lines, and the lines given as one argument, as one policy' {
        $lines = ($nope -replace ',', ",`n") -split "`n"
        @($lines | Test-PtcRegistryPolicy -ErrorAction Stop).RuleId | Should -Be 'PTC016'
        @(Test-PtcRegistryPolicy -PolicyText $lines -ErrorAction Stop).RuleId | Should -Be 'PTC016'
        @(Test-PtcRegistryPolicy $lines -ErrorAction Stop).RuleId | Should -Be 'PTC016'
    }

    It 'lints each element of an array piped as one object (Windows PowerShell''s ConvertFrom-Json), in order' {
        $fine = $nope -replace 'ecr:Nope', 'ecr:ReplicateImage'
        "[$nope,$fine,$nope]" | ConvertFrom-Json -NoEnumerate | Test-PtcRegistryPolicy -Quiet | Should -Be @($false, $true, $false)
        Test-PtcRegistryPolicy -PolicyText ("[$fine,$nope]" | ConvertFrom-Json -NoEnumerate) -Quiet | Should -Be @($true, $false)
    }

    It 'reports a value that is no policy as PolicyInputInvalid with the value as target, given or piped, not as a binding error' {
        Test-PtcRegistryPolicy -PolicyText 42 -ErrorAction SilentlyContinue -ErrorVariable given | Should -BeNullOrEmpty
        $given[0].FullyQualifiedErrorId | Should -Be 'PolicyInputInvalid,PtcTools.Commands.TestPtcRegistryPolicyCommand'
        $given[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $given[0].TargetObject | Should -Be 42
        $statement = $live.Statement[0]
        $statement, $nope | Test-PtcRegistryPolicy -Quiet -ErrorAction SilentlyContinue -ErrorVariable piped | Should -Be @($false)
        $piped[0].FullyQualifiedErrorId | Should -Be 'PolicyInputInvalid,PtcTools.Commands.TestPtcRegistryPolicyCommand'
        $piped[0].TargetObject | Should -Be $statement
    }
}
