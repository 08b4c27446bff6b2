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
#   - Clients authenticate with SASL SCRAM-SHA-512 on the client listener (SASL_PLAINTEXT: loopback only; a broker
#     reached over a network needs SASL_SSL). Principals: korpu-broker (inter-broker, super user), korpu-admin
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
# Environment: KAFKA_PORT (default 9092), KAFKA_CONTROLLER_PORT (default KAFKA_PORT+1),
#              KAFKA_DATA_DIR (default <repo>/.local/kafka-$KAFKA_PORT), KAFKA_HEAP (default 768m),
#              KAFKA_SECRETS_DIR (default <repo>/.local/kafka-credentials).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-$((port + 1))}
data=${KAFKA_DATA_DIR:-$root/.local/kafka-$port}
heap=${KAFKA_HEAP:-768m}
secrets=${KAFKA_SECRETS_DIR:-$root/.local/kafka-credentials}
lib="$here/kafka/lib"
pidfile="$data/kafka.pid"
marker="$data/korpu-security"
principals="korpu-broker korpu-admin korpu-gateway korpu-dispatcher korpu-partner-endpoint korpu-subsystem korpu-outsider"

log() { echo "[kafka] $*" >&2; }

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
  echo "sasl=SCRAM-SHA-512 authorizer=StandardAuthorizer principals=${principals// /,} credentials=$fingerprint"
}

formatted_as_expected() { [ -f "$data/data/meta.properties" ] && [ -f "$marker" ] && [ "$(cat "$marker")" = "$(expected_marker)" ]; }

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

ready_probe() { node "$here/kafka-ready.js" "127.0.0.1:$port" korpu-admin "$secrets/korpu-admin.password"; }

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
  local broker_password; broker_password=$(secret korpu-broker)
  (umask 077; cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=CLIENT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=CLIENT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=CLIENT
listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.client.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="korpu-broker" password="$broker_password";
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="korpu-broker" password="$broker_password" user_korpu-broker="$broker_password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:korpu-broker;User:korpu-admin
allow.everyone.if.no.acl.found=false
log.dirs=$data/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=6
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
group.consumer.min.session.timeout.ms=6000
group.classic.min.session.timeout.ms=6000
PROPS
  )
}

format_once() {
  formatted_as_expected && return
  if [ -d "$data/data" ]; then log "log directory was formatted without these credentials (or before SASL): formatting it again, its data is dropped"; fi
  rm -rf "$data/data" "$marker"
  local cp="$lib/*" cluster_id principal
  local scram=()
  for principal in $principals; do scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(secret "$principal")]"); done
  cluster_id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
  java -Dlog4j2.configurationFile="$here/kafka/log4j2.yaml" -Dkafka.logs.dir="$data/logs" -cp "$cp" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" "${scram[@]}" >/dev/null
  expected_marker > "$marker"
}

start() {
  ensure_secrets
  if running_pid >/dev/null && port_open "$port"; then
    if formatted_as_expected; then
      wait_ready; log "already running on 127.0.0.1:$port (pid $(running_pid))"; return
    fi
    log "the running broker was not started with SASL and these credentials; restarting it"
    stop
  fi
  if port_open "$port"; then log "port $port is taken by another process; set KAFKA_PORT"; exit 1; fi
  fetch_jars
  mkdir -p "$data/logs"
  write_properties
  format_once
  local cp="$lib/*"
  log "starting on 127.0.0.1:$port (SASL SCRAM-SHA-512, ACLs; data in $data, credentials in $secrets)"
  nohup java -Xms256m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/kafka/log4j2.yaml" -Dkafka.logs.dir="$data/logs" \
    -cp "$cp" kafka.Kafka "$data/server.properties" >"$data/stdout.log" 2>&1 9>&- &
  echo $! > "$pidfile"
  wait_ready
  log "ready on 127.0.0.1:$port (pid $(cat "$pidfile"))"
}

stop() {
  local pid; pid=$(running_pid) || { log "not running"; rm -f "$pidfile"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "broker did not stop in 60s; killing"; kill -KILL "$pid"; fi
  rm -f "$pidfile"; log "stopped"
}

kill_hard() {
  local pid; pid=$(running_pid) || { log "not running"; return 0; }
  kill -KILL "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$pidfile"; log "killed (SIGKILL)"
}

provision() {
  local prefix=${1:?usage: $0 provision PREFIX}
  ensure_secrets
  (cd "$root" && KAFKA_BROKERS="127.0.0.1:$port" KAFKA_TOPIC_PREFIX="$prefix" KAFKA_SASL_MECHANISM=SCRAM-SHA-512 \
    KAFKA_SASL_USERNAME=korpu-admin KAFKA_SASL_PASSWORD_FILE="$secrets/korpu-admin.password" \
    node -r @swc-node/register libs/messaging/src/cli/provision-kafka.cli.ts)
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
  *) echo "usage: $0 start|stop|kill|status|provision PREFIX" >&2; exit 2 ;;
esac
