#!/usr/bin/env bash
# Stops what start.sh started. Safe to run when nothing is running.
set -uo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
command -v rabbitmqctl >/dev/null 2>&1 && as_root rabbitmqctl -q shutdown >/dev/null 2>&1
command -v redis-cli >/dev/null 2>&1 && redis-cli -h 127.0.0.1 shutdown nosave >/dev/null 2>&1
command -v pg_ctlcluster >/dev/null 2>&1 && as_root pg_ctlcluster 15 main stop >/dev/null 2>&1
echo "stopped"
exit 0
