#!/usr/bin/env bash
# Entry point of one node of the compose file's three-node KRaft cluster (the apache/kafka image's Kafka, combined
# controller + broker), with the same security as deploy/local/kafka.sh: SASL SCRAM-SHA-512 for clients and
# inter-broker traffic, SASL PLAIN for the controller quorum, StandardAuthorizer with no access without an ACL, super
# users korpu-broker and korpu-admin. Passwords come from compose secrets (/run/secrets/kafka-<principal>); the
# SCRAM credentials are bootstrapped when the log directory is formatted, once. NODE_ID (1-3) and CLUSTER_ID from env.
set -euo pipefail
: "${NODE_ID:?}" "${CLUSTER_ID:?}"
data=/var/lib/kafka/data
props=/var/lib/kafka/server.properties
secret() { tr -d '\n' < "/run/secrets/kafka-$1"; }
broker_password=$(secret korpu-broker)
umask 077
cat > "$props" <<PROPS
process.roles=broker,controller
node.id=$NODE_ID
controller.quorum.voters=1@kafka-1:9094,2@kafka-2:9094,3@kafka-3:9094
listeners=CLIENT://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094
advertised.listeners=CLIENT://kafka-$NODE_ID:9093
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
log.dirs=$data
auto.create.topics.enable=false
default.replication.factor=3
min.insync.replicas=2
unclean.leader.election.enable=false
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
group.consumer.min.session.timeout.ms=6000
group.classic.min.session.timeout.ms=6000
PROPS
if [ ! -f "$data/meta.properties" ]; then
  scram=()
  for principal in korpu-broker korpu-admin korpu-gateway korpu-dispatcher korpu-partner-endpoint; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(secret "$principal")]")
  done
  /opt/kafka/bin/kafka-storage.sh format -t "$CLUSTER_ID" -c "$props" "${scram[@]}" >/dev/null
fi
exec /opt/kafka/bin/kafka-server-start.sh "$props"
