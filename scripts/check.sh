#!/usr/bin/env bash
# Builds co2e and runs every test: a GCC release build with -Werror (and libstdc++ assertions),
# then the same suite built by Clang under AddressSanitizer + UndefinedBehaviorSanitizer
# (LeakSanitizer included), so both supported compilers are checked; formatting is checked first. This is what CI runs (.ci/run).
# clang-tidy checks the last commit's files only (scripts/tidy.sh --changed: at most 4 files, about
# 2 minutes at worst on two cores); all sources take about 33 minutes of CPU (see scripts/tidy.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export CTEST_OUTPUT_ON_FAILURE=1
echo "== formatting (clang-format 14, .clang-format)"
./scripts/format.sh --check
echo "== functions over 100 lines carry a reason (// long-function: ...)"
./scripts/long-functions.py
echo "== release build (-Werror) and tests"
cmake --workflow --preset ci
echo "== clang-tidy 14 (.clang-tidy) on the .cpp files and headers the last commit changed"
./scripts/tidy.sh --changed
echo "== Clang ASan + UBSan build (-Werror) and tests"
cmake --workflow --preset ci-sanitize
echo "== fuzzing smoke run: each libFuzzer harness for ${CO2E_FUZZ_SECONDS:-12}s"
CO2E_FUZZ_PRESET=ci-sanitize ./scripts/fuzz.sh "${CO2E_FUZZ_SECONDS:-12}"
echo "== co2e slurm on a one-node SLURM cluster (skips with a reason where SLURM cannot run)"
tests/slurm/run-cluster-test.sh
echo "== all checks passed"
