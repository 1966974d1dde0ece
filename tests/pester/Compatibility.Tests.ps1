# Issue 15: what Windows PowerShell 5.1 on the .NET Framework needs, held here by construction (5.1 cannot run here).
BeforeAll {
    $ModuleFolder = Split-Path $env:PTCTOOLS_MODULE

    # The PowerShell 7-only constructs, found in a syntax tree or its tokens; each finding names the file and line.
    function Find-Pwsh7Syntax {
        param([Parameter(Mandatory)][string] $Text, [Parameter(Mandatory)][string] $Name)
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, $Name, [ref] $tokens, [ref] $errors)
        foreach ($e in $errors) { "${Name}:$($e.Extent.StartLineNumber): does not parse: $($e.Message)" }
        $kinds = @{
            QuestionQuestion       = "'??'"
            QuestionQuestionEquals = "'??='"
            QuestionDot            = "'?.'"
            QuestionLBracket       = "'?['"
            AndAnd                 = "'&&'"
            OrOr                   = "'||'"
            Clean                  = "a 'clean' block"
        }
        foreach ($token in $tokens) {
            $kind = $token.Kind.ToString()
            if ($kinds.ContainsKey($kind)) { "${Name}:$($token.Extent.StartLineNumber): $($kinds[$kind])" }
        }
        foreach ($node in $ast.FindAll({ $true }, $true)) {
            $type = $node.GetType().Name
            if ($type -eq 'TernaryExpressionAst') { "${Name}:$($node.Extent.StartLineNumber): the ternary operator" }
            elseif ($type -eq 'PipelineChainAst') { "${Name}:$($node.Extent.StartLineNumber): a pipeline chain" }
            elseif ($type -eq 'CommandParameterAst' -and $node.ParameterName -eq 'Parallel') { "${Name}:$($node.Extent.StartLineNumber): '-Parallel'" }
            elseif ($type -eq 'ScriptBlockAst' -and $node.CleanBlock) { "${Name}:$($node.Extent.StartLineNumber): a 'clean' block" }
        }
    }

    # Every script text the module ships: .ps1/.psm1/.psd1 files whole, and each ScriptBlock of a .ps1xml.
    function Get-ShippedScript {
        foreach ($file in Get-ChildItem -LiteralPath $ModuleFolder -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1') {
            [pscustomobject]@{ Name = $file.Name; Text = [System.IO.File]::ReadAllText($file.FullName) }
        }
        foreach ($file in Get-ChildItem -LiteralPath $ModuleFolder -Recurse -File -Filter '*.ps1xml') {
            $xml = [xml][System.IO.File]::ReadAllText($file.FullName)
            $i = 0
            foreach ($block in $xml.SelectNodes('//ScriptBlock')) {
                $i++
                [pscustomobject]@{ Name = "$($file.Name) ScriptBlock $i"; Text = $block.InnerText }
            }
        }
    }
}

