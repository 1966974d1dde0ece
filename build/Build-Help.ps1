<#
.SYNOPSIS
    Generates the module's MAML help and about_ topics from docs/en-US/*.md (platyPS layout).

.DESCRIPTION
    platyPS is not available here, so this script reads the platyPS markdown layout itself:
    front matter, '# Name', '## SYNOPSIS', '## SYNTAX', '## DESCRIPTION', '## EXAMPLES'
    ('### Example N: title', a code block, then remarks or output), '## PARAMETERS'
    ('### -Name', a description, then a yaml block), '## INPUTS', '## OUTPUTS', '## NOTES',
    '## RELATED LINKS'. It writes PtcTools.dll-Help.xml and about_*.help.txt.
    The markdown parser is shared with the help tests (Read-PtcHelpMarkdown).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath,
    [string] $AssemblyPath,
    [string] $HelpFileName = 'PtcTools.dll-Help.xml'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $PSScriptRoot 'HelpMarkdown.ps1')

$cmdletDocs = Get-ChildItem -LiteralPath (Join-Path $DocsPath 'en-US') -Filter '*-*.md' | Sort-Object Name
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$writer = [System.Xml.XmlWriter]::Create((Join-Path $OutputPath $HelpFileName), $settings)

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

# Get-Help prints each paragraph as it is, indented by 4 (8 under a parameter, input or output): paragraphs
# are filled to fit an 80-column console, so that no word is split (issue 17).
function Write-Paras([string] $Prefix, [string] $Text, [int] $Width = 76) {
    $writer.WriteStartElement('maml', 'description', $ns.maml)
    Write-ParaElements $Text $Width
    $writer.WriteEndElement()
}

function Write-ParaElements([string] $Text, [int] $Width = 76) {
    foreach ($para in ($Text -split "\n\s*\n")) {
        if ($para.Trim()) { $writer.WriteElementString('maml', 'para', $ns.maml, (ConvertTo-PtcFilledText -Text $para.Trim() -Width $Width)) }
    }
}

function Write-Parameter($p, [string] $position) {
    $writer.WriteStartElement('command', 'parameter', $ns.command)
    $writer.WriteAttributeString('required', $p.Required.ToString().ToLowerInvariant())
    $writer.WriteAttributeString('variableLength', 'true')
    $writer.WriteAttributeString('globbing', $p.Globbing.ToString().ToLowerInvariant())
    $writer.WriteAttributeString('pipelineInput', $p.PipelineInput)
    $writer.WriteAttributeString('position', $position)
    $writer.WriteAttributeString('aliases', $(if ($p.Aliases) { $p.Aliases -join ', ' } else { 'none' }))
    $writer.WriteElementString('maml', 'name', $ns.maml, $p.Name)
    Write-Paras 'maml' $p.Description 72
    $writer.WriteStartElement('command', 'parameterValue', $ns.command)
    $writer.WriteAttributeString('required', $(if ($p.Type -eq 'SwitchParameter') { 'false' } else { 'true' }))
    $writer.WriteAttributeString('variableLength', 'false')
    $writer.WriteString($p.Type)
    $writer.WriteEndElement()
    $writer.WriteStartElement('dev', 'type', $ns.dev)
    $writer.WriteElementString('maml', 'name', $ns.maml, $p.Type)
    $writer.WriteEndElement()
    $writer.WriteElementString('dev', 'defaultValue', $ns.dev, $p.DefaultValue)
    $writer.WriteEndElement()
}

