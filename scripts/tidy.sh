#!/usr/bin/env bash
# clang-tidy 14 (.clang-tidy) with the ci build's compilation database; WarningsAsErrors in
# .clang-tidy makes any finding fail. One line a file: its findings, or "no findings" with its times.
#   scripts/tidy.sh                  every source of the library, the CLI, the generator and the
#                                    tests, nproc at a time (on demand: about 33 minutes of CPU)
#   scripts/tidy.sh 'src/core/util'  only the files whose path matches the regex
#   scripts/tidy.sh --changed [REV]  what CI runs (scripts/check.sh): the .cpp files changed between
#                                    REV (default HEAD~1, the last commit) and HEAD, plus, for each
#                                    changed header under HeaderFilterRegex that none of them
#                                    includes, the smallest source that includes it; at most
#                                    CO2E_TIDY_MAX_FILES (default 4), two at a time. Every file
#                                    checked or skipped is named in the log with the reason.
# Why CI checks only the last commit's files (measured 2026-11-29 on this 2-core machine, with
# other builds running, load average 2-4.7; CPU time, close to wall time for one file at a time):
# the cost is the Clang static analyzer (the clang-analyzer-* checks, on by default), not parsing.
#   file                          all checks   without clang-analyzer-*   clang++ -fsyntax-only
#   src/core/util/subprocess.cpp    13.9 s          3.9 s
#   src/core/model/units.cpp        36.1 s          4.4 s                   1.1 s
#   src/core/batch/batch.cpp        36.2 s         10.0 s
#   tests/unit/test_units.cpp        7.1 s          4.6 s
# Compiling fmt once (no FMT_HEADER_ONLY) made parsing cheap (units.cpp took 41.6 s with fmt
# header-only; it takes about as long now: the analyzer is the cost). All 116 files: 2,000 s of CPU
# (22 minutes of wall time here, -j2; median 11.6 s a file, tests 10.7 s on average, the heaviest
# slurm_report.cpp 71 s, run_report.cpp 47 s, batch.cpp 44 s, app.cpp 43 s), against the 2-3
# minutes CI has to spare (about 16 of its 20 minutes on a fresh clone); without the analyzer
# still about 10 minutes of CPU. Four files, two at a time, take at most about 2 minutes of wall
# time on two quiet cores (the four heaviest: 205 s of CPU), a typical commit's 1-3 files well
# under one. Every finding over all sources was fixed on 2026-11-29, so whatever a commit touches
# starts clean; scripts/tidy.sh over all sources before a change to many files.
# -Wno-unknown-warning-option: compile_commands.json is GCC's, with GCC-only flags (-Wno-restrict).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f build/ci/compile_commands.json ]] || cmake --preset ci >/dev/null
# The generated table source and git_commit.hpp must exist for the files that include them.
cmake --build --preset ci --target co2e_core >/dev/null
# A copy of the compilation database with one entry a file: the sources the build-time table
# generator shares with the library (data_json.cpp, match.cpp, ...) are listed twice, and
# clang-tidy would check them twice (data_json.cpp: 83 s instead of about 40). Only files in it can
# be checked: the fuzzers and the benchmarks are not in the ci build, and the generated table
# source is not ours to fix.
mkdir -p build/ci/clang-tidy
mapfile -t known < <(python3 - <<'PY'
import json, os
seen, out = set(), []
for e in json.load(open("build/ci/compile_commands.json")):
    if e["file"] not in seen:
        seen.add(e["file"])
        out.append(e)
json.dump(out, open("build/ci/clang-tidy/compile_commands.json", "w"), indent=1)
for e in out:
    f = os.path.relpath(e["file"])
    if f.startswith(("src/", "tests/", "bench/")) and f.endswith(".cpp"):
        print(f)
PY
)
jobs="$(nproc)"
files=()

if [[ "${1:-}" != --changed ]]; then
  mapfile -t files < <(printf '%s\n' "${known[@]}" | grep -E -- "${1:-.}")
  echo "clang-tidy: checking ${#files[@]} files, $jobs at a time"
