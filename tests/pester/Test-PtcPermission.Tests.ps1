BeforeDiscovery {
    # Every example of the help source runs as a test, and its output must match the documented one.
    $doc = Get-Content -LiteralPath (Join-Path $env:PTCTOOLS_REPO 'docs/en-US/Test-PtcPermission.md') -Raw
    $script:examples = [regex]::Matches($doc, '(?s)### (Example \d+[^\n]*)\n```powershell\n(.*?)\n```\s*\n```output\n(.*?)\n```') |
        ForEach-Object { @{ Title = $_.Groups[1].Value; Code = $_.Groups[2].Value; Output = $_.Groups[3].Value } }
}

BeforeAll {
    $script:registry = '{"Version":"2012-10-17","Statement":[{"Sid":"PtcCi","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*"},{"Sid":"NoDelete","Effect":"Deny","Principal":"*","Action":"ecr:Delete*","Resource":"*"}]}'
    $script:ci = 'arn:aws:iam::111122223333:role/ci'
    $script:nginx = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx'
    $script:quay = 'arn:aws:ecr:us-east-1:111122223333:repository/quay/app'
    function Compress-Text([string] $Text) { (($Text -split "`n") | ForEach-Object { ($_ -replace '\s+', ' ').Trim() } | Where-Object { $_ }) -join "`n" }
}

Describe 'Test-PtcPermission help examples' {
    It '<Title> runs and prints what the help says' -ForEach $examples {
        $actual = & ([scriptblock]::Create($Code)) 2>&1 | Out-String -Width 250
        Compress-Text $actual | Should -BeExactly (Compress-Text $Output)
    }
}

