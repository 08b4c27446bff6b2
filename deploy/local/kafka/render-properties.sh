# Sourced by deploy/local/kafka.sh and deploy/compose/kafka/start-node.sh.
#   render_properties TEMPLATE OUT NAME VALUE [NAME VALUE...]   writes TEMPLATE with each @NAME@ replaced by VALUE
#                                                              (mode 600: it holds the broker's password)
#   client_tls_properties KEYSTORE TRUSTSTORE [CLIENT_AUTH]     prints what makes the CLIENT listener (clients and
#                                                              inter-broker) SASL_SSL: KEYSTORE is one PEM file with
#                                                              the unencrypted PKCS#8 key and the certificate chain,
#                                                              TRUSTSTORE the PEM CA bundle (other brokers, client
#                                                              certificates); CLIENT_AUTH none|requested|required
render_properties() {
  local template=$1 out=$2; shift 2
  local script=() value
  while [ $# -ge 2 ]; do
    value=$(printf '%s' "$2" | sed -e 's/[&\\|]/\\&/g')
    script+=(-e "s|@$1@|$value|g"); shift 2
  done
  (umask 077; sed "${script[@]}" "$template" > "$out")
}

client_tls_properties() {
  cat <<PROPERTIES
# SASL_SSL on the CLIENT listener (the controller listener stays loopback/backend SASL_PLAINTEXT). The brokers verify
# each other's certificate (inter-broker traffic uses this listener) against the truststore, host names included.
ssl.keystore.type=PEM
ssl.keystore.location=$1
ssl.truststore.type=PEM
ssl.truststore.location=$2
# Listener-prefixed: Kafka ignores a plain ssl.client.auth on SASL_SSL listeners (KIP-684).
listener.name.client.ssl.client.auth=${3:-none}
ssl.enabled.protocols=TLSv1.3,TLSv1.2
ssl.endpoint.identification.algorithm=https
PROPERTIES
}
