#!/usr/bin/env bash
# Builds co2e and runs every test: a release build with -Werror, then the same suite under
# AddressSanitizer + UndefinedBehaviorSanitizer. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export CTEST_OUTPUT_ON_FAILURE=1
echo "== release build (-Werror) and tests"
cmake --workflow --preset ci
echo "== ASan + UBSan build (-Werror) and tests"
cmake --workflow --preset ci-sanitize
echo "== co2e slurm on a one-node SLURM cluster (skips with a reason where SLURM cannot run)"
tests/slurm/run-cluster-test.sh
echo "== all checks passed"
