#!/usr/bin/env bash
# Builds co2e and runs every test: a GCC release build with -Werror (and libstdc++ assertions),
# then the same suite built by Clang under AddressSanitizer + UndefinedBehaviorSanitizer
# (LeakSanitizer included), so both supported compilers are checked; formatting is checked first. This is what CI runs (.ci/run).
# clang-tidy is scripts/tidy.sh, on demand: it would add several minutes to CI on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export CTEST_OUTPUT_ON_FAILURE=1
echo "== formatting (clang-format 14, .clang-format)"
./scripts/format.sh --check
echo "== functions over 100 lines carry a reason (// long-function: ...)"
./scripts/long-functions.py
echo "== release build (-Werror) and tests"
cmake --workflow --preset ci
echo "== Clang ASan + UBSan build (-Werror) and tests"
cmake --workflow --preset ci-sanitize
echo "== fuzzing smoke run: each libFuzzer harness for ${CO2E_FUZZ_SECONDS:-12}s"
CO2E_FUZZ_PRESET=ci-sanitize ./scripts/fuzz.sh "${CO2E_FUZZ_SECONDS:-12}"
echo "== co2e slurm on a one-node SLURM cluster (skips with a reason where SLURM cannot run)"
tests/slurm/run-cluster-test.sh
echo "== all checks passed"
