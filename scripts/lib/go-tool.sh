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

#   go_install_tool NAME VERSION MODULE   prints the path of NAME, made once by `go install MODULE@VERSION` into
#                                         $KORPU_TOOLS_DIR/NAME-VERSION (default ~/.cache/korpu/tools).
go_install_tool() {
  local name=$1 version=$2 module=$3
  local cache=${KORPU_TOOLS_DIR:-$HOME/.cache/korpu/tools}
  GOBIN="$cache/$name-$version" go_tool "$cache/$name-$version/$name" "$cache" install "$module@$version"
}
