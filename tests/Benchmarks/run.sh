#!/usr/bin/env bash
# Rerunnable benchmarks (not part of the test command). Starts the servers they need, builds in Release, runs.
#   tests/Benchmarks/run.sh [stations-tree|activities|volunteers|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/local/start.sh >/dev/null
# The activities benchmark drives its load with wrk.
if [ "${1:-all}" = activities ] || [ "${1:-all}" = all ]; then
  command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
fi
# WebApplicationFactory finds a service's content root from this outside a test project.
export ASPNETCORE_TEST_CONTENTROOT_PRACTICEMESH_STATIONS="$PWD/services/Stations"
export ASPNETCORE_TEST_CONTENTROOT_PRACTICEMESH_VOLUNTEERS="$PWD/services/Volunteers"
dotnet run -c Release --project tests/Benchmarks -- "${1:-all}"
