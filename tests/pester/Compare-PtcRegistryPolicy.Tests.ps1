BeforeAll {
    $script:id = 'PtcTools.Commands.ComparePtcRegistryPolicyCommand'
    function script:Policy([string[]] $Statements) { '{"Version":"2012-10-17","Statement":[' + ($Statements -join ',') + ']}' }
    $script:replication = '{"Sid":"Replication","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["ecr:CreateRepository","ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
    $script:ptc = '{"Sid":"Ptc","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}'
}

Describe 'Compare-PtcRegistryPolicy' {
    It 'reports added, removed and modified statements' {
        $before = Policy $replication, $ptc
        $after = Policy ($ptc -replace 'ecr-public', 'quay'), '{"Sid":"New","Effect":"Deny","Principal":"*","Action":"ecr:*","Resource":"*"}'
        $changes = Compare-PtcRegistryPolicy -ReferencePolicy $before -DifferencePolicy $after
        $changes | Should -BeOfType PtcTools.PtcPolicyChange
        ($changes | ForEach-Object { "$($_.Change) $($_.Sid)" }) | Should -Be @('Removed Replication', 'Modified Ptc', 'Added New')
        ($changes | Where-Object Change -EQ Modified).ChangedElements | Should -Be 'Resource'
        ($changes | Where-Object Change -EQ Modified).ReferenceIndex | Should -Be 1
        ($changes | Where-Object Change -EQ Modified).DifferenceIndex | Should -Be 0
    }

    It 'sees no change for <Case>' -TestCases @(
        @{ Case = 'another action order'; After = $null; Replace = @('"ecr:CreateRepository","ecr:ReplicateImage"', '"ecr:ReplicateImage","ecr:CreateRepository"') }
        @{ Case = 'a one-element array for a string'; Replace = @('"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"', '"Resource":["arn:aws:ecr:us-east-1:111122223333:repository/*"]') }
        @{ Case = 'an account id for its root ARN'; Replace = @('"arn:aws:iam::444455556666:root"', '"444455556666"') }
        @{ Case = 'action case'; Replace = @('ecr:ReplicateImage', 'ECR:replicateimage') }
        @{ Case = 'key order'; Replace = @('"Sid":"Replication","Effect":"Allow"', '"Effect":"Allow","Sid":"Replication"') }
    ) {
        $after = Policy ($replication.Replace($Replace[0], $Replace[1]))
        $after | Should -Not -BeExactly (Policy $replication)
        Compare-PtcRegistryPolicy (Policy $replication) $after | Should -BeNullOrEmpty
        (Compare-PtcRegistryPolicy (Policy $replication) $after -IncludeEqual).Change | Should -Be 'Unchanged'
    }

    It 'sees a change in an unknown key' {
        $after = Policy ($replication.Replace('"Sid":"Replication"', '"Sid":"Replication","X-Ticket":"OPS-1"'))
        (Compare-PtcRegistryPolicy (Policy $replication) $after).ChangedElements | Should -Be 'X-Ticket'
    }

    It 'reports a change of Version as a change of the element' {
        $change = Compare-PtcRegistryPolicy '{"Version":"2008-10-17","Statement":[]}' '{"Version":"2012-10-17","Statement":[]}'
        $change.Element | Should -Be 'Version'
        $change.Change | Should -Be 'Modified'
        $change.Description | Should -Be 'Version: "2008-10-17" -> "2012-10-17"'
    }

    It 'takes the difference policy from the pipeline, by value or by PolicyText' {
        $before = Policy $replication
        (Policy $replication, $ptc | Compare-PtcRegistryPolicy $before).Change | Should -Be 'Added'
        ([pscustomobject]@{ RegistryId = '111122223333'; PolicyText = (Policy $ptc) } | Compare-PtcRegistryPolicy $before).Change | Should -Be @('Removed', 'Added')
        (ConvertFrom-PtcRegistryPolicy (Policy) | Compare-PtcRegistryPolicy -ReferencePolicy $before).Change | Should -Be 'Removed'
    }

    It 'shows the diff of a merge: only the added statement' {
        $before = ConvertFrom-PtcRegistryPolicy (Policy $replication)
        $statement = New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix quay -Region us-east-1 -RegistryId 111122223333
        $after = $statement | Add-PtcRegistryStatement -Policy $before
        $change = Compare-PtcRegistryPolicy $before $after
        $change.Change | Should -Be 'Added'
        $change.Sid | Should -Be $statement.Sid
        $change.DifferenceStatement.Json | Should -BeExactly $statement.Json
    }

    It 'has a readable default table' {
        $table = Compare-PtcRegistryPolicy (Policy $replication) (Policy $ptc) | Format-Table | Out-String -Width 200
        $table | Should -Match 'Change\s+Sid\s+Position\s+Detail'
        $table | Should -Match 'Removed\s+Replication\s+0 ->\s+Allow ecr:CreateRepository, ecr:ReplicateImage on arn:aws:ecr:us-east-1:111122223333:repository/\*'
        $table | Should -Match 'Added\s+Ptc\s+-> 0'
    }

    It 'stops on a malformed reference policy with PolicyJsonInvalid' {
        try { Compare-PtcRegistryPolicy '{' (Policy) -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
        $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        $caught.TargetObject | Should -Be '{'
    }

    It 'stops on a reference that is not a policy with PolicyInputInvalid' {
        try { Compare-PtcRegistryPolicy 42 (Policy) -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be "PolicyInputInvalid,$id"
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reports a malformed difference policy and goes on with the next' {
        $changes = '{', (Policy $ptc) | Compare-PtcRegistryPolicy (Policy) -ErrorAction SilentlyContinue -ErrorVariable problem
        @($changes).Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "PolicyJsonInvalid,$id"
    }
}

Describe 'Compare-PtcRegistryPolicy -Access' {
    BeforeAll {
        $script:before = Policy $replication
        $script:after = Policy '{"Sid":"Replication","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::444455556666:root","arn:aws:iam::777788889999:root"]},"Action":["ecr:ReplicateImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/*"}'
    }

    It 'lists the access a change adds and removes after the statement diff, each with a witness' {
        $out = Compare-PtcRegistryPolicy $before $after -Access
        $out | Should -BeOfType PtcTools.PtcPolicyChange
        $out[0].Element | Should -Be 'Statement'
        $access = $out | Where-Object Element -EQ 'Access'
        $added = $access | Where-Object Change -EQ 'Added'
        $removed = $access | Where-Object Change -EQ 'Removed'
        $added.Witness.Principal | Should -Match '::777788889999:'
        $added.Witness.Actions | Should -Be 'ecr:ReplicateImage'
        $added.Access | Should -Be 'OtherAccount'
        $removed.Witness.Principal | Should -Match '::444455556666:'
        $removed.Witness.Actions | Should -Be 'ecr:CreateRepository'
        ($added.Witness | Test-PtcPermission -Policy $after).Decision | Should -Be 'Allowed'
        ($added.Witness | Test-PtcPermission -Policy $before).Decision | Should -Not -Be 'Allowed'
        ($removed.Witness | Test-PtcPermission -Policy $before).Decision | Should -Be 'Allowed'
        ($removed.Witness | Test-PtcPermission -Policy $after).Decision | Should -Not -Be 'Allowed'
    }

    It 'shows statement and access changes in one diff' {
        $text = Compare-PtcRegistryPolicy $before $after -Access | Out-String -Width 80
        $text | Should -Match 'Modified\s+Replication'
        $text | Should -Match 'Added\s+\(access\)\s+OtherAccount'
        $text | Should -Match 'Removed\s+\(access\)\s+OtherAccount'
        $text | Should -Match 'arn:aws:iam::777788889999:root'
    }

    It 'emits no access change for a rewrite that keeps the meaning' {
        $same = Policy ($replication.Replace('"arn:aws:iam::444455556666:root"', '"444455556666"'))
        Compare-PtcRegistryPolicy $before $same -Access | Should -BeNullOrEmpty
    }

    It 'reports a policy it cannot analyse as an error and still shows the statement diff' {
        $noAccount = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}'
        $out = Compare-PtcRegistryPolicy '{"Version":"2012-10-17","Statement":[]}' $noAccount -Access -ErrorAction SilentlyContinue -ErrorVariable problem
        $out.Change | Should -Be 'Added'
        $problem[0].FullyQualifiedErrorId | Should -Be "RegistryIdRequired,$id"
        (Compare-PtcRegistryPolicy '{"Version":"2012-10-17","Statement":[]}' $noAccount -Access -RegistryId 111122223333 | Where-Object Element -EQ 'Access').Access | Should -Contain 'Public'
    }

    Context 'typed -ReferencePolicy and -DifferencePolicy (issue 16 item 1 read cmdlets decision)' {
        It 'has PtcRegistryPolicy parameters and reads a policy file object on either side' {
            (Get-Command Compare-PtcRegistryPolicy).Parameters.ReferencePolicy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            (Get-Command Compare-PtcRegistryPolicy).Parameters.DifferencePolicy.ParameterType | Should -Be ([PtcTools.PtcRegistryPolicy])
            $file = Join-Path $TestDrive 'before.json'
            Set-Content -LiteralPath $file -Value (Policy $replication)
            (Compare-PtcRegistryPolicy (Get-Item -LiteralPath $file) (Policy $replication, $ptc)).Sid | Should -Be 'Ptc'
            (Get-Item -LiteralPath $file | Compare-PtcRegistryPolicy (Policy)).Sid | Should -Be 'Replication'
        }

        It 'still reports what was given as the target of an error: <Case>' -TestCases @(
            @{ Case = 'malformed text'; Value = '{'; ErrorId = 'PolicyJsonInvalid'; Category = 'InvalidData' }
            @{ Case = 'a number'; Value = 42; ErrorId = 'PolicyInputInvalid'; Category = 'InvalidArgument' }
        ) {
            $Value | Compare-PtcRegistryPolicy (Policy) -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
            $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$id"
            $problem[0].CategoryInfo.Category | Should -Be $Category
            $problem[0].TargetObject | Should -Be $Value
        }

        It 'compares each policy of a list, and of an array piped as one object (Windows PowerShell ConvertFrom-Json)' {
            $a = ConvertFrom-PtcRegistryPolicy (Policy $replication)
            $b = ConvertFrom-PtcRegistryPolicy (Policy $ptc)
            (Compare-PtcRegistryPolicy (Policy) -DifferencePolicy $a, $b).Sid | Should -Be @('Replication', 'Ptc')
            (, @((Policy $replication | ConvertFrom-Json), (Policy $ptc | ConvertFrom-Json)) | Compare-PtcRegistryPolicy (Policy)).Sid | Should -Be @('Replication', 'Ptc')
        }

        It 'takes the registry of a deserialized policy given as -ReferencePolicy for -Access' {
            $anywhere = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}'
            $read = ConvertFrom-PtcRegistryPolicy (Policy)
            $read.RegistryId = '111122223333'; $read.Region = 'us-east-1'
            $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($read))
            $access = Compare-PtcRegistryPolicy $deserialized $anywhere -Access | Where-Object Element -EQ 'Access'
            $access.Access | Should -Contain 'Public'
        }
    }
}
