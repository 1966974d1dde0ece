# Argument completers, driven through TabExpansion2 as a user's Tab key drives them.
BeforeAll {
    Import-Module $env:PTCTOOLS_MODULE -Force

    function Get-Completion([string] $Line) {
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe 'Region completion' {
    It 'offers the Regions of all three partitions for <Line>' -TestCases @(
        @{ Line = 'Test-PtcRegistryPolicy -PolicyText "{}" -Region us-ea'; Expected = @('us-east-1', 'us-east-2') }
        @{ Line = 'Test-PtcRegistryPolicy -PolicyText "{}" -Region cn-'; Expected = @('cn-north-1', 'cn-northwest-1') }
        @{ Line = 'Test-PtcRegistryPolicy -PolicyText "{}" -Region us-gov'; Expected = @('us-gov-east-1', 'us-gov-west-1') }
    ) {
        @((Get-Completion $Line).CompletionText) | Should -Be $Expected
    }

    It 'names the partition in the tooltip' {
        (Get-Completion 'Test-PtcRegistryPolicy -PolicyText "{}" -Region cn-north-').ToolTip | Should -Be 'cn-north-1 (aws-cn)'
    }
}

Describe 'Rule id completion' {
    It 'offers the catalog rules with their titles' {
        $matches = Get-Completion 'Test-PtcRegistryPolicy -PolicyText "{}" -ExcludeRule PTC10'
        $matches.CompletionText | Should -Contain 'PTC101'
        $matches.CompletionText | Should -Not -Contain 'PTC001'
        ($matches | Where-Object CompletionText -eq 'PTC101').ToolTip | Should -Match '^PTC101 \(Warning\): '
    }
}