try {
    $writer.WriteStartDocument()
    $writer.WriteStartElement('helpItems', $ns.maml)
    $writer.WriteAttributeString('schema', 'maml')
    foreach ($file in $cmdletDocs) {
        $doc = Read-PtcHelpMarkdown -Path $file.FullName
        $verb, $noun = $doc.Name -split '-', 2
        $writer.WriteStartElement('command', 'command', $ns.command)
        $writer.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
        $writer.WriteAttributeString('xmlns', 'command', $null, $ns.command)
        $writer.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

        $writer.WriteStartElement('command', 'details', $ns.command)
        $writer.WriteElementString('command', 'name', $ns.command, $doc.Name)
        $writer.WriteElementString('command', 'verb', $ns.command, $verb)
        $writer.WriteElementString('command', 'noun', $ns.command, $noun)
        Write-Paras 'maml' $doc.Synopsis
        $writer.WriteEndElement()

        Write-Paras 'maml' $doc.Description

        $writer.WriteStartElement('command', 'syntax', $ns.command)
        $sets = @($doc.Parameters | ForEach-Object { $_.ParameterSets } | Where-Object { $_ -ne '(All)' } | Select-Object -Unique)
        if (-not $sets) { $sets = @('(All)') }
        foreach ($set in $sets) {
            $writer.WriteStartElement('command', 'syntaxItem', $ns.command)
            $writer.WriteElementString('maml', 'name', $ns.maml, $doc.Name)
            foreach ($p in $doc.Parameters | Where-Object { $_.ParameterSets -contains '(All)' -or $_.ParameterSets -contains $set }) {
                Write-Parameter $p $p.Position
            }
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'parameters', $ns.command)
        foreach ($p in $doc.Parameters) { Write-Parameter $p $p.Position }
        $writer.WriteEndElement()

        foreach ($kind in 'inputTypes', 'returnValues') {
            $items = if ($kind -eq 'inputTypes') { $doc.Inputs } else { $doc.Outputs }
            $writer.WriteStartElement('command', $kind, $ns.command)
            foreach ($item in $items) {
                $writer.WriteStartElement('command', $(if ($kind -eq 'inputTypes') { 'inputType' } else { 'returnValue' }), $ns.command)
                $writer.WriteStartElement('dev', 'type', $ns.dev)
                $writer.WriteElementString('maml', 'name', $ns.maml, $item.Name)
                $writer.WriteEndElement()
                Write-Paras 'maml' $item.Description 72
                $writer.WriteEndElement()
            }
            $writer.WriteEndElement()
        }

        $writer.WriteStartElement('maml', 'alertSet', $ns.maml)
        $writer.WriteStartElement('maml', 'alert', $ns.maml)
        # The related topics are named here, not as relatedLinks: Get-Help suggests -Online for any related link,
        # and -Online opens only http(s) addresses, which the module has none of (docs/decisions.md, issue 17).
        $related = @($doc.Links | ForEach-Object Text)
        $notes = $doc.Notes
        if ($related) { $notes = ($notes.TrimEnd() + "`n`nSee also: " + ($related -join ', ') + '.').Trim() }
        Write-ParaElements $notes
        $writer.WriteEndElement()
        $writer.WriteEndElement()

        $writer.WriteStartElement('command', 'examples', $ns.command)
        foreach ($example in $doc.Examples) {
            $writer.WriteStartElement('command', 'example', $ns.command)
            $writer.WriteElementString('maml', 'title', $ns.maml, "--------- $($example.Title) ---------")
            $writer.WriteElementString('dev', 'code', $ns.dev, $example.Code)
            $writer.WriteStartElement('dev', 'remarks', $ns.dev)
            if ($example.Output) { $writer.WriteElementString('maml', 'para', $ns.maml, $example.Output + "`n") }
            Write-ParaElements $example.Remarks
            $writer.WriteEndElement()
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()

        $writer.WriteEndElement()
    }
    $writer.WriteEndElement()
    $writer.WriteEndDocument()
} finally {
    $writer.Dispose()
}

# about_ topics: plain text, as PowerShell reads about_*.help.txt.
foreach ($about in Get-ChildItem -LiteralPath (Join-Path $DocsPath 'en-US') -Filter 'about_*.md') {
    $text = ConvertTo-PtcAboutText -Path $about.FullName
    $name = [System.IO.Path]::GetFileNameWithoutExtension($about.Name)
    [System.IO.File]::WriteAllText((Join-Path $OutputPath "$name.help.txt"), $text, [System.Text.UTF8Encoding]::new($false))
}
