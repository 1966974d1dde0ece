# Every example in the help of the Compose cmdlets runs, without AWS, and prints what its output block shows.
BeforeDiscovery {
    $docs = Join-Path $env:PTCTOOLS_REPO 'docs/en-US'
    . (Join-Path $env:PTCTOOLS_REPO 'build/HelpMarkdown.ps1')
    $script:commands = foreach ($name in 'New-PtcPolicyStatement', 'Add-PtcRegistryStatement', 'Remove-PtcRegistryStatement', 'Compare-PtcRegistryPolicy') {
        $doc = Read-PtcHelpMarkdown -Path (Join-Path $docs "$name.md")
        @{
            Command  = $name
            Examples = @(foreach ($example in $doc.Examples) { @{ Title = $example.Title; Code = $example.Code; Output = $example.Output } })
        }
    }
}

BeforeAll {
    Import-Module $env:PTCTOOLS_MODULE -Force
    . (Join-Path $env:PTCTOOLS_REPO 'tests/pester/ExampleRunner.ps1')
}

Describe '<Command> help' -ForEach $commands {
    It 'has at least two examples' {
        $Examples.Count | Should -BeGreaterOrEqual 2
    }

    It '<Title> prints its output block' -TestCases $Examples {
        $Output | Should -Not -BeNullOrEmpty -Because 'every example shows its output'
        Invoke-PtcHelpExample -Code $Code | Should -BeExactly $Output
    }
}
