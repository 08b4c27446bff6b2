#!/usr/bin/env bash
# Runs a real OpenLDAP directory (Debian's `slapd`) for local development and the directory sign-in tests: an
# Active-Directory-like tree with users in groups, LDAP with StartTLS and LDAPS, on 127.0.0.1 only.
# The binaries come from scripts/ensure-slapd.sh (Debian's `slapd` + `ldap-utils`, installed once if missing).
#
#   slapd.sh start    write the configuration, seed the directory afresh, start, wait until it answers (idempotent:
#                     a server already running on these ports is left as it is)
#   slapd.sh stop     stop it (SIGTERM, then wait)
#   slapd.sh status   exit 0 when our server runs and answers a StartTLS bind
#   slapd.sh url      print the ldap:// and ldaps:// URLs
#
# Directory (suffix dc=korpu,dc=test):
#   ou=users      uid=vusal (korpu-viewers), uid=aysel (korpu-operators), uid=leyla (korpu-editors, korpu-operators),
#                 uid=rauf (korpu-admins), uid=nigar (no korpu group)
#   ou=groups     cn=korpu-viewers, cn=korpu-operators, cn=korpu-editors, cn=korpu-admins (groupOfNames, member=DN)
#   ou=services   cn=korpu-gateway: the account the gateway binds as to look users and groups up
# Passwords are generated randomly once into $SLAPD_DATA_DIR/passwords/<uid>.password (mode 600), never printed.
# Security: simple binds need TLS (`security simple_bind=128`: StartTLS or LDAPS, a plain bind is refused with
# confidentialityRequired), no anonymous bind, only signed-in accounts read, passwords are readable by nobody.
# TLS: the development PKI's localhost server certificate (certs-dev/out/tls/localhost.*, made by `npm run
# pki:generate` when missing); clients trust certs-dev/out/ca/trust-bundle.crt.
#
# Environment: SLAPD_PORT (default 3389), SLAPD_TLS_PORT (default 3636),
#              SLAPD_DATA_DIR (default <repo>/.local/slapd-$SLAPD_PORT), PKI_DIR (default <repo>/certs-dev/out).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${SLAPD_PORT:-3389}
tls_port=${SLAPD_TLS_PORT:-3636}
data=${SLAPD_DATA_DIR:-$root/.local/slapd-$port}
pki=${PKI_DIR:-$root/certs-dev/out}
suffix="dc=korpu,dc=test"
service_dn="cn=korpu-gateway,ou=services,$suffix"
slapd_bin=/usr/sbin/slapd
users=(vusal aysel leyla rauf nigar)

log() { echo "[slapd] $*" >&2; }

urls() { echo "ldap://127.0.0.1:$port ldaps://127.0.0.1:$tls_port"; }

pid_of() { [ -f "$data/slapd.pid" ] && cat "$data/slapd.pid" 2>/dev/null || true; }

