#!/usr/bin/env bash
# Wall time of one `co2e estimate` (start-up, data lookup, formula, render) beside /bin/true and
# `python3 -c pass`, over many runs. Target: median under 5 ms. Needs hyperfine (Debian package).
# Usage: bench/estimate/startup.sh [path/to/co2e]   (default: build/release/co2e)
set -euo pipefail
cd "$(dirname "$0")/../.."
CO2E=${1:-build/release/co2e}
[ -x "$CO2E" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 2; }
out=$(mktemp -d)
hyperfine -N --warmup 20 --runs 300 --export-markdown "$out/estimate.md" --export-json "$out/estimate.json" \
  -n '/bin/true' '/bin/true' \
  -n 'python3 -c pass' 'python3 -c pass' \
  -n 'co2e estimate (flags only)' "$CO2E estimate --runtime 12h --cores 12 --core-power 7.5 --memory 64G --pue 1.56 --intensity 231.12" \
  -n 'co2e estimate (CPU + GPU model, cloud region lookup)' "$CO2E estimate --runtime 2d --gpus 8 --gpu H100 --cores 64 --cpu 'EPYC 9654' --memory 1T --region aws:us-east-1" \
  -n 'co2e estimate --format json' "$CO2E estimate --runtime 12h --cores 12 --cpu 'Xeon Gold 6248' --memory 64G --region GB --format json" \
  >/dev/null
cat "$out/estimate.md"
echo
python3 - "$out/estimate.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:6.2f} ms  {r['command']}")
PY
rm -rf "$out"
