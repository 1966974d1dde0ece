# Reads help sources in the platyPS markdown layout. Dot-sourced by Build-Help.ps1 and by the
# Pester help tests, so the build and the tests see the same structure.

function Read-PtcHelpMarkdown {
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Path)

    $lines = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n"
    $i = 0
    if ($lines[0] -eq '---') {
        $i = 1
        while ($i -lt $lines.Count -and $lines[$i] -ne '---') { $i++ }
        $i++
    }

    $doc = [ordered]@{
        Path = $Path; Name = $null; Synopsis = ''; Syntax = ''; Description = ''
        Examples = [System.Collections.Generic.List[object]]::new()
        Parameters = [System.Collections.Generic.List[object]]::new()
        Inputs = [System.Collections.Generic.List[object]]::new()
        Outputs = [System.Collections.Generic.List[object]]::new()
        Notes = ''; Links = [System.Collections.Generic.List[object]]::new()
        HasCommonParameters = $false
    }

    # Split into sections (## ...) and subsections (### ...), keeping code fences intact.
    $section = $null; $sub = $null; $buffer = [System.Collections.Generic.List[string]]::new()
    $blocks = [System.Collections.Generic.List[object]]::new()
    $inFence = $false
    for (; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^# (\S+)\s*$' -and -not $doc.Name) { $doc.Name = $Matches[1]; continue }
        if (-not $inFence -and $line -match '^## (.+?)\s*$') {
            $blocks.Add([pscustomobject]@{ Section = $section; Sub = $sub; Lines = $buffer.ToArray() })
            $section = $Matches[1].ToUpperInvariant(); $sub = $null; $buffer.Clear(); continue
        }
        if (-not $inFence -and $line -match '^### (.+?)\s*$') {
            $blocks.Add([pscustomobject]@{ Section = $section; Sub = $sub; Lines = $buffer.ToArray() })
            $sub = $Matches[1]; $buffer.Clear(); continue
        }
        $buffer.Add($line)
    }
    $blocks.Add([pscustomobject]@{ Section = $section; Sub = $sub; Lines = $buffer.ToArray() })

    foreach ($block in $blocks) {
        $text = ($block.Lines -join "`n").Trim()
        switch ($block.Section) {
            'SYNOPSIS' { $doc.Synopsis = $text }
            'SYNTAX' { if ($block.Sub) { $doc.Syntax += "`n" + (Get-FenceContent $block.Lines) } else { $doc.Syntax += Get-FenceContent $block.Lines } }
            'DESCRIPTION' { $doc.Description = $text }
            'EXAMPLES' {
                if ($block.Sub) {
                    $code = Get-FenceContent $block.Lines
                    $after = Get-TextOutsideFences $block.Lines
                    $output = Get-FenceContent $block.Lines -Index 1
                    $doc.Examples.Add([pscustomobject]@{ Title = $block.Sub; Code = $code; Remarks = $after; Output = $output })
                }
            }
            'PARAMETERS' {
                if ($block.Sub -eq 'CommonParameters') { $doc.HasCommonParameters = $true }
                elseif ($block.Sub -match '^-(\w+)') {
                    $parameterName = $Matches[1]
                    $yaml = @{}
                    foreach ($y in (Get-FenceContent $block.Lines -Language 'yaml') -split "`n") {
                        if ($y -match '^([A-Za-z ]+):\s*(.*)$') { $yaml[$Matches[1].Trim()] = $Matches[2].Trim() }
                    }
                    $pipeline = if ($yaml['Accept pipeline input']) { $yaml['Accept pipeline input'] } else { 'False' }
                    $doc.Parameters.Add([pscustomobject]@{
                        Name = $parameterName
                        Description = Get-TextOutsideFences $block.Lines
                        Type = $yaml['Type']
                        ParameterSets = @(($yaml['Parameter Sets'] -split ',') | ForEach-Object { $_.Trim() } | Where-Object { $_ })
                        Aliases = @(if ($yaml['Aliases'] -and $yaml['Aliases'] -ne 'None') { ($yaml['Aliases'] -split ',') | ForEach-Object { $_.Trim() } })
                        Required = $yaml['Required'] -eq 'True'
                        Position = $(if ($yaml['Position']) { $yaml['Position'] } else { 'Named' })
                        DefaultValue = $(if ($yaml['Default value']) { $yaml['Default value'] } else { 'None' })
                        PipelineInput = $(if ($pipeline -match '^True') { $pipeline.ToLowerInvariant() } else { 'false' })
                        Globbing = $yaml['Accept wildcard characters'] -eq 'True'
                    })
                }
            }
            'INPUTS' { if ($block.Sub) { $doc.Inputs.Add([pscustomobject]@{ Name = $block.Sub; Description = $text }) } }
            'OUTPUTS' { if ($block.Sub) { $doc.Outputs.Add([pscustomobject]@{ Name = $block.Sub; Description = $text }) } }
            'NOTES' { $doc.Notes = $text }
            'RELATED LINKS' {
                foreach ($m in [regex]::Matches($text, '\[([^\]]+)\]\(([^)]*)\)')) {
                    $doc.Links.Add([pscustomobject]@{ Text = $m.Groups[1].Value; Uri = $m.Groups[2].Value })
                }
            }
        }
    }
    [pscustomobject]$doc
}

