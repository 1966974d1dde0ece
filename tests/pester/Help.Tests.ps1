# Help conventions: every cmdlet's help renders every section, documents exactly its parameters,
# and every example in docs/en-US runs and prints what the documentation says it prints.
BeforeDiscovery {
    . (Join-Path $env:PTCTOOLS_REPO 'build/HelpMarkdown.ps1')
    $script:cmdlets = Get-Command -Module PtcTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
    $script:examples = foreach ($file in Get-ChildItem (Join-Path $env:PTCTOOLS_REPO 'docs/en-US') -Filter '*-*.md') {
        $doc = Read-PtcHelpMarkdown -Path $file.FullName
        foreach ($example in $doc.Examples) {
            @{ Cmdlet = $doc.Name; Title = $example.Title; Code = $example.Code; Output = $example.Output }
        }
    }
}

BeforeAll {
    . (Join-Path $env:PTCTOOLS_REPO 'build/HelpMarkdown.ps1')
    $script:common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

    # Examples that talk to ECR run as written, the way a user runs them with credentials: the AWS environment
    # points at one loopback emulator serving two Regions (AWS_ENDPOINT_URL_ECR and the test keys), so no example
    # needs to know about the emulator or the repository (issue 17).
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:savedAws = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    Import-TestEcrEmulator
    $script:exampleEmulator = Start-EcrEmulator -AccountId 111122223333, 444455556666, 777788889999 -Region us-east-1, eu-west-1 -ExitAfterSeconds 1800 -Seed @{
        pullThroughCacheRules = @(
            @{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }
            @{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' }
            @{ ecrRepositoryPrefix = 'k8s'; upstreamRegistryUrl = 'k8s.upstream.example' })
        # Member accounts with a rule each, for the examples of -AccountId across accounts.
        registries = @(
            @{ accountId = '444455556666'; region = 'us-east-1'; pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'ecr-public'; upstreamRegistryUrl = 'ecr-public.upstream.example' }) }
            @{ accountId = '777788889999'; region = 'us-east-1'; pullThroughCacheRules = @(@{ ecrRepositoryPrefix = 'quay'; upstreamRegistryUrl = 'quay.upstream.example' }) })
    }
    $env:AWS_ENDPOINT_URL_ECR = $exampleEmulator.Url
    # The emulator's fake STS answers AssumeRole for -AccountId with keys its other accounts' registries accept.
    $env:AWS_ENDPOINT_URL_STS = $exampleEmulator.Url
    $env:AWS_ACCESS_KEY_ID = $exampleEmulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $exampleEmulator.SecretKey

    function ConvertTo-ComparableLines([string] $Text) {
        # Trailing blanks and empty lines are layout, not content.
        @(($Text -replace "`r", '') -split "`n" | ForEach-Object { $_.TrimEnd() } | Where-Object { $_ -ne '' })
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
        $command = Get-Command $Name
        $doc = Read-PtcHelpMarkdown -Path (Join-Path $env:PTCTOOLS_REPO "docs/en-US/$Name.md")
    }

    It 'has a help source in docs/en-US' {
        $doc.Name | Should -Be $Name
    }

    It 'shows its real parameter sets in SYNTAX' {
        # Get-PtcSyntaxMarkdown is what build/Update-HelpSyntax.ps1 writes: each set as Get-Command -Syntax prints it.
        $text = (Get-Content -LiteralPath $doc.Path -Raw) -replace "`r`n", "`n"
        $section = [regex]::Match($text, '(?s)\n## SYNTAX\n\n(.*?)\n+## DESCRIPTION\n')
        $section.Success | Should -BeTrue -Because 'a help source has a SYNTAX section before its DESCRIPTION'
        $section.Groups[1].Value | Should -BeExactly (Get-PtcSyntaxMarkdown -Command $command) -Because 'the parameters changed: run build/Update-HelpSyntax.ps1'
    }

    It 'renders a synopsis, a description, inputs, outputs and related links' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        ($help.inputTypes | Out-String).Trim() | Should -Not -BeNullOrEmpty
        ($help.returnValues | Out-String).Trim() | Should -Not -BeNullOrEmpty
        # Related topics are named in the notes: a related link would make Get-Help suggest -Online, which opens
        # only http(s) addresses, and the module has none (issue 17).
        ($help.alertSet | Out-String) | Should -Match 'See also: '
        ($help | Out-String) | Should -Not -Match '-Online'
    }

    It 'prints its description and parameters whole in an 80-column console, no word split' -ForEach @(@{ Culture = '' }, @{ Culture = 'en-US' }) {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = if ($Culture) { [cultureinfo]::GetCultureInfo($Culture) } else { [cultureinfo]::InvariantCulture }
            $text = Get-Help $Name -Full | Out-String -Width 80
        } finally { [cultureinfo]::CurrentCulture = $saved }
        $tokens = [System.Collections.Generic.HashSet[string]]::new([string[]] (-split $text))
        foreach ($word in -split (($doc.Description + ' ' + (($doc.Parameters | ForEach-Object Description) -join ' ')))) {
            $tokens.Contains($word) | Should -BeTrue -Because "'$word' must not be split"
        }
    }

    It 'has at least two examples' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 2
    }

    It 'documents exactly the parameters the cmdlet has, each with a description' {
        $actual = @($command.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
        $documented = @($doc.Parameters.Name | Sort-Object)
        $documented | Should -Be $actual
        foreach ($parameter in $doc.Parameters) {
            $parameter.Description | Should -Not -BeNullOrEmpty -Because "-$($parameter.Name) needs a description"
        }
        foreach ($parameter in @($help.parameters.parameter)) {
            ($parameter.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$($parameter.name) needs a description in Get-Help"
        }
    }

    It 'documents the aliases, pipeline binding and mandatory flag each parameter really has' {
        foreach ($parameter in $doc.Parameters) {
            $real = $command.Parameters[$parameter.Name]
            @($parameter.Aliases | Sort-Object) | Should -Be @($real.Aliases | Sort-Object) -Because "-$($parameter.Name) aliases"
            $byValue = @($real.ParameterSets.Values | Where-Object ValueFromPipeline).Count -gt 0
            $byName = @($real.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName).Count -gt 0
            ($parameter.PipelineInput -match 'byvalue') | Should -Be $byValue -Because "-$($parameter.Name) pipeline by value"
            ($parameter.PipelineInput -match 'bypropertyname') | Should -Be $byName -Because "-$($parameter.Name) pipeline by property name"
        }
    }

    It 'pairs every -Path with -LiteralPath (alias PSPath)' {
        if ($command.Parameters.ContainsKey('Path')) {
            $command.Parameters.Keys | Should -Contain 'LiteralPath'
            $command.Parameters['LiteralPath'].Aliases | Should -Contain 'PSPath'
        }
    }

    It 'has a table view and a list view for every object type it outputs, and a default named after the type' {
        foreach ($type in $command.OutputType.Type | Where-Object { $_ -and $_.Namespace -like 'PtcTools*' }) {
            $views = (Get-FormatData -TypeName $type.FullName).FormatViewDefinition
            $views | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs a view"
            # The first view is what Out-Default shows: the view named after the type (a table where its columns fit
            # 80 columns, else a list or a custom view, issue 17). Format-Table and Format-List find theirs.
            $views[0].Name | Should -BeExactly $type.Name -Because "$($type.FullName) shows its own view by default"
            @($views.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] }).Count | Should -Be 1 -Because "$($type.FullName) needs one table view"
            @($views.Control | Where-Object { $_ -is [System.Management.Automation.ListControl] }).Count | Should -Be 1 -Because "$($type.FullName) needs one list view"
        }
    }
}

AfterAll {
    if ($exampleEmulator) { $exampleEmulator | Stop-EcrEmulator }
    Exit-IsolatedAws $savedAws
}

Describe 'Help example "<Title>" of <Cmdlet>' -ForEach $examples {
    BeforeAll {
        $null = $exampleEmulator | Reset-EcrEmulator
        $work = Join-Path ([System.IO.Path]::GetTempPath()) "ptc-example-$([guid]::NewGuid().ToString('n'))"
        $null = New-Item -ItemType Directory -Path $work
        Copy-Item -Path (Join-Path $env:PTCTOOLS_REPO 'tests/pester/Fixtures/*') -Destination $work -Recurse
        Push-Location $work
    }
    AfterAll {
        Pop-Location
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }

    It 'runs without error and prints what the help says' {
        $Code | Should -Not -BeNullOrEmpty
        $Code | Should -Not -Match 'PTCTOOLS_' -Because 'an example runs as a user pastes it, without the test harness'
        $all = & ([scriptblock]::Create($Code)) 2>&1
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $text = $all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] } | Out-String -Width 120
        if ($Output) {
            ConvertTo-ComparableLines $text | Should -Be (ConvertTo-ComparableLines $Output)
        }
    }
}