Describe 'The .NET Framework check at import (PtcTools.Prerequisites.ps1)' {
    BeforeAll {
        $script = Join-Path $ModuleFolder 'PtcTools.Prerequisites.ps1'
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($script, [ref] $null, [ref] $null)
        # The check itself: the script block the script runs with $PSVersionTable.PSEdition.
        $Check = $ast.Find({ param($n) $n -is [System.Management.Automation.Language.ScriptBlockExpressionAst] }, $true).ScriptBlock.GetScriptBlock()
    }

    It 'is run by the manifest before the assembly loads' {
        (Import-PowerShellDataFile $env:PTCTOOLS_MODULE).ScriptsToProcess | Should -Be @('PtcTools.Prerequisites.ps1')
    }

    It 'stops Windows PowerShell on .NET Framework <name> with NetFrameworkVersionUnsupported naming 4.7.2' -TestCases @(
        @{ Name = '4.6.2'; Release = 394802 }
        @{ Name = '4.7.1'; Release = 461308 }
    ) {
        function Get-ItemProperty { [pscustomobject]@{ Release = $Release } }
        $err = $null
        try { & $Check 'Desktop' } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'NetFrameworkVersionUnsupported'
        $err.CategoryInfo.Category | Should -Be 'NotInstalled'
        $err.TargetObject | Should -Be $Release
        $err.Exception.Message | Should -Match '4\.7\.2 or later'
        $err.Exception.Message | Should -Match ([regex]::Escape(".NET Framework $Name (Release $Release)"))
    }

    It 'lets .NET Framework <release> through' -TestCases @(@{ Release = 461808 }, @{ Release = 461814 }, @{ Release = 533320 }) {
        function Get-ItemProperty { [pscustomobject]@{ Release = $Release } }
        { & $Check 'Desktop' } | Should -Not -Throw
    }

    It 'lets the import go on when the Release value cannot be read' {
        function Get-ItemProperty { $null }
        { & $Check 'Desktop' } | Should -Not -Throw
    }

    It 'does not look at the registry in PowerShell 7' {
        function Get-ItemProperty { throw 'the registry was read' }
        { & $Check 'Core' } | Should -Not -Throw
    }

    It 'stops a real import: a manifest whose check throws does not load' {
        # The same mechanism with a check that always refuses, so the stop is seen here too.
        $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('ptctools-stp-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'Refused')
        try {
            Set-Content -LiteralPath (Join-Path $folder 'Refused/Refused.psm1') -Value 'function Get-Refused { 1 }'
            Set-Content -LiteralPath (Join-Path $folder 'Refused/check.ps1') -Value ((Get-Content -LiteralPath $script -Raw) -replace "\`$Edition -ne 'Desktop'", '$false' -replace 'Get-ItemProperty -LiteralPath \$key -Name Release -ErrorAction Ignore', '[pscustomobject]@{ Release = 394802 }')
            Set-Content -LiteralPath (Join-Path $folder 'Refused/Refused.psd1') -Value "@{ ModuleVersion = '1.0'; GUID = '$([guid]::NewGuid())'; RootModule = 'Refused.psm1'; ScriptsToProcess = @('check.ps1'); FunctionsToExport = @('Get-Refused') }"
            { Import-Module (Join-Path $folder 'Refused/Refused.psd1') -ErrorAction Stop } | Should -Throw -ErrorId 'NetFrameworkVersionUnsupported*'
            Get-Module Refused | Should -BeNullOrEmpty
        } finally {
            Remove-Module Refused -ErrorAction Ignore
            Remove-Item -LiteralPath $folder -Recurse -Force
        }
    }
}

Describe 'No PowerShell 7-only syntax in what the module ships' {
    It 'finds each construct it refuses: <construct>' -TestCases @(
        @{ Construct = '??'; Text = '$a = $b ?? 1' }
        @{ Construct = '??='; Text = '$a ??= 1' }
        @{ Construct = '?.'; Text = '${a}?.Name' }
        @{ Construct = '?['; Text = '${a}?[0]' }
        @{ Construct = 'ternary'; Text = '$a = $b ? 1 : 2' }
        @{ Construct = '&&'; Text = 'git status && git log' }
        @{ Construct = '||'; Text = 'git status || git log' }
        @{ Construct = '-Parallel'; Text = '1..2 | ForEach-Object -Parallel { $_ }' }
        @{ Construct = 'clean'; Text = 'function f { process { 1 } clean { 2 } }' }
    ) {
        @(Find-Pwsh7Syntax -Text $Text -Name 'sample.ps1') | Should -Not -BeNullOrEmpty
    }

    It 'passes Windows PowerShell 5.1 syntax' {
        @(Find-Pwsh7Syntax -Text 'if ($null -eq $a) { $b = 1 } else { $b = $a.Name }; $c = @(1, 2) | ForEach-Object { $_ }' -Name 'sample.ps1') | Should -BeNullOrEmpty
    }

    It 'ships scripts, the manifest and the format file, and none of them uses it' {
        $shipped = @(Get-ShippedScript)
        $shipped.Name | Should -Contain 'PtcTools.psd1'
        $shipped.Name | Should -Contain 'PtcTools.Prerequisites.ps1'
        ($shipped.Name -like 'PtcTools.Format.ps1xml ScriptBlock *').Count | Should -BeGreaterThan 0
        $found = foreach ($item in $shipped) { Find-Pwsh7Syntax -Text $item.Text -Name $item.Name }
        @($found) | Should -BeNullOrEmpty -Because ($found -join "`n")
    }
}

Describe 'A JSON array that ConvertFrom-Json writes as one object (Windows PowerShell 5.1; -NoEnumerate here)' {
    BeforeAll {
        $P1 = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:CreateRepository","Resource":"*"}]}'
        $P2 = '{"Version":"2012-10-17","Statement":[{"Sid":"B","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:ReplicateImage","Resource":"*"},{"Sid":"C","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:CreateRepository","Resource":"*"}]}'
        $Array = "[$P1,$P2]"
        $Folder = Join-Path ([System.IO.Path]::GetTempPath()) ('ptctools-noenum-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $Folder
    }

    AfterAll {
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction Ignore
    }

    It 'arrives as one object, as in 5.1' {
        ($Array | ConvertFrom-Json -NoEnumerate | Measure-Object).Count | Should -Be 1
    }

    It 'ConvertFrom-PtcRegistryPolicy converts each policy' {
        $policies = @($Array | ConvertFrom-Json -NoEnumerate | ConvertFrom-PtcRegistryPolicy)
        $policies | Should -HaveCount 2
        $policies[0].Statement.Sid | Should -Be 'A'
        $policies[1].Statement.Sid | Should -Be @('B', 'C')
    }

    It 'Test-PtcRegistryPolicy lints each policy, as pwsh 7 enumerating them does' {
        $one = @($Array | ConvertFrom-Json -NoEnumerate | Test-PtcRegistryPolicy -ErrorVariable errors)
        $errors | Should -BeNullOrEmpty
        $each = @($Array | ConvertFrom-Json | Test-PtcRegistryPolicy)
        ($one | ForEach-Object { "$($_.RuleId) $($_.Sid)" }) | Should -Be ($each | ForEach-Object { "$($_.RuleId) $($_.Sid)" })
        @(Test-PtcRegistryPolicy -PolicyText ($Array | ConvertFrom-Json -NoEnumerate) -Quiet) | Should -HaveCount 2
    }

    It 'Compare-PtcRegistryPolicy compares each policy with the reference' {
        $changes = @($Array | ConvertFrom-Json -NoEnumerate | Compare-PtcRegistryPolicy -ReferencePolicy $P1)
        $changes | Should -HaveCount 3
        ($changes | ForEach-Object { "$($_.Change) $($_.Sid)" }) | Should -Be @('Removed A', 'Added B', 'Added C')
    }

    It 'Remove-PtcRegistryStatement removes from each policy' {
        $policies = @("[$P2,$P2]" | ConvertFrom-Json -NoEnumerate | Remove-PtcRegistryStatement -Sid B)
        $policies | Should -HaveCount 2
        $policies[0].Statement.Sid | Should -Be 'C'
        $policies[1].Statement.Sid | Should -Be 'C'
    }

    It 'Set-PtcRegistryPolicy writes each policy in turn' {
        $file = Join-Path $Folder 'registry-policy.json'
        $results = @($Array | ConvertFrom-Json -NoEnumerate | Set-PtcRegistryPolicy -LiteralPath $file -Force -Confirm:$false -BackupPath (Join-Path $Folder 'backups'))
        $results.Status | Should -Be @('Created', 'Updated')
        (Get-PtcRegistryPolicy -LiteralPath $file).Statement.Sid | Should -Be @('B', 'C')
    }

    It 'Add-PtcRegistryStatement takes an array of statements as its statements' {
        $statements = '[{"Sid":"S1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:CreateRepository","Resource":"*"},{"Sid":"S2","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:ReplicateImage","Resource":"*"}]'
        ($statements | ConvertFrom-Json -NoEnumerate | Add-PtcRegistryStatement -Policy $P1).Statement.Sid | Should -Be @('A', 'S1', 'S2')
    }

    It 'Test-PtcPermission takes a policy ConvertFrom-Json made' {
        $result = Test-PtcPermission -Policy ($P1 | ConvertFrom-Json -NoEnumerate) -Principal arn:aws:iam::111122223333:role/ci -Action ecr:CreateRepository -Resource arn:aws:ecr:us-east-1:111122223333:repository/x
        $result.Decision | Should -Be 'Allowed'
    }

    It 'still reads an array of lines as the lines of one policy' {
        $lines = @($P1 -replace ',', ",`n" -split "`n")
        @(ConvertFrom-PtcRegistryPolicy -PolicyText $lines) | Should -HaveCount 1
    }
}
