#!/usr/bin/env bash
# The reliability run's own PostgreSQL, Redis and RabbitMQ: on ports and data directories of their own, so that
# stopping and restarting them disturbs no other server on the machine (the shared ones on 5432/6379/5672 stay as
# they are). The RabbitMQ node has its own Erlang port mapper too, so nothing of the machine's Erlang nodes is touched.
#   servers.sh up                 clears leftovers of an earlier run, then starts all three
#   servers.sh down               stops all three (and host processes a killed run left) and deletes their data
#   servers.sh env                prints the connection settings (PRACTICEMESH_TEST_*) for the driver
#   servers.sh stop-rabbitmq | start-rabbitmq | restart-postgres | stop-redis | start-redis
#   servers.sh queues             name, ready and unacknowledged messages of every queue on the node
# Ports: RELIABILITY_PG_PORT (31432), RELIABILITY_REDIS_PORT (31379), RELIABILITY_AMQP_PORT (31672),
# RELIABILITY_DIST_PORT (31673), RELIABILITY_EPMD_PORT (31674); data under RELIABILITY_DIR
# (/tmp/practicemesh-reliability). Works as root and as a user with sudo. The ports lie below the kernel's ephemeral
# range (32768 and up): a port in it can be taken by any outgoing connection of a busy test run, and a node that
# cannot listen on its port does not boot.
set -euo pipefail

