#!/usr/bin/env bash
# Rerunnable benchmarks (not part of the test command). Starts the servers they need, builds in Release, runs.
#   tests/Benchmarks/run.sh [stations-tree|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/local/start.sh >/dev/null
# WebApplicationFactory finds a service's content root from this outside a test project.
export ASPNETCORE_TEST_CONTENTROOT_PRACTICEMESH_STATIONS="$PWD/services/Stations"
dotnet run -c Release --project tests/Benchmarks -- "${1:-all}"
