#!/usr/bin/env bash
# Prints the path of a Go toolchain (>= 1.26) for the deployment tools (helm, deploy/tools/validate), installing one
# when the machine has none: Debian's golang-go (an older Go) only serves to fetch the pinned toolchain module
# golang.org/toolchain@v0.0.1-go$GO_TOOLCHAIN_VERSION-linux-amd64 from the Go module proxy (the go command's own way of
# fetching toolchains), which is kept in $KORPU_TOOLS_DIR (default ~/.cache/korpu/tools). Idempotent.
# GO_MIN_MINOR (default 26): the least Go 1.x taken from the machine.
set -euo pipefail
cache=${KORPU_TOOLS_DIR:-$HOME/.cache/korpu/tools}
version=${GO_TOOLCHAIN_VERSION:-1.26.8}
min_minor=${GO_MIN_MINOR:-26}
log() { echo "[go] $*" >&2; }

usable() { # a go binary of version 1.$min_minor or later
  local v; v=$("$1" env GOVERSION 2>/dev/null) || return 1
  v=${v#go}; local major=${v%%.*} rest=${v#*.}; local minor=${rest%%.*}
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge "$min_minor" ]; }
}

if command -v go >/dev/null && usable "$(command -v go)"; then command -v go; exit 0; fi
pinned="$cache/go-$version/bin/go"
runs() { "$1" version >/dev/null 2>&1; }
if [ -x "$pinned" ] && runs "$pinned"; then echo "$pinned"; exit 0; fi

mkdir -p "$cache"
exec 9>"$cache/.go.lock"
flock 9
if [ -x "$pinned" ]; then echo "$pinned"; exit 0; fi
bootstrap=$(command -v go || true)
if [ -z "$bootstrap" ]; then
  log "no Go on this machine: installing Debian's golang-go to fetch Go $version"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q golang-go >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q golang-go >/dev/null; }
  bootstrap=$(command -v go)
fi
log "fetching the Go $version toolchain module from the Go module proxy (once)"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
dir=$(cd "$work" && GOPATH="$work/gopath" GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local \
  "$bootstrap" mod download -json "golang.org/toolchain@v0.0.1-go$version.linux-amd64" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$dir" ] && [ -f "$dir/bin/go" ] || { log "the toolchain module did not download"; exit 1; }
rm -rf "$cache/go-$version.tmp"
cp -r "$dir" "$cache/go-$version.tmp"
chmod -R u+w "$cache/go-$version.tmp"
# Module zips carry no file modes: mark the toolchain's programs executable, as the go command does for its toolchains.
chmod +x "$cache/go-$version.tmp"/bin/* "$cache/go-$version.tmp"/pkg/tool/*/*
mv "$cache/go-$version.tmp" "$cache/go-$version"
runs "$pinned" || { log "$pinned does not run"; exit 1; }
echo "$pinned"
