# Sourced by scripts/ensure-helm.sh, ensure-jaeger.sh, ensure-vegeta.sh and ensure-deploy-validator.sh: one cached Go build of a tool.
#   go_tool BIN WORKDIR GO-ARGS...   prints BIN; when it is missing, runs `go GO-ARGS...` in WORKDIR once (under a lock,
#                                    with the Go of scripts/ensure-go.sh, no toolchain switch) to make it.
go_tool() {
  local bin=$1 workdir=$2; shift 2
  if [ -x "$bin" ]; then echo "$bin"; return; fi
  local go; go=$(bash "$(dirname "${BASH_SOURCE[0]}")/../ensure-go.sh")
  mkdir -p "$(dirname "$bin")"
  (
    flock 9
    if [ ! -x "$bin" ]; then
      echo "[go-tool] building $(basename "$bin") (once; cached in $(dirname "$bin"))" >&2
      cd "$workdir" && GOTOOLCHAIN=local GOFLAGS="${GOFLAGS:--buildvcs=false}" "$go" "$@" >&2
    fi
  ) 9>"$bin.lock"
  [ -x "$bin" ] || { echo "[go-tool] $bin was not built" >&2; return 1; }
  echo "$bin"
}
