BeforeAll {
    $script:id = 'PtcTools.Commands.NewPtcPolicyStatementCommand'
    $script:common = @{ Region = 'us-east-1'; RegistryId = '111122223333' }
}

Describe 'New-PtcPolicyStatement' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    }
    BeforeEach {
        # No AWS variable and empty shared files: the Region comes only from what a test sets.
        $script:savedAws = Enter-IsolatedAws -Folder (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
    }
    AfterEach {
        Exit-IsolatedAws $script:savedAws
    }

    It 'builds the pull through cache statement AWS documents' {
        $statement = New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:user/ecr-pull-through-cache-user -RepositoryPrefix ecr-public @common -Sid PullThroughCacheFromReadOnlyRole
        $statement | Should -BeOfType PtcTools.PtcPolicyStatement
        $statement.Json | Should -BeExactly '{"Sid":"PullThroughCacheFromReadOnlyRole","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/ecr-pull-through-cache-user"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"}'
    }

    It 'grants <Actions> for -PolicyType <Type>' -TestCases @(
        @{ Type = 'PullThroughCache'; Actions = 'ecr:CreateRepository ecr:BatchImportUpstreamImage' }
        @{ Type = 'Replication'; Actions = 'ecr:CreateRepository ecr:ReplicateImage' }
        @{ Type = 'UpstreamAccess'; Actions = 'ecr:BatchGetImage ecr:GetDownloadUrlForLayer ecr:BatchImportUpstreamImage ecr:GetImageCopyStatus' }
    ) {
        (New-PtcPolicyStatement -PolicyType $Type -Principal 444455556666 @common).Action -join ' ' | Should -BeExactly $Actions
    }

    It 'makes one statement per rule piped from Get-ECRPullThroughCacheRule-shaped objects' {
        $rules = @(
            [pscustomobject]@{ EcrRepositoryPrefix = 'ecr-public'; RegistryId = '111122223333'; UpstreamRegistryUrl = 'ecr-public.upstream.example'; UpstreamRepositoryPrefix = 'ROOT' }
            [pscustomobject]@{ EcrRepositoryPrefix = 'docker-hub'; RegistryId = '111122223333'; UpstreamRegistryUrl = 'docker-hub.upstream.example'; CredentialArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/dh' }
            [pscustomobject]@{ EcrRepositoryPrefix = 'ROOT'; RegistryId = '555555555555'; Region = 'eu-west-1' }
        )
        $statements = $rules | New-PtcPolicyStatement -Principal arn:aws:iam::111122223333:role/ci-puller -ErrorAction Stop -Region us-east-1
        $statements.Count | Should -Be 3
        $statements[0].Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*'
        $statements[1].Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/*'
        $statements[2].Resource | Should -Be 'arn:aws:ecr:us-east-1:555555555555:repository/*'
        ($statements.Sid | Select-Object -Unique).Count | Should -Be 3
    }

    It 'takes the Region from a rule object when -Region is not given' {
        $rule = [pscustomobject]@{ EcrRepositoryPrefix = 'quay'; RegistryId = '111122223333'; Region = 'eu-west-1' }
        ($rule | New-PtcPolicyStatement -Principal 111122223333).Resource | Should -Be 'arn:aws:ecr:eu-west-1:111122223333:repository/quay/*'
    }

    It 'takes the session Region AWS.Tools sets before the environment' {
        $env:AWS_REGION = 'ap-southeast-2'
        $StoredAWSRegion = 'eu-north-1'
        (New-PtcPolicyStatement -Principal 111122223333 -RegistryId 111122223333).Resource | Should -Be 'arn:aws:ecr:eu-north-1:111122223333:repository/*'
    }

    It 'falls back to the AWS_REGION environment variable' {
        $env:AWS_REGION = 'ap-southeast-2'
        (New-PtcPolicyStatement -Principal 111122223333 -RegistryId 111122223333).Resource | Should -Be 'arn:aws:ecr:ap-southeast-2:111122223333:repository/*'
    }

    It 'takes the Region of the default profile in the shared config file, as Get-PtcRegistryPolicy does (issue 16 item 2)' {
        # Reading the file is offline; only the instance metadata, which a statement builder never asks, is left out.
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[default]`nregion = eu-central-1"
        (New-PtcPolicyStatement -Principal 111122223333 -RegistryId 111122223333).Resource | Should -Be 'arn:aws:ecr:eu-central-1:111122223333:repository/*'
    }

    It 'takes the Region of the profile Set-AWSCredential -ProfileName stored, before the environment' {
        Set-Content -LiteralPath $env:AWS_CONFIG_FILE -Value "[default]`nregion = eu-central-1`n[profile dev]`nregion = ca-central-1"
        $env:AWS_REGION = 'ap-southeast-2'
        $StoredAWSCredentials = 'dev'
        (New-PtcPolicyStatement -Principal 111122223333 -RegistryId 111122223333).Resource | Should -Be 'arn:aws:ecr:ca-central-1:111122223333:repository/*'
    }

    It 'reads an AWSRegion in $StoredAWSRegion that came back deserialized (a job, Import-Clixml) by its SystemName' {
        $region = [pscustomobject]@{ SystemName = 'eu-west-3'; Name = 'Europe (Paris)' }
        $region.PSObject.TypeNames.Insert(0, 'Amazon.PowerShell.Common.AWSRegion')
        $StoredAWSRegion = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($region))
        $StoredAWSRegion.PSObject.TypeNames[0] | Should -Be 'Deserialized.Amazon.PowerShell.Common.AWSRegion'
        (New-PtcPolicyStatement -Principal 111122223333 -RegistryId 111122223333).Resource | Should -Be 'arn:aws:ecr:eu-west-3:111122223333:repository/*'
    }

    It 'refuses to guess a Region with NoRegion' {
        New-PtcPolicyStatement -Principal 111122223333 -RegistryId 111122223333 -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "NoRegion,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'writes <Given> as the principal <Written>' -TestCases @(
        @{ Given = '444455556666'; Written = 'arn:aws:iam::444455556666:root' }
        @{ Given = 'arn:aws:iam::444455556666:root'; Written = 'arn:aws:iam::444455556666:root' }
        @{ Given = 'arn:aws:iam::444455556666:user/division/team/ci'; Written = 'arn:aws:iam::444455556666:user/division/team/ci' }
        @{ Given = 'arn:aws:iam::444455556666:role/service-role/ci-puller'; Written = 'arn:aws:iam::444455556666:role/service-role/ci-puller' }
        @{ Given = 'arn:aws:sts::444455556666:assumed-role/ci-puller/build-42'; Written = 'arn:aws:sts::444455556666:assumed-role/ci-puller/build-42' }
    ) {
        (New-PtcPolicyStatement -Principal $Given @common).Principal | Should -BeExactly $Written
    }

    It 'binds Arn by property name from Get-IAMRole-shaped objects, one statement each' {
        $roles = [pscustomobject]@{ RoleName = 'ci-a'; Arn = 'arn:aws:iam::111122223333:role/ci-a' },
                 [pscustomobject]@{ RoleName = 'ci-b'; Arn = 'arn:aws:iam::111122223333:role/ci-b' }
        $statements = $roles | New-PtcPolicyStatement -RepositoryPrefix ecr-public @common
        $statements.Principal | Should -Be @('arn:aws:iam::111122223333:role/ci-a', 'arn:aws:iam::111122223333:role/ci-b')
    }

    It 'converts an object with an Arn property given to -Principal' {
        $role = [pscustomobject]@{ RoleName = 'ci'; Arn = 'arn:aws:iam::111122223333:role/ci'; Path = '/' }
        (New-PtcPolicyStatement -Principal $role, 444455556666 @common).Principal | Should -Be @('arn:aws:iam::111122223333:role/ci', 'arn:aws:iam::444455556666:root')
    }

    It 'refuses an IAM group with PrincipalIsGroup and says what to use instead' {
        $group = [pscustomobject]@{ GroupName = 'admins'; Arn = 'arn:aws:iam::111122223333:group/admins' }
        New-PtcPolicyStatement -Principal $group @common -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PrincipalIsGroup,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject.GroupName | Should -Be 'admins'
        $problem[0].Exception.Message | Should -Match 'groups cannot be principals.*users or roles'
    }

    It 'refuses <Case> with PrincipalInvalid' -TestCases @(
        @{ Case = 'a wildcard inside an ARN'; Principal = 'arn:aws:iam::111122223333:role/ci-*' }
        @{ Case = 'a wildcard account'; Principal = 'arn:aws:iam::*:root' }
        @{ Case = 'an 11-digit account'; Principal = '11112222333' }
        @{ Case = 'a non-IAM ARN'; Principal = 'arn:aws:s3:::bucket' }
        @{ Case = 'everyone'; Principal = '*' }
        @{ Case = 'an object without Arn'; Principal = [pscustomobject]@{ Name = 'x' } }
    ) {
        New-PtcPolicyStatement -Principal $Principal @common -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PrincipalInvalid,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Not -BeNullOrEmpty
    }

    It 'goes on with the next principal object after a bad one' {
        $objects = [pscustomobject]@{ Arn = 'arn:aws:iam::111122223333:group/g' }, [pscustomobject]@{ Arn = 'arn:aws:iam::111122223333:role/ok' }
        $statements = $objects | New-PtcPolicyStatement @common -ErrorAction SilentlyContinue -ErrorVariable problem
        @($statements).Count | Should -Be 1
        $problem.Count | Should -Be 1
    }

    It 'grants an organization with -OrganizationId' {
        $statement = New-PtcPolicyStatement -OrganizationId o-a1b2c3d4e5 -PolicyType UpstreamAccess @common
        $statement.Principal | Should -Be '*'
        $statement.Condition | Should -BeExactly '{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}'
    }

    It 'scopes resources to -RepositoryName under the prefix' {
        (New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix docker-hub -RepositoryName library/nginx, library/redis @common).Resource |
            Should -Be @('arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/nginx', 'arn:aws:ecr:us-east-1:111122223333:repository/docker-hub/library/redis')
    }

    It 'uses repository/* or per-name resources for ROOT' {
        (New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix ROOT @common).Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/*'
        (New-PtcPolicyStatement -Principal 111122223333 -EcrRepositoryPrefix ROOT -RepositoryName my-app/image1 @common).Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/my-app/image1'
    }

    It 'derives the partition <Partition> from the Region <Region>' -TestCases @(
        @{ Region = 'cn-north-1'; Partition = 'aws-cn' }
        @{ Region = 'us-gov-west-1'; Partition = 'aws-us-gov' }
        @{ Region = 'eu-central-1'; Partition = 'aws' }
    ) {
        $statement = New-PtcPolicyStatement -Principal 444455556666 -Region $Region -RegistryId 111122223333
        $statement.Resource | Should -Be "arn:$($Partition):ecr:$($Region):111122223333:repository/*"
        $statement.Principal | Should -Be "arn:$($Partition):iam::444455556666:root"
    }

    It 'takes -Action, -Effect and -Condition' {
        $statement = New-PtcPolicyStatement -Principal 111122223333 -Action ecr:batchgetimage, 'ecr:Describe*' -Effect Deny -Condition @{ Bool = @{ 'aws:SecureTransport' = 'false' } } @common
        $statement.Action | Should -Be @('ecr:BatchGetImage', 'ecr:Describe*')
        $statement.Effect | Should -Be 'Deny'
        $statement.Condition | Should -BeExactly '{"Bool":{"aws:SecureTransport":"false"}}'
    }

    It 'gives a readable default Sid that depends only on the grant' {
        $a = New-PtcPolicyStatement -Principal 444455556666 -RepositoryPrefix docker-hub @common
        $b = New-PtcPolicyStatement -Principal arn:aws:iam::444455556666:root -RepositoryPrefix docker-hub @common
        $c = New-PtcPolicyStatement -Principal 444455556666 -RepositoryPrefix docker-hub -RepositoryName library/nginx @common
        $a.Sid | Should -MatchExactly '^PullThroughCacheDockerHub[0-9A-F]{8}$'
        $b.Sid | Should -BeExactly $a.Sid
        $c.Sid | Should -Not -Be $a.Sid
    }

    It 'refuses a -Sid IAM would refuse, before reading any input' {
        { New-PtcPolicyStatement -Principal 111122223333 -Sid 'pull-through cache' @common -ErrorAction Stop } |
            Should -Throw -ErrorId "SidInvalid,$id"
        try { New-PtcPolicyStatement -Principal 111122223333 -Sid 'a_b' @common -ErrorAction Stop } catch { $caught = $_ }
        $caught.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be 'a_b'
    }

    It 'reports <ErrorId> for <Case>' -TestCases @(
        @{ Case = 'a missing registry id'; ErrorId = 'RegistryIdInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1' } }
        @{ Case = 'a malformed registry id'; ErrorId = 'RegistryIdInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1'; RegistryId = 'acct' } }
        @{ Case = 'a malformed Region'; ErrorId = 'RegionInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'US East'; RegistryId = '111122223333' } }
        @{ Case = 'an uppercase prefix'; ErrorId = 'RepositoryPrefixInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1'; RegistryId = '111122223333'; RepositoryPrefix = 'Docker' } }
        @{ Case = 'a bad repository name'; ErrorId = 'RepositoryNameInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1'; RegistryId = '111122223333'; RepositoryName = 'Bad Name' } }
        @{ Case = 'a misspelt action'; ErrorId = 'ActionInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1'; RegistryId = '111122223333'; Action = 'ecr:BatchImportUpstreamImages' } }
        @{ Case = 'a non-ECR action'; ErrorId = 'ActionInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1'; RegistryId = '111122223333'; Action = 's3:GetObject' } }
        @{ Case = 'a malformed condition'; ErrorId = 'ConditionInvalid'; Arguments = @{ Principal = '111122223333'; Region = 'us-east-1'; RegistryId = '111122223333'; Condition = @{ StringEquals = 'x' } } }
        @{ Case = 'a malformed organization id'; ErrorId = 'OrganizationIdInvalid'; Arguments = @{ OrganizationId = 'org1'; Region = 'us-east-1'; RegistryId = '111122223333' } }
        @{ Case = 'a replication grant to a role'; ErrorId = 'PrincipalInvalid'; Arguments = @{ PolicyType = 'Replication'; Principal = 'arn:aws:iam::444455556666:role/r'; Region = 'us-east-1'; RegistryId = '111122223333' } }
    ) {
        New-PtcPolicyStatement @Arguments -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses <Case> as -RepositoryPrefix instead of granting every repository' -TestCases @(
        @{ Case = 'an empty string'; Prefix = @(''); Valid = 0 }
        @{ Case = '$null'; Prefix = $null; Valid = 0 }
        @{ Case = 'an empty array'; Prefix = @(); Valid = 0 }
        @{ Case = 'a $null among real prefixes'; Prefix = @('docker-hub', $null); Valid = 1 }
    ) {
        $made = @(New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix $Prefix @common -ErrorAction SilentlyContinue -ErrorVariable problem)
        $made.Count | Should -Be $Valid
        $made.Resource | Should -Not -Contain 'arn:aws:ecr:us-east-1:111122223333:repository/*'
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "RepositoryPrefixInvalid,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].Exception.Message | Should -Match 'ROOT'
    }

    It 'refuses a piped rule whose EcrRepositoryPrefix is empty, and keeps going with the next rule' {
        $rules = [pscustomobject]@{ EcrRepositoryPrefix = '' }, [pscustomobject]@{ EcrRepositoryPrefix = 'quay' }
        $made = @($rules | New-PtcPolicyStatement -Principal 111122223333 @common -ErrorAction SilentlyContinue -ErrorVariable problem)
        $made.Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/quay/*'
        $problem[0].FullyQualifiedErrorId | Should -Be "RepositoryPrefixInvalid,$id"
        $problem[0].TargetObject | Should -BeExactly ''
    }

    It 'takes a principal given as <Case> with an Arn' -TestCases @(
        @{ Case = 'a hashtable'; Principal = @{ Arn = 'arn:aws:iam::111122223333:role/ci' } }
        @{ Case = 'an ordered dictionary, key in lower case'; Principal = [ordered]@{ arn = 'arn:aws:iam::111122223333:role/ci' } }
        @{ Case = 'a PSCustomObject'; Principal = [pscustomobject]@{ Arn = 'arn:aws:iam::111122223333:role/ci' } }
    ) {
        (New-PtcPolicyStatement -Principal $Principal @common -ErrorAction Stop).Principal | Should -Be 'arn:aws:iam::111122223333:role/ci'
    }

    It 'refuses <Case> as -Action instead of granting the policy type''s actions' -TestCases @(
        @{ Case = 'an empty array'; Actions = @() }
        @{ Case = '$null'; Actions = $null }
    ) {
        New-PtcPolicyStatement -Principal 111122223333 -Action $Actions @common -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "ActionInvalid,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses <Case> as -RepositoryName instead of covering every repository under the prefix' -TestCases @(
        @{ Case = 'an empty array'; Names = @() }
        @{ Case = '$null'; Names = $null }
        @{ Case = 'a $null among names'; Names = @('library/nginx', $null) }
    ) {
        New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix docker-hub -RepositoryName $Names @common -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem.Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "RepositoryNameInvalid,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'still covers every repository with ROOT or without -RepositoryPrefix' {
        (New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix ROOT @common).Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/*'
        (New-PtcPolicyStatement -Principal 111122223333 @common).Resource | Should -Be 'arn:aws:ecr:us-east-1:111122223333:repository/*'
    }

    It 'suggests the action that was probably meant' {
        New-PtcPolicyStatement -Principal 111122223333 -Action ecr:BatchImportUpstreamImages @common -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].Exception.Message | Should -Match 'Did you mean ecr:BatchImportUpstreamImage\?'
        $problem[0].TargetObject | Should -Be 'ecr:BatchImportUpstreamImages'
    }

    It 'refuses an account id that lost its leading zero as a bare number' {
        New-PtcPolicyStatement -Principal 012345678901 @common -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].FullyQualifiedErrorId | Should -Be "PrincipalInvalid,$id"
        (New-PtcPolicyStatement -Principal '012345678901' @common).Principal | Should -Be 'arn:aws:iam::012345678901:root'
    }

    It 'builds <Type> statements that Test-PtcRegistryPolicy finds nothing wrong with' -TestCases @(
        @{ Type = 'PullThroughCache'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci'; RepositoryPrefix = 'ecr-public', 'quay' } }
        @{ Type = 'Replication'; Arguments = @{ Principal = '444455556666'; RepositoryPrefix = 'prod' } }
        @{ Type = 'UpstreamAccess'; Arguments = @{ OrganizationId = 'o-a1b2c3d4e5' } }
    ) {
        $policy = New-PtcPolicyStatement -PolicyType $Type @Arguments @common | Add-PtcRegistryStatement
        @($policy | Test-PtcRegistryPolicy) | Should -BeNullOrEmpty
    }

    It 'refuses to give one -Sid to two different statements with SidNotUnique' {
        $statements = New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix ecr-public, quay -Sid Ptc @common -ErrorAction SilentlyContinue -ErrorVariable problem
        @($statements).Count | Should -Be 1
        $problem[0].FullyQualifiedErrorId | Should -Be "SidNotUnique,$id"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be 'quay'
    }

    It 'makes one statement per prefix given' {
        (New-PtcPolicyStatement -Principal 111122223333 -RepositoryPrefix ecr-public, quay @common).Count | Should -Be 2
    }

    It 'completes Regions and actions' {
        $line = 'New-PtcPolicyStatement -Region us-gov-'
        $regions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $regions | Should -Be @('us-gov-east-1', 'us-gov-west-1')
        $line = 'New-PtcPolicyStatement -Action ecr:BatchImp'
        $actions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $actions | Should -Be 'ecr:BatchImportUpstreamImage'
    }
}
