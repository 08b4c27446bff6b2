#!/usr/bin/env bash
# Makes sure the PostgreSQL server binaries (initdb, pg_ctl, postgres, pg_isready, psql) are installed and
# prints the directory that holds them on stdout. Installs Debian's `postgresql` package when they are missing.
#
#   scripts/ensure-postgres.sh        -> /usr/lib/postgresql/<version>/bin
#
# The Debian package would normally create and start a default cluster on port 5432; we turn that off:
# the project runs its own clusters through deploy/local/postgres.sh.
set -euo pipefail

log() { echo "[ensure-postgres] $*" >&2; }

find_bin_dir() {
  local dir
  # Prefer the versioned Debian layout (highest version first), then whatever is on PATH.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dir=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  fi
  return 1
}

if dir=$(find_bin_dir); then echo "$dir"; exit 0; fi

command -v apt-get >/dev/null || { log "PostgreSQL is not installed and apt-get is not available; install PostgreSQL 15+ by hand"; exit 1; }
sudo=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { log "installing PostgreSQL needs root (or sudo)"; exit 1; }
  sudo="sudo"
fi

log "installing Debian's postgresql package (once)"
$sudo mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" | $sudo tee /etc/postgresql-common/createcluster.d/korpu-no-main-cluster.conf >/dev/null
export DEBIAN_FRONTEND=noninteractive
if ! $sudo apt-get install -y -q --no-install-recommends postgresql >&2; then
  log "install failed; refreshing the package lists and retrying"
  $sudo apt-get update -q >&2
  $sudo apt-get install -y -q --no-install-recommends postgresql >&2
fi

dir=$(find_bin_dir) || { log "postgresql was installed but initdb/pg_ctl were not found"; exit 1; }
echo "$dir"