else
  rev="${2:-HEAD~1}"
  max="${CO2E_TIDY_MAX_FILES:-4}"
  jobs=2
  if ! git rev-parse -q --verify "$rev^{commit}" >/dev/null 2>&1; then
    echo "clang-tidy: skipped ($rev is not in this clone's history, so nothing says which files changed; a shallow clone? scripts/tidy.sh checks them all)"
    exit 0
  fi
  in_db() { printf '%s\n' "${known[@]}" | grep -qxF "$1"; }
  mapfile -t changed < <(git diff --name-only --diff-filter=AMR "$rev" HEAD -- 'src/*.cpp' 'tests/*.cpp' 'bench/*.cpp')
  for f in "${changed[@]}"; do
    if in_db "$f"; then files+=("$f"); else echo "clang-tidy: skipped $f (not in the ci build's compile_commands.json)"; fi
  done
  if ((${#files[@]} > max)); then
    echo "clang-tidy: skipped, over the cap of CO2E_TIDY_MAX_FILES=$max files that keeps CI under 20 minutes (scripts/tidy.sh checks them all): ${files[*]:max}"
    files=("${files[@]:0:max}")
  fi
  # A changed header is checked through one source that includes it: findings in headers under
  # HeaderFilterRegex are reported from any source that includes them.
  mapfile -t headers < <(git diff --name-only --diff-filter=AMR "$rev" HEAD -- 'include/co2e/*.hpp' 'src/core/*.hpp' 'src/cli/*.hpp')
  for h in "${headers[@]}"; do
    base="$(basename "$h")"
    pattern="#include [<\"]([A-Za-z0-9_]+/)*${base//./\\.}[>\"]"
    users=()
    ((${#files[@]} == 0)) || mapfile -t users < <(grep -lE "$pattern" "${files[@]}")
    if ((${#users[@]})); then
      echo "clang-tidy: $h through ${users[0]} (a changed source that includes it)"
      continue
    fi
    mapfile -t users < <(printf '%s\n' "${known[@]}" | xargs grep -lE "$pattern" | xargs -r ls -S | tac)
    if ((${#users[@]} == 0)); then
      echo "clang-tidy: skipped $h (no source in the ci build includes it)"
    elif ((${#files[@]} >= max)); then
      echo "clang-tidy: skipped $h (through ${users[0]}, over the cap of CO2E_TIDY_MAX_FILES=$max files)"
    else
      echo "clang-tidy: $h through ${users[0]} (the smallest source that includes it)"
      files+=("${users[0]}")
    fi
  done
  if ((${#files[@]} == 0)); then
    echo "clang-tidy: nothing to check in $rev..HEAD (no .cpp file or header under HeaderFilterRegex left to check)"
    exit 0
  fi
  echo "clang-tidy: checking ${#files[@]} files of $rev..HEAD, $jobs at a time: ${files[*]}"
fi

if ((${#files[@]} == 0)); then
  echo "clang-tidy: no file checked"
  exit 0
fi
tidy_one() {  # one file: one line with its times, or its findings then one line
  local f=$1 log="build/ci/clang-tidy/${1//\//_}.log" took out TIMEFORMAT='%R s wall, %U s CPU'
  if { time clang-tidy-14 --quiet --extra-arg=-Wno-unknown-warning-option -p build/ci/clang-tidy "$f" >"$log" 2>&1; } 2>"$log.time"; then
    echo "clang-tidy: $f: no findings ($(<"$log.time"))"
  else
    took="$(<"$log.time")"
    out="$(grep -E "(warning|error):" "$log" | sort -u)"
    printf '%s\nclang-tidy: %s: findings above (%s; full log: %s)\n' "$out" "$f" "$took" "$log"
    return 1
  fi
}
export -f tidy_one
TIMEFORMAT='%R s wall, %U s CPU'
if time (printf '%s\0' "${files[@]}" | xargs -0 -r -n 1 -P "$jobs" bash -c 'tidy_one "$1"' _) 2>build/ci/clang-tidy/total.time; then
  echo "clang-tidy: no findings in ${#files[@]} files ($(<build/ci/clang-tidy/total.time))"
else
  echo "clang-tidy: findings above, in ${#files[@]} files checked ($(<build/ci/clang-tidy/total.time)); logs in build/ci/clang-tidy/"
  exit 1
fi
