BeforeAll {
    . (Join-Path $PSScriptRoot 'AwsTestSupport.ps1')
    $script:savedAws = Enter-IsolatedAws -Folder (Join-Path $TestDrive 'aws')
    Import-TestEcrEmulator
    $script:emulator = Start-EcrEmulator -AccountId 111122223333, 444455556666, 777788889999 -Region us-east-1, eu-west-1, ap-southeast-2 -ExitAfterSeconds 600
    $env:AWS_ENDPOINT_URL_ECR = $emulator.Url
    $env:AWS_ENDPOINT_URL_STS = $emulator.Url
    $env:AWS_ACCESS_KEY_ID = $emulator.AccessKey
    $env:AWS_SECRET_ACCESS_KEY = $emulator.SecretKey
    $script:ci = New-PtcPolicyStatement -Sid CiPull -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/ci -Region us-east-1 -RegistryId 111122223333
    $script:team = '{"Sid":"TeamReplication","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"ecr:ReplicateImage","Resource":"arn:aws:ecr:us-east-1:111122223333:repository/${aws:username}/*"}'
    $script:backups = Join-Path $TestDrive 'backups'
}

AfterAll {
    if ($emulator) { $emulator | Stop-EcrEmulator }
    Exit-IsolatedAws $savedAws
}

