#!/usr/bin/env bash
# The xmlsec1 CLI (OpenSSL backend) for the XML-signature interoperability tests.
exec bash "$(dirname "$0")/ensure-debian-package.sh" xmlsec1 'command -v xmlsec1'
