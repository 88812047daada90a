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
echo "== all checks passed"
