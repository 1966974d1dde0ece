# Step 40: ask the policy in $PolicyFile "can my CI role pull through the cache?", and why.
Show-Step "Can the CI role pull ecr-public/library/nginx through the cache? (policy in $PolicyFile)"
$policy = Get-Content -LiteralPath $PolicyFile -Raw | ConvertFrom-PtcRegistryPolicy
$answers = Test-PtcPermission -Policy $policy -Principal arn:aws:iam::111122223333:role/ci-puller `
    -RepositoryName ecr-public/library/nginx -Region us-east-1 -RegistryId 111122223333
$answers | Out-Host
$answers | ForEach-Object { Write-Host "$($_.Action): $($_.Reason)" }

Show-Step 'Can the production account replicate into this registry? (its role has an identity policy allowing ECR)'
$identity = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}'
Test-PtcPermission -Policy $policy -IdentityPolicy $identity -Principal arn:aws:iam::444455556666:role/replicator `
    -Action ecr:ReplicateImage, ecr:CreateRepository -Resource arn:aws:ecr:us-east-1:111122223333:repository/prod/app |
    Out-Host

Show-Step 'Why not? A statement limited to the organization, asked by a role from outside it'
$orgOnly = '{"Version":"2012-10-17","Statement":[{"Sid":"OrgPull","Effect":"Allow","Principal":"*","Action":["ecr:CreateRepository","ecr:BatchImportUpstreamImage"],"Resource":"arn:aws:ecr:us-east-1:111122223333:repository/ecr-public/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5"}}}]}'
Test-PtcPermission -Policy $orgOnly -Principal arn:aws:iam::111122223333:role/ci-puller -Action ecr:BatchImportUpstreamImage `
    -RepositoryName ecr-public/library/nginx -Region us-east-1 -RegistryId 111122223333 -Context @{ 'aws:PrincipalOrgID' = 'o-zzzzzzzzzz' } |
    Out-Host
