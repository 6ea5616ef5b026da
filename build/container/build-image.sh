#!/usr/bin/env bash
# Builds the Action's image with podman, offline: stand-in base images (lib.sh), NuGet restored on this machine and
# mounted read-only into a build with no network (inside a build container NuGet fails on this machine's extra CA;
# containers.md). Sourced by test-image.sh and measure-image.sh, or run alone:
#   build/container/build-image.sh [r2r|jit]      # leaves nothing behind: the storage root is removed on exit
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# build_image MODE TAG: restore for linux-x64 with the mode's packages, then podman build.
build_image() {
    local mode=${1:-r2r} tag=${2:-$ZDP_IMAGE} restore_props=()
    [[ "$mode" == r2r ]] && restore_props=(-p:PublishReadyToRun=true)
    log "dotnet restore -r linux-x64 ${restore_props[*]:-}"
    dotnet restore "$ZDP_ROOT/src/ZdPipelines.Hosts.GitHubActions/ZdPipelines.Hosts.GitHubActions.csproj" -r linux-x64 "${restore_props[@]}" --verbosity quiet
    local packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
    log "podman build $tag (PUBLISH_MODE=$mode, --network none)"
    pm build --pull=never --network none \
        --build-arg "SDK_IMAGE=$SDK_IMAGE" --build-arg "RUNTIME_IMAGE=$RUNTIME_IMAGE" \
        --build-arg "PUBLISH_MODE=$mode" --build-arg "PUBLISH_ARGS=-p:NuGetAudit=false" \
        -v "$packages:/root/.nuget/packages:ro" \
        -f "$ZDP_ROOT/Dockerfile" -t "$tag" "$ZDP_ROOT" >"$ZDP_TMP/build-$mode.log" 2>&1 \
        || { tail -n 40 "$ZDP_TMP/build-$mode.log" >&2; echo "error: podman build failed (PUBLISH_MODE=$mode)" >&2; return 1; }
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    podman_setup
    base_images
    build_image "${1:-r2r}" "$ZDP_IMAGE"
    log "built"; pm images; log "cleaning up"
fi
