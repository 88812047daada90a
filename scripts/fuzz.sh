#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz, Clang + ASan + UBSan) and runs each for SECONDS
# (default 30), starting from the seed corpus in tests/fuzz/corpus/<harness>/. New inputs go to a
# scratch copy; crashes are written to build/<preset>/findings/ and fail the script.
# Usage: scripts/fuzz.sh [SECONDS] [HARNESS...]
#   CO2E_FUZZ_PRESET=ci-sanitize reuses CI's sanitizer build (which builds the harnesses too).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
preset=${CO2E_FUZZ_PRESET:-fuzz}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
harnesses=("$@")
if ((${#harnesses[@]} == 0)); then
  for f in tests/fuzz/fuzz_*.cpp; do harnesses+=("$(basename "$f" .cpp)"); done
fi
findings=build/$preset/findings
mkdir -p "$findings"
status=0
for h in "${harnesses[@]}"; do
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$h/." "$work/" 2>/dev/null || true
  echo "== $h: ${seconds}s"
  if ! "build/$preset/tests/fuzz/$h" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$findings/$h-" -print_final_stats=1 "$work" 2>"$work.log"; then
    echo "!! $h found a failure; input saved under $findings/ (log: $work.log)"
    tail -40 "$work.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$work.log" | sed "s/^/   /"
  fi
  rm -rf "$work"
done
exit $status
