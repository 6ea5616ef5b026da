#!/usr/bin/env bash
# Nuke's bootstrapper, minus the SDK download: this repository expects dotnet on PATH.
set -eo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD_PROJECT_FILE="$SCRIPT_DIR/build/_build.csproj"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1

if ! DOTNET_EXE="$(command -v dotnet)" || ! "$DOTNET_EXE" --version >/dev/null 2>&1; then
    echo "error: the .NET SDK (dotnet) was not found on PATH; install .NET 10 from https://dot.net and retry." >&2
    exit 1
fi
export DOTNET_EXE

# Node reuse and the shared compiler server would outlive the script and hold files open.
"$DOTNET_EXE" build "$BUILD_PROJECT_FILE" /nodeReuse:false /p:UseSharedCompilation=false -nologo -clp:NoSummary --verbosity quiet
"$DOTNET_EXE" run --project "$BUILD_PROJECT_FILE" --no-build -- "$@"
