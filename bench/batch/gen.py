#!/usr/bin/env python3
"""Writes a realistic `co2e batch` input: one row per training run (model x seed x
hyper-parameters), as a researcher or a CI system would log them.

    python3 bench/batch/gen.py ROWS [OUT.csv] [--seed=N] [--numeric]

Columns: name, model, seed, lr, runtime, cores, cpu, gpus, gpu, memory, region. With --numeric,
ten numeric columns instead (issue 18's speed target): runtime_h, cores, core_power, gpus,
gpu_power, memory, memory_power, pue, intensity, psf. Deterministic for a given seed; python3
standard library only."""
import random
import sys

MODELS = ["bert-base", "bert-large", "gpt2-small", "gpt2-medium", "t5-base", "vit-b16", "resnet50", "llama-7b"]
CPUS = ["Xeon Gold 6248", "EPYC 7763", "Xeon Platinum 8380", "EPYC 7742", "Core i9-12900K"]
GPUS = ["A100", "V100", "H100 PCIe", "A100-80GB", "RTX 3090"]
REGIONS = ["FR", "DE", "US-CA", "GB", "aws:us-east-1", "gcp:europe-west1", "SE", "IN"]
LRS = ["1e-4", "3e-4", "1e-3"]


def write_numeric(rows: int, rng: random.Random, w) -> None:
    """Ten numeric columns, as a script that logs figures rather than names would write them."""
    w("runtime_h,cores,core_power,gpus,gpu_power,memory,memory_power,pue,intensity,psf\n")
    buf = []
    for _ in range(rows):
        gpus = rng.choice((1, 1, 2, 4, 8))
        buf.append(f"{rng.randrange(1, 9600) / 100},{rng.choice((4, 8, 16, 32, 64))},{rng.randrange(30, 150) / 10},"
                   f"{gpus},{rng.choice((250, 300, 350, 400, 700))},{rng.choice((16, 32, 64, 128, 256))},"
                   f"{rng.choice((0.3725, 0.3, 0.4))},{rng.choice((1.1, 1.2, 1.56, 1.67))},{rng.randrange(20, 800)},"
                   f"{rng.choice((1, 1, 1, 2, 3, 5))}\n")
        if len(buf) >= 10000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    numeric = "--numeric" in sys.argv[1:]
    seed = 42
    for a in sys.argv[1:]:
        if a.startswith("--seed="):
            seed = int(a.split("=", 1)[1])
    if not args:
        sys.exit(__doc__)
    rows = int(float(args[0]))
    out = open(args[1], "w", newline="") if len(args) > 1 else sys.stdout
    rng = random.Random(seed)
    w = out.write
    if numeric:
        write_numeric(rows, rng, w)
        if out is not sys.stdout:
            out.close()
        return
    w("name,model,seed,lr,runtime,cores,cpu,gpus,gpu,memory,region\n")
    buf = []
    for i in range(rows):
        model = MODELS[rng.randrange(len(MODELS))]
        s = rng.randrange(5)
        lr = LRS[rng.randrange(3)]
        hours = rng.randrange(1, 96)
        minutes = rng.randrange(60)
        cores = rng.choice((4, 8, 16, 32, 64))
        gpus = rng.choice(("", "1", "2", "4", "8"))
        gpu = GPUS[rng.randrange(len(GPUS))] if gpus else ""
        buf.append(f"run-{i},{model},{s},{lr},{hours}h{minutes}m,{cores},{CPUS[rng.randrange(len(CPUS))]},"
                   f"{gpus},{gpu},{rng.choice((16, 32, 64, 128, 256))}G,{REGIONS[rng.randrange(len(REGIONS))]}\n")
        if len(buf) >= 10000:
            w("".join(buf))
            buf.clear()
    w("".join(buf))
    if out is not sys.stdout:
        out.close()


if __name__ == "__main__":
    main()
