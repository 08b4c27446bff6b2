#!/usr/bin/env bash
# Debian's OpenLDAP server (`slapd`) and client tools (`ldap-utils`: ldapadd, ldapsearch, slappasswd) for the
# directory sign-in tests. deploy/local/slapd.sh runs its own server with its own configuration under .local/;
# the package's own server is neither configured nor started (debconf: slapd/no_configuration).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v slapd >/dev/null 2>&1 && ! [ -x /usr/sbin/slapd ]; then
  if command -v debconf-set-selections >/dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
    echo "slapd slapd/no_configuration boolean true" | $sudo debconf-set-selections
  fi
fi
bash "$here/ensure-debian-package.sh" slapd 'test -x /usr/sbin/slapd'
bash "$here/ensure-debian-package.sh" ldap-utils 'command -v ldapsearch'
