#!/usr/bin/env bash
# Only the debootstrap of the stand-in base images' root file system, cached under artifacts/container. .ci/run
# starts it in the background while the unit tests run (it waits on the network and the disk, they on the CPU), so
# the image tests that follow find it ready.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ZDP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/zdp-rootfs.XXXXXX")
trap 'rm -rf "$ZDP_TMP"' EXIT
rootfs_tarball >/dev/null
log "rootfs ready: $ZDP_CACHE/rootfs-bookworm-minbase.tar"
