#!/usr/bin/env bash
# Installs (only if missing) and starts RabbitMQ, Redis and PostgreSQL on loopback,
# without systemd. Idempotent: running it twice leaves one of each running.
# Used by the test command, CI, and anyone running the distributed mode by hand.
set -euo pipefail

PG_VERSION=15
PG_USER=practicemesh
PG_PASSWORD=practicemesh

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x "/usr/lib/postgresql/$PG_VERSION/bin/postgres" ] || missing+=("postgresql-$PG_VERSION" postgresql-client)
# PostGIS: the grid service keeps boundaries in a geometry column and locates points with its index.
[ -f "/usr/share/postgresql/$PG_VERSION/extension/postgis.control" ] || missing+=("postgresql-$PG_VERSION-postgis-3")
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  # Packages try to start their services through invoke-rc.d; there is no init system here.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# PostgreSQL
if ! as_root pg_lsclusters -h 2>/dev/null | grep -q "^$PG_VERSION *main"; then
  as_root pg_createcluster "$PG_VERSION" main >/dev/null
fi
if ! as_root pg_lsclusters -h | grep -q "^$PG_VERSION *main .*online"; then
  as_root pg_ctlcluster "$PG_VERSION" main start
fi
for _ in $(seq 1 60); do
  as_root su postgres -c "pg_isready -q -h 127.0.0.1" && break
  sleep 0.5
done
as_root su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'\"" | grep -q 1 ||
  as_root su postgres -c "psql -qc \"CREATE ROLE $PG_USER LOGIN CREATEDB PASSWORD '$PG_PASSWORD'\""
# DROP DATABASE ... WITH (FORCE) ends every session on the database, autovacuum's workers included, and those belong
# to no role: without pg_signal_backend the tests' drops fail now and then while autovacuum visits a test database.
as_root su postgres -c "psql -qc 'GRANT pg_signal_backend TO $PG_USER'"
# PostGIS for the grid service's database (see the script).
as_root su postgres -c "bash -s" < "$(dirname "$0")/postgis-template.sh"
# The services and tests open many short connections in parallel.
current_max=$(as_root su postgres -c "psql -qtAc 'SHOW max_connections'")
if [ "$current_max" -lt 300 ]; then
  as_root su postgres -c "psql -qc 'ALTER SYSTEM SET max_connections = 300'"
  as_root pg_ctlcluster "$PG_VERSION" main restart
fi
echo "postgresql: 127.0.0.1:5432 (user $PG_USER)"

# Redis
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  as_root redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no \
    --logfile /tmp/practicemesh-redis.log
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
fi
echo "redis: 127.0.0.1:6379"

# RabbitMQ
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  as_root env RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 rabbitmq-server -detached >/dev/null 2>&1 || true
fi
# -detached returns before the node exists; await_startup needs a node to talk to.
for _ in $(seq 1 120); do
  as_root rabbitmqctl -q ping >/dev/null 2>&1 && break
  sleep 0.5
done
as_root rabbitmqctl -q await_startup --timeout 120 >/dev/null
# A broker stopped with stop_app by a fault test comes back here.
as_root rabbitmqctl -q start_app >/dev/null 2>&1 || true
echo "rabbitmq: 127.0.0.1:5672 (guest/guest)"