Describe 'Export-PtcRegistryPolicy' {
    BeforeEach {
        $null = $emulator | Reset-EcrEmulator
        $script:out = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
    }

    It 'writes a StackSet template in JSON and YAML, and overrides that keep each team''s statement where it is' {
        Set-PtcRegistryPolicy -Statement $team -AccountId 444455556666 -Region eu-west-1 -BackupPath $backups | Out-Null
        $results = Export-PtcRegistryPolicy -Statement $ci -AccountId 444455556666, 777788889999 -Region us-east-1, eu-west-1 -OutputPath $out -Format CloudFormationJson, CloudFormationYaml
        $results.Status | Should -Be 'Exported', 'Exported', 'Exported', 'Exported'
        ($results | Where-Object Target -eq '444455556666/eu-west-1').Kept | Should -Be 1
        $template = Get-Content (Join-Path $out 'registry-policy.template.json') -Raw | ConvertFrom-Json
        $resource = $template.Resources.RegistryPolicy
        $resource.Type | Should -Be 'AWS::ECR::RegistryPolicy'
        $resource.DeletionPolicy | Should -Be 'Retain'
        $resource.UpdateReplacePolicy | Should -Be 'Retain'
        $resource.Properties.PolicyText | Should -BeOfType [pscustomobject]
        $template.Parameters.KeepTeamReplication.AllowedValues | Should -Be 'true', 'false'
        (Get-Content (Join-Path $out 'parameter-overrides/444455556666-eu-west-1.json') -Raw | ConvertFrom-Json).ParameterValue | Should -Be 'true'
        (Get-Content (Join-Path $out 'parameter-overrides/777788889999-us-east-1.json') -Raw | ConvertFrom-Json).ParameterValue | Should -Be 'false'
        # The policy variable of the other team stays literal, escaped for Fn::Sub.
        Get-Content (Join-Path $out 'registry-policy.template.json') -Raw | Should -Match ([regex]::Escape('repository/${!aws:username}/*'))
        Test-Path (Join-Path $out 'registry-policy.template.yaml') | Should -BeTrue
    }

    It 'writes YAML that a YAML reader reads as the JSON template' -Skip:(-not (Get-Command python3 -ErrorAction Ignore) -or ((& python3 -c 'import yaml' 2>&1) -ne $null)) {
        Export-PtcRegistryPolicy -Statement $ci -AccountId 444455556666 -Region us-east-1 -OutputPath $out -Format CloudFormationJson, CloudFormationYaml | Out-Null
        $same = & python3 -c "import json,yaml,sys; print(json.load(open(sys.argv[1])) == yaml.safe_load(open(sys.argv[2])))" (Join-Path $out 'registry-policy.template.json') (Join-Path $out 'registry-policy.template.yaml')
        $same | Should -Be 'True'
    }

    It 'writes Terraform JSON with one aws_ecr_registry_policy per provider alias and the template syntax escaped' {
        Set-PtcRegistryPolicy -Statement $team -AccountId 444455556666 -Region eu-west-1 -BackupPath $backups | Out-Null
        Export-PtcRegistryPolicy -Statement $ci -AccountId 444455556666 -Region us-east-1, eu-west-1 -OutputPath $out -Format TerraformJson -ExternalId ext-42 | Out-Null
        $config = Get-Content (Join-Path $out 'registry-policy.tf.json') -Raw | ConvertFrom-Json
        $config.provider.aws.alias | Should -Be 'a444455556666_us_east_1', 'a444455556666_eu_west_1'
        $config.provider.aws[0].assume_role.role_arn | Should -Be 'arn:aws:iam::444455556666:role/OrganizationAccountAccessRole'
        $config.provider.aws[0].assume_role.external_id | Should -Be 'ext-42'
        $policy = $config.resource.aws_ecr_registry_policy.a444455556666_eu_west_1
        $policy.provider | Should -Be 'aws.a444455556666_eu_west_1'
        $policy.policy | Should -Match ([regex]::Escape('$${aws:username}'))
        $policy.lifecycle.prevent_destroy | Should -BeTrue
    }

    It 'leaves out a target whose policy would be over 10240 characters after substitution, and exports the others' {
        # One statement naming many repositories: each ARN is 5 characters longer in ap-southeast-2 than in us-east-1.
        $resources = (1..175 | ForEach-Object { '"arn:aws:ecr:us-east-1:111122223333:repository/r{0:D4}/*"' -f $_ }) -join ','
        $wide = '{"Sid":"Wide","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/ci"},"Action":"ecr:BatchImportUpstreamImage","Resource":[' + $resources + ']}'
        $results = Export-PtcRegistryPolicy -Statement $wide -AccountId 444455556666 -Region us-east-1, ap-southeast-2 -OutputPath $out -ErrorAction SilentlyContinue -ErrorVariable problem
        $results.Status | Should -Be 'Exported', 'Failed'
        $results[0].Length | Should -BeLessOrEqual 10240
        $results[1].ErrorId | Should -Be PolicyTextTooLong
        $problem[0].FullyQualifiedErrorId | Should -Be 'PolicyTextTooLong,PtcTools.Commands.ExportPtcRegistryPolicyCommand'
        $problem[0].TargetObject | Should -Be '444455556666/ap-southeast-2'
        (Get-Content (Join-Path $out 'parameter-overrides/444455556666-us-east-1.json') -Raw) | Should -Not -BeNullOrEmpty
        Test-Path (Join-Path $out 'parameter-overrides/444455556666-ap-southeast-2.json') | Should -BeFalse
    }

    It 'reports a conflicting Sid as StatementSidConflict unless -Force replaces it' {
        $old = New-PtcPolicyStatement -Sid CiPull -RepositoryPrefix ecr-public -Principal arn:aws:iam::111122223333:role/old -Region us-east-1 -RegistryId 111122223333
        Set-PtcRegistryPolicy -Statement $old -AccountId 777788889999 -Region us-east-1 -BackupPath $backups | Out-Null
        $results = Export-PtcRegistryPolicy -Statement $ci -AccountId 777788889999, 444455556666 -Region us-east-1 -OutputPath $out -ErrorAction SilentlyContinue -ErrorVariable problem
        $results.Status | Should -Be 'Failed', 'Exported'
        $problem[0].FullyQualifiedErrorId | Should -Be 'StatementSidConflict,PtcTools.Commands.ExportPtcRegistryPolicyCommand'
        (Export-PtcRegistryPolicy -Statement $ci -AccountId 777788889999 -Region us-east-1 -OutputPath $out -Force).Status | Should -Be 'Exported'
    }

    It 'converts -Statement to PtcPolicyStatement and stops on a value that is no statement before writing anything (issue 16 item 1 decision)' {
        (Get-Command Export-PtcRegistryPolicy).Parameters.Statement.ParameterType | Should -Be ([PtcTools.PtcPolicyStatement[]])
        try { $ci, '{"Sid":' | Export-PtcRegistryPolicy -Region us-east-1 -OutputPath $out -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'PolicyJsonInvalid,PtcTools.Commands.ExportPtcRegistryPolicyCommand'
        $caught.TargetObject | Should -BeExactly '{"Sid":'
        Test-Path $out | Should -BeFalse
    }

    It 'writes nothing under -WhatIf' {
        Export-PtcRegistryPolicy -Statement $ci -Region us-east-1 -OutputPath $out -WhatIf | Out-Null
        Test-Path $out | Should -BeFalse
    }
}
