#!/usr/bin/env bash
# Runs a real single-node Apache Kafka 4.x broker (KRaft, combined broker + controller) on 127.0.0.1.
# The jars come from Maven Central through deploy/local/kafka/pom.xml and are cached in deploy/local/kafka/lib.
#
#   kafka.sh start              fetch jars if needed, format the log directory once, start, wait until ready (idempotent)
#   kafka.sh stop               stop the broker cleanly (SIGTERM, then wait)
#   kafka.sh kill               SIGKILL the broker (fault tests)
#   kafka.sh status             exit 0 when a broker answers on the port (authenticated as the admin principal)
#   kafka.sh provision PREFIX   as the admin principal: the ACLs of every app principal on topics PREFIX.*, and
#                               the topics that do not depend on contracts (replies, retry tiers, dead-letter)
#
# Security: the broker is closed by default.
#   - Clients authenticate with SASL SCRAM-SHA-512 on the client listener. By default it is SASL_PLAINTEXT, bound to
#     127.0.0.1 only (no network to cross; the tests and `npm start` stay fast and need no CA). KAFKA_TLS=1 makes it
#     SASL_SSL, as a broker reached over a network must be: see "TLS" below. Principals: korpu-broker (inter-broker, super user), korpu-admin
#     (provisioning, super user), korpu-gateway, korpu-dispatcher, korpu-partner-endpoint, korpu-subsystem (one per
#     app role, ACLs only), and korpu-outsider (authenticates, has no ACLs: the security tests use it).
#   - Their passwords are generated randomly once into $KAFKA_SECRETS_DIR (default <repo>/.local/kafka-credentials,
#     git-ignored, one <principal>.password file each, mode 600) and bootstrapped into the metadata log when the log
#     directory is formatted (StorageTool format --add-scram). They are never printed. Apps get a password file
#     (KAFKA_SASL_PASSWORD_FILE) from scripts/launch.ts and test/support/stack.ts.
#   - Authorisation: KRaft's StandardAuthorizer, allow.everyone.if.no.acl.found=false, super.users = broker and
#     admin only. What each app may produce, consume and create is in libs/messaging/src/kafka-access.ts; ACLs are
#     PREFIXED patterns on the deployment's topic prefix, written by `provision` (npm start: korpu; tests: one per stack).
#   - The CONTROLLER listener is loopback-only too but not PLAINTEXT: the broker authenticates to its controller with
#     SASL PLAIN (a static JAAS user, since SCRAM credentials live in the metadata the controller serves). A PLAINTEXT
#     controller listener would make its callers User:ANONYMOUS, which then needs super-user rights for broker
#     registration, and admin clients can reach a KRaft controller directly (KIP-919): an open door on the host.
#   - A log directory formatted otherwise (before SASL, or with other credentials) is recognised by its marker file
#     ($data/korpu-security) and formatted again (its data is dropped); a running broker of that kind is restarted.
#
# TLS (KAFKA_TLS=1, single broker and cluster alike): the client listener (clients and inter-broker traffic) speaks
#   SASL_SSL with a PEM keystore. The certificate is the development PKI's Kafka broker certificate
#   (certs-dev/out/tls/kafka-broker.{chain.crt,key}, SAN localhost + 127.0.0.1, issued by the dev intermediate; the
#   PKI is generated once, idempotently, by certs-dev/generate.ts into KAFKA_PKI_DIR, default <repo>/certs-dev/out), or
#   KAFKA_TLS_CERT_FILE (certificate chain, PEM) + KAFKA_TLS_KEY_FILE (unencrypted PKCS#8 PEM) + KAFKA_TLS_CA_FILE (the
#   CA bundle the brokers verify each other, and client certificates, against; default the PKI's ca/trust-bundle.crt).
#   They are copied at start into $data/tls/ (mode 600); the running broker is restarted when they or KAFKA_TLS change.
#   KAFKA_TLS_CLIENT_AUTH=none (default) | requested | required: client certificates (mutual TLS) on top of SASL.
#   Clients: KAFKA_SSL=true KAFKA_SSL_CA_FILE=<the CA bundle> (libs/messaging/src/kafka.config.ts); `provision` and
#   the readiness probe do so themselves.
#
# Environment: KAFKA_PORT (default 9092), KAFKA_CONTROLLER_PORT (default KAFKA_PORT+1),
#              KAFKA_DATA_DIR (default <repo>/.local/kafka-$KAFKA_PORT), KAFKA_HEAP (default 768m),
#              KAFKA_SECRETS_DIR (default <repo>/.local/kafka-credentials), KAFKA_NETWORK_THREADS / KAFKA_IO_THREADS
#              (default 1 / 2, read when the broker starts: sized for a few cores).
#
# Three-node cluster (KRaft, three combined controller+broker nodes, the same SASL/ACL/authorizer set-up and
# credentials as the single broker; replicated internal topics, min.insync.replicas=2):
#   kafka.sh cluster start             format each node's log directory once (one cluster id), start the nodes that
#                                      are not running, wait until all three brokers are registered (idempotent)
#   kafka.sh cluster stop              stop every node (SIGTERM, then wait)
#   kafka.sh cluster kill N            SIGKILL node N (1-3; fault tests)
#   kafka.sh cluster restart N         start node N again (stopped cleanly first if it runs), wait until it is
#                                      registered and every partition is fully in sync again
#   kafka.sh cluster status            exit 0 when all three brokers are registered
#   kafka.sh cluster in-sync           exit 0 when every partition's ISR holds all its replicas
#   kafka.sh cluster brokers           print the bootstrap list (host:port,host:port,host:port)
#   kafka.sh cluster provision PREFIX  as `provision`, with KAFKA_PROFILE=production (replication factor 3,
#                                      min.insync.replicas 2) against the three brokers
# Port layout from KAFKA_CLUSTER_PORT=B (default 29092): node N's client listener is B+2(N-1), its controller
#   listener B+2(N-1)+1 — so B..B+5 (e.g. 29092-29097). Data in KAFKA_CLUSTER_DIR (default
#   <repo>/.local/kafka-cluster-B)/node-N; heap per node KAFKA_CLUSTER_HEAP (default 512m: the three nodes take
#   about 2.2 GB resident in all).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-$((port + 1))}
data=${KAFKA_DATA_DIR:-$root/.local/kafka-$port}
heap=${KAFKA_HEAP:-768m}
network_threads=${KAFKA_NETWORK_THREADS:-1}
io_threads=${KAFKA_IO_THREADS:-2}
secrets=${KAFKA_SECRETS_DIR:-$root/.local/kafka-credentials}
tls=${KAFKA_TLS:-0}
tls_client_auth=${KAFKA_TLS_CLIENT_AUTH:-none}
pki=${KAFKA_PKI_DIR:-$root/certs-dev/out}
lib="$here/kafka/lib"
pidfile="$data/kafka.pid"
marker="$data/korpu-security"
# What write_properties writes: the single broker by default, a cluster node after use_cluster_node.
node_id=1
voters="1@127.0.0.1:$controller_port"
replication=1
min_isr=1
principals="korpu-broker korpu-admin korpu-gateway korpu-dispatcher korpu-partner-endpoint korpu-subsystem korpu-outsider"

