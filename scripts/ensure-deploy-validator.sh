#!/usr/bin/env bash
# Prints the path of deploy/tools/validate (strict Kubernetes manifest and compose-file validation, offline), built
# with the Go of scripts/ensure-go.sh; rebuilt only when its source or go.sum changes (cached in $KORPU_TOOLS_DIR).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KORPU_TOOLS_DIR:-$HOME/.cache/korpu/tools}
src="$here/../deploy/tools/validate"
hash=$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)
# shellcheck source=lib/go-tool.sh
source "$here/lib/go-tool.sh"
GOFLAGS="-mod=readonly -buildvcs=false" go_tool "$cache/validate-$hash/validate" "$src" build -o "$cache/validate-$hash/validate" .
