# Argument completers, driven through TabExpansion2 as a user's Tab key drives them.
BeforeAll {
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

Describe 'Action completion' {
    It 'offers ECR actions, with or without the ecr: prefix typed' -TestCases @(
        @{ Line = 'New-PtcPolicyStatement -Action ecr:BatchI' }
        @{ Line = 'New-PtcPolicyStatement -Action BatchI' }
    ) {
        @((Get-Completion $Line).CompletionText) | Should -Be @('ecr:BatchImportUpstreamImage')
    }

    It 'says what the action grants in the tooltip' {
        (Get-Completion 'New-PtcPolicyStatement -Action ecr:ReplicateI').ToolTip | Should -Match '^ecr:ReplicateImage \(Write\): Grants permission'
    }
}

Describe 'Sid completion' {
    It 'offers the Sids of the policy given in the same command' {
        $policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCacheQuay","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"*"},{"Sid":"ReplicationFromProd","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:ReplicateImage","Resource":"*"}]}'
        $line = "Remove-PtcRegistryStatement -Policy '$policy' -Sid Pull"
        @((Get-Completion $line).CompletionText) | Should -Be @('PullThroughCacheQuay')
        $line = "Remove-PtcRegistryStatement -Policy '$policy' -Sid "
        @((Get-Completion $line).CompletionText) | Should -Be @('PullThroughCacheQuay', 'ReplicationFromProd')
    }

    It 'offers the Sids of the policy file given with -<Parameter>' -TestCases @(
        @{ Parameter = 'Path'; Name = 'policy.json' }
        @{ Parameter = 'LiteralPath'; Name = 'policy[1].json' }
    ) {
        $policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCacheQuay","Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"ecr:CreateRepository","Resource":"*"},{"Sid":"ReplicationFromProd","Effect":"Allow","Principal":{"AWS":"444455556666"},"Action":"ecr:ReplicateImage","Resource":"*"}]}'
        Set-Content -LiteralPath (Join-Path $TestDrive $Name) -Value $policy
        Push-Location -LiteralPath $TestDrive
        try {
            @((Get-Completion "Remove-PtcRegistryStatement -$Parameter './$Name' -Sid Repl").CompletionText) | Should -Be @('ReplicationFromProd')
        }
        finally { Pop-Location }
    }

    It 'offers nothing, quietly, for a -Path that names no file or a folder' {
        @(Get-Completion "Remove-PtcRegistryStatement -Path '$TestDrive/missing.json' -Sid P").Count | Should -Be 0
        @(Get-Completion "Remove-PtcRegistryStatement -Path '$TestDrive' -Sid P").Count | Should -Be 0
    }

    It 'offers nothing, quietly, when the policy is not readable' {
        @(Get-Completion "Remove-PtcRegistryStatement -Policy '{not json' -Sid P").Count | Should -Be 0
    }
}
