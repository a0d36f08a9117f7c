#!/usr/bin/env bash
# Makes the template_postgis database on a PostgreSQL cluster, if it is not there: PostGIS installed, marked a
# template. The grid service creates its database from it (its role may not create extensions; its migration's
# CREATE EXTENSION IF NOT EXISTS postgis then finds it there); every other database stays plain.
# Run as the cluster's superuser, with psql's connection arguments; the caller pipes this file to bash, so the
# postgres user need not be able to read the checkout:
#   su postgres -c "bash -s" < deploy/local/postgis-template.sh
set -euo pipefail
if ! psql -qtA "$@" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'template_postgis'" | grep -q 1; then
  psql -q "$@" -d postgres -c "CREATE DATABASE template_postgis TEMPLATE template0"
  psql -q "$@" -d template_postgis -c "CREATE EXTENSION IF NOT EXISTS postgis"
  psql -q "$@" -d postgres -c "ALTER DATABASE template_postgis WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
fi
