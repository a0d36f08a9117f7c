#!/usr/bin/env bash
# Removes what earlier test runs left behind on the local servers when they were killed before they could drop it:
# databases, RabbitMQ virtual hosts and Redis keys named with the tests' prefixes, and the tests' temporary folders.
# Every test names its own and drops it when it ends; this is for the runs that never reached their end, so that a
# developer's machine starts the test command from the same state as a fresh one. Only what the tests name is
# touched, never the platform's own databases (practicemesh_*), the default virtual host or other keys. Something
# still in use (a database or virtual host with connections, a Redis key or folder touched in the last 30 minutes)
# belongs to a run still going and is left alone.
# Usage: tests/remove-leftovers.sh [--dry-run]   (--dry-run prints what it would remove)
set -euo pipefail

dry_run=false
[ "${1:-}" = "--dry-run" ] && dry_run=true
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
remove() { echo "removing $1"; $dry_run || "${@:2}" >/dev/null; }

# Names the tests give (tests/TestSupport: ProcessPlatform's pm_e2e_/pm_bench_, PostgresServiceFactory's
# <service>_test_, the notes host's pm_notes_, the deployment test's pm_deploy_, the messaging benchmark's pm_m1_).
test_names='^(pm_(e2e|bench|notes|deploy|m1)_[0-9a-f]+(_[a-z]+)?|(stations|volunteers|activities|grid|assessment|identity)_test_[0-9a-f]+)$'

# PostgreSQL: databases of the tests with nobody connected.
psql_q() { as_root su postgres -c "psql -qtAX -c \"$1\""; }
if psql_q "SELECT 1" >/dev/null 2>&1; then
  # Made over 30 minutes ago (its directory's PG_VERSION file is written when it is created).
  for database in $(psql_q "SELECT datname FROM pg_database d WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)
      AND (pg_stat_file('base/' || d.oid || '/PG_VERSION')).modification < now() - interval '30 minutes'" | grep -E "$test_names" || true); do
    remove "database $database" psql_q "DROP DATABASE IF EXISTS $database"
  done
fi

# RabbitMQ: the tests' virtual hosts (and every queue in them) with no connection open.
if as_root rabbitmqctl -q ping >/dev/null 2>&1; then
  in_use=$(as_root rabbitmqctl -q list_connections --no-table-headers vhost 2>/dev/null | sort -u || true)
  for vhost in $(as_root rabbitmqctl -q list_vhosts --no-table-headers name | grep -E "$test_names" || true); do
    if ! grep -qxF "$vhost" <<<"$in_use"; then
      remove "virtual host $vhost" as_root rabbitmqctl -q delete_vhost "$vhost"
    fi
  done
fi

# Redis: keys under the tests' prefixes (ProcessPlatform's practicemesh:pm_*, the gateway tests' practicemesh-test:,
# the deployment test's practicemesh:pm_deploy:) untouched for 30 minutes; most expire by themselves anyway.
if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  for pattern in 'practicemesh:pm_*' 'practicemesh-test:*'; do
    redis-cli -h 127.0.0.1 --scan --pattern "$pattern" | while read -r key; do
      idle=$(redis-cli -h 127.0.0.1 object idletime "$key" 2>/dev/null || echo 0)
      if [ "${idle:-0}" -gt 1800 ]; then
        remove "redis key $key" redis-cli -h 127.0.0.1 unlink "$key"
      fi
    done
  done
fi

# Temporary folders of the tests and benchmarks (SQLite files, published hosts) not modified for 30 minutes.
tmp=${TMPDIR:-/tmp}
for parent in practicemesh-tests practicemesh-e2e practicemesh-bench practicemesh-publish; do
  [ -d "$tmp/$parent" ] || continue
  find "$tmp/$parent" -mindepth 1 -maxdepth 1 -type d -mmin +30 -print0 | while IFS= read -r -d '' folder; do
    remove "folder $folder" rm -rf "$folder"
  done
done
