# Sourced by deploy/local/kafka.sh and deploy/compose/kafka/start-node.sh.
#   render_properties TEMPLATE OUT NAME VALUE [NAME VALUE...]   writes TEMPLATE with each @NAME@ replaced by VALUE
#                                                              (mode 600: it holds the broker's password)
render_properties() {
  local template=$1 out=$2; shift 2
  local script=() value
  while [ $# -ge 2 ]; do
    value=$(printf '%s' "$2" | sed -e 's/[&\\|]/\\&/g')
    script+=(-e "s|@$1@|$value|g"); shift 2
  done
  (umask 077; sed "${script[@]}" "$template" > "$out")
}
