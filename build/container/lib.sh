#!/usr/bin/env bash
# Shared by the scripts in build/container: a throw-away podman (storage, run root and config under one temporary
# directory, removed by a trap), and the stand-in base images. shared/reference/containers.md says why each setting
# is there: without them `podman run` fails here twice (RLIMIT_NOFILE, cgroups), and public registries are not
# reachable, so the Dockerfile's base images are built locally under the names it uses.
set -euo pipefail

ZDP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ZDP_CACHE="$ZDP_ROOT/artifacts/container"
# The Dockerfile's defaults; the stand-ins are imported under exactly these names.
SDK_IMAGE=${SDK_IMAGE:-mcr.microsoft.com/dotnet/sdk:10.0}
RUNTIME_IMAGE=${RUNTIME_IMAGE:-mcr.microsoft.com/dotnet/runtime-deps:10.0}
ZDP_IMAGE=${ZDP_IMAGE:-localhost/zdp-action:test}

log() { echo "[container] $(date -u +%H:%M:%S) $*" >&2; }

# Creates $ZDP_TMP with containers.conf, a storage root and a run root, defines `pm` (podman on them) and writes
# $ZDP_TMP/podman, a wrapper the tests call. The trap removes containers and images, unmounts what podman left
# mounted, and deletes the directory, also when the script fails.
podman_setup() {
    command -v podman >/dev/null || { echo "error: podman is not installed (apt-get install -y podman runc)" >&2; exit 1; }
    # ZDP_PODMAN_KEEP=DIR keeps the store in DIR across runs (for working on the image tests); CI never sets it.
    if [[ -n "${ZDP_PODMAN_KEEP:-}" ]]; then
        ZDP_TMP=$ZDP_PODMAN_KEEP
        mkdir -p "$ZDP_TMP"
    else
        ZDP_TMP=$(mktemp -d "${TMPDIR:-/tmp}/zdp-podman.XXXXXX")
    fi
    cat >"$ZDP_TMP/containers.conf" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
CONF
    export CONTAINERS_CONF="$ZDP_TMP/containers.conf"
    cat >"$ZDP_TMP/podman" <<WRAP
#!/bin/sh
export CONTAINERS_CONF="$ZDP_TMP/containers.conf"
exec podman --root "$ZDP_TMP/storage" --runroot "$ZDP_TMP/run" "\$@"
WRAP
    chmod +x "$ZDP_TMP/podman"
    [[ -n "${ZDP_PODMAN_KEEP:-}" ]] || trap podman_cleanup EXIT
}

pm() { "$ZDP_TMP/podman" "$@"; }

podman_cleanup() {
    local status=$?
    set +e  # best effort from here: one failed step must not leave the rest undone
    if [[ -n "${ZDP_TMP:-}" && -d "$ZDP_TMP" ]]; then
        pm rm -af >/dev/null 2>&1 || true
        pm rmi -af >/dev/null 2>&1 || true
        # A failed run can leave overlay layers mounted; rm -rf would fail on them.
        if [[ -d "$ZDP_TMP/storage/overlay" ]]; then
            { grep -o " $ZDP_TMP/storage[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
        fi
        # conmon starts `podman container cleanup` when a container exits; it would re-create the store after rm.
        for _ in $(seq 50); do pgrep -f -- "--root $ZDP_TMP/storage" >/dev/null || break; sleep 0.1; done
        rm -rf "$ZDP_TMP" 2>/dev/null || { sleep 1; rm -rf "$ZDP_TMP" || true; }
    fi
    exit $status
}

# The Debian mirror apt is configured with (deb822 .sources first, then sources.list), so debootstrap reaches the
# same packages apt does.
debian_mirror() {
    local uri
    uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v -- '-security' | head -n1 || true)
    if [[ -z "$uri" ]]; then
        uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | grep -v -- '-security' | awk '{for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit }}' | head -n1 || true)
    fi
    echo "${uri:-http://deb.debian.org/debian}"
}

# A minimal Debian bookworm root file system with CA certificates and OpenSSL, as a tarball cached under artifacts/
# (CI starts without it; a developer's second run skips the 30-60 s debootstrap).
rootfs_tarball() {
    local tarball="$ZDP_CACHE/rootfs-bookworm-minbase.tar"
    if [[ ! -s "$tarball" ]]; then
        command -v debootstrap >/dev/null || { echo "error: debootstrap is not installed (apt-get install -y debootstrap)" >&2; exit 1; }
        mkdir -p "$ZDP_CACHE"
        local rootfs="$ZDP_TMP/rootfs"
        log "debootstrap bookworm (minbase) from $(debian_mirror)"
        debootstrap --variant=minbase --include=ca-certificates,libssl3 bookworm "$rootfs" "$(debian_mirror)" >"$ZDP_TMP/debootstrap.log" 2>&1 \
            || { tail -n 30 "$ZDP_TMP/debootstrap.log" >&2; exit 1; }
        # apt's lists and caches only make the image bigger.
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/*
        tar -C "$rootfs" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
        rm -rf "$rootfs"
    fi
    echo "$tarball"
}

# The stand-ins: the runtime image is the rootfs; the SDK image is the rootfs plus this machine's .NET SDK.
base_images() {
    local tarball dotnet_root
    tarball=$(rootfs_tarball)
    log "import $RUNTIME_IMAGE"
    pm import -q "$tarball" "$RUNTIME_IMAGE" >/dev/null
    dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    log "import $SDK_IMAGE (rootfs + $dotnet_root)"
    # The rootfs at /, this machine's SDK at /usr/share/dotnet (appended to a copy of the rootfs tarball).
    cp "$tarball" "$ZDP_TMP/sdk.tar"
    tar -C / -rf "$ZDP_TMP/sdk.tar" --transform "flags=rh;s|^${dotnet_root#/}|usr/share/dotnet|" "${dotnet_root#/}"
    pm import -q \
        --change 'ENV PATH=/usr/share/dotnet:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV DOTNET_ROOT=/usr/share/dotnet' \
        --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1' \
        "$ZDP_TMP/sdk.tar" "$SDK_IMAGE" >/dev/null
    rm -f "$ZDP_TMP/sdk.tar"
}
