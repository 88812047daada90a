#!/usr/bin/env bash
# Wall time of `co2e when` on a year of 5-minute data (105,120 points): read and check the CSV,
# sweep every candidate start, render. Target (issue 7): well under a second.
# Needs hyperfine (Debian package) and python3.
# Usage: bench/when/time_when.sh [path/to/co2e]   (default: build/release/co2e)
set -euo pipefail
cd "$(dirname "$0")/../.."
CO2E=${1:-build/release/co2e}
[ -x "$CO2E" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine: apt-get install hyperfine" >&2; exit 2; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
python3 bench/when/gen_series.py "$out/year.csv"
JOB="--cores 32 --core-power 10 --gpus 4 --gpu-power 300 --pue 1.2 --intensity-series $out/year.csv --now 2023-01-01T00:00Z"
hyperfine -N --warmup 3 --runs 20 --export-markdown "$out/when.md" \
  -n 'co2e when --runtime 4h (text, plot)' "$CO2E when --runtime 4h $JOB" \
  -n 'co2e when --runtime 3d --top 10 --format json' "$CO2E when --runtime 3d --top 10 --format json $JOB" \
  -n 'co2e when --runtime 90m --before (one week)' "$CO2E when --runtime 90m --after 2023-06-01T00:00Z --before 2023-06-08T00:00Z --format csv $JOB" \
  >/dev/null
cat "$out/when.md"
