BeforeDiscovery {
    Import-Module $env:PTCTOOLS_MODULE -Force
    $script:commands = Get-Command -Module PtcTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name; Command = $_ } }
}

BeforeAll {
    Import-Module $env:PTCTOOLS_MODULE -Force
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
