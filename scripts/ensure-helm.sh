#!/usr/bin/env bash
# Prints the path of helm $HELM_VERSION, built once from the Go module proxy (helm.sh/helm/v3/cmd/helm) with the Go of
# scripts/ensure-go.sh and kept in $KORPU_TOOLS_DIR (default ~/.cache/korpu/tools). No download of a prebuilt binary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KORPU_TOOLS_DIR:-$HOME/.cache/korpu/tools}
version=${HELM_VERSION:-v3.22.0}
bin="$cache/helm-$version/helm"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
go=$(bash "$root/scripts/ensure-go.sh")
mkdir -p "$cache"
exec 9>"$cache/.helm.lock"
flock 9
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
echo "[helm] building helm $version from the Go module proxy (once, a few minutes)" >&2
(cd "$cache" && GOBIN="$cache/helm-$version" GOTOOLCHAIN=local GOFLAGS=-buildvcs=false "$go" install "helm.sh/helm/v3/cmd/helm@$version")
echo "$bin"
