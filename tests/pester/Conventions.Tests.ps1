BeforeDiscovery {
    $script:commands = Get-Command -Module PtcTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name; Command = $_ } }
}

BeforeAll {
    $script:manifest = Import-PowerShellDataFile $env:PTCTOOLS_MODULE
}

Describe 'The module manifest' {
    It 'exports exactly the cmdlets compiled into the module' {
        $compiled = [PtcTools.PtcRegistryPolicy].Assembly.GetExportedTypes() |
            Where-Object { $_.IsSubclassOf([System.Management.Automation.Cmdlet]) -and -not $_.IsAbstract } |
            ForEach-Object {
                $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                "$($attribute.VerbName)-$($attribute.NounName)"
            }
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be @($compiled | Sort-Object)
    }

    It 'exports no functions, variables or aliases' {
        $manifest.FunctionsToExport | Should -BeNullOrEmpty
        $manifest.VariablesToExport | Should -BeNullOrEmpty
        $manifest.AliasesToExport | Should -BeNullOrEmpty
    }

    It 'runs on Windows PowerShell 5.1 and PowerShell 7' {
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'carries the version into the assembly' {
        $assemblyVersion = [PtcTools.PtcRegistryPolicy].Assembly.GetName().Version
        "$($assemblyVersion.Major).$($assemblyVersion.Minor).$($assemblyVersion.Build)" | Should -Be $manifest.ModuleVersion
    }
}

Describe 'Cmdlet <Name>' -ForEach $commands {
    It 'uses an approved verb' {
        (Get-Verb).Verb | Should -Contain $Command.Verb
    }

    It 'declares its output type' {
        $Command.OutputType.Count | Should -BeGreaterThan 0
    }

    It 'has help with a synopsis and at least one example' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$Name "))
        @($help.examples.example).Count | Should -BeGreaterOrEqual 1
    }
}

Describe 'The Pester suite' {
    BeforeAll {
        # Import-Module commands that load the built module, found in the syntax tree: a script a test hands to a
        # child pwsh is a string there, not a command, and imports the module in that process.
        function Find-ModuleImport([System.Management.Automation.Language.Ast] $Ast) {
            $Ast.FindAll({
                    param($node)
                    $node -is [System.Management.Automation.Language.CommandAst] -and
                    $node.GetCommandName() -eq 'Import-Module' -and
                    ($node.CommandElements | Select-Object -Skip 1 | Where-Object { $_.Extent.Text -match 'PTCTOOLS_MODULE' })
                }, $true)
        }
        function Find-ModuleImportIn([string] $Text) {
            Find-ModuleImport ([System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $null, [ref] $null))
        }
    }

    It 'finds an import of the built module written as a command, and not one inside a child process''s script' {
        @(Find-ModuleImportIn 'BeforeAll { Import-Module $env:PTCTOOLS_MODULE -Force }').Count | Should -Be 1
        @(Find-ModuleImportIn 'Import-Module -Name $env:PTCTOOLS_MODULE').Count | Should -Be 1
        @(Find-ModuleImportIn '$script = "Import-Module ''$env:PTCTOOLS_MODULE''; Get-PtcRegistryPolicy"').Count | Should -Be 0
    }

    It 'imports the built module once, in Invoke-PesterSuite.ps1, and in no test file (one common setup)' {
        $runner = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $PSScriptRoot 'Invoke-PesterSuite.ps1'), [ref] $null, [ref] $null)
        @(Find-ModuleImport $runner).Count | Should -Be 1
        $importing = Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.ps1' | Where-Object Name -ne 'Invoke-PesterSuite.ps1' | Where-Object {
            @(Find-ModuleImport ([System.Management.Automation.Language.Parser]::ParseFile($_.FullName, [ref] $null, [ref] $null))).Count -gt 0
        }
        $importing.Name | Should -BeNullOrEmpty
    }
}