base=${RELIABILITY_DIR:-/tmp/practicemesh-reliability}
pg_port=${RELIABILITY_PG_PORT:-31432}
redis_port=${RELIABILITY_REDIS_PORT:-31379}
amqp_port=${RELIABILITY_AMQP_PORT:-31672}
dist_port=${RELIABILITY_DIST_PORT:-31673}
epmd_port=${RELIABILITY_EPMD_PORT:-31674}
node=pmrel@localhost
pg_bin=/usr/lib/postgresql/15/bin

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { as_root runuser -u postgres -- "$@"; }
# rabbitmqctl and rabbitmq-server switch to the rabbitmq user themselves when run as root; the environment goes along.
rabbit() { as_root env ERL_EPMD_PORT="$epmd_port" RABBITMQ_NODENAME="$node" "$@"; }
ctl() { rabbit rabbitmqctl -q -n "$node" "$@"; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgres() {
  as_postgres "$pg_bin/pg_ctl" -D "$base/pg/data" -l "$base/pg/postgres.log" -w -t 60 \
    -o "-c port=$pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$base/pg -c max_connections=300" start >/dev/null
}

start_redis() {
  redis-server --bind 127.0.0.1 --port "$redis_port" --daemonize yes --save "" --appendonly no \
    --dir "$base/redis" --pidfile "$base/redis/redis.pid" --logfile "$base/redis/redis.log"
  for _ in $(seq 1 40); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && return 0; sleep 0.25; done
  echo "redis did not start on $redis_port" >&2
  return 1
}

up() {
  down
  for port in "$pg_port" "$redis_port" "$amqp_port" "$dist_port" "$epmd_port"; do
    port_free "$port" || { echo "port $port is in use; choose others with RELIABILITY_*_PORT" >&2; exit 1; }
  done
  mkdir -p "$base/pg" "$base/redis" "$base/rabbitmq/mnesia" "$base/rabbitmq/log"
  chmod 755 "$base"
  as_root chown -R postgres "$base/pg"
  as_root chown -R rabbitmq "$base/rabbitmq"

  as_postgres "$pg_bin/initdb" -D "$base/pg/data" -U postgres -A trust --no-sync >/dev/null
  start_postgres
  as_postgres psql -qh "$base/pg" -p "$pg_port" -U postgres -c "CREATE ROLE practicemesh LOGIN CREATEDB PASSWORD 'practicemesh'" >/dev/null
  as_postgres psql -qh "$base/pg" -p "$pg_port" -U postgres -c "GRANT pg_signal_backend TO practicemesh" >/dev/null
  as_postgres bash -s -- -h "$base/pg" -p "$pg_port" -U postgres < "$(dirname "$0")/../../deploy/local/postgis-template.sh"
  echo "postgresql: 127.0.0.1:$pg_port"

  start_redis
  echo "redis: 127.0.0.1:$redis_port"

  # No plugins and no configuration file: the machine's /etc/rabbitmq settings (a management port, say) stay out.
  echo "[]." | as_root tee "$base/rabbitmq/enabled_plugins" >/dev/null
  # A node that failed to boot says why in its log, and gets one more start.
  if ! start_rabbitmq; then
    echo "the RabbitMQ node did not start; its log says:" >&2
    as_root sh -c "tail -n 40 '$base'/rabbitmq/log/*.log" >&2 || true
    ctl stop >/dev/null 2>&1 || true
    port_free "$dist_port" || { echo "port $dist_port is in use; choose another with RELIABILITY_DIST_PORT" >&2; exit 1; }
    start_rabbitmq
  fi
  echo "rabbitmq: 127.0.0.1:$amqp_port (node $node)"
}

start_rabbitmq() {
  rabbit RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$amqp_port" RABBITMQ_DIST_PORT="$dist_port" \
    RABBITMQ_MNESIA_BASE="$base/rabbitmq/mnesia" RABBITMQ_LOG_BASE="$base/rabbitmq/log" \
    RABBITMQ_PID_FILE="$base/rabbitmq/rabbitmq.pid" RABBITMQ_ENABLED_PLUGINS_FILE="$base/rabbitmq/enabled_plugins" \
    RABBITMQ_CONFIG_FILE="$base/rabbitmq/rabbitmq" RABBITMQ_ADVANCED_CONFIG_FILE="$base/rabbitmq/advanced.config" \
    rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 120); do ctl ping >/dev/null 2>&1 && break; sleep 0.5; done
  ctl await_startup --timeout 120 >/dev/null
}

down() {
  [ -d "$base" ] || return 0
  # Hosts a killed driver left behind, by the ids it wrote down (and only if they are still our hosts).
  if [ -f "$base/hosts.pid" ]; then
    while read -r pid; do
      if [ -n "$pid" ] && grep -qa PracticeMesh "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    done <"$base/hosts.pid"
  fi
  if ctl ping >/dev/null 2>&1; then
    ctl stop >/dev/null 2>&1 || true
  fi
  if [ -f "$base/rabbitmq/rabbitmq.pid" ]; then
    pid=$(as_root cat "$base/rabbitmq/rabbitmq.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && grep -qa pmrel "/proc/$pid/cmdline" 2>/dev/null; then as_root kill -9 "$pid" 2>/dev/null || true; fi
  fi
  # The node's own port mapper (started by the node on the port given above).
  as_root env ERL_EPMD_PORT="$epmd_port" epmd -kill >/dev/null 2>&1 || true
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
  if [ -f "$base/pg/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$base/pg/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  as_root rm -rf "$base"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  env)
    echo "PRACTICEMESH_TEST_POSTGRES=Host=127.0.0.1;Port=$pg_port;Username=practicemesh;Password=practicemesh"
    echo "PRACTICEMESH_TEST_REDIS=127.0.0.1:$redis_port"
    echo "PRACTICEMESH_TEST_RABBITMQ=amqp://guest:guest@127.0.0.1:$amqp_port/"
    echo "RELIABILITY_DIR=$base"
    ;;
  stop-rabbitmq) ctl stop_app >/dev/null ;;
  start-rabbitmq) ctl start_app >/dev/null && ctl await_startup --timeout 120 >/dev/null ;;
  restart-postgres)
    as_postgres "$pg_bin/pg_ctl" -D "$base/pg/data" -m fast -w stop >/dev/null
    start_postgres
    ;;
  stop-redis) redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true ;;
  start-redis) start_redis ;;
  queues) ctl list_queues name messages_ready messages_unacknowledged ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
