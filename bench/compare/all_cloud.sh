#!/usr/bin/env bash
# Wall time of one `co2e compare` over every cloud region co2e knows (AWS, GCP and Azure, 145+
# options, each a full estimate(), ranked and rendered) beside one `co2e estimate`.
# Target (issue 16): median under 20 ms. Needs hyperfine (Debian package).
# Usage: bench/compare/all_cloud.sh [path/to/co2e]   (default: build/release/co2e)
set -euo pipefail
cd "$(dirname "$0")/../.."
CO2E=${1:-build/release/co2e}
[ -x "$CO2E" ] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
n=$("$CO2E" compare --runtime 1h --gpus 1 --gpu A100 --region cloud --format csv | tail -n +2 | wc -l)
echo "options compared: $n"
# CPU time (user + system) per process, 100 runs: what the machine's other load does not inflate
# as much as wall time (this project's machine is shared by several builds).
python3 - "$CO2E" <<'PY'
import resource, subprocess, sys
co2e = sys.argv[1]
job = ["--runtime", "100h", "--gpus", "8", "--gpu", "A100"]
for name, args in [("co2e compare --region cloud (text)", ["compare", *job, "--region", "cloud"]),
                   ("co2e compare --region cloud --format json", ["compare", *job, "--region", "cloud", "--format", "json"])]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(100):
        subprocess.run([co2e, *args], stdout=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / 100
    print(f"cpu    {cpu * 1000:6.2f} ms per run (user + system)  {name}")
PY
if ! command -v hyperfine >/dev/null; then
  # Without hyperfine: the median of 200 runs timed by Python (fork + exec included, as hyperfine -N).
  python3 - "$CO2E" <<'PY'
import statistics, subprocess, sys, time
co2e = sys.argv[1]
job = ["--runtime", "100h", "--gpus", "8", "--gpu", "A100"]
for name, args in [("co2e estimate (one cloud region)", ["estimate", *job, "--region", "aws:us-east-1"]),
                   ("co2e compare --region cloud (text)", ["compare", *job, "--region", "cloud"]),
                   ("co2e compare --region cloud --format json", ["compare", *job, "--region", "cloud", "--format", "json"])]:
    times = []
    for i in range(220):
        t = time.perf_counter()
        subprocess.run([co2e, *args], stdout=subprocess.DEVNULL, check=True)
        if i >= 20: times.append(time.perf_counter() - t)
    print(f"median {statistics.median(times) * 1000:6.2f} ms  min {min(times) * 1000:6.2f} ms  {name}")
PY
  exit 0
fi
out=$(mktemp -d)
hyperfine -N --warmup 20 --runs 200 --export-markdown "$out/compare.md" --export-json "$out/compare.json" \
  -n 'co2e estimate (one cloud region)' "$CO2E estimate --runtime 100h --gpus 8 --gpu A100 --region aws:us-east-1" \
  -n "co2e compare --region cloud (text)" "$CO2E compare --runtime 100h --gpus 8 --gpu A100 --region cloud" \
  -n "co2e compare --region cloud --format json" "$CO2E compare --runtime 100h --gpus 8 --gpu A100 --region cloud --format json" \
  >/dev/null
cat "$out/compare.md"
echo
python3 - "$out/compare.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:6.2f} ms  {r['command']}")
PY
rm -rf "$out"
