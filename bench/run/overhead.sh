#!/bin/sh
# The overhead of `co2e run -- W` against W alone, for a CPU-bound W of about 10 s (issue 4 targets:
# < 1 % wall time, co2e's own CPU time < 0.5 % of one core at --interval 1s, co2e's peak RSS < 10 MB).
#
#   bench/run/overhead.sh [CO2E_BINARY] [RUNS]       (default: build/ci/co2e, 3 runs of each)
#   WORK_N=350000000 bench/run/overhead.sh           loop count of the awk workload (~10 s here)
#
# Runs alone and measured runs alternate, so that load from elsewhere hits both alike. For each
# measured run: wall time (date), co2e's own CPU time = CPU time of co2e and its child (from
# /usr/bin/time) minus the child's (wait4 rusage, from co2e's JSON report), and co2e's own peak RSS
# (VmHWM of co2e's process, read from /proc just before the workload ends).
set -eu
CO2E=${1:-build/ci/co2e}
RUNS=${2:-3}
N=${WORK_N:-350000000}
INTERVAL=${INTERVAL:-1s}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
work() { awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) s += i; print s > "/dev/null" }'; }
now() { date +%s.%N; }

echo "co2e: $CO2E ($("$CO2E" --version | head -1)); workload: awk loop of $N; interval $INTERVAL; $RUNS runs each"
i=0
while [ "$i" -lt "$RUNS" ]; do
  i=$((i + 1))
  t0=$(now); work; t1=$(now)
  echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >> "$TMP/alone"

  t0=$(now)
  /usr/bin/time -f "%U %S %M" -o "$TMP/time.$i" \
    "$CO2E" run -q --interval "$INTERVAL" --format json -o "$TMP/run.$i.json" -- \
    awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++) s += i; print s > "/dev/null" }' &
  tpid=$!
  # co2e is the child of /usr/bin/time: follow its peak RSS while the workload runs.
  sleep 0.2
  cpid=$(pgrep -P "$tpid" | head -1 || true)
  hwm=0
  while kill -0 "$tpid" 2>/dev/null; do
    v=$(awk '/^VmHWM/ { print $2 }' "/proc/$cpid/status" 2>/dev/null || true)
    [ -n "$v" ] && hwm=$v
    sleep 0.5
  done
  wait "$tpid"
  t1=$(now)
  echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }' >> "$TMP/measured"
  child=$(python3 -c "import json,sys; j=json.load(open(sys.argv[1])); print(j['user_s'] + j['system_s'], j['components']['cpu']['method'], j['samples'])" "$TMP/run.$i.json")
  read -r u s m < "$TMP/time.$i"
  echo "$u $s $child $hwm" | awk '{ printf "%.3f %.3f %s %s %d\n", $1 + $2 - $3, $3, $4, $5, $6 }' >> "$TMP/own"
done

median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
alone=$(median "$TMP/alone")
measured=$(median "$TMP/measured")
echo "wall time alone (s):     $(tr '\n' ' ' < "$TMP/alone")  median $alone"
echo "wall time measured (s):  $(tr '\n' ' ' < "$TMP/measured")  median $measured"
echo "$alone $measured" | awk '{ printf "wall-time overhead:      %+.2f %%\n", 100 * ($2 - $1) / $1 }'
echo "per measured run: co2e own CPU s, child CPU s, CPU method, samples, co2e peak RSS kB"
cat "$TMP/own"
awk '{ cpu += $1; wall += 0; rss = ($5 > rss) ? $5 : rss; n++ } END { printf "co2e own CPU: mean %.3f s per run; peak RSS max %d kB\n", cpu / n, rss }' "$TMP/own"
paste "$TMP/own" "$TMP/measured" | awk '{ s += $1 / $6; n++ } END { printf "co2e own CPU as %% of one core over the run: %.3f %%\n", 100 * s / n }'
