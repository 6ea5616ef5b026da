#!/usr/bin/env bash
# Measures the task payload (src/ZdPipelines.Hosts.AzureDevOps, zdp-task) in every publish shape worth
# considering, for each OS the .vsix bundles, and prints one row per shape: files, bytes on disk, bytes
# once deflated into a zip (what the .vsix holds), trim warnings, and whether `plan` and `deploy` of
# examples/simulated-canary.yml still work (linux-x64 only: the win-x64 build cannot run here).
# Not part of CI: it takes ~10 minutes. docs/azure-devops.md has the results and the choice made from them. Every
# trimmed shape is measured with the project's own trimming settings (reflection-based JSON on, zdp's assemblies kept
# whole); the table's "reflection off" rows were measured before the project had them.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:-artifacts/payload-sizes}
rm -rf "$out"; mkdir -p "$out"
project=src/ZdPipelines.Hosts.AzureDevOps

declare -A shapes=(
  [framework-dependent]="--self-contained false"
  [self-contained]="--self-contained true"
  [self-contained-r2r]="--self-contained true -p:PublishReadyToRun=true"
  [trimmed]="--self-contained true -p:PublishTrimmed=true"
  [trimmed-r2r]="--self-contained true -p:PublishTrimmed=true -p:PublishReadyToRun=true"
  [single-file-compressed]="--self-contained true -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true"
  [trimmed-single-file-compressed]="--self-contained true -p:PublishTrimmed=true -p:PublishSingleFile=true -p:EnableCompressionInSingleFile=true"
  [native-aot]="-p:PublishAot=true"
)

printf '%-32s %-9s %6s %12s %12s %6s %s\n' shape rid files disk zipped warns smoke | tee "$out/sizes.txt"
for shape in framework-dependent self-contained self-contained-r2r trimmed trimmed-r2r single-file-compressed trimmed-single-file-compressed native-aot; do
  for rid in linux-x64 win-x64; do
    [[ $shape == native-aot && $rid == win-x64 ]] && continue   # NativeAOT cannot cross-compile to another OS
    dir="$out/$shape/$rid"; mkdir -p "$out/$shape"
    # Trim and AOT warnings are counted, not fatal, here: TreatWarningsAsErrors would stop the publish at the first.
    # shellcheck disable=SC2086
    if ! dotnet publish "$project" -c Release -r "$rid" ${shapes[$shape]} -p:DebugType=none -p:TreatWarningsAsErrors=false \
        -p:InvariantGlobalization=true -o "$dir" -nologo -clp:NoSummary >"$dir.log" 2>&1; then
      printf '%-32s %-9s publish failed (see %s)\n' "$shape" "$rid" "$dir.log" | tee -a "$out/sizes.txt"
      continue
    fi
    files=$(find "$dir" -type f | wc -l)
    disk=$(du -sb "$dir" | cut -f1)
    (cd "$dir" && zip -qr -6 "../$rid.zip" .)
    zipped=$(stat -c %s "$out/$shape/$rid.zip")
    warns=$( { grep -oE 'warning (IL|NETSDK)[0-9]+' "$dir.log" || true; } | sort -u | wc -l)
    smoke=-
    if [[ $rid == linux-x64 ]]; then
      smoke=ok
      for command in plan deploy; do
        # As the launcher starts it: inputs in the environment, no arguments.
        INPUT_COMMAND=$command INPUT_SPEC=examples/simulated-canary.yml SYSTEM_DEFAULTWORKINGDIRECTORY=$PWD \
          "$dir/zdp-task" >"$dir.$command.log" 2>&1 || smoke="$command failed (exit $?)"
      done
      # Reflection-based JSON is what trimming breaks, silently as {} when members are trimmed away.
      INPUT_COMMAND=plan INPUT_OUTPUT=json INPUT_SPEC=examples/simulated-canary.yml SYSTEM_DEFAULTWORKINGDIRECTORY=$PWD \
        "$dir/zdp-task" >"$dir.json.log" 2>&1 || smoke="json failed (exit $?)"
      grep -q '"plan":{"service"' "$dir.json.log" || smoke="$smoke; json lost its fields"
    fi
    printf '%-32s %-9s %6s %12s %12s %6s %s\n' "$shape" "$rid" "$files" "$disk" "$zipped" "$warns" "$smoke" | tee -a "$out/sizes.txt"
  done
done
