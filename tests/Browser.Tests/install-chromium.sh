#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it through ExecutablePath: no browser download, which a
# closed network refuses). Installs only when missing; needs root or sudo.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "installing: chromium (for tests/Browser.Tests)"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