running() {
  local pid
  pid=$(pid_of)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

password_of() { cat "$data/passwords/$1.password"; }

answers() {
  LDAPTLS_CACERT="$pki/ca/trust-bundle.crt" ldapwhoami -x -ZZ -H "ldap://127.0.0.1:$port" -D "$service_dn" \
    -y "$data/passwords/korpu-gateway.password" >/dev/null 2>&1
}

ensure_passwords() {
  mkdir -p "$data/passwords"
  chmod 700 "$data/passwords"
  local name
  for name in admin korpu-gateway "${users[@]}"; do
    local file="$data/passwords/$name.password"
    [ -s "$file" ] && continue
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=\n' >"$file")
  done
}

ssha() { slappasswd -T "$data/passwords/$1.password" -h '{SSHA}'; }

write_config() {
  cat >"$data/slapd.conf" <<CONF
# Written by deploy/local/slapd.sh; rewritten at every start.
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $data/slapd.pid
argsfile $data/slapd.args
loglevel stats
TLSCACertificateFile $pki/ca/trust-bundle.crt
TLSCertificateFile $pki/tls/localhost.chain.crt
TLSCertificateKeyFile $pki/tls/localhost.key
disallow bind_anon
require authc
security simple_bind=128

database mdb
maxsize 67108864
suffix "$suffix"
rootdn "cn=admin,$suffix"
rootpw $(ssha admin)
directory $data/db
index objectClass eq
index uid eq
index member eq
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
CONF
}

user_entry() {
  local uid=$1 given=$2 family=$3
  cat <<LDIF
dn: uid=$uid,ou=users,$suffix
objectClass: inetOrgPerson
uid: $uid
cn: $given $family
givenName: $given
sn: $family
mail: $uid@korpu.test
userPassword: $(ssha "$uid")

LDIF
}

group_entry() {
  local cn=$1
  shift
  echo "dn: cn=$cn,ou=groups,$suffix"
  echo "objectClass: groupOfNames"
  echo "cn: $cn"
  local member
  for member in "$@"; do echo "member: uid=$member,ou=users,$suffix"; done
  echo
}

seed() {
  rm -rf "$data/db"
  mkdir -p "$data/db"
  {
    printf 'dn: %s\nobjectClass: dcObject\nobjectClass: organization\ndc: korpu\no: Korpu test directory\n\n' "$suffix"
    for ou in users groups services; do printf 'dn: ou=%s,%s\nobjectClass: organizationalUnit\nou: %s\n\n' "$ou" "$suffix" "$ou"; done
    printf 'dn: %s\nobjectClass: applicationProcess\nobjectClass: simpleSecurityObject\ncn: korpu-gateway\nuserPassword: %s\n\n' \
      "$service_dn" "$(ssha korpu-gateway)"
    user_entry vusal Vusal Hasanov
    user_entry aysel Aysel Mammadova
    user_entry leyla Leyla Aliyeva
    user_entry rauf Rauf Guliyev
    user_entry nigar Nigar Huseynova
    group_entry korpu-viewers vusal
    group_entry korpu-operators aysel leyla
    group_entry korpu-editors leyla
    group_entry korpu-admins rauf
  } >"$data/seed.ldif"
  slapadd -q -f "$data/slapd.conf" -l "$data/seed.ldif" >"$data/slapadd.log" 2>&1 \
    || { log "slapadd failed; see $data/slapadd.log"; tail -n 20 "$data/slapadd.log" >&2; exit 1; }
  rm -f "$data/seed.ldif"
}

start() {
  [ -x "$slapd_bin" ] && command -v slapadd >/dev/null 2>&1 && command -v ldapwhoami >/dev/null 2>&1 \
    || bash "$root/scripts/ensure-slapd.sh"
  mkdir -p "$data"
  exec 9>"$data/.start.lock"
  flock 9
  if running; then
    ensure_passwords
    wait_ready
    log "already running on $(urls) (data in $data)"
    return
  fi
  for p in "$port" "$tls_port"; do
    if port_open "$p"; then log "port $p is taken by another process; set SLAPD_PORT / SLAPD_TLS_PORT"; exit 1; fi
  done
  if [ ! -f "$pki/tls/localhost.key" ]; then
    log "no development PKI in $pki: generating it"
    (cd "$root" && node -r @swc-node/register certs-dev/generate.ts >&2)
  fi
  ensure_passwords
  write_config
  seed
  log "starting on $(urls) (data in $data)"
  "$slapd_bin" -f "$data/slapd.conf" -h "ldap://127.0.0.1:$port/ ldaps://127.0.0.1:$tls_port/" -s 0 \
    >"$data/server.log" 2>&1 9>&- \
    || { log "slapd failed to start; see $data/server.log"; tail -n 30 "$data/server.log" >&2; exit 1; }
  wait_ready
  log "ready on $(urls)"
}

wait_ready() {
  local deadline=$((SECONDS + ${SLAPD_START_TIMEOUT:-30}))
  while [ $SECONDS -lt $deadline ]; do
    if answers; then return 0; fi
    if ! running; then log "server exited; see $data/server.log"; tail -n 30 "$data/server.log" >&2 || true; return 1; fi
    sleep 0.2
  done
  log "server did not answer in time; see $data/server.log"
  return 1
}

stop() {
  if ! running; then log "not running"; return 0; fi
  local pid
  pid=$(pid_of)
  kill "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { log "stopped"; return 0; }
    sleep 0.1
  done
  log "slapd $pid did not stop in 10 s"
  return 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running && answers ;;
  url) urls ;;
  *) echo "usage: $0 start|stop|status|url" >&2; exit 2 ;;
esac
