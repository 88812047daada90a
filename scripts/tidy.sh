#!/usr/bin/env bash
# clang-tidy 14 (.clang-tidy) over every source of the library, the CLI, the generator, the tests and
# the benchmarks, with the ci build's compile_commands.json; WarningsAsErrors in .clang-tidy makes
# any finding fail. On demand, not in CI (.ci/run): it parses every translation unit again with
# Clang, which on two cores takes longer than the whole GCC build, and CI must stay under 20 minutes.
# Run it before a change to many files, or after a refactor:
#   scripts/tidy.sh                  all sources (configures build/ci if needed)
#   scripts/tidy.sh 'src/core/util'  only the files whose path matches the regex
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/ci/compile_commands.json ]] || cmake --preset ci >/dev/null
# The generated table source and git_commit.hpp must exist for the files that include them.
cmake --build --preset ci --target co2e_core >/dev/null
filter="${1:-(src|tests|bench)/}"
run-clang-tidy-14 -quiet -p build/ci -j "$(nproc)" "$PWD/.*${filter}.*\.cpp$" >build/ci/clang-tidy.log 2>&1 || {
  grep -E "(warning|error):" build/ci/clang-tidy.log | sort -u | head -50
  echo "clang-tidy found problems (full log: build/ci/clang-tidy.log)"
  exit 1
}
echo "clang-tidy: no findings"
