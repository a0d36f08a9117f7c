#!/usr/bin/env bash
# The servers for `tye run`: starts PostgreSQL, Redis and RabbitMQ on loopback with start.sh (installing them when
# missing, which needs root or sudo) and stays in the foreground while tye runs, so tye shows them as one running
# service. They keep running when tye stops (other runs and tests may use them): deploy/local/stop.sh stops them.
set -euo pipefail
"$(dirname "$0")/start.sh"
trap 'exit 0' TERM INT
while true; do sleep 3600 & wait $!; done
