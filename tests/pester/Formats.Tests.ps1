# The default table and the list view of the policy and statement types, as a user sees them.
BeforeAll {
    Import-Module $env:PTCTOOLS_MODULE -Force
    $script:policy = '{"Version":"2012-10-17","Statement":[{"Sid":"PullThroughCache","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci-puller"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},"NotAction":"ecr:Describe*","Resource":"*"}]}' |
        ConvertFrom-PtcRegistryPolicy
    function Get-Lines($Object, [string] $Format = 'Format-Table') {
        @(($Object | & $Format | Out-String -Width 200) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
    }
}

Describe 'PtcRegistryPolicy views' {
    It 'shows a policy as a table of what matters at a glance' {
        $lines = Get-Lines $policy
        $lines[0] | Should -Match '^Region\s+RegistryId\s+Version\s+Statements\s+Length\s+Sids$'
        $lines[2] | Should -Match '2012-10-17\s+2\s+\d+\s+PullThroughCache, \(no Sid\)$'
    }

    It 'lists every detail with Format-List, the text ECR stores included' {
        $text = Get-Lines $policy 'Format-List'
        $text | Should -Contain 'Statements : 2'
        $text | Should -Contain ('Length     : {0} of 10240' -f $policy.Length)
        ($text -match '^PolicyText : \{"Version"').Count | Should -Be 1
    }
}

Describe 'PtcPolicyStatement views' {
    It 'shows statements as a table of Sid, Effect, principals, actions and resources' {
        $lines = Get-Lines $policy.Statement
        $lines[0] | Should -Match '^Sid\s+Effect\s+Principal\s+Action\s+Resource$'
        $lines[2] | Should -Match '^PullThroughCache\s+Allow\s+arn:aws:iam::111122223333:role/ci-puller\s+ecr:CreateRepository, ecr:BatchImportUpstreamImage\s+arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/\*$'
    }

    It 'marks NotPrincipal and NotAction so they cannot be mistaken for grants' {
        $lines = Get-Lines $policy.Statement[1] 'Format-List'
        $lines | Should -Contain 'Principal : NOT arn:aws:iam::111122223333:root'
        $lines | Should -Contain 'Action    : NOT ecr:Describe*'
    }
}
