#!/usr/bin/env bash
# Issue 18's throughput target: `co2e batch` CSV -> CSV on 1 M rows of ten numeric columns must
# take at most 1 s of CPU on one core (>= 1,000,000 rows/s). Generates the input, runs the binary
# RUNS times pinned to one core (output to /dev/null), and prints each run's CPU time (user + sys),
# the best and the median, beside `mawk` summing one column of the same file (the floor the issue
# names). CPU time is the figure a loaded machine disturbs least, but a busy sibling core still
# slows it: measure on a quiet machine (the load average is printed). With --instructions, also
# the instructions per row (valgrind --tool=callgrind on the first 100,000 rows), which do not
# depend on the load at all.
#   bench/batch/target.sh [BUILD_DIR] [RUNS] [--instructions]   (defaults: build/ci, 5)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
co2e="${1:-$root/build/ci}/co2e"
runs="${2:-5}"
instructions=false
[[ "${3:-}" == --instructions ]] && instructions=true
work="$(mktemp -d "${TMPDIR:-/tmp}/co2e-bench-target.XXXXXX")"
trap 'rm -rf "$work"' EXIT
pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)

python3 "$here/gen.py" 1000000 "$work/num.csv" --numeric
cat "$work/num.csv" >/dev/null  # warm the page cache
echo "co2e: $co2e ($("$co2e" --version | head -1)); input: bench/batch/gen.py 1000000 num.csv --numeric" \
  "($(stat -c %s "$work/num.csv") bytes); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
times=()
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%U %S" -o "$work/time" "${pin[@]}" "$co2e" batch "$work/num.csv" >/dev/null 2>"$work/stderr"
  grep -q " 0 failed" "$work/stderr" || { echo "co2e batch reported failures:"; cat "$work/stderr"; exit 1; }
  times+=("$(awk '{printf "%.2f", $1 + $2}' "$work/time")")
done
printf '%s\n' "${times[@]}" | sort -n >"$work/sorted"
best=$(head -1 "$work/sorted")
median=$(sed -n "$(((runs + 1) / 2))p" "$work/sorted")
echo "co2e batch, CPU s per run: ${times[*]}"
awk -v b="$best" -v m="$median" 'BEGIN {printf "best %.2f s (%.0f rows/s), median %.2f s (%.0f rows/s); target: at most 1.00 s\n", b, 1e6 / b, m, 1e6 / m}'
if command -v mawk >/dev/null; then
  /usr/bin/time -f "%U %S" -o "$work/time" "${pin[@]}" mawk -F, 'NR > 1 {s += $3} END {print s}' "$work/num.csv" >/dev/null
  echo "mawk summing one column: $(awk '{printf "%.2f", $1 + $2}' "$work/time") s CPU"
fi
if $instructions && command -v valgrind >/dev/null; then
  head -100001 "$work/num.csv" >"$work/num100k.csv"
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$co2e" batch "$work/num100k.csv" >/dev/null 2>"$work/vg"
  ir=$(grep -m1 "^summary:" "$work/cg.out" | awk '{print $2}')
  awk -v ir="$ir" 'BEGIN {printf "instructions per row (callgrind, 100,000 rows, whole process / rows): %.0f\n", ir / 1e5}'
fi
