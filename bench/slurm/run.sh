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
printf '%-10s %-8s %9s %14s %12s\n' lines format seconds lines/s "max RSS MB"
for n in $SIZES; do
  f=$DIR/sacct-$n.txt
  [ -s "$f" ] || python3 bench/slurm/gen.py "$n" --seed 1 >"$f"
  lines=$(($(wc -l <"$f") - 1))
  for format in json csv; do
    best=""
    for _ in 1 2 3; do  # best of three
      out=$( { /usr/bin/time -f "%e %M" "$CO2E" slurm --sacct-file "$f" --format "$format" \
               --group-by user,account,partition,day >/dev/null 2>/dev/null; } 2>&1 | tail -n 1)
      secs=${out% *}
      rss=${out#* }
      if [ -z "$best" ] || awk -v a="$secs" -v b="${best% *}" 'BEGIN { exit !(a < b) }'; then best="$secs $rss"; fi
    done
    secs=${best% *}
    rss=${best#* }
    awk -v n="$lines" -v s="$secs" -v r="$rss" -v f="$format" \
      'BEGIN { printf "%-10d %-8s %9.2f %14.0f %12.1f\n", n, f, s, (s > 0 ? n / s : 0), r / 1024 }'
  done
done
