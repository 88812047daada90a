#!/bin/sh
# GPU check of `co2e run` on a machine with an NVIDIA GPU (issue 4): builds co2e (release) and a
# small CUDA load, runs the load under `co2e run --gpu-scope all`, and compares three figures for the
# same run: NVML's energy counter (co2e's default where supported), NVML power samples integrated
# over time (co2e with the counter hidden is not possible without a fake, so this script samples
# nvidia-smi alongside), and TDP x time (the a-priori estimate). Writes them to $OUT (default
# gpu-check.txt) as a Markdown snippet for docs/performance.md.
#
#   scripts/gpu-check.sh [SECONDS]        default 30 s of load
set -eu
cd "$(dirname "$0")/.."
SECONDS_LOAD=${1:-30}
OUT=${OUT:-gpu-check.txt}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

command -v nvcc >/dev/null || { echo "gpu-check: nvcc not found" >&2; exit 1; }
command -v nvidia-smi >/dev/null || { echo "gpu-check: nvidia-smi not found" >&2; exit 1; }

# 1. co2e, release build.
cmake --preset release >/dev/null
cmake --build --preset release -j"$(nproc)" --target co2e >/dev/null
CO2E=build/release/co2e

# 2. A load that keeps one GPU busy for SECONDS_LOAD seconds (FMA chains, little memory traffic).
cat > "$WORK/load.cu" <<'CU'
#include <chrono>
#include <cstdio>
#include <cstdlib>
__global__ void burn(float* out, int iters) {
  float a = threadIdx.x * 1e-3f, b = 1.0001f;
  for (int i = 0; i < iters; ++i) a = fmaf(a, b, 1e-7f);
  out[blockIdx.x * blockDim.x + threadIdx.x] = a;
}
int main(int argc, char** argv) {
  const double seconds = argc > 1 ? atof(argv[1]) : 30;
  const int blocks = 4096, threads = 256;
  float* out = nullptr;
  if (cudaMalloc(&out, sizeof(float) * blocks * threads) != cudaSuccess) { fprintf(stderr, "cudaMalloc failed\n"); return 1; }
  const auto t0 = std::chrono::steady_clock::now();
  int launches = 0;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < seconds) {
    burn<<<blocks, threads>>>(out, 1 << 16);
    cudaDeviceSynchronize();
    ++launches;
  }
  cudaFree(out);
  printf("launches %d\n", launches);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
CU
nvcc -O2 -o "$WORK/load" "$WORK/load.cu"

# 3. Run it under co2e (counter where supported) while nvidia-smi samples power every 100 ms.
nvidia-smi --query-gpu=timestamp,power.draw,power.limit,name --format=csv,noheader,nounits -lms 100 > "$WORK/smi.csv" &
SMI=$!
"$CO2E" run --gpu-scope all --interval 0.5s --pue 1 --intensity 100 --format json -o "$WORK/run.json" -- "$WORK/load" "$SECONDS_LOAD"
kill "$SMI" 2>/dev/null || true
wait "$SMI" 2>/dev/null || true

# 4. Compare: co2e's figure, nvidia-smi power integrated (trapezoids), TDP (power limit) x time.
python3 - "$WORK/run.json" "$WORK/smi.csv" "$OUT" <<'PY'
import csv, datetime, json, sys
run = json.load(open(sys.argv[1]))
rows = []
for r in csv.reader(open(sys.argv[2])):
    try:
        t = datetime.datetime.strptime(r[0].strip(), "%Y/%m/%d %H:%M:%S.%f").timestamp()
        rows.append((t, float(r[1]), float(r[2]), r[3].strip()))
    except (ValueError, IndexError):
        pass
smi_j = sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in zip(rows, rows[1:]))
limit_w = rows[0][2] if rows else float("nan")
name = rows[0][3] if rows else "?"
runtime = run["runtime_s"]
gpu = run["components"]["gpu"]
co2e_j = run["gpu_kwh"] * 3.6e6  # before PUE (schema_version 2: components hold methods only)
tdp_j = limit_w * runtime
lines = [
    f"GPU check ({datetime.date.today()}): {name}, {runtime:.1f} s of load, co2e method `{gpu['method']}`",
    "",
    "| figure | energy (J) | mean power (W) | vs co2e |",
    "|---|---|---|---|",
    f"| co2e run (NVML {gpu['method']}) | {co2e_j:.0f} | {co2e_j / runtime:.1f} | 1.00 |",
    f"| nvidia-smi power samples integrated (100 ms) | {smi_j:.0f} | {smi_j / runtime:.1f} | {smi_j / co2e_j if co2e_j else float('nan'):.2f} |",
    f"| power limit (TDP) x time | {tdp_j:.0f} | {limit_w:.1f} | {tdp_j / co2e_j if co2e_j else float('nan'):.2f} |",
    "",
    "Per GPU: " + ", ".join(f"{g['uuid']} {g['method']} {g['gpu_kwh'] * 3.6e6:.0f} J" for g in run["gpu_devices"]),
]
open(sys.argv[3], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
