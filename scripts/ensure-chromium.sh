#!/usr/bin/env bash
# Debian's Chromium for the admin console's headless browser test (playwright-core never downloads a browser here).
exec bash "$(dirname "$0")/ensure-debian-package.sh" chromium 'test -x /usr/bin/chromium'