Describe 'Test-PtcPermission' {
    It 'decides the two pull through cache actions by default' {
        $results = Test-PtcPermission -Policy $registry -Principal $ci -Resource $nginx
        $results | Should -HaveCount 2
        $results | ForEach-Object { $_ | Should -BeOfType PtcTools.PtcPermissionResult }
        $results.Action | Should -Be @('ecr:CreateRepository', 'ecr:BatchImportUpstreamImage')
        $results.Decision | Should -Be @('Allowed', 'Allowed')
        $results[0].MatchedStatements[0].Sid | Should -Be 'PtcCi'
        $results[0].SameAccount | Should -BeTrue
        $results[0].Reason | Should -Match "statement 'PtcCi' of the registry policy names the principal"
        $results[0].Context['aws:PrincipalArn'] | Should -Be $ci
    }

    It 'evaluates every combination of principals, actions and repositories' {
        $results = Test-PtcPermission -Policy $registry -Principal $ci, 'arn:aws:iam::111122223333:role/other' -Action ecr:CreateRepository, ecr:DeleteRepository -Resource $nginx, $quay
        $results | Should -HaveCount 8
        ($results | Where-Object Decision -EQ 'Allowed') | Should -HaveCount 1
        ($results | Where-Object Decision -EQ 'ExplicitDeny') | Should -HaveCount 4
        ($results | Where-Object Decision -EQ 'ImplicitDeny') | Should -HaveCount 3
    }

    It 'builds ARNs from -RepositoryName, -Region and -RegistryId' {
        $result = Test-PtcPermission -Policy $registry -Principal $ci -Action ecr:CreateRepository -RepositoryName ecr-public/nginx -Region us-east-1 -RegistryId 111122223333
        $result.Resource | Should -Be $nginx
        $result.Decision | Should -Be 'Allowed'
    }

    It 'takes the Region and RegistryId of a policy read from ECR' {
        $policy = $registry | ConvertFrom-PtcRegistryPolicy
        $policy.Region = 'us-east-1'
        $policy.RegistryId = '111122223333'
        (Test-PtcPermission -Policy $policy -Principal $ci -Action ecr:CreateRepository -RepositoryName ecr-public/nginx).Resource | Should -Be $nginx
    }

    It 'binds requests from ConvertFrom-Json by property name, context and identity policies included' {
        $lines = @(
            '{"principal":"arn:aws:iam::444455556666:role/puller","action":"ecr:BatchImportUpstreamImage","resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx","context":{"aws:PrincipalOrgID":"o-1"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}]}'
            '{"principal":"arn:aws:iam::444455556666:role/puller","action":"ecr:BatchImportUpstreamImage","resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx","context":{"aws:PrincipalOrgID":"o-2"},"identityPolicies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}]}'
            '{"principal":"arn:aws:iam::444455556666:role/puller","action":"ecr:BatchImportUpstreamImage","resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx","context":{"aws:PrincipalOrgID":"o-1"},"identityPolicies":[]}'
        )
        $org = '{"Version":"2012-10-17","Statement":[{"Sid":"Org","Effect":"Allow","Principal":"*","Action":"ecr:BatchImportUpstreamImage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}'
        $results = $lines | ConvertFrom-Json | Test-PtcPermission -Policy $org -Verbose 4>&1
        $verbose = $results | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $decisions = $results | Where-Object { $_ -is [PtcTools.PtcPermissionResult] }
        $decisions.Decision | Should -Be @('Allowed', 'ImplicitDeny', 'ImplicitDeny')
        $decisions[0].SameAccount | Should -BeFalse
        # The registry policy once and the (identical) identity policy once: compiled once per pipeline.
        $verbose | Should -HaveCount 2
    }

    It 'takes lists of principals and actions from a pipeline object' {
        $request = '{"principal":["arn:aws:iam::111122223333:role/ci","arn:aws:iam::111122223333:role/other"],"action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx"}' | ConvertFrom-Json
        $results = $request | Test-PtcPermission -Policy $registry
        $results | Should -HaveCount 4
        $results.Decision | Should -Be @('Allowed', 'Allowed', 'ImplicitDeny', 'ImplicitDeny')
    }

    It 'binds PolicyText by property name' {
        $request = [pscustomobject]@{ PolicyText = $registry; Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $nginx }
        ($request | Test-PtcPermission).Decision | Should -Be 'Allowed'
    }

    It 'takes -Context as a hashtable, lists as multivalued keys' {
        $tags = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:CreateRepository","Resource":"*","Condition":{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}'
        (Test-PtcPermission -Policy $tags -Principal $ci -Action ecr:CreateRepository -Resource $quay -Context @{ 'aws:TagKeys' = @('team', 'env'); 'aws:SourceIp' = '10.1.2.3' }).Decision | Should -Be 'Allowed'
        (Test-PtcPermission -Policy $tags -Principal $ci -Action ecr:CreateRepository -Resource $quay -Context @{ 'aws:TagKeys' = @('team', 'cost'); 'aws:SourceIp' = '10.1.2.3' }).Decision | Should -Be 'ImplicitDeny'
    }

    It 'reads identity policies from files and URL-encoded text' {
        $file = Join-Path $TestDrive 'identity.json'
        Set-Content -LiteralPath $file -Value '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]}'
        (Test-PtcPermission -IdentityPolicy $file -Principal $ci -Action ecr:BatchGetImage -Resource $quay).Decision | Should -Be 'Allowed'
        (Test-PtcPermission -IdentityPolicy (Get-Item $file) -Principal $ci -Action ecr:BatchGetImage -Resource $quay).Decision | Should -Be 'Allowed'
        $encoded = [uri]::EscapeDataString('{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"ecr:*","Resource":"*"}]}')
        (Test-PtcPermission -Policy $registry -IdentityPolicy $encoded -Principal $ci -Action ecr:CreateRepository -Resource $nginx).Decision | Should -Be 'ExplicitDeny'
    }

    It 'refuses a file name that names no file (<Parameter>) with PolicyFileNotFound instead of reading it as policy text (issue 16)' -TestCases @(
        @{ Parameter = 'Policy' }
        @{ Parameter = 'IdentityPolicy' }
    ) {
        $missing = Join-Path $TestDrive 'no-such-policy.json'
        $arguments = @{ $Parameter = $missing; Principal = $ci; Resource = $nginx }
        $err = { Test-PtcPermission @arguments -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.TestPtcPermissionCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be $missing
    }

    It 'still reads text that is not JSON and names no file as policy text, with the JSON error' {
        $err = { Test-PtcPermission -Policy 'not-a-policy' -Principal $ci -Resource $nginx -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.TestPtcPermissionCommand'
    }

    It 'applies a permissions boundary and service control policies' {
        $identity = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'
        $narrow = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchGetImage","Resource":"*"}]}'
        (Test-PtcPermission -IdentityPolicy $identity -PermissionsBoundary $narrow -Principal $ci -Action ecr:PutImage -Resource $quay).Decision | Should -Be 'ImplicitDeny'
        (Test-PtcPermission -IdentityPolicy $identity -ServiceControlPolicy $narrow -Principal $ci -Action ecr:BatchGetImage -Resource $quay).Decision | Should -Be 'Allowed'
        (Test-PtcPermission -IdentityPolicy $identity -ServiceControlPolicy $narrow -Principal $ci -Action ecr:PutImage -Resource $quay).Reason | Should -Match 'service control policy'
    }

    It 'under the V1 scope ignores the registry policy for other actions' {
        $deny = '{"Version":"2012-10-17","Statement":[{"Sid":"NoCreate","Effect":"Deny","Principal":"*","Action":"ecr:CreateRepository","Resource":"*"}]}'
        $identity = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'
        (Test-PtcPermission -Policy $deny -IdentityPolicy $identity -Scope V1 -Principal $ci -Action ecr:CreateRepository -Resource $quay).Decision | Should -Be 'ExplicitDeny'
        $result = Test-PtcPermission -Policy $deny -IdentityPolicy $identity -Scope V1 -Principal $ci -Action ecr:BatchGetImage -Resource $quay
        $result.Decision | Should -Be 'Allowed'
        $result.Reason | Should -Match 'V1 registry policy scope'
    }

    It 'takes the scope of a policy read from ECR' {
        $policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*"}]}' | ConvertFrom-PtcRegistryPolicy
        $policy.Scope = 'V1'
        { Test-PtcPermission -Policy $policy -Principal $ci -Action ecr:BatchGetImage -Resource $quay -ErrorAction Stop } |
            Should -Throw -ErrorId 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
    }

    It 'returns one bool with -Quiet' -TestCases @(
        @{ Resources = @('arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx'); Expected = $true }
        @{ Resources = @('arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx', 'arn:aws:ecr:us-east-1:111122223333:repository/quay/app'); Expected = $false }
    ) {
        $answer = Test-PtcPermission -Policy $registry -Principal $ci -Resource $Resources -Quiet
        $answer | Should -BeOfType [bool]
        $answer | Should -Be $Expected
    }

    It 'shows the reason by default, and a table grouped by principal with Format-Table' {
        $result = Test-PtcPermission -Policy $registry -Principal $ci -Action ecr:CreateRepository -Resource $nginx
        $default = $result | Out-String -Width 250
        $default | Should -Match 'Statements : registry policy: PtcCi \(Allow\)'
        $default | Should -Match 'Repository : ecr-public/nginx \(111122223333 us-east-1\)'
        $default | Should -Match 'Reason\s+: Allowed:'
        ($result | Format-List | Out-String -Width 250) | Should -BeExactly $default
        $table = $result | Format-Table | Out-String -Width 250
        $table | Should -Match 'Principal: arn:aws:iam::111122223333:role/ci'
        $table | Should -Match 'Decision\s+Action\s+Repository'
        $table | Should -Match 'Allowed\s+ecr:CreateRepository\s+ecr-public/nginx'
    }

    It 'says which condition ruled a statement out and what the request has: <Case>' -TestCases @(
        @{ Case = 'a different value'; Context = @{ 'aws:PrincipalOrgID' = 'o-zzz999' }; Why = 'StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has o-zzz999)'; RequestValue = 'o-zzz999' }
        @{ Case = 'the key is absent'; Context = @{}; Why = 'StringEquals aws:PrincipalOrgID = o-abc123 is not met (the key aws:PrincipalOrgID is not in the request context)'; RequestValue = $null }
        @{ Case = 'a list where one value is needed'; Context = @{ 'aws:PrincipalOrgID' = @('o-abc123') }; Why = 'StringEquals aws:PrincipalOrgID = o-abc123 is not met (the request has the list [o-abc123], and StringEquals without ForAnyValue: or ForAllValues: does not match a multivalued key)'; RequestValue = '[o-abc123]' }
    ) {
        $org = '{"Version":"2012-10-17","Statement":[{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}'
        $result = Test-PtcPermission -Policy $org -Principal $ci -Action ecr:BatchGetImage -Resource $quay -Context $Context
        $result.Decision | Should -Be 'ImplicitDeny'
        $result.MatchedStatements | Should -HaveCount 0
        $result.NearMisses | Should -HaveCount 1
        $result.NearMisses[0].Sid | Should -BeExactly 'OrgRead'
        $result.NearMisses[0].FailedConditions[0].ToString() | Should -BeExactly $Why
        $result.NearMisses[0].FailedConditions[0].RequestValue | Should -Be $RequestValue
        $result.Reason.EndsWith(" Statement 'OrgRead' of the registry policy would allow it, but its condition $Why.") | Should -BeTrue -Because $result.Reason
    }

    It 'lists a deny that its condition ruled out, and leaves NearMisses empty when nothing was' {
        $corp = '{"Version":"2012-10-17","Statement":[{"Sid":"Ci","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:*","Resource":"*"},{"Sid":"OnlyFromCorp","Effect":"Deny","Principal":"*","Action":"ecr:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"203.0.113.0/24"}}}]}'
        $inside = Test-PtcPermission -Policy $corp -Principal $ci -Action ecr:BatchGetImage -Resource $quay -Context @{ 'aws:SourceIp' = '203.0.113.7' }
        $inside.Decision | Should -Be 'Allowed'
        $inside.NearMisses | ForEach-Object ToString | Should -BeExactly 'registry policy: OnlyFromCorp (Deny): NotIpAddress aws:SourceIp = 203.0.113.0/24 is not met (the request has 203.0.113.7)'
        $outside = Test-PtcPermission -Policy $corp -Principal $ci -Action ecr:BatchGetImage -Resource $quay -Context @{ 'aws:SourceIp' = '198.51.100.1' }
        $outside.Decision | Should -Be 'ExplicitDeny'
        $outside.NearMisses | Should -HaveCount 0
    }

    It 'binds near misses from pipeline requests with their own context' {
        $org = '{"Version":"2012-10-17","Statement":[{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}'
        $results = @(
            '{"principal":"arn:aws:iam::111122223333:role/ci","action":"ecr:BatchGetImage","resource":"arn:aws:ecr:us-east-1:111122223333:repository/app","context":{"aws:PrincipalOrgID":"o-abc123"}}'
            '{"principal":"arn:aws:iam::111122223333:role/ci","action":"ecr:BatchGetImage","resource":"arn:aws:ecr:us-east-1:111122223333:repository/app","context":{"aws:PrincipalOrgID":"o-other"}}'
        ) | ConvertFrom-Json | Test-PtcPermission -Policy $org
        $results.Decision | Should -Be @('Allowed', 'ImplicitDeny')
        $results[0].NearMisses | Should -HaveCount 0
        $results[1].NearMisses[0].FailedConditions[0].RequestValue | Should -BeExactly 'o-other'
    }

    It 'shows the near misses in the list view' {
        $org = '{"Version":"2012-10-17","Statement":[{"Sid":"OrgRead","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abc123"}}}]}'
        $list = Test-PtcPermission -Policy $org -Principal $ci -Action ecr:BatchGetImage -Resource $quay -Context @{ 'aws:PrincipalOrgID' = 'o-zzz999' } | Format-List | Out-String -Width 250
        # The list wraps its values between words; read them as one line.
        $flat = $list -replace '\s+', ' '
        $flat | Should -Match 'NearMisses : registry policy: OrgRead \(Allow\): StringEquals aws:PrincipalOrgID = o-abc123 is not met \(the request has o-zzz999\)'
        $flat | Should -Match 'Reason : Implicitly denied .* Statement ''OrgRead'' of the registry'
    }

    It 'warns about an ECR action it does not know and evaluates it as written' {
        $star = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*"}]}'
        $result = Test-PtcPermission -Policy $star -Principal $ci -Action ecr:CreateRepositoryy -Resource $quay -WarningVariable warned -WarningAction SilentlyContinue
        $result.Decision | Should -Be 'Allowed'
        $warned | Should -HaveCount 1
        "$warned" | Should -Match 'did you mean ecr:CreateRepository'
    }

    It 'gives a piped policy object the answer -Policy gives it, its scope included' {
        $policy = '{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*"}]}' | ConvertFrom-PtcRegistryPolicy
        $policy.Scope = 'V1'
        $given = { Test-PtcPermission -Policy $policy -Principal $ci -Action ecr:BatchGetImage -Resource $quay -ErrorAction Stop } | Should -Throw -PassThru
        $piped = { $policy | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -Resource $quay -ErrorAction Stop } | Should -Throw -PassThru
        $piped.FullyQualifiedErrorId | Should -Be $given.FullyQualifiedErrorId
        $piped.FullyQualifiedErrorId | Should -Be 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
        $policy.Scope = 'V2'
        ($policy | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -Resource $quay).Decision | Should -Be 'Allowed'
    }

    It 'ties each result to its request: the Id of a piped object, the object without one, nothing without a pipeline' {
        $results = @(
            [pscustomobject]@{ Id = 42; Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $nginx }
            [pscustomobject]@{ Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $quay }
        ) | Test-PtcPermission -Policy $registry
        $results[0].Request | Should -Be 42
        $results[1].Request.Resource | Should -Be $quay
        (Test-PtcPermission -Policy $registry -Principal $ci -Action ecr:CreateRepository -Resource $nginx).Request | Should -BeNullOrEmpty
    }
}

Describe 'Test-PtcPermission -Policy typed as PtcRegistryPolicy (issue 16 item 1 decision)' {
    BeforeAll {
        # Allowed under V2 (ECR's default); under V1 a registry policy with ecr:BatchGetImage is refused (PTC012).
        $script:pull = '{"Version":"2012-10-17","Statement":[{"Sid":"Pull","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage","Resource":"*"}]}'
        $script:create = @{ Version = '2012-10-17'; Statement = @(@{ Sid = 'Create'; Effect = 'Allow'; Principal = @{ AWS = 'arn:aws:iam::111122223333:role/ci' }; Action = 'ecr:CreateRepository'; Resource = '*' }) }
        function New-ReadPolicy([string] $Scope) {
            $policy = $pull | ConvertFrom-PtcRegistryPolicy
            $policy.Region = 'eu-west-1'
            $policy.RegistryId = '111122223333'
            $policy.Scope = $Scope
            $policy
        }
    }

    It 'takes a policy file piped line by line (Get-Content without -Raw) as one policy, as -Policy takes its text' {
        # Each line alone is no policy: before, each was refused as PolicyJsonInvalid and nothing was decided.
        $file = Join-Path $TestDrive 'lines.json'
        $repo = 'arn:aws:ecr:us-east-1:111122223333:repository/app'
        Set-Content -LiteralPath $file -Value ($create | ConvertTo-Json -Depth 5)
        @(Get-Content -LiteralPath $file).Count | Should -BeGreaterThan 1
        $piped = @(Get-Content -LiteralPath $file | Test-PtcPermission -Principal $ci -Action ecr:CreateRepository, ecr:BatchGetImage -Resource $repo -ErrorVariable problem)
        $problem | Should -BeNullOrEmpty
        $given = @(Test-PtcPermission -Policy (Get-Content -LiteralPath $file -Raw) -Principal $ci -Action ecr:CreateRepository, ecr:BatchGetImage -Resource $repo)
        $piped.Decision | Should -Be $given.Decision
        $piped.Reason | Should -Be $given.Reason
        $piped[0].Decision | Should -Be 'Allowed'
        $piped | ForEach-Object { $_.Request | Should -BeNullOrEmpty }
        Get-Content -LiteralPath $file | Test-PtcPermission -Principal $ci -Action ecr:CreateRepository -Resource $repo -Quiet | Should -BeTrue
    }

    It 'takes the Region, RegistryId and Scope of a piped PtcRegistryPolicy' {
        $result = New-ReadPolicy V2 | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app
        $result.Resource | Should -Be 'arn:aws:ecr:eu-west-1:111122223333:repository/quay/app'
        $result.Decision | Should -Be 'Allowed'
        $err = { New-ReadPolicy V1 | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
        $err.Exception.Message | Should -Match 'PTC012'
    }

    It 'takes the Region, RegistryId and Scope of a policy read with Get-PtcRegistryPolicy and piped' {
        $file = Join-Path $TestDrive 'read.json'
        Set-Content -LiteralPath $file -Value $pull
        $read = Get-PtcRegistryPolicy -LiteralPath $file
        $read.Region = 'eu-west-1'; $read.RegistryId = '111122223333'; $read.Scope = 'V1'
        { $read | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
        $read.Scope = 'V2'
        ($read | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app).Resource | Should -Be 'arn:aws:ecr:eu-west-1:111122223333:repository/quay/app'
    }

    It 'takes the RegistryId of an AWS.Tools response given to -Policy' {
        $response = [pscustomobject]@{ PolicyText = $pull; RegistryId = '444455556666' }
        $result = Test-PtcPermission -Policy $response -Principal 'arn:aws:iam::444455556666:role/ci' -Action ecr:BatchGetImage -RepositoryName quay/app -Region us-east-1
        $result.Resource | Should -Be 'arn:aws:ecr:us-east-1:444455556666:repository/quay/app'
        $result.Decision | Should -Be 'Allowed'
    }

    It 'reads a policy file object given to -Policy, and piped' {
        $file = Join-Path $TestDrive 'create.json'
        Set-Content -LiteralPath $file -Value ($create | ConvertTo-Json -Depth 5)
        (Test-PtcPermission -Policy (Get-Item -LiteralPath $file) -Principal $ci -Action ecr:CreateRepository -Resource $quay).Decision | Should -Be 'Allowed'
        # Piped, only the hidden -InputObject took it: the request was decided without the policy (ImplicitDeny).
        (Get-Item -LiteralPath $file | Test-PtcPermission -Principal $ci -Action ecr:CreateRepository -Resource $quay).Decision | Should -Be 'Allowed'
    }

    It 'refuses a file object that names no file with PolicyFileNotFound, its path the target' {
        $missing = [System.IO.FileInfo] (Join-Path $TestDrive 'gone.json')
        $err = { Test-PtcPermission -Policy $missing -Principal $ci -Resource $quay -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PolicyFileNotFound,PtcTools.Commands.TestPtcPermissionCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be $missing.FullName
    }

    It 'reads a hashtable given to -Policy, and piped text and hashtables' {
        (Test-PtcPermission -Policy $create -Principal $ci -Action ecr:CreateRepository -Resource $quay).Decision | Should -Be 'Allowed'
        ($create | Test-PtcPermission -Principal $ci -Action ecr:CreateRepository -Resource $quay).Decision | Should -Be 'Allowed'
        ($registry | Test-PtcPermission -Principal $ci -Action ecr:CreateRepository -Resource $nginx).Decision | Should -Be 'Allowed'
    }

    It 'keeps the Region, RegistryId and Scope of a policy back from Export-Clixml, given or piped' {
        $xml = Join-Path $TestDrive 'policy.xml'
        New-ReadPolicy V1 | Export-Clixml -LiteralPath $xml
        $back = Import-Clixml -LiteralPath $xml
        { Test-PtcPermission -Policy $back -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app -ErrorAction Stop } | Should -Throw -ErrorId 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
        $back.Scope = 'V2'
        (Test-PtcPermission -Policy $back -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app).Resource | Should -Be 'arn:aws:ecr:eu-west-1:111122223333:repository/quay/app'
        ($back | Test-PtcPermission -Principal $ci -Action ecr:BatchGetImage -RepositoryName quay/app).Resource | Should -Be 'arn:aws:ecr:eu-west-1:111122223333:repository/quay/app'
    }

    It 'reports a bad policy with the id it had, the value given as the target: <Case>' -TestCases @(
        @{ Case = 'malformed text'; Policy = '{"Version":'; ErrorId = 'PolicyJsonInvalid'; Target = '{"Version":' }
        @{ Case = 'a hashtable that is no policy'; Policy = @{ Foo = 1 }; ErrorId = 'PolicyInvalidForEvaluation'; Target = 'the hashtable' }
        @{ Case = 'an AWS.Tools response with malformed text'; Policy = [pscustomobject]@{ PolicyText = '{"Version":'; RegistryId = '111122223333' }; ErrorId = 'PolicyJsonInvalid'; Target = '{"Version":' }
    ) {
        $err = { Test-PtcPermission -Policy $Policy -Principal $ci -Resource $quay -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.TestPtcPermissionCommand"
        $err.Exception | Should -Not -BeOfType System.Management.Automation.ParameterBindingException
        if ($Target -eq 'the hashtable') { $err.TargetObject['Foo'] | Should -Be 1 } else { $err.TargetObject | Should -Be $Target }
    }

    It 'still takes piped requests by property name, with -Policy on the command line or without one' {
        $requests = @(
            [pscustomobject]@{ Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $nginx }
            [pscustomobject]@{ Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $quay }
        )
        ($requests | Test-PtcPermission -Policy (New-ReadPolicy V2)).Decision | Should -Be @('ImplicitDeny', 'ImplicitDeny')
        ($requests | Test-PtcPermission -Policy $registry).Decision | Should -Be @('Allowed', 'ImplicitDeny')
        # Without -Policy a request is no policy: the identity policy alone decides, with no error.
        $allow = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'
        $results = $requests | Test-PtcPermission -IdentityPolicy $allow -ErrorVariable problem
        $problem | Should -BeNullOrEmpty
        $results.Decision | Should -Be @('Allowed', 'Allowed')
    }
}

Describe 'Test-PtcPermission errors' {
    It 'stops with PolicyInvalidForEvaluation for a policy AWS would reject, naming the statement' {
        $bad = '{"Version":"2012-10-17","Statement":[{"Sid":"NoPrincipal","Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'
        $err = { Test-PtcPermission -Policy $bad -Principal $ci -Resource $nginx -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $bad
        $err.Exception.Message | Should -Match "^Statement 1 \(Sid 'NoPrincipal'\) of the registry policy cannot be evaluated"
    }

    It 'stops with PolicyJsonInvalid for malformed policy text' {
        $err = { Test-PtcPermission -Policy '{"Version":' -Principal $ci -Resource $nginx -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.TestPtcPermissionCommand'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'reports <ErrorId> for <Case> and goes on with the next request' -TestCases @(
        @{ Case = 'a principal that is not one'; Principal = 'bob'; Action = 'ecr:CreateRepository'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx'; ErrorId = 'PrincipalInvalid'; Target = 'bob' }
        @{ Case = 'an IAM group'; Principal = 'arn:aws:iam::111122223333:group/devs'; Action = 'ecr:CreateRepository'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx'; ErrorId = 'PrincipalIsGroup'; Target = 'arn:aws:iam::111122223333:group/devs' }
        @{ Case = 'a wildcard action'; Principal = 'arn:aws:iam::111122223333:role/ci'; Action = 'ecr:*'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx'; ErrorId = 'ActionInvalid'; Target = 'ecr:*' }
        @{ Case = 'a resource that is not a repository'; Principal = 'arn:aws:iam::111122223333:role/ci'; Action = 'ecr:CreateRepository'; Resource = 'arn:aws:s3:::bucket'; ErrorId = 'ResourceInvalid'; Target = 'arn:aws:s3:::bucket' }
        @{ Case = 'an action that takes no repository'; Principal = 'arn:aws:iam::111122223333:role/ci'; Action = 'ecr:GetAuthorizationToken'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx'; ErrorId = 'ActionResourceMismatch'; Target = 'arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/nginx' }
    ) {
        $requests = @(
            [pscustomobject]@{ Principal = $Principal; Action = $Action; Resource = $Resource }
            [pscustomobject]@{ Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $nginx }
        )
        $results = $requests | Test-PtcPermission -Policy $registry -ErrorAction SilentlyContinue -ErrorVariable problem
        @($results) | Should -HaveCount 1
        $results.Decision | Should -Be 'Allowed'
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.TestPtcPermissionCommand"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Be $Target
    }

    It 'reports <ErrorId> when <Case>' -TestCases @(
        @{ Case = 'no repository is given'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci' }; ErrorId = 'ResourceRequired' }
        @{ Case = 'both -Resource and -RepositoryName are given'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/a'; RepositoryName = 'a' }; ErrorId = 'ResourceAndRepositoryName' }
        @{ Case = '-RepositoryName has no Region'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci'; RepositoryName = 'a'; RegistryId = '111122223333' }; ErrorId = 'NoRegion' }
        @{ Case = '-RepositoryName has no RegistryId'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci'; RepositoryName = 'a'; Region = 'us-east-1' }; ErrorId = 'RegistryIdRequired' }
        @{ Case = 'the context is not a table'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/a'; Context = 42 }; ErrorId = 'ContextInvalid' }
        @{ Case = 'a context value is a nested object'; Arguments = @{ Principal = 'arn:aws:iam::111122223333:role/ci'; Resource = 'arn:aws:ecr:us-east-1:111122223333:repository/a'; Context = @{ 'aws:SourceIp' = @{ a = 1 } } }; ErrorId = 'ContextInvalid' }
    ) {
        $results = Test-PtcPermission -Policy $registry @Arguments -ErrorAction SilentlyContinue -ErrorVariable problem
        $results | Should -BeNullOrEmpty
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be "$ErrorId,PtcTools.Commands.TestPtcPermissionCommand"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $problem[0].TargetObject | Should -Not -BeNullOrEmpty
    }

    It 'reports a policy refused for a piped request as a non-terminating error whose target is that request' {
        $bad = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:*","Resource":"*","Condition":{"ForAnyValue:Null":{"aws:TagKeys":"true"}}}]}'
        $requests = @(
            [pscustomobject]@{ Id = 'bad'; PolicyText = $bad; Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $nginx }
            [pscustomobject]@{ Id = 'good'; PolicyText = $registry; Principal = $ci; Action = 'ecr:CreateRepository'; Resource = $nginx }
        )
        $results = $requests | Test-PtcPermission -ErrorAction SilentlyContinue -ErrorVariable problem
        @($results).Request | Should -Be @('good')
        $problem | Should -HaveCount 1
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyInvalidForEvaluation,PtcTools.Commands.TestPtcPermissionCommand'
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $problem[0].TargetObject.Id | Should -Be 'bad'
    }

    It 'answers False with -Quiet when a request fails' {
        Test-PtcPermission -Policy $registry -Principal $ci, 'bob' -Resource $nginx -Quiet -ErrorAction SilentlyContinue | Should -BeFalse
    }

    It 'takes an identity policy as IAM returns it: an object with a URL-encoded PolicyDocument (Get-IAMRolePolicy) or Document (Get-IAMPolicyVersion)' {
        $json = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:BatchImportUpstreamImage","Resource":"*"}]}'
        $inline = [pscustomobject]@{ RoleName = 'ci'; PolicyName = 'pull'; PolicyDocument = [uri]::EscapeDataString($json) }
        $version = [pscustomobject]@{ VersionId = 'v1'; IsDefaultVersion = $true; Document = [uri]::EscapeDataString($json) }
        foreach ($given in $inline, $version) {
            Test-PtcPermission -IdentityPolicy $given -Principal arn:aws:iam::111122223333:role/ci -Action ecr:BatchImportUpstreamImage -Resource $nginx -Quiet | Should -BeTrue
        }
    }
}