log() { echo "[kafka] $*" >&2; }
case "$network_threads" in ''|*[!0-9]*|0) log "KAFKA_NETWORK_THREADS must be a positive integer, got '$network_threads'"; exit 2 ;; esac
case "$io_threads" in ''|*[!0-9]*|0) log "KAFKA_IO_THREADS must be a positive integer, got '$io_threads'"; exit 2 ;; esac
case "$tls" in 0|1) ;; *) log "KAFKA_TLS must be 0 or 1, got '$tls'"; exit 2 ;; esac
case "$tls_client_auth" in none|requested|required) ;; *) log "KAFKA_TLS_CLIENT_AUTH must be none, requested or required, got '$tls_client_auth'"; exit 2 ;; esac
# shellcheck source=kafka/render-properties.sh
source "$here/kafka/render-properties.sh"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch_jars() {
  if [ -f "$lib/.complete" ]; then return; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is required to fetch Kafka from Maven Central"; exit 1; }
  log "fetching Apache Kafka jars from Maven Central (once)"
  rm -rf "$lib"
  (cd "$here/kafka" && mvn -q -B package)
  touch "$lib/.complete"
}

# One random password per principal, generated once (192 bits in hex: no quoting in JAAS or --add-scram).
ensure_secrets() {
  (umask 077; mkdir -p "$secrets")
  local principal file
  for principal in $principals; do
    file="$secrets/$principal.password"
    [ -s "$file" ] && continue
    (umask 077; od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$file")
  done
}

secret() { cat "$secrets/$1.password"; }

# What the log directory must have been formatted with; a fingerprint of the passwords, not the passwords.
expected_marker() {
  local fingerprint; fingerprint=$(for p in $principals; do printf '%s:%s\n' "$p" "$(secret "$p")"; done | sha256sum | cut -c1-16)
  echo "sasl=SCRAM-SHA-512 authorizer=StandardAuthorizer principals=${principals// /,} credentials=$fingerprint${marker_extra:-}"
}

formatted_as_expected() { [ -f "$data/data/meta.properties" ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$(expected_marker)" ]; }

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# ---- TLS (KAFKA_TLS=1) ---------------------------------------------------------------------------------------------
tls_cert() { echo "${KAFKA_TLS_CERT_FILE:-$pki/tls/kafka-broker.chain.crt}"; }
tls_key() { echo "${KAFKA_TLS_KEY_FILE:-$pki/tls/kafka-broker.key}"; }
tls_ca() { echo "${KAFKA_TLS_CA_FILE:-$pki/ca/trust-bundle.crt}"; }

# The dev PKI, unless all three files are given (generated once; certs-dev/generate.ts keeps a complete one).
ensure_tls_material() {
  [ "$tls" = 1 ] || return 0
  if [ -z "${KAFKA_TLS_CERT_FILE:-}${KAFKA_TLS_KEY_FILE:-}${KAFKA_TLS_CA_FILE:-}" ]; then
    (cd "$root" && node -r @swc-node/register certs-dev/generate.ts --out "$pki" >/dev/null)
  fi
  local file
  for file in "$(tls_cert)" "$(tls_key)" "$(tls_ca)"; do [ -r "$file" ] || { log "TLS: cannot read $file (KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE, KAFKA_TLS_CA_FILE)"; exit 1; }; done
}

# What the client listener runs with: its protocol and, with TLS, a fingerprint of the certificate and CA (not the key).
expected_listener() {
  if [ "$tls" = 1 ]; then
    echo "SASL_SSL client-auth=$tls_client_auth material=$(cat "$(tls_cert)" "$(tls_ca)" | sha256sum | cut -c1-16)"
  else
    echo SASL_PLAINTEXT
  fi
}
# (No record: a broker started before TLS existed here, hence SASL_PLAINTEXT.)
listener_as_expected() { [ "$(cat "$data/korpu-listener" 2>/dev/null || echo SASL_PLAINTEXT)" = "$(expected_listener)" ]; }
running_tls() { [ -f "$data/korpu-listener" ] && grep -q '^SASL_SSL' "$data/korpu-listener"; }

# Copies the key and chain into one PEM keystore, and the CA bundle, into $data/tls (what the broker reads).
install_tls_material() {
  rm -rf "$data/tls"
  [ "$tls" = 1 ] || return 0
  (umask 077; mkdir -p "$data/tls"; cat "$(tls_key)" "$(tls_cert)" > "$data/tls/broker.pem"; cp "$(tls_ca)" "$data/tls/ca.crt"
   cp "$(tls_cert)" "$data/tls/broker.chain.crt"; cp "$(tls_key)" "$data/tls/broker.key")
}

# The environment of a Node client (kafka-ready.js, provisioning) talking to the broker(s) of $data as it runs.
client_tls_env() {
  if running_tls; then
    echo "KAFKA_SSL=true KAFKA_SSL_CA_FILE=$data/tls/ca.crt"
    if ! grep -q 'client-auth=none' "$data/korpu-listener"; then echo "KAFKA_SSL_CERT_FILE=$data/tls/broker.chain.crt KAFKA_SSL_KEY_FILE=$data/tls/broker.key"; fi
  fi
}

ready_probe() { env $(client_tls_env) node "$here/kafka-ready.js" "127.0.0.1:$port" korpu-admin "$secrets/korpu-admin.password"; }

wait_ready() {
  # Ready means the broker answers an authenticated metadata request, not only that the port is open.
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  while [ $SECONDS -lt $deadline ]; do
    if port_open "$port" && ready_probe >/dev/null 2>&1; then return 0; fi
    if ! running_pid >/dev/null; then log "broker exited; see $data/logs/server.log and $data/stdout.log"; tail -n 30 "$data/stdout.log" >&2 || true; return 1; fi
    sleep 0.5
  done
  log "broker did not become ready in time"; return 1
}

write_properties() {
  render_properties "$here/kafka/server.properties.template" "$data/server.properties" \
    NODE_ID "$node_id" VOTERS "$voters" \
    LISTENERS "CLIENT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port" ADVERTISED "CLIENT://127.0.0.1:$port" \
    BROKER_PASSWORD "$(secret korpu-broker)" LOG_DIRS "$data/data" REPLICATION "$replication" MIN_ISR "$min_isr" \
    CLIENT_PROTOCOL "$([ "$tls" = 1 ] && echo SASL_SSL || echo SASL_PLAINTEXT)"
  if [ "$tls" = 1 ]; then client_tls_properties "$data/tls/broker.pem" "$data/tls/ca.crt" "$tls_client_auth" >> "$data/server.properties"; fi
  # Threads sized for a developer's or CI's few cores (Kafka's defaults, 3 network and 8 request handler threads, are a
  # server's): each request hands off between them, and on 2 cores fewer threads cost less per request. A compose or
  # production node keeps the defaults (its own start-node.sh).
  printf 'num.network.threads=%s\nnum.io.threads=%s\n' "$network_threads" "$io_threads" >> "$data/server.properties"
}

new_cluster_id() { java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1; }

format_once() {
  formatted_as_expected && return
  if [ -d "$data/data" ]; then log "log directory was formatted without these credentials (or before SASL): formatting it again, its data is dropped"; fi
  rm -rf "$data/data" "$marker"
  local cp="$lib/*" cluster_id principal
  local scram=()
  for principal in $principals; do scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(secret "$principal")]"); done
  cluster_id=${shared_cluster_id:-$(new_cluster_id)}
  java -Dlog4j2.configurationFile="$here/kafka/log4j2.yaml" -Dkafka.logs.dir="$data/logs" -cp "$cp" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" "${scram[@]}" >/dev/null
  expected_marker > "$marker"
}

start() {
  ensure_secrets
  ensure_tls_material
  if running_pid >/dev/null && port_open "$port"; then
    if ! listener_as_expected; then
      log "the running broker's client listener differs from the one asked for ($(expected_listener | cut -d' ' -f1-2), KAFKA_TLS or its certificate changed); restarting it"
    elif formatted_as_expected; then
      wait_ready; log "already running on 127.0.0.1:$port (pid $(running_pid))"; return
    else
      log "the running broker was not started with SASL and these credentials; restarting it"
    fi
    stop
  fi
  if port_open "$port"; then log "port $port is taken by another process; set KAFKA_PORT"; exit 1; fi
  fetch_jars
  mkdir -p "$data/logs"
  install_tls_material
  write_properties
  format_once
  log "starting on 127.0.0.1:$port ($(expected_listener | cut -d' ' -f1-2) SCRAM-SHA-512, ACLs; data in $data, credentials in $secrets)"
  launch
  wait_ready
  log "ready on 127.0.0.1:$port (pid $(cat "$pidfile"))"
}

# Starts the JVM of the current node in the background; it does not inherit the start lock (9>&-).
launch() {
  nohup java -Xms256m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/kafka/log4j2.yaml" -Dkafka.logs.dir="$data/logs" \
    -cp "$lib/*" kafka.Kafka "$data/server.properties" >"$data/stdout.log" 2>&1 9>&- &
  echo $! > "$pidfile"
  expected_listener > "$data/korpu-listener"
}

stop() {
  local pid; pid=$(running_pid) || { log "not running"; rm -f "$pidfile"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "broker did not stop in 60s; killing"; kill -KILL "$pid"; fi
  rm -f "$pidfile" "$data/korpu-listener"; log "stopped"
}

kill_hard() {
  local pid; pid=$(running_pid) || { log "not running"; return 0; }
  kill -KILL "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pidfile"; log "killed (SIGKILL)"
}

provision() {
  local prefix=${1:?usage: $0 provision PREFIX}
  ensure_secrets
  # The one plaintext case production allows: the local three-node cluster on loopback (KAFKA_ALLOW_PLAINTEXT).
  local tls_env; tls_env=$(client_tls_env)
  if [ -z "$tls_env" ] && [ "${KAFKA_PROFILE:-local}" = production ]; then tls_env=KAFKA_ALLOW_PLAINTEXT=true; fi
  (cd "$root" && env $tls_env KAFKA_BROKERS="${provision_brokers:-127.0.0.1:$port}" KAFKA_TOPIC_PREFIX="$prefix" KAFKA_SASL_MECHANISM=SCRAM-SHA-512 \
    KAFKA_SASL_USERNAME=korpu-admin KAFKA_SASL_PASSWORD_FILE="$secrets/korpu-admin.password" \
    node -r @swc-node/register libs/messaging/src/cli/provision-kafka.cli.ts)
}

# ---- three-node cluster -------------------------------------------------------------------------------------------
cluster_base=${KAFKA_CLUSTER_PORT:-29092}
cluster_dir=${KAFKA_CLUSTER_DIR:-$root/.local/kafka-cluster-$cluster_base}
cluster_nodes="1 2 3"
cluster_client_port() { echo $((cluster_base + 2 * ($1 - 1))); }
cluster_brokers() { local n out=(); for n in $cluster_nodes; do out+=("127.0.0.1:$(cluster_client_port "$n")"); done; (IFS=,; echo "${out[*]}"); }
cluster_voters() { local n out=(); for n in $cluster_nodes; do out+=("$n@127.0.0.1:$(($(cluster_client_port "$n") + 1))"); done; (IFS=,; echo "${out[*]}"); }

# Points the single-node functions (write_properties, format_once, launch, wait_ready, stop, kill_hard) at node N.
use_cluster_node() {
  case "$1" in 1|2|3) ;; *) log "no cluster node '$1' (nodes: $cluster_nodes)"; exit 2 ;; esac
  node_id=$1
  port=$(cluster_client_port "$1")
  controller_port=$((port + 1))
  data="$cluster_dir/node-$1"
  pidfile="$data/kafka.pid"
  marker="$data/korpu-security"
  heap=${KAFKA_CLUSTER_HEAP:-512m}
  voters=$(cluster_voters)
  replication=3
  min_isr=2
  shared_cluster_id=$(cat "$cluster_dir/cluster.id")
  marker_extra=" cluster=$shared_cluster_id voters=$voters"
}

# Node 1's TLS material stands for the cluster's (every node is started with the same KAFKA_TLS and certificate).
cluster_tls_env() { local data="$cluster_dir/node-1"; client_tls_env; }
cluster_probe() { env $(cluster_tls_env) node "$here/kafka-ready.js" "$(cluster_brokers)" korpu-admin "$secrets/korpu-admin.password" "$@"; }

cluster_wait() {
  local what=$1; shift
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  while [ $SECONDS -lt $deadline ]; do
    cluster_probe "$@" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "cluster: $what not reached in time"; return 1
}

# Every node formatted with these credentials and the cluster's one id; otherwise all are stopped and formatted anew.
cluster_format() {
  local n stale=
  [ -s "$cluster_dir/cluster.id" ] || stale=yes
  if [ -z "$stale" ]; then
    for n in $cluster_nodes; do use_cluster_node "$n"; formatted_as_expected || stale=yes; done
  fi
  [ -z "$stale" ] && return
  log "cluster: formatting the three log directories (any data in $cluster_dir is dropped)"
  for n in $cluster_nodes; do [ -s "$cluster_dir/cluster.id" ] && { use_cluster_node "$n"; stop >/dev/null 2>&1; }; rm -rf "$cluster_dir/node-$n"; done
  new_cluster_id > "$cluster_dir/cluster.id"
  for n in $cluster_nodes; do
    use_cluster_node "$n"; mkdir -p "$data/logs"; install_tls_material; write_properties; format_once
  done
}

cluster_start_node() {
  use_cluster_node "$1"
  if running_pid >/dev/null; then
    listener_as_expected && return
    log "cluster: node $1's client listener differs from the one asked for ($(expected_listener | cut -d' ' -f1-2), KAFKA_TLS or its certificate changed); restarting it"
    stop >/dev/null
  fi
  if port_open "$port"; then log "port $port (node $1) is taken by another process; set KAFKA_CLUSTER_PORT"; exit 1; fi
  mkdir -p "$data/logs"; install_tls_material; write_properties
  log "cluster: starting node $1 on 127.0.0.1:$port (controller $controller_port, data in $data)"
  launch
}

cluster_start() {
  ensure_secrets; ensure_tls_material; fetch_jars
  cluster_format
  local n
  # All nodes first: none is ready before a quorum of controllers (two of three) is up.
  for n in $cluster_nodes; do cluster_start_node "$n"; done
  cluster_wait "three registered brokers" 3 || { for n in $cluster_nodes; do use_cluster_node "$n"; running_pid >/dev/null || { log "node $n exited; see $data/logs/server.log"; tail -n 20 "$data/stdout.log" >&2 || true; }; done; exit 1; }
  log "cluster ready: $(cluster_brokers)"
}

cluster_stop() {
  local n pids=()
  [ -s "$cluster_dir/cluster.id" ] || { log "cluster: not formatted, nothing to stop"; return 0; }
  # SIGTERM to all at once (a node waiting for the others' controlled shutdown would otherwise wait for each in turn).
  local pid
  for n in $cluster_nodes; do use_cluster_node "$n"; pid=$(running_pid) && { kill -TERM "$pid"; pids+=("$n"); }; done
  for n in "${pids[@]}"; do use_cluster_node "$n"; stop >/dev/null; done
  log "cluster stopped"
}

cluster_restart() {
  local n=${1:?usage: $0 cluster restart N}
  ensure_secrets; ensure_tls_material
  use_cluster_node "$n"
  stop >/dev/null
  cluster_start_node "$n"
  cluster_wait "three registered brokers" 3
  cluster_wait "every partition in sync" 3 in-sync
  log "cluster: node $n is back and every partition is in sync"
}

cluster_cmd() {
  local command=${1:-}; shift || true
  mkdir -p "$cluster_dir"
  case "$command" in
    start) exec 9>"$cluster_dir/.start.lock"; flock 9; cluster_start ;;
    stop) exec 9>"$cluster_dir/.start.lock"; flock 9; cluster_stop ;;
    restart) exec 9>"$cluster_dir/.start.lock"; flock 9; cluster_restart "$@" ;;
    kill) [ -s "$cluster_dir/cluster.id" ] || { log "cluster: not formatted"; exit 1; }; use_cluster_node "${1:?usage: $0 cluster kill N}"; kill_hard ;;
    status) ensure_secrets; cluster_probe 3 ;;
    in-sync) ensure_secrets; cluster_probe 3 in-sync ;;
    brokers) cluster_brokers ;;
    provision) data="$cluster_dir/node-1" provision_brokers=$(cluster_brokers) KAFKA_PROFILE=production provision "$@" ;;
    *) echo "usage: $0 cluster start|stop|kill N|restart N|status|in-sync|brokers|provision PREFIX" >&2; exit 2 ;;
  esac
}

case "${1:-}" in
  start)
    # A broker started by an older kafka.sh (no SASL) held the start lock for its whole life: stop it first.
    if running_pid >/dev/null && ! { ensure_secrets; formatted_as_expected; }; then
      log "the running broker was not started with SASL and these credentials; restarting it"
      stop
    fi
    # Parallel starts (two test runs, two terminals) must not race for the same port and data directory.
    # The broker itself does not inherit the lock (9>&- above), so it is held only while starting.
    mkdir -p "$data"
    exec 9>"$data/.start.lock"
    flock 9
    start ;;
  stop) stop ;;
  kill) kill_hard ;;
  status) ensure_secrets; port_open "$port" && ready_probe ;;
  provision) shift; provision "$@" ;;
  cluster) shift; cluster_cmd "$@" ;;
  *) echo "usage: $0 start|stop|kill|status|provision PREFIX | cluster ..." >&2; exit 2 ;;
esac
