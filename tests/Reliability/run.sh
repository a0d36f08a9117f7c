#!/usr/bin/env bash
# The reliability run (not part of the test command; its --quick mode is): the distributed mode on a PostgreSQL,
# Redis and RabbitMQ of its own (tests/Reliability/servers.sh; the shared servers on 5432/6379/5672 are not
# touched), a county's activities through the gateway while those servers fail, then the checks of
# docs/reliability.md. Exits non-zero on any lost or doubled credit, failed answer, unsent outbox row or
# error-queue message. Needs root or sudo (the servers run as their own users).
#   tests/Reliability/run.sh [--quick] [--activities N] [--workers N] [--operations N]
set -euo pipefail
cd "$(dirname "$0")/../.."
servers=tests/Reliability/servers.sh

if ! command -v rabbitmq-server >/dev/null 2>&1 || ! command -v redis-server >/dev/null 2>&1 || [ ! -x /usr/lib/postgresql/15/bin/postgres ] \
  || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
  deploy/local/start.sh >/dev/null
fi
dotnet build tests/Reliability -c Release -nologo -v:q

# Leftovers of a killed run go first (servers.sh up stops them); whatever happens, ours go at the end.
trap '"$servers" down' EXIT
"$servers" up
while IFS= read -r line; do export "${line?}"; done < <("$servers" env)
dotnet tests/Reliability/bin/Release/net10.0/PracticeMesh.Reliability.dll "$@"
