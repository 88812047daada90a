#!/usr/bin/env bash
# Runs the whole test suite under Valgrind memcheck, in two passes:
#   1. the unit-test binary (co2e_unit_tests: the library, in process) under Valgrind;
#   2. ctest with every co2e that the CLI tests start running under Valgrind (CO2E_TEST_BINARY).
# Any Valgrind error or leak (definite, indirect or possible) is printed and fails the script.
# Usage: scripts/valgrind.sh [BUILD_DIR]   (default build/release, configured and built if needed)
# Slow (about 1 s of Valgrind start-up per co2e run): on demand, not in CI, where the Clang
# ASan+UBSan build (LeakSanitizer included) runs the same suite on every submission.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
[[ -f $build/CMakeCache.txt ]] || cmake --preset release
cmake --build "$build"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }

logs=$(mktemp -d)
chmod 1777 "$logs"  # the suite also runs co2e as nobody
vg=(/usr/bin/valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99)
# The log is opened on descriptor 9 by the shell: with --log-file, Valgrind would take descriptor 1
# when a test closes stdout (>&-), and co2e's output would land in the log.
wrapper=$logs/co2e
cat >"$wrapper" <<EOF
#!/bin/sh
exec 9>>"$logs/co2e.\$\$.log"
exec ${vg[*]} --log-fd=9 "$PWD/$build/co2e" "\$@"
EOF
chmod 755 "$wrapper"

# Valgrind runs posix_spawn as fork + exec, so an exec failure reaches co2e as a child exiting 127
# instead of an error from posix_spawn: the tests of "command not found" cannot pass under it.
unit_skip='~[exec]'  # spawn_output, run_child
cli_skip='run: exit status and streams|co2e slurm: errors and exit codes'
echo "skipped under Valgrind (exec failure is not reported through posix_spawn): $unit_skip; $cli_skip"

status=0
echo "== pass 1: co2e_unit_tests under Valgrind"
"${vg[@]}" --log-file="$logs/tests.%p.log" "$build/tests/co2e_unit_tests" "$unit_skip" >"$logs/pass1.out" 2>&1 || status=1
tail -3 "$logs/pass1.out"
echo "== pass 2: ctest, every co2e under Valgrind"
CO2E_TEST_BINARY=$wrapper ctest --test-dir "$build" -j2 --timeout 900 -E "$cli_skip" >"$logs/pass2.out" 2>&1 || status=1
grep -E "tests passed|tests failed" "$logs/pass2.out" || true
grep -A20 "The following tests FAILED" "$logs/pass2.out" || true

runs=$(find "$logs" -name 'co2e.*.log' | wc -l)
reports=$(find "$logs" -name '*.log' -size +0 | wc -l)
echo "== $runs co2e runs under Valgrind; $reports Valgrind logs with findings"
if ((reports > 0)); then
  status=1
  find "$logs" -name '*.log' -size +0 | head -5 | while read -r f; do echo "--- $f"; head -40 "$f"; done
fi
echo "logs: $logs"
exit $status
