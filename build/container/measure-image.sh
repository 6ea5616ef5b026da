#!/usr/bin/env bash
# Measures the Action's image per publish mode: image size, and the time from `podman run` to the first platform
# call (the first AWS API request of an awsAlb deploy, arriving at a listener on 127.0.0.1 that records when it
# came). The bench runs this (`./build.sh Bench --bench-args=--image`); it is no test and asserts nothing.
#   build/container/measure-image.sh [modes...]     default: jit r2r trimmed aot (aot needs clang and lld)
# Each mode is published on this machine and copied onto the same stand-in runtime base, so only the app differs;
# the Dockerfile's own build (tested by test-image.sh) produces the same app for jit and r2r.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

modes=("$@")
[[ ${#modes[@]} -gt 0 ]] || modes=(jit r2r trimmed aot)
runs=${ZDP_MEASURE_RUNS:-5}
podman_setup
log "import $RUNTIME_IMAGE"
pm import -q "$(rootfs_tarball)" "$RUNTIME_IMAGE" >/dev/null
project="$ZDP_ROOT/src/ZdPipelines.Hosts.GitHubActions/ZdPipelines.Hosts.GitHubActions.csproj"
common=(-c Release -r linux-x64 -p:RunAnalyzers=false -p:NuGetAudit=false -p:DebugType=none)

publish() { # mode dir -> 0 if published
    local mode=$1 out=$2
    case "$mode" in
        jit) dotnet publish "$project" "${common[@]}" --self-contained -o "$out" ;;
        r2r) dotnet publish "$project" "${common[@]}" --self-contained -p:PublishReadyToRun=true -o "$out" ;;
        # Trimming and AOT warn about reflection in the CLI's and platforms' JSON (IL2026/IL3050): reported, not errors here.
        trimmed) dotnet publish "$project" "${common[@]}" --self-contained -p:PublishTrimmed=true -p:TreatWarningsAsErrors=false -o "$out" ;;
        aot) command -v clang >/dev/null && command -v ld.lld >/dev/null || { echo "aot needs clang and lld (apt-get install -y clang lld)"; return 1; }
             # The CLI writes its JSON with reflection: without this it fails at run time under AOT (see README).
             dotnet publish "$project" "${common[@]}" -p:PublishAot=true -p:JsonSerializerIsReflectionEnabledByDefault=true -p:TreatWarningsAsErrors=false -o "$out" ;;
    esac
}

# first_call_ms IMAGE: milliseconds from just before `podman run` to the first request at a fresh listener.
first_call_ms() {
    local image=$1 dir port t0 t1
    dir=$(mktemp -d "$ZDP_TMP/run.XXXX")
    python3 - "$dir/port" "$dir/first" <<'PY' &
import socket, sys, time
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen(1)
server.settimeout(60)
open(sys.argv[1], "w").write(str(server.getsockname()[1]))
connection, _ = server.accept()
open(sys.argv[2], "w").write(f"{time.time():.6f}")
connection.recv(65536)
connection.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
connection.close()
server.close()
PY
    local listener=$!
    while [[ ! -s "$dir/port" ]]; do sleep 0.05; done
    port=$(cat "$dir/port")
    mkdir -p "$dir/ws"
    cat >"$dir/ws/zdp.yml" <<SPEC
name: shop-api
platform:
  type: awsAlb
  awsAlb:
    region: eu-west-1
    endpointUrl: http://127.0.0.1:$port
    listenerArn: arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2
    targetGroupArns:
      - arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-blue/73e2d6bc24d8a067
      - arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-green/09a3f2b6a8c9e1d0
strategy:
  canary:
    steps:
      - setWeight: 10
SPEC
    t0=$(date +%s.%N)
    AWS_ACCESS_KEY_ID=measure AWS_SECRET_ACCESS_KEY=measure AWS_MAX_ATTEMPTS=1 \
        pm run --rm --network host --pull never -w /github/workspace -v "$dir/ws:/github/workspace" \
        -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY -e AWS_MAX_ATTEMPTS -e INPUT_SPEC=zdp.yml -e INPUT_SUMMARY=false \
        "$image" >"$dir/log" 2>&1 || true
    wait "$listener" || true
    if [[ -s "$dir/first" ]]; then
        t1=$(cat "$dir/first")
        awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 1000 }'
    else
        echo "no-call"
        tail -n 5 "$dir/log" >&2
    fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else print v[int((NR + 1) / 2)] }'; }

baseline=()
for _ in $(seq "$runs"); do
    t0=$(date +%s%N); pm run --rm --network host --pull never --entrypoint /bin/true "$RUNTIME_IMAGE"; t1=$(date +%s%N)
    baseline+=($(( (t1 - t0) / 1000000 )))
done

report="$ZDP_CACHE/image-bench.txt"
{
    echo "Container image (podman $(podman --version | awk '{print $3}'), stand-in debian bookworm minbase runtime base $(pm image inspect --format '{{.Size}}' "$RUNTIME_IMAGE" | awk '{printf "%.0f MB", $1 / 1000000}'), median of $runs runs)"
    echo
    printf '%-8s %9s %9s %14s %s\n' mode image app first-call note
    printf '%-8s %9s %9s %14s %s\n' base - - "$(printf '%s\n' "${baseline[@]}" | median) ms" "podman run of /bin/true: the container's own cost"
} >"$report"
for mode in "${modes[@]}"; do
    out="$ZDP_TMP/publish-$mode"
    log "publish $mode"
    started=$(date +%s)
    if ! publish "$mode" "$out" >"$ZDP_TMP/publish-$mode.log" 2>&1; then
        printf '%-8s %9s %9s %14s %s\n' "$mode" - - - "publish failed: $(grep -m1 -E 'error|aot needs' "$ZDP_TMP/publish-$mode.log" | cut -c1-120)" >>"$report"
        continue
    fi
    took=$(( $(date +%s) - started ))
    warnings=$( { grep -oE 'warning IL[0-9]+' "$ZDP_TMP/publish-$mode.log" || true; } | sort -u | wc -l)
    printf 'FROM %s\nCOPY publish-%s /app\nENTRYPOINT ["/app/zdp-action"]\n' "$RUNTIME_IMAGE" "$mode" >"$ZDP_TMP/Containerfile.$mode"
    pm build -q --pull=never --network none -f "$ZDP_TMP/Containerfile.$mode" -t "localhost/zdp-measure:$mode" "$ZDP_TMP" >/dev/null
    size=$(pm image inspect --format '{{.Size}}' "localhost/zdp-measure:$mode" | awk '{printf "%.0f MB", $1 / 1000000}')
    app=$(du -sm "$out" | awk '{print $1 " MB"}')
    times=()
    for _ in $(seq "$runs"); do times+=("$(first_call_ms "localhost/zdp-measure:$mode")"); done
    if printf '%s\n' "${times[@]}" | grep -q no-call; then
        first="no call"
        note="publish ${took}s, $warnings kind(s) of IL warning; the run never reached the platform"
    else
        first="$(printf '%s\n' "${times[@]}" | median) ms"
        note="publish ${took}s, $warnings kind(s) of IL warning"
    fi
    printf '%-8s %9s %9s %14s %s\n' "$mode" "$size" "$app" "$first" "$note" >>"$report"
done
cat "$report"
