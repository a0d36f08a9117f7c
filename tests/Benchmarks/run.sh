#!/usr/bin/env bash
# Rerunnable benchmarks (not part of the test command). Installs the load tools it needs (wrk, nginx), starts the
# servers, builds in Release and runs.
#   tests/Benchmarks/run.sh side-by-side [--quick] [--only G1,M1]   the comparisons of docs/performance.md
#   tests/Benchmarks/run.sh grid [--quick]                          issue 13's county: grids, cases, locating, reporting
#   tests/Benchmarks/run.sh assessment [--quick]                    issue 14's county year: events consumed, the year rebuilt, rankings
#   tests/Benchmarks/run.sh cells [--quick]                         issue 15's township cells: routing cost, two cells ÷ one; the county read across cells
#   tests/Benchmarks/run.sh console [--quick] [--screenshots docs/images]  issue 16's console: first paint, pages' reads; the README's screenshots
#   tests/Benchmarks/run.sh [stations-tree|activities|volunteers|standalone|grid|assessment|cells|console|all]
set -euo pipefail
cd "$(dirname "$0")/../.."
deploy/local/start.sh >/dev/null
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
# nginx is the reference proxy of the side-by-side run; it is started by the benchmark, never as a service.
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -qq
  # Packages try to start their services through invoke-rc.d; there is no init system here.
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
export PATH="$PATH:/usr/sbin"
# Debian's Chromium for the console benchmark (Playwright drives it through ExecutablePath).
case "${1:-all}" in console|all) tests/Browser.Tests/install-chromium.sh ;; esac
# WebApplicationFactory finds a service's content root from this outside a test project.
export ASPNETCORE_TEST_CONTENTROOT_PRACTICEMESH_STATIONS="$PWD/services/Stations"
export ASPNETCORE_TEST_CONTENTROOT_PRACTICEMESH_VOLUNTEERS="$PWD/services/Volunteers"
dotnet run -c Release --project tests/Benchmarks -- "${@:-all}"
