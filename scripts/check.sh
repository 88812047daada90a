#!/usr/bin/env bash
# Builds co2e and runs every test: a GCC release build with -Werror (and libstdc++ assertions),
# clang-tidy over every source, then the same suite built
# by Clang under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer included), so both
# supported compilers are checked; formatting is checked first. This is what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export CTEST_OUTPUT_ON_FAILURE=1
echo "== formatting (clang-format 14, .clang-format)"
./scripts/format.sh --check
echo "== release build (-Werror) and tests"
cmake --workflow --preset ci
echo "== clang-tidy 14 (.clang-tidy) on every source of the library, the CLI, the generator and the tests"
# compile_commands.json of the ci build; WarningsAsErrors in .clang-tidy makes any finding fail.
run-clang-tidy-14 -quiet -p build/ci -j "$(nproc)" "$PWD/(src|tests|bench)/.*\.cpp$" >build/ci/clang-tidy.log 2>&1 || {
  grep -E "(warning|error):" build/ci/clang-tidy.log | sort -u | head -50
  echo "clang-tidy found problems (full log: build/ci/clang-tidy.log)"
  exit 1
}
echo "== Clang ASan + UBSan build (-Werror) and tests"
cmake --workflow --preset ci-sanitize
echo "== fuzzing smoke run: each libFuzzer harness for ${CO2E_FUZZ_SECONDS:-20}s"
CO2E_FUZZ_PRESET=ci-sanitize ./scripts/fuzz.sh "${CO2E_FUZZ_SECONDS:-20}"
echo "== co2e slurm on a one-node SLURM cluster (skips with a reason where SLURM cannot run)"
tests/slurm/run-cluster-test.sh
echo "== all checks passed"
