# Runs a help example the way a user would see it in a console 120 columns wide, without colours,
# verbose and warning messages included, and returns the text with trailing blanks trimmed.
function Invoke-PtcHelpExample {
    param([Parameter(Mandatory)] [string] $Code)
    $PSStyle.OutputRendering = 'PlainText'
    $block = [scriptblock]::Create($Code)
    Push-Location ([System.IO.Path]::GetTempPath())
    try {
        $text = & { & $block *>&1 } | ForEach-Object {
            switch ($_) {
                { $_ -is [System.Management.Automation.VerboseRecord] } { "VERBOSE: $($_.Message)"; break }
                { $_ -is [System.Management.Automation.WarningRecord] } { "WARNING: $($_.Message)"; break }
                { $_ -is [System.Management.Automation.ErrorRecord] } { "ERROR: $($_.Exception.Message)"; break }
                default { $_ }
            }
        } | Out-String -Width 120
    } finally {
        Pop-Location
    }
    $lines = ($text -replace "`r", '') -split "`n" | ForEach-Object { $_.TrimEnd() }
    ($lines -join "`n").Trim("`n")
}
