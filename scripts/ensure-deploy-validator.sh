#!/usr/bin/env bash
# Prints the path of deploy/tools/validate (strict Kubernetes manifest and compose-file validation, offline), built
# with the Go of scripts/ensure-go.sh; rebuilt only when its source or go.sum changes (cached in $KORPU_TOOLS_DIR).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${KORPU_TOOLS_DIR:-$HOME/.cache/korpu/tools}
src="$root/deploy/tools/validate"
hash=$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)
bin="$cache/validate-$hash/validate"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
go=$(bash "$root/scripts/ensure-go.sh")
mkdir -p "$cache"
exec 9>"$cache/.validate.lock"
flock 9
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
echo "[validate] building deploy/tools/validate (once per change)" >&2
(cd "$src" && GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false" "$go" build -o "$bin" .)
echo "$bin"
