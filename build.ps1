[CmdletBinding()]
Param(
    [Parameter(Position = 0, Mandatory = $false, ValueFromRemainingArguments = $true)]
    [string[]]$BuildArguments
)

# Nuke's bootstrapper, minus the SDK download: this repository expects dotnet on PATH.
Set-StrictMode -Version 2.0; $ErrorActionPreference = "Stop"; $ConfirmPreference = "None"
trap { Write-Error $_ -ErrorAction Continue; exit 1 }

$BuildProjectFile = "$PSScriptRoot/build/_build.csproj"

$env:DOTNET_CLI_TELEMETRY_OPTOUT = 1
$env:DOTNET_NOLOGO = 1

$dotnet = Get-Command "dotnet" -ErrorAction SilentlyContinue
if ($null -eq $dotnet) {
    Write-Error "The .NET SDK (dotnet) was not found on PATH; install .NET 10 from https://dot.net and retry." -ErrorAction Continue
    exit 1
}
$env:DOTNET_EXE = $dotnet.Source

# Node reuse and the shared compiler server would outlive the script and hold files open.
& $env:DOTNET_EXE build $BuildProjectFile /nodeReuse:false /p:UseSharedCompilation=false -nologo -clp:NoSummary --verbosity quiet
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
& $env:DOTNET_EXE run --project $BuildProjectFile --no-build -- $BuildArguments
exit $LASTEXITCODE
