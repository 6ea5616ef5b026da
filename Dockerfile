# The image behind action.yml (runs: using: docker). Published pre-built by .github/workflows/release.yml so a
# workflow only pulls it; a fork or an air-gapped runner can point action.yml's image at this file instead
# (docs/github-action.md). Rules for Docker actions (GitHub docs dockerfile-support.md): no USER, no reliance on
# WORKDIR (the runner mounts the workspace and makes it the working directory), an exec-form ENTRYPOINT with an
# absolute path, so zdp-action is PID 1 and receives the runner's SIGINT and SIGTERM itself.
#
# Base images are build arguments: the defaults are Microsoft's public images; build/container/ builds stand-ins
# under these names where no registry is reachable.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/runtime-deps:10.0

FROM ${SDK_IMAGE} AS build
# r2r: self-contained, ReadyToRun-compiled: the default (README "Container image" has the numbers behind it).
# jit: the same without ReadyToRun.
# Extra arguments for `dotnet publish` (e.g. -p:NuGetAudit=false offline).
# Analyzers are off here: CI's Compile has run them on the same sources, and they double the image build's time.
ARG PUBLISH_MODE=r2r
ARG PUBLISH_ARGS=""
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
WORKDIR /src
COPY . .
RUN case "$PUBLISH_MODE" in \
      jit) mode="" ;; \
      r2r) mode="-p:PublishReadyToRun=true" ;; \
      *) echo "PUBLISH_MODE must be jit or r2r, not '$PUBLISH_MODE'" >&2; exit 2 ;; \
    esac \
    && dotnet publish src/ZdPipelines.Hosts.GitHubActions/ZdPipelines.Hosts.GitHubActions.csproj \
         -c Release -r linux-x64 --self-contained -o /app -p:RunAnalyzers=false -p:EnforceCodeStyleInBuild=false $mode $PUBLISH_ARGS \
    && dotnet build-server shutdown >/dev/null \
    && rm -f /app/*.pdb

FROM ${RUNTIME_IMAGE}
COPY --from=build /app /app
ENTRYPOINT ["/app/zdp-action"]