function Get-FenceContent {
    # The content of the Nth fenced code block (optionally of one language) in a block of lines.
    param([string[]] $Lines, [int] $Index = 0, [string] $Language)
    $found = -1; $inside = $false; $take = $false; $content = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) {
        if ($line -match '^```(\w*)') {
            if (-not $inside) {
                $inside = $true
                if (-not $Language -or $Matches[1] -eq $Language) { $found++; $take = ($found -eq $Index) }
                continue
            }
            $inside = $false
            if ($take) { break }
            continue
        }
        if ($inside -and $take) { $content.Add($line) }
    }
    if ($take) { ($content -join "`n").TrimEnd() } else { '' }
}

function Get-TextOutsideFences([string[]] $Lines) {
    $inside = $false
    $text = foreach ($line in $Lines) {
        if ($line -match '^```') { $inside = -not $inside; continue }
        if (-not $inside) { $line }
    }
    (($text -join "`n").Trim())
}

function ConvertTo-PtcAboutText {
    # about_*.md to the plain text PowerShell shows: headings in capitals, text indented and wrapped
    # at 80 columns (Get-Help prints the file as it is), code and tables kept as written.
    param([Parameter(Mandatory)] [string] $Path, [int] $Width = 80)
    $lines = (Get-Content -LiteralPath $Path -Raw) -replace "`r`n", "`n" -split "`n"
    $out = [System.Collections.Generic.List[string]]::new()
    $paragraph = [System.Collections.Generic.List[string]]::new()
    $hanging = ''
    $flush = {
        if ($paragraph.Count -eq 0) { return }
        $words = ($paragraph -join ' ') -split '\s+' | Where-Object { $_ }
        $first = '    '
        $indent = '    ' + $hanging
        $wrapped = $first
        foreach ($word in $words) {
            $start = $wrapped -eq $first -or $wrapped -eq $indent
            if (-not $start -and $wrapped.Length + 1 + $word.Length -gt $Width) {
                $out.Add($wrapped)
                $wrapped = $indent
                $start = $true
            }
            $wrapped = if ($start) { $wrapped + $word } else { $wrapped + ' ' + $word }
        }
        $out.Add($wrapped)
        $paragraph.Clear()
    }
    $inFence = $false
    $heading = ''
    foreach ($line in $lines) {
        if ($line -match '^```') { . $flush; $inFence = -not $inFence; continue }
        if ($inFence -or $line -match '^    ') { . $flush; $out.Add('    ' + $line); continue }
        if ($line -match '^# (.+)$') { . $flush; $out.Add('TOPIC'); $out.Add('    ' + $Matches[1].Trim()); continue }
        if ($line -match '^#{2,} (.+)$') { . $flush; $heading = $Matches[1].Trim().ToUpperInvariant(); $out.Add(''); $out.Add($heading); continue }
        if (-not $line.Trim()) { . $flush; $out.Add(''); continue }
        # SEE ALSO names one topic or command a line.
        if ($heading -eq 'SEE ALSO') { $out.Add('    ' + $line.Trim()); continue }
        if ($line -match '^(- |\d+\. )') { . $flush; $hanging = ' ' * $Matches[1].Length }
        elseif ($paragraph.Count -eq 0) { $hanging = '' }
        $paragraph.Add(($line -replace '`', '').Trim())
    }
    . $flush
    ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

function ConvertTo-PtcFilledText {
    # Fills prose to a width for help that Get-Help prints as it is (MAML paragraphs, about_ text): words are
    # never split, a list item ("- ", "1. ") starts its own line with a hanging indent, indented lines (code)
    # and blank lines stay as written. PowerShell would otherwise break long lines mid-word in most cultures.
    param([string] $Text, [int] $Width = 76)
    $out = [System.Collections.Generic.List[string]]::new()
    $words = [System.Collections.Generic.List[string]]::new()
    $hanging = ''
    $flush = {
        if ($words.Count -eq 0) { return }
        $filled = ''
        foreach ($word in $words) {
            if ($filled.Length -gt 0 -and $filled.Length + 1 + $word.Length -gt $Width) { $out.Add($filled); $filled = $hanging }
            $filled = if ($filled.Trim().Length -eq 0) { $filled + $word } else { $filled + ' ' + $word }
        }
        $out.Add($filled)
        $words.Clear()
    }
    foreach ($line in (($Text -replace "`r", '') -split "`n")) {
        if ($line -match '^\s{4}' -or -not $line.Trim()) { . $flush; $out.Add($line.TrimEnd()); continue }
        if ($line -match '^(- |\d+\. )') { . $flush; $hanging = ' ' * $Matches[1].Length }
        elseif ($words.Count -eq 0) { $hanging = '' }
        foreach ($word in ($line.Trim() -split '\s+')) { $words.Add($word) }
    }
    . $flush
    $out -join "`n"
}

function Get-PtcSyntaxMarkdown {
    # The SYNTAX section a help source must have for a loaded cmdlet: one block per parameter set (the default set first,
    # headed "(Default)"; no heading when the cmdlet has one set), each the set's syntax as Get-Command -Syntax prints
    # it, wrapped between parameters at 100 columns with a space before each continuation, as platyPS writes it.
    [CmdletBinding()]
    param([Parameter(Mandatory)] [System.Management.Automation.CommandInfo] $Command)

    $sets = @($Command.ParameterSets | Sort-Object { -not $_.IsDefault })
    $blocks = foreach ($set in $sets) {
        # Hidden parameters (DontShow) are not part of the syntax a user reads, as platyPS leaves them out.
        $hidden = @($set.Parameters | Where-Object { $_.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and $_.DontShow } } | ForEach-Object Name)
        $tokens = [regex]::Matches("$($Command.Name) $set", '\[\[[^\]]*\] <[^>]*>\]|\[-\w+ <[^>]*>\]|\[<CommonParameters>\]|\[-\w+\]|\[-\w+\] <[^>]*>|-\w+ <[^>]*>|\S+') |
            ForEach-Object Value | Where-Object { -not ($_ -match '^\[*-(\w+)' -and $Matches[1] -in $hidden) }
        $lines = [System.Collections.Generic.List[string]]::new()
        $line = ''
        foreach ($token in $tokens) {
            if ($line -and ($line.Length + 1 + $token.Length) -gt 100) { $lines.Add($line); $line = " $token" }
            elseif ($line) { $line += " $token" }
            else { $line = $token }
        }
        $lines.Add($line)
        $fence = '```' + "`n" + ($lines -join "`n") + "`n" + '```'
        if ($sets.Count -eq 1) { $fence }
        else { "### $($set.Name)$(if ($set.IsDefault) { ' (Default)' })`n$fence" }
    }
    ($blocks -join "`n`n")
}
