#!/usr/bin/env bash
# clang-tidy 14 (.clang-tidy) over every source of the library, the CLI, the generator, the tests and
# the benchmarks, with the ci build's compile_commands.json; WarningsAsErrors in .clang-tidy makes
# any finding fail. On demand, not in CI (.ci/run): it parses every translation unit again with
# Clang, which on two cores takes longer than the whole GCC build, and CI must stay under 20 minutes.
# Run it before a change to many files, or after a refactor:
#   scripts/tidy.sh                  all sources (configures build/ci if needed)
#   scripts/tidy.sh 'src/core/util'  only the files whose path matches the regex
#   scripts/tidy.sh --changed        only the .cpp files the last commit added or changed (at most
#                                    CO2E_TIDY_MAX_FILES, default 8), e.g. before a push
# Not in CI even with --changed: one file (src/core/model/units.cpp) took 41.6 s of CPU (137 s wall
# on the loaded 2-core machine, 2026-11-29), fmt and nlohmann-json parsed again each time, so a
# typical commit of 2-3 sources adds 1.5-2 minutes to a CI run that is at 17-18 of its 20.
# -Wno-unknown-warning-option: compile_commands.json is GCC's, with GCC-only flags (-Wno-restrict).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/ci/compile_commands.json ]] || cmake --preset ci >/dev/null
# The generated table source and git_commit.hpp must exist for the files that include them.
cmake --build --preset ci --target co2e_core >/dev/null
if [[ "${1:-}" == --changed ]]; then
  # Headers are checked through the sources that include them (HeaderFilterRegex).
  if ! git rev-parse -q --verify HEAD~1 >/dev/null 2>&1; then
    echo "clang-tidy: skipped (no git history: nothing to say which files the last commit changed)"
    exit 0
  fi
  mapfile -t files < <(git diff --name-only --diff-filter=AMR HEAD~1 HEAD -- 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp')
  if ((${#files[@]} == 0)); then
    echo "clang-tidy: skipped (the last commit changed no .cpp file; scripts/tidy.sh checks them all)"
    exit 0
  fi
  max="${CO2E_TIDY_MAX_FILES:-8}"
  if ((${#files[@]} > max)); then
    echo "clang-tidy: the last commit changed ${#files[@]} .cpp files; checking the first $max (scripts/tidy.sh checks all)"
    files=("${files[@]:0:max}")
  fi
  echo "clang-tidy: ${files[*]}"
  clang-tidy-14 --quiet --extra-arg=-Wno-unknown-warning-option -p build/ci "${files[@]}" >build/ci/clang-tidy.log 2>&1 || {
    grep -E "(warning|error):" build/ci/clang-tidy.log | sort -u | head -50
    echo "clang-tidy found problems (full log: build/ci/clang-tidy.log)"
    exit 1
  }
  echo "clang-tidy: no findings"
  exit 0
fi
filter="${1:-(src|tests|bench)/}"
run-clang-tidy-14 -quiet -extra-arg=-Wno-unknown-warning-option -p build/ci -j "$(nproc)" "$PWD/.*${filter}.*\.cpp$" >build/ci/clang-tidy.log 2>&1 || {
  grep -E "(warning|error):" build/ci/clang-tidy.log | sort -u | head -50
  echo "clang-tidy found problems (full log: build/ci/clang-tidy.log)"
  exit 1
}
echo "clang-tidy: no findings"
