#!/usr/bin/env bash
# Entry point of one node of the compose file's three-node KRaft cluster (the apache/kafka image's Kafka, combined
# controller + broker), with the same security as deploy/local/kafka.sh: SASL SCRAM-SHA-512 for clients and
# inter-broker traffic, SASL PLAIN for the controller quorum, StandardAuthorizer with no access without an ACL, super
# users korpu-broker and korpu-admin. Passwords come from compose secrets (/run/secrets/kafka-<principal>); the
# SCRAM credentials are bootstrapped when the log directory is formatted, once. NODE_ID (1-3) and CLUSTER_ID from env.
# KAFKA_TLS=1 (the compose file's default): the client listener (apps and inter-broker) is SASL_SSL with the
# certificate in /etc/korpu/pki/tls/server.{chain.crt,key} (SAN kafka-1, kafka-2, kafka-3) and the CA bundle
# /etc/korpu/pki/ca/trust-bundle.crt; the controller listener stays SASL_PLAINTEXT on the internal backend network.
set -euo pipefail
: "${NODE_ID:?}" "${CLUSTER_ID:?}"
tls=${KAFKA_TLS:-1}
data=/var/lib/kafka/data
props=/var/lib/kafka/server.properties
secret() { tr -d '\n' < "/run/secrets/kafka-$1"; }
# The same node configuration as the local cluster's (deploy/local/kafka/server.properties.template).
# shellcheck source=../../local/kafka/render-properties.sh
source /opt/korpu/render-properties.sh
render_properties /opt/korpu/server.properties.template "$props" \
  NODE_ID "$NODE_ID" VOTERS 1@kafka-1:9094,2@kafka-2:9094,3@kafka-3:9094 \
  LISTENERS CLIENT://0.0.0.0:9093,CONTROLLER://0.0.0.0:9094 ADVERTISED "CLIENT://kafka-$NODE_ID:9093" \
  BROKER_PASSWORD "$(secret korpu-broker)" LOG_DIRS "$data" REPLICATION 3 MIN_ISR 2 \
  CLIENT_PROTOCOL "$([ "$tls" = 1 ] && echo SASL_SSL || echo SASL_PLAINTEXT)"
if [ "$tls" = 1 ]; then
  # Kafka's PEM keystore is one file: the unencrypted PKCS#8 key, then the certificate chain.
  (umask 077; mkdir -p /var/lib/kafka/tls; cat /etc/korpu/pki/tls/server.key /etc/korpu/pki/tls/server.chain.crt > /var/lib/kafka/tls/broker.pem)
  client_tls_properties /var/lib/kafka/tls/broker.pem /etc/korpu/pki/ca/trust-bundle.crt "${KAFKA_TLS_CLIENT_AUTH:-none}" >> "$props"
fi
if [ ! -f "$data/meta.properties" ]; then
  scram=()
  for principal in korpu-broker korpu-admin korpu-gateway korpu-dispatcher korpu-partner-endpoint; do
    scram+=(--add-scram "SCRAM-SHA-512=[name=$principal,password=$(secret "$principal")]")
  done
  /opt/kafka/bin/kafka-storage.sh format -t "$CLUSTER_ID" -c "$props" "${scram[@]}" >/dev/null
fi
exec /opt/kafka/bin/kafka-server-start.sh "$props"
