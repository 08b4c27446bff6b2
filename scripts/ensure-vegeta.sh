#!/usr/bin/env bash
# Prints the path of vegeta $VEGETA_VERSION (an open-loop HTTP load generator: requests sent at a constant rate whatever
# the answers' latency), built once from the Go module proxy (github.com/tsenart/vegeta/v12) with the Go of
# scripts/ensure-go.sh and kept in $KORPU_TOOLS_DIR (default ~/.cache/korpu/tools). For the bench's fixed-rate cases
# (autocannon's overallRate sends each connection's quota for the second back to back at the top of the second: bursts,
# not a rate). No download of a prebuilt binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=lib/go-tool.sh
source "$here/lib/go-tool.sh"
go_install_tool vegeta "${VEGETA_VERSION:-v12.13.0}" github.com/tsenart/vegeta/v12
