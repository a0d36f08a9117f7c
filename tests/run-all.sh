#!/usr/bin/env bash
# Runs every test of PracticeMesh: starts (installing if missing) the real RabbitMQ, Redis and PostgreSQL
# the tests need, builds the solution once, then runs each test project in turn (some stop and restart the shared
# broker on purpose), then the benchmark command's short mode.
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/local/start.sh
# Debian's Chromium for the console's browser tests (tests/Browser.Tests).
tests/Browser.Tests/install-chromium.sh
# The Kustomize checks render every overlay with kubectl's built-in kustomize (1.27 or later reads components and labels).
if ! command -v kubectl >/dev/null; then
  echo "kubectl is not on the PATH: tests/Deployment.Tests render deploy/k8s with 'kubectl kustomize' and will fail." >&2
fi
# What killed runs left on those servers (test databases, virtual hosts, keys): every run starts as on a fresh machine.
tests/remove-leftovers.sh

configuration=${CONFIGURATION:-Debug}
dotnet build PracticeMesh.sln -c "$configuration" -nologo -v:q

failed=()
# Each project's output is kept so the summary at the end can name the failed tests (CI shows only the tail).
results=$(mktemp -d)
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  echo "=== $name"
  if ! dotnet test "$project" -c "$configuration" --no-build -nologo 2>&1 | tee "$results/$name.log"; then
    failed+=("$name")
  fi
done

# The benchmark command's short mode, once, to prove it still runs end to end (it asserts nothing about speed).
echo "=== benchmarks: tests/Benchmarks/run.sh side-by-side --quick"
if ! tests/Benchmarks/run.sh side-by-side --quick; then
  failed+=("Benchmarks (side-by-side --quick)")
fi

# The grid benchmark's short mode: a county's grids and 20,000 cases through the real service, locators checked against each other.
echo "=== benchmarks: tests/Benchmarks/run.sh grid --quick"
if ! tests/Benchmarks/run.sh grid --quick; then
  failed+=("Benchmarks (grid --quick)")
fi

# The assessment benchmark's short mode: a hundredth of a county year through the real service, the rebuild checked against SQL by hand.
echo "=== benchmarks: tests/Benchmarks/run.sh assessment --quick"
if ! tests/Benchmarks/run.sh assessment --quick; then
  failed+=("Benchmarks (assessment --quick)")
fi

# The township cells benchmark's short mode: two activities cells behind a gateway with and without its routing table.
echo "=== benchmarks: tests/Benchmarks/run.sh cells --quick"
if ! tests/Benchmarks/run.sh cells --quick; then
  failed+=("Benchmarks (cells --quick)")
fi

# The reliability run's short mode, once: faults on servers of its own, then no lost or doubled credit, no 500.
echo "=== reliability: tests/Reliability/run.sh --quick"
if ! tests/Reliability/run.sh --quick; then
  failed+=("Reliability (--quick)")
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed tests:"
  grep -h -A4 -E '^\s+Failed [A-Za-z_]' "$results"/*.log | cut -c1-300 || true
  echo "FAILED: ${failed[*]}"
  echo "(processes started by the end-to-end tests log to tests/EndToEnd.Tests/bin/$configuration/net10.0/process-logs)"
  exit 1
fi
echo "All tests passed."
