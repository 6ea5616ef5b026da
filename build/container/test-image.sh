#!/usr/bin/env bash
# Builds the Action's image with podman and runs it as GitHub's runner does (tests/ZdPipelines.Hosts.GitHubActions.Tests,
# Category=Image: mounts, INPUT_*/GITHUB_* variables, --network host, signals on GitHub's cancel timing). Everything
# lives in a throw-away podman storage root that the trap removes. `./build.sh TestImage` and .ci/run call this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-image.sh"

started=$(date +%s)
# .ci/run starts the base images' debootstrap in the background (ZDP_ROOTFS_PID) while the unit tests run: wait for it,
# so two debootstraps never write the same cache.
if [[ -n "${ZDP_ROOTFS_PID:-}" ]]; then
    while kill -0 "$ZDP_ROOTFS_PID" 2>/dev/null; do sleep 1; done
fi
podman_setup
base_images
build_image r2r "$ZDP_IMAGE"
log "image $(pm image inspect --format '{{.Size}}' "$ZDP_IMAGE" | awk '{printf "%.0f MB", $1 / 1000000}')"
configuration=${CONFIGURATION:-$([[ "${CI:-}" == true ]] && echo Release || echo Debug)}
log "image tests ($configuration)"
ZDP_PODMAN="$ZDP_TMP/podman" ZDP_TEST_IMAGE="$ZDP_IMAGE" dotnet test "$ZDP_ROOT/tests/ZdPipelines.Hosts.GitHubActions.Tests" \
    -c "$configuration" --filter "Category=Image" --logger "console;verbosity=normal" \
    --results-directory "$ZDP_ROOT/artifacts/test-results" --logger "trx;LogFileName=image-tests.trx"
log "done in $(( $(date +%s) - started )) s"
