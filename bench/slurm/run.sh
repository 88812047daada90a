#!/usr/bin/env bash
# Times `co2e slurm --sacct-file` on generated sacct outputs of 10^4 ... 10^7 lines and reports
# lines per second and maximum resident memory (docs/performance.md, section slurm).
# Usage: bench/slurm/run.sh [CO2E_BINARY]   SIZES="10000 100000" to choose sizes; files are
# cached in ${BENCH_DIR:-/tmp/co2e-bench-slurm}.
set -euo pipefail
cd "$(dirname "$0")/../.."
CO2E=${1:-build/release/co2e}
[ -x "$CO2E" ] || { echo "no $CO2E: cmake --preset release && cmake --build --preset release --target co2e" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (Debian package time)" >&2; exit 2; }
DIR=${BENCH_DIR:-/tmp/co2e-bench-slurm}
mkdir -p "$DIR"
SIZES=${SIZES:-"10000 100000 1000000 10000000"}
# lines/s is computed from CPU time (user + sys, best of three): the development machine is shared,
# so wall time measures the neighbours as much as co2e. Both are printed.
printf '%-10s %-6s %8s %8s %16s %11s\n' lines format wall_s cpu_s "lines/s (CPU)" "max RSS MB"
for n in $SIZES; do
  f=$DIR/sacct-$n.txt
  [ -s "$f" ] || python3 bench/slurm/gen.py "$n" --seed 1 >"$f"
  lines=$(($(wc -l <"$f") - 1))
  for format in json csv; do
    best=""
    for _ in 1 2 3; do
      /usr/bin/time -o "$DIR/time.txt" -f "%e %U %S %M" "$CO2E" slurm --sacct-file "$f" --format "$format" \
        --group-by user,account,partition,day >/dev/null 2>&1
      read -r wall user sys rss <"$DIR/time.txt"
      cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
      if [ -z "$best" ] || awk -v a="$cpu" -v b="$(echo "$best" | cut -d' ' -f2)" 'BEGIN { exit !(a < b) }'; then
        best="$wall $cpu $rss"
      fi
    done
    read -r wall cpu rss <<<"$best"
    awk -v n="$lines" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$format" \
      'BEGIN { printf "%-10d %-6s %8.2f %8.2f %16s %11.1f\n", n, f, w, c, (c > 0 ? sprintf("%.0f", n / c) : "-"), r / 1024 }'
  done
done
