#!/usr/bin/env python3
"""A year of 5-minute carbon intensity (105,120 points) for benchmarking `co2e when`.

Synthetic but shaped like a real grid: a daily cycle (solar dip at noon, evening peak), a
seasonal swing, slow weather fronts and noise; deterministic (seeded). Standard library only.
Usage: bench/when/gen_series.py OUT.csv [--year 2023] [--step-minutes 5]
"""
import argparse
import datetime as dt
import math
import random


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--year", type=int, default=2023)
    p.add_argument("--step-minutes", type=int, default=5)
    a = p.parse_args()
    rng = random.Random(42)
    t = dt.datetime(a.year, 1, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(a.year + 1, 1, 1, tzinfo=dt.timezone.utc)
    step = dt.timedelta(minutes=a.step_minutes)
    front = 0.0
    n = 0
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("timestamp,intensity_g_per_kwh\n")
        while t < end:
            day = (t - dt.datetime(a.year, 1, 1, tzinfo=dt.timezone.utc)).total_seconds() / 86400
            hour = t.hour + t.minute / 60
            seasonal = 60 * math.cos(2 * math.pi * day / 365)  # winter higher
            daily = -70 * max(0.0, math.sin(math.pi * (hour - 6) / 12)) + 40 * math.exp(-((hour - 18.5) ** 2) / 2)
            front = 0.9995 * front + rng.gauss(0, 1.0)  # slow weather (std ~32 g)
            v = max(20.0, 230 + seasonal + daily + front + rng.gauss(0, 4))
            f.write(f"{t.strftime('%Y-%m-%dT%H:%M:%SZ')},{v:.1f}\n")
            t += step
            n += 1
    print(f"{a.out}: {n} points")


if __name__ == "__main__":
    main()
