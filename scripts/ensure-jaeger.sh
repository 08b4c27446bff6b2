#!/usr/bin/env bash
# Prints the path of Jaeger $JAEGER_VERSION (cmd/jaeger: OTLP receiver, in-memory store and query API in one process),
# built once from the Go module proxy with the Go of scripts/ensure-go.sh and kept in $KORPU_TOOLS_DIR (default
# ~/.cache/korpu/tools). For the trace end-to-end test; no download of a prebuilt binary. Jaeger's go.mod has replace
# directives, so `go install module@version` refuses it: the module source is downloaded (go mod download, checked
# against the checksum database) and built in place.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KORPU_TOOLS_DIR:-$HOME/.cache/korpu/tools}
version=${JAEGER_VERSION:-v1.76.0}
bin="$cache/jaeger-$version/jaeger"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
# shellcheck source=lib/go-tool.sh
source "$here/lib/go-tool.sh"
go=$(bash "$here/ensure-go.sh")
mkdir -p "$cache"
src=$(cd "$cache" && GOTOOLCHAIN=local GOFLAGS=-mod=mod "$go" mod download -json "github.com/jaegertracing/jaeger@$version" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$src" ] && [ -d "$src/cmd/jaeger" ] || { echo "[jaeger] the module source did not download" >&2; exit 1; }
go_tool "$bin" "$src" build -trimpath -o "$bin" ./cmd/jaeger
