# moto_server for the Pester files that read IAM and Secrets Manager: one per file, on 127.0.0.1 and a
# free port, with a bounded start. Setup calls go to it unsigned (moto routes by the service named in the
# Authorization header's scope); what is tested signs with SigV4 through the module. Dot-source it in BeforeAll.

function Get-MotoServerPath {
    # The moto_server executable on PATH, or $null (the files that need it skip their tests and say why).
    $command = Get-Command moto_server -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($command) { $command.Source } else { $null }
}

function Start-TestMotoServer {
    param([ValidateRange(1, 120)] [int] $StartTimeoutSeconds = 30)
    $exe = Get-MotoServerPath
    if (-not $exe) { throw 'moto_server is not on PATH.' }
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $port = $listener.LocalEndpoint.Port
    $listener.Stop()
    $info = [System.Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($argument in '-H', '127.0.0.1', '-p', "$port") { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($info)
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()
    $url = "http://127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds($StartTimeoutSeconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        try {
            $null = Invoke-WebRequest -Uri "$url/moto-api/" -TimeoutSec 2 -NoProxy -ErrorAction Stop
            return [pscustomobject]@{ PSTypeName = 'PtcTools.TestMoto'; Url = $url; Process = $process }
        } catch {
            Start-Sleep -Milliseconds 200
        }
    }
    if (-not $process.HasExited) { $process.Kill($true) }
    throw "moto_server did not answer within $StartTimeoutSeconds s."
}

function Stop-TestMotoServer {
    param([Parameter(Mandatory, ValueFromPipeline)] $Moto)
    process {
        if (-not $Moto.Process.HasExited) {
            $Moto.Process.Kill($true)
            [void] $Moto.Process.WaitForExit(10000)
        }
    }
}

function Reset-TestMotoServer {
    param([Parameter(Mandatory)] $Moto)
    $null = Invoke-WebRequest -Uri "$($Moto.Url)/moto-api/reset" -Method Post -TimeoutSec 10 -NoProxy
}

function Set-TestMotoAuthentication {
    # moto checks signatures and IAM policies from the next request on ('0'), or no more ('inf').
    param([Parameter(Mandatory)] $Moto, [Parameter(Mandatory)] [ValidateSet('Enforce', 'Relax')] [string] $Mode)
    $body = if ($Mode -eq 'Enforce') { '0' } else { 'inf' }
    $null = Invoke-WebRequest -Uri "$($Moto.Url)/moto-api/reset-auth" -Method Post -Body $body -ContentType 'text/plain' -TimeoutSec 10 -NoProxy
}

function Invoke-MotoQuery {
    # An IAM Query action for setup: returns the XML answer; a refusal throws with moto's answer.
    param([Parameter(Mandatory)] $Moto, [Parameter(Mandatory)] [string] $Action, [hashtable] $Parameters = @{})
    $pairs = @("Action=$Action", 'Version=2010-05-08') + @($Parameters.GetEnumerator() | Sort-Object Key | ForEach-Object { "$([uri]::EscapeDataString($_.Key))=$([uri]::EscapeDataString([string]$_.Value))" })
    $response = Invoke-WebRequest -Uri "$($Moto.Url)/" -Method Post -Body ($pairs -join '&') -ContentType 'application/x-www-form-urlencoded' -TimeoutSec 10 -NoProxy -SkipHttpErrorCheck `
        -Headers @{ Authorization = 'AWS4-HMAC-SHA256 Credential=AKIAMOTOSETUP/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00' }
    if ($response.StatusCode -ge 300) { throw "moto refused IAM $Action (HTTP $($response.StatusCode)): $($response.Content)" }
    [xml] $response.Content
}

function Invoke-MotoJson {
    # A JSON 1.1 operation for setup (Secrets Manager): returns the answer as an object.
    param([Parameter(Mandatory)] $Moto, [Parameter(Mandatory)] [string] $Target, [Parameter(Mandatory)] [hashtable] $Body, [string] $Service = 'secretsmanager')
    $response = Invoke-WebRequest -Uri "$($Moto.Url)/" -Method Post -Body ($Body | ConvertTo-Json -Depth 10 -Compress) -ContentType 'application/x-amz-json-1.1' -TimeoutSec 10 -NoProxy -SkipHttpErrorCheck `
        -Headers @{ Authorization = "AWS4-HMAC-SHA256 Credential=AKIAMOTOSETUP/20260101/us-east-1/$Service/aws4_request, SignedHeaders=host, Signature=00"; 'X-Amz-Target' = $Target }
    if ($response.StatusCode -ge 300) { throw "moto refused $Target (HTTP $($response.StatusCode)): $($response.Content)" }
    [System.Text.Encoding]::UTF8.GetString($response.RawContentStream.ToArray()) | ConvertFrom-Json
}

function Connect-AwsToolsStandInsToMoto {
    # The AWS.Tools stand-ins (AwsToolsStandIns.ps1) send what they bound to moto's IAM.
    param([Parameter(Mandatory)] $Moto)
    $global:PtcTestMoto = $Moto
    $global:PtcAwsToolsBackend = {
        param($Operation, $Bound)
        $parameters = @{}
        foreach ($pair in $Bound.GetEnumerator()) { if ($null -ne $pair.Value -and $pair.Value -ne '') { $parameters[$pair.Key] = $pair.Value } }
        $null = Invoke-MotoQuery -Moto $global:PtcTestMoto -Action $Operation -Parameters $parameters
    }
}
