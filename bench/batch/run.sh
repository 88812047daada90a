#!/usr/bin/env bash
# Times `co2e batch` CSV -> CSV on generated inputs of 10^4 .. 10^7 rows, beside the floor
# (`wc -l`, `cat >/dev/null` on the same file) and the peer (an equivalent pandas script, when
# pandas is importable), with peak memory from /usr/bin/time -v. One core: taskset -c 0.
#   bench/batch/run.sh [BUILD_DIR] [MAX_EXPONENT]     (defaults: build/release, 7)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
co2e="${1:-$root/build/release}/co2e"
max="${2:-7}"
work="$(mktemp -d "${TMPDIR:-/tmp}/co2e-bench-batch.XXXXXX")"
trap 'rm -rf "$work"' EXIT
pin=(); command -v taskset >/dev/null && pin=(taskset -c 0)

# "wall_s cpu_s max_rss_MB" of a command whose stdout is discarded (wall: ms resolution; CPU =
# user + sys, the figure that does not depend on what else the machine is running)
measure() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$work/time" "${pin[@]}" "$@" >/dev/null 2>"$work/stderr" || true
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) '{printf "%.3f %.2f %.1f\n", ns / 1e9, $1 + $2, $3 / 1024}' "$work/time"
}

cat > "$work/peer.py" <<'PY'
# The pandas peer: the same CSV -> CSV for the common case (runtime, cores, CPU model from a lookup
# table, memory, GPUs, region -> intensity), vectorised.
import sys, pandas as pd
df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
h = df["runtime"].str.extract(r"(\d+)h(\d+)m").astype(float)
t = h[0] + h[1] / 60
tdp = {"Xeon Gold 6248": 150/20, "EPYC 7763": 280/64, "Xeon Platinum 8380": 270/40, "EPYC 7742": 225/64, "Core i9-12900K": 125/16}
gpu = {"A100": 400, "V100": 300, "H100 PCIe": 350, "A100-80GB": 400, "RTX 3090": 350}
ci = {"FR": 56, "DE": 381, "US-CA": 200, "GB": 238, "aws:us-east-1": 367, "gcp:europe-west1": 122, "SE": 41, "IN": 713}
cpu = t * df["cores"].astype(float) * df["cpu"].map(tdp) / 1000
g = t * pd.to_numeric(df["gpus"], errors="coerce").fillna(0) * df["gpu"].map(gpu).fillna(0) / 1000
mem = t * df["memory"].str.rstrip("G").astype(float) * 0.3725 / 1000
df["energy_kwh"] = 1.56 * (cpu + g + mem)
df["co2e_kg"] = df["energy_kwh"] * df["region"].map(ci) / 1000
df["status"] = "ok"
df.to_csv(sys.stdout, index=False)
PY
# pandas: the first python3 on PATH that has it (Debian's python3-pandas is /usr/bin/python3's)
py=""; for p in python3 /usr/bin/python3; do "$p" -c "import pandas" 2>/dev/null && { py=$p; break; }; done

echo "co2e: $co2e ($("$co2e" --version | head -1)); $(nproc) cores; $(uname -r)"
printf '| rows | file MB | wc -l s | cat >/dev/null s | co2e batch s (CPU s) | rows/s wall (CPU) | max RSS MB | pandas s (CPU s) | pandas max RSS MB |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for e in $(seq 4 "$max"); do
  n=$((10**e))
  f="$work/runs-$n.csv"
  python3 "$here/gen.py" "$n" "$f"
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN {printf "%.1f", b/1048576}')
  cat "$f" >/dev/null  # warm the page cache
  read -r wc_s _ _ < <(measure wc -l "$f")
  read -r cat_s _ _ < <(measure cat "$f")
  read -r co_s co_cpu co_rss < <(measure "$co2e" batch "$f")
  grep -q " 0 failed" "$work/stderr" || { echo "co2e batch reported failures:"; cat "$work/stderr"; }
  rps=$(awk -v n="$n" -v s="$co_s" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')
  rps_cpu=$(awk -v n="$n" -v s="$co_cpu" 'BEGIN {printf "%.0f", (s > 0 ? n / s : 0)}')
  pd="-"; pd_rss="-"
  if [[ -n $py ]]; then read -r pd_s pd_cpu pd_rss < <(measure "$py" "$work/peer.py" "$f"); pd="$pd_s ($pd_cpu)"; fi
  printf '| 10^%d | %s | %s | %s | %s (%s) | %s (%s) | %s | %s | %s |\n' "$e" "$mb" "$wc_s" "$cat_s" "$co_s" "$co_cpu" "$rps" "$rps_cpu" "$co_rss" "$pd" "$pd_rss"
  rm -f "$f"
done
