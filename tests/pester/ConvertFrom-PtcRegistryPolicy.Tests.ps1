BeforeAll {
    $script:sample = '{"Version":"2012-10-17","Id":"keep-me","Statement":[{"Sid":"Ptc","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*","X-Unknown":{"b":1,"a":[true,null,1.50]}}]}'
}

Describe 'ConvertFrom-PtcRegistryPolicy' {
    It 'reads JSON text from the pipeline and prints it back unchanged' {
        $policy = $sample | ConvertFrom-PtcRegistryPolicy
        $policy | Should -BeOfType PtcTools.PtcRegistryPolicy
        $policy.PolicyText | Should -BeExactly $sample
        $policy.Length | Should -Be $sample.Length
        $policy.Version | Should -Be '2012-10-17'
        $policy.Id | Should -Be 'keep-me'
        $policy.Statement[0].Sid | Should -Be 'Ptc'
    }

    It 'keeps "2012-10-17" as text, not a date' {
        (ConvertFrom-PtcRegistryPolicy -PolicyText '{"Version":"2012-10-17","Statement":[]}').PolicyText |
            Should -BeExactly '{"Version":"2012-10-17","Statement":[]}'
    }

    It 'compacts indented text into what ECR stores' {
        # White space between tokens only: after '{' and '[' and between string elements.
        $indented = $sample -replace '([{\[])"', "`$1`n    `"" -replace '","', "`",`n    `""
        $indented | Should -Not -Be $sample
        ($indented | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $sample
    }

    It 'reads a file piped line by line by Get-Content without -Raw (<Newline>) as one policy' -TestCases @(
        @{ Newline = 'LF'; Separator = "`n" }
        @{ Newline = 'CRLF'; Separator = "`r`n" }
    ) {
        $indented = $sample -replace '([{\[])"', "`$1`n    `"" -replace '","', "`",`n    `""
        $file = Join-Path $TestDrive 'lines.json'
        [System.IO.File]::WriteAllText($file, ($indented -split "`n" -join $Separator))
        $policies = @(Get-Content -LiteralPath $file | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop)
        $policies.Count | Should -Be 1
        $policies[0].PolicyText | Should -BeExactly $sample
    }

    It 'takes the lines of a file given as an argument, (Get-Content file) without -Raw, to <Command> as one policy' -TestCases @(
        @{ Command = 'ConvertFrom-PtcRegistryPolicy'; Run = { param($Lines) (ConvertFrom-PtcRegistryPolicy $Lines -ErrorAction Stop).PolicyText } }
        @{ Command = 'Add-PtcRegistryStatement'; Run = { param($Lines) (Add-PtcRegistryStatement -Statement @() -Policy $Lines -ErrorAction Stop).PolicyText } }
        @{ Command = 'Compare-PtcRegistryPolicy'; Run = { param($Lines) if (@(Compare-PtcRegistryPolicy $Lines $sample -ErrorAction Stop).Count -eq 0) { $sample } } }
    ) {
        $indented = $sample -replace '([{\[])"', "`$1`n    `"" -replace '","', "`",`n    `""
        $file = Join-Path $TestDrive 'lines.json'
        Set-Content -LiteralPath $file -Value $indented
        $lines = Get-Content -LiteralPath $file
        $lines.Count | Should -BeGreaterThan 1
        & $Run $lines | Should -BeExactly $sample
    }

    It 'reports a broken file piped line by line once, with the line of the problem' {
        $file = Join-Path $TestDrive 'broken.json'
        Set-Content -LiteralPath $file -Value '{', '  "Version": "2012-10-17",', '  "Statement": [', '    {"Sid": "A",,}', '  ]', '}'
        $result = Get-Content -LiteralPath $file | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        $result | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].Exception.Message | Should -Match 'line 4'
    }

    It 'still converts each piped policy text on its own' {
        $policies = @('{"Version":"2012-10-17","Statement":[]}', $sample | ConvertFrom-PtcRegistryPolicy)
        $policies.Count | Should -Be 2
        $policies[1].PolicyText | Should -BeExactly $sample
    }

    It 'binds PolicyText by property name from an AWS.Tools-shaped response' {
        $response = [pscustomobject]@{ RegistryId = '111122223333'; PolicyText = $sample }
        ($response | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $sample
    }

    It 'accepts a deserialized PtcRegistryPolicy (remoting, jobs)' {
        $policy = $sample | ConvertFrom-PtcRegistryPolicy
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($policy))
        $deserialized.pstypenames | Should -Contain 'Deserialized.PtcTools.PtcRegistryPolicy'
        ($deserialized | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $sample
    }

    It 'accepts a ConvertFrom-Json object and writes dates back as the text they came from' {
        $text = '{"Version":"2012-10-17","Statement":[{"Sid":"Until","Effect":"Deny","Principal":"*","Action":"ecr:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2027-01-31T23:59:59Z"}}}]}'
        ($text | ConvertFrom-Json | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $text
    }

    It 'accepts a hashtable' {
        $table = [ordered]@{ Version = '2012-10-17'; Statement = @([ordered]@{ Sid = 'A'; Effect = 'Allow'; Principal = @{ AWS = '111122223333' }; Action = 'ecr:CreateRepository'; Resource = '*' }) }
        ($table | ConvertFrom-PtcRegistryPolicy).PolicyText |
            Should -BeExactly '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"*"}]}'
    }

    It 'accepts URL-encoded documents as IAM returns them' {
        ([uri]::EscapeDataString($sample) | ConvertFrom-PtcRegistryPolicy).PolicyText | Should -BeExactly $sample
    }

    It 'reports <Case> as PolicyJsonInvalid at line <Line>' -TestCases @(
        @{ Case = 'a missing value'; Text = "{`n  `"Version`": `"2012-10-17`",`n  `"Statement`": [ }`n}"; Line = 3 }
        @{ Case = 'a duplicate key'; Text = "{`n  `"Version`": `"2012-10-17`",`n  `"Version`": `"2008-10-17`"`n}"; Line = 3 }
        @{ Case = 'trailing text'; Text = "{`"Version`":`"2012-10-17`"}`n{}"; Line = 2 }
        @{ Case = 'a comment'; Text = "{`n  // why`n  `"Version`": `"2012-10-17`"}"; Line = 2 }
        @{ Case = 'an array at the root'; Text = '[1]'; Line = 1 }
    ) {
        $Text | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].TargetObject | Should -Be $Text
        $problem[0].Exception.Message | Should -Match "line $Line, column \d+"
    }

    It 'goes on with the next input after a bad one' {
        $results = '{', $sample | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        @($results).Count | Should -Be 1
        $problem.Count | Should -Be 1
    }

    It 'says a file name given as the policy to <Command> looks like a file name' -TestCases @(
        @{ Command = 'ConvertFrom-PtcRegistryPolicy'; Run = { ConvertFrom-PtcRegistryPolicy './registry-policy.json' } }
        @{ Command = 'Add-PtcRegistryStatement'; Run = { Add-PtcRegistryStatement -Statement @() -Policy 'policies\registry-policy.json' } }
        @{ Command = 'Compare-PtcRegistryPolicy'; Run = { Compare-PtcRegistryPolicy './a.json' './b.json' } }
    ) {
        $problem = $null
        try { & $Run -ErrorAction Stop } catch { $problem = $_ }
        $problem.FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,PtcTools.Commands.$($Command -replace '-', '')Command"
        $problem.CategoryInfo.Category | Should -Be 'InvalidData'
        $problem.Exception.Message | Should -Match "looks like a file name, not policy JSON.*Get-PtcRegistryPolicy -LiteralPath"
    }

    It 'reads a file name given to Test-PtcRegistryPolicy positionally as -Path, as its syntax shows (issue 17)' {
        $file = Join-Path $TestDrive 'positional.json'
        Set-Content -LiteralPath $file -Value '{"Version":"2012-10-17","Statement":[{"Sid":"Bad-Sid","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"*"}]}'
        $findings = @(Test-PtcRegistryPolicy $file)
        $findings.RuleId | Should -Contain 'PTC015'
        $findings[0].Source | Should -Be $file
        $findings.RuleId | Should -Not -Contain 'PTC001'
        @(Test-PtcRegistryPolicy (Join-Path $TestDrive 'posit*.json')).Count | Should -Be $findings.Count
    }

    It 'reports a missing file given to Test-PtcRegistryPolicy positionally as PolicyFileNotFound, not as bad JSON' {
        $problem = { Test-PtcRegistryPolicy './no-such-registry-policy.json' -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyFileNotFound,PtcTools.Commands.TestPtcRegistryPolicyCommand' -PassThru
        $problem.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses a hashtable that contains itself with PolicyInputInvalid instead of overflowing the stack' {
        # In a child pwsh: before the depth limit, this crashed the whole process.
        . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
        $script = "Import-Module '$env:PTCTOOLS_MODULE'; `$h = @{ Version = '2012-10-17' }; `$h.Statement = @(`$h); " +
            "try { ConvertFrom-PtcRegistryPolicy `$h -ErrorAction Stop } catch { 'id=' + `$_.FullyQualifiedErrorId; 'category=' + `$_.CategoryInfo.Category; `$_.Exception.Message }"
        $printed = Invoke-ChildPwsh $script
        $printed | Should -Match 'id=PolicyInputInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
        $printed | Should -Match 'category=InvalidData'
        $printed | Should -Match 'contain itself'
    }

    It 'refuses a value that is not a policy with PolicyInputInvalid' {
        { ConvertFrom-PtcRegistryPolicy -PolicyText 42 -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyInputInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
    }
}

Describe 'ConvertFrom-PtcRegistryPolicy: typed -PolicyText (issue 16 item 1 decision)' {
    BeforeAll {
        # Structure (a hashtable, ConvertFrom-Json output) keeps what JSON numbers and key order say; this policy has nothing else.
        $script:plain = '{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"*"}]}'
        # An AWS.Tools response is a .NET object (Amazon.ECR.Model.GetRegistryPolicyResponse), not a property bag.
        class StandInRegistryPolicyResponse { [string] $RegistryId; [string] $PolicyText }
        $script:response = [StandInRegistryPolicyResponse]@{ RegistryId = '111122223333'; PolicyText = $plain }
        $script:file = Join-Path $TestDrive 'typed.json'
        Set-Content -LiteralPath $file -Value $plain -NoNewline
        $script:live = Get-PtcRegistryPolicy -LiteralPath $file
        $script:deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($live))
    }

    It 'has a PtcRegistryPolicy -PolicyText' {
        (Get-Command ConvertFrom-PtcRegistryPolicy).Parameters.PolicyText.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
    }

    It 'converts <Form>, given and piped, to the same policy' -TestCases @(
        @{ Form = 'text'; Value = { $plain } }
        @{ Form = 'a policy file object'; Value = { Get-Item -LiteralPath $file } }
        @{ Form = 'an AWS.Tools response (a .NET object with PolicyText)'; Value = { $response } }
        @{ Form = 'an object with PolicyText'; Value = { [pscustomobject]@{ RegistryId = '111122223333'; PolicyText = $plain } } }
        @{ Form = 'a hashtable'; Value = { $plain | ConvertFrom-Json -AsHashtable } }
        @{ Form = 'a ConvertFrom-Json object'; Value = { $plain | ConvertFrom-Json } }
        @{ Form = 'a PtcRegistryPolicy'; Value = { $live } }
        @{ Form = 'a deserialized PtcRegistryPolicy'; Value = { $deserialized } }
    ) {
        $value = & $Value
        (ConvertFrom-PtcRegistryPolicy -PolicyText $value -ErrorAction Stop).PolicyText | Should -BeExactly $plain
        (ConvertFrom-PtcRegistryPolicy $value -ErrorAction Stop).PolicyText | Should -BeExactly $plain
        ($value | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop).PolicyText | Should -BeExactly $plain
    }

    It 'keeps the origin of <Form> and only of a policy read from a store' -TestCases @(
        @{ Form = 'a PtcRegistryPolicy'; Value = { $live }; Path = $true }
        @{ Form = 'a deserialized PtcRegistryPolicy'; Value = { $deserialized }; Path = $true }
        @{ Form = 'a policy file object'; Value = { Get-Item -LiteralPath $file }; Path = $true }
        @{ Form = 'an AWS.Tools response'; Value = { $response }; Path = $false }
        @{ Form = 'text'; Value = { $plain }; Path = $false }
    ) {
        $policy = & $Value | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop
        if ($Path) {
            $policy.Path | Should -Be (Get-Item -LiteralPath $file).FullName
            $policy.SourceText | Should -BeExactly $plain
        } else {
            $policy.Path | Should -BeNullOrEmpty
            $policy.SourceText | Should -BeNullOrEmpty
            $policy.RegistryId | Should -BeNullOrEmpty
        }
    }

    It 'reads a policy file object as Get-PtcRegistryPolicy -LiteralPath reads it (it was PolicyInputInvalid)' {
        $read = Get-Item -LiteralPath $file | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop
        $expected = Get-PtcRegistryPolicy -LiteralPath $file
        $read.PolicyText | Should -BeExactly $expected.PolicyText
        $read.Path | Should -Be $expected.Path
        $read.SourceText | Should -BeExactly $expected.SourceText
    }

    It 'reads the files Get-ChildItem pipes one by one, in order, and reports a bad one with its id and file' {
        $folder = Join-Path $TestDrive 'folder'
        $null = New-Item -ItemType Directory -Path $folder
        Set-Content -LiteralPath (Join-Path $folder 'a.json') -Value $plain -NoNewline
        Set-Content -LiteralPath (Join-Path $folder 'b.json') -Value '{"Version":' -NoNewline
        Set-Content -LiteralPath (Join-Path $folder 'c.json') -Value '{"Version":"2012-10-17","Statement":[]}' -NoNewline
        $policies = @(Get-ChildItem -LiteralPath $folder -Filter '*.json' | Sort-Object Name | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem)
        $policies.Path | Should -Be @((Join-Path $folder 'a.json'), (Join-Path $folder 'c.json'))
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
        $problem[0].TargetObject | Should -Be (Join-Path $folder 'b.json')
        $problem[0].Exception.Message | Should -Match ([regex]::Escape((Join-Path $folder 'b.json')))
    }

    It 'reports a file object whose file is gone as PolicyFileNotFound, with the file as target' {
        $gone = Join-Path $TestDrive 'gone.json'
        Set-Content -LiteralPath $gone -Value $plain
        $item = Get-Item -LiteralPath $gone
        Remove-Item -LiteralPath $gone
        $item | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $problem[0].TargetObject | Should -Be $gone
    }

    It 'takes piped lines as one policy and the lines given as one argument as one policy' {
        $lines = ($plain -replace ',', ",`n") -split "`n"
        @($lines | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop).PolicyText | Should -BeExactly $plain
        @(ConvertFrom-PtcRegistryPolicy -PolicyText $lines -ErrorAction Stop).PolicyText | Should -BeExactly $plain
    }

    It 'converts each element of an array piped as one object (Windows PowerShell''s ConvertFrom-Json), in order' {
        $other = '{"Version":"2012-10-17","Statement":[]}'
        $policies = @("[$plain,$other]" | ConvertFrom-Json -NoEnumerate | ConvertFrom-PtcRegistryPolicy -ErrorAction Stop)
        $policies.PolicyText | Should -Be @($plain, $other)
        @(ConvertFrom-PtcRegistryPolicy -PolicyText ("[$plain,$other]" | ConvertFrom-Json -NoEnumerate)).PolicyText | Should -Be @($plain, $other)
    }

    It 'reports a value that is no policy as <ErrorId> with the value as target, not as a binding error, and goes on' -TestCases @(
        @{ Value = 42; ErrorId = 'PolicyInputInvalid'; Category = 'InvalidArgument' }
        @{ Value = '{"Version":'; ErrorId = 'PolicyJsonInvalid'; Category = 'InvalidData' }
    ) {
        $policies = @($Value, $plain | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem)
        $policies.PolicyText | Should -Be @($plain)
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand"
        $problem[0].CategoryInfo.Category | Should -Be $Category
        $problem[0].TargetObject | Should -Be $Value
        ConvertFrom-PtcRegistryPolicy -PolicyText $Value -ErrorAction SilentlyContinue -ErrorVariable given | Should -BeNullOrEmpty
        $given[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand"
        $given[0].TargetObject | Should -Be $Value
    }
}

Describe "ConvertFrom-PtcRegistryPolicy given a statement" {
    It 'refuses a PtcPolicyStatement where a policy belongs with PolicyInputInvalid' {
        $statement = ($sample | ConvertFrom-PtcRegistryPolicy).Statement[0]
        $statement | ConvertFrom-PtcRegistryPolicy -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyInputInvalid,PtcTools.Commands.ConvertFromPtcRegistryPolicyCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].Exception.Message | Should -Match 'Add-PtcRegistryStatement'
    }
}
