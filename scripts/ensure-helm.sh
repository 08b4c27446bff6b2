#!/usr/bin/env bash
# Prints the path of helm $HELM_VERSION, built once from the Go module proxy (helm.sh/helm/v3/cmd/helm) with the Go of
# scripts/ensure-go.sh and kept in $KORPU_TOOLS_DIR (default ~/.cache/korpu/tools). No download of a prebuilt binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/go-tool.sh
source "$here/lib/go-tool.sh"
go_install_tool helm "${HELM_VERSION:-v3.22.0}" helm.sh/helm/v3/cmd/helm
