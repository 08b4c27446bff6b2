#!/usr/bin/env bash
# Runs a real single-node Apache Kafka 4.x broker (KRaft, combined broker + controller) on 127.0.0.1.
# The jars come from Maven Central through deploy/local/kafka/pom.xml and are cached in deploy/local/kafka/lib.
#
#   kafka.sh start   fetch jars if needed, format the log directory once, start, wait until ready (idempotent)
#   kafka.sh stop    stop the broker cleanly (SIGTERM, then wait)
#   kafka.sh kill    SIGKILL the broker (fault tests)
#   kafka.sh status  exit 0 when a broker answers on the port
#
# Environment: KAFKA_PORT (default 9092), KAFKA_CONTROLLER_PORT (default KAFKA_PORT+1),
#              KAFKA_DATA_DIR (default <repo>/.local/kafka-$KAFKA_PORT), KAFKA_HEAP (default 768m).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port=${KAFKA_PORT:-9092}
controller_port=${KAFKA_CONTROLLER_PORT:-$((port + 1))}
data=${KAFKA_DATA_DIR:-$root/.local/kafka-$port}
heap=${KAFKA_HEAP:-768m}
lib="$here/kafka/lib"
pidfile="$data/kafka.pid"

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

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid=$(cat "$pidfile")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

wait_ready() {
  # Ready means the broker answers a metadata request, not only that the port is open.
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-120}))
  while [ $SECONDS -lt $deadline ]; do
    if port_open "$port" && node "$here/kafka-ready.js" "127.0.0.1:$port" >/dev/null 2>&1; then return 0; fi
    if ! running_pid >/dev/null; then log "broker exited; see $data/logs/server.log and $data/stdout.log"; tail -n 30 "$data/stdout.log" >&2 || true; return 1; fi
    sleep 0.5
  done
  log "broker did not become ready in time"; return 1
}

start() {
  if running_pid >/dev/null && port_open "$port"; then
    wait_ready; log "already running on 127.0.0.1:$port (pid $(running_pid))"; return
  fi
  if port_open "$port"; then log "port $port is taken by another process; set KAFKA_PORT"; exit 1; fi
  fetch_jars
  mkdir -p "$data/logs"
  cat > "$data/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
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
  local cp="$lib/*"
  if [ ! -f "$data/data/meta.properties" ]; then
    local cluster_id; cluster_id=$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n1)
    java -Dlog4j2.configurationFile="$here/kafka/log4j2.yaml" -Dkafka.logs.dir="$data/logs" -cp "$cp" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$data/server.properties" >/dev/null
  fi
  log "starting on 127.0.0.1:$port (data in $data)"
  nohup java -Xms256m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$here/kafka/log4j2.yaml" -Dkafka.logs.dir="$data/logs" \
    -cp "$cp" kafka.Kafka "$data/server.properties" >"$data/stdout.log" 2>&1 &
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

case "${1:-}" in
  start)
    # Parallel starts (two test runs, two terminals) must not race for the same port and data directory.
    mkdir -p "$data"
    exec 9>"$data/.start.lock"
    flock 9
    start ;;
  stop) stop ;;
  kill) kill_hard ;;
  status) port_open "$port" && node "$here/kafka-ready.js" "127.0.0.1:$port" ;;
  *) echo "usage: $0 start|stop|kill|status" >&2; exit 2 ;;
esac
