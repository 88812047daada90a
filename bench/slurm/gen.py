#!/usr/bin/env python3
"""Realistic `sacct --parsable2 --noconvert` output for benchmarking `co2e slurm`.

Jobs on cpu, gpu, bigmem and debug partitions, each followed by its steps (batch, extern and
0-3 srun steps), with mixed states (completed, failed, cancelled, timeout, out of memory, a few
running and pending), array jobs, n/c memory suffixes and empty MaxRSS on job lines, as SLURM
22.05 writes them. Deterministic for a given --seed.

Usage: gen.py LINES [--seed N] > jobs.txt      (LINES: 10000 ... 10000000)
"""
import argparse
import random
import sys

FIELDS = ("JobID|JobName|User|Account|Partition|Submit|Start|End|Elapsed|NNodes|NCPUS|TotalCPU|CPUTime|"
          "ReqMem|MaxRSS|State|AllocTRES")
STATES = [("COMPLETED", 70), ("FAILED", 10), ("CANCELLED by 1234", 7), ("TIMEOUT", 5), ("OUT_OF_MEMORY", 2),
          ("NODE_FAIL", 1), ("RUNNING", 2), ("PENDING", 3)]
PARTITIONS = [("cpu", 60, 0), ("gpu", 20, 4), ("bigmem", 10, 0), ("debug", 10, 0)]
NAMES = ["sim", "train", "align", "post", "bash", "python", "mpi_run", "analysis", "snakejob.map", "nf-QUANT"]


def clock(s):
    d, s = divmod(int(s), 86400)
    h, s = divmod(s, 3600)
    m, s = divmod(s, 60)
    return f"{d}-{h:02d}:{m:02d}:{s:02d}" if d else f"{h:02d}:{m:02d}:{s:02d}"


def cputime(s):
    # TotalCPU has milliseconds and drops hours below one hour: MM:SS.mmm
    ms = int(s * 1000) % 1000
    if s < 3600:
        return f"{int(s) // 60:02d}:{int(s) % 60:02d}.{ms:03d}"
    return clock(s)


def stamp(t):
    # 2024-01-01 + t seconds, without datetime for speed
    day, rest = divmod(int(t), 86400)
    month, dom = divmod(day, 28)
    h, rest = divmod(rest, 3600)
    m, s = divmod(rest, 60)
    return f"2024-{month % 12 + 1:02d}-{dom + 1:02d}T{h:02d}:{m:02d}:{s:02d}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("lines", type=int)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    users = [f"user{i:03d}" for i in range(300)]
    accounts = [f"lab{i:02d}" for i in range(40)]
    states = [s for s, w in STATES for _ in range(w)]
    parts = [p for p in PARTITIONS for _ in range(p[1])]
    out = sys.stdout
    buf = [FIELDS]
    n = 0
    job = 1000000
    t = 0.0
    while n < a.lines:
        job += 1
        t += rnd.expovariate(1 / 3.0)
        part, _, gpus_max = rnd.choice(parts)
        state = rnd.choice(states)
        user = rnd.choice(users)
        acct = accounts[int(user[4:]) % len(accounts)]
        name = rnd.choice(NAMES)
        ncpus = rnd.choice((1, 1, 2, 4, 8, 16, 32, 64))
        nnodes = 1 if ncpus <= 32 else rnd.choice((1, 2))
        elapsed = int(rnd.lognormvariate(7, 1.5)) + 1
        util = rnd.random()
        total = elapsed * ncpus * util
        gpus = rnd.choice((1, 2, 4)) if gpus_max else 0
        mem = rnd.choice(("4000M", "16G", "2Gc", "4Gc", "64Gn", "0n", "500G" if part == "bigmem" else "8G"))
        jid = f"{job}_{rnd.randint(1, 50)}" if rnd.random() < 0.1 else str(job)
        tres = f"billing={ncpus},cpu={ncpus},{f'gres/gpu={gpus},' if gpus else ''}mem={mem.rstrip('nc')},node={nnodes}"
        submit = stamp(t)
        if state == "PENDING":
            buf.append(f"{jid}|{name}|{user}|{acct}|{part},debug|{submit}|Unknown|Unknown|00:00:00|{nnodes}|{ncpus}|"
                       f"00:00:00|00:00:00|{mem}||PENDING|")
            n += 1
            continue
        start = stamp(t + 60)
        end = "Unknown" if state == "RUNNING" else stamp(t + 60 + elapsed)
        buf.append(f"{jid}|{name}|{user}|{acct}|{part}|{submit}|{start}|{end}|{clock(elapsed)}|{nnodes}|{ncpus}|"
                   f"{cputime(total)}|{clock(elapsed * ncpus)}|{mem}||{state}|{tres}")
        steps = ["batch", "extern"] + [str(i) for i in range(rnd.choice((0, 0, 1, 1, 2, 3)))]
        share = total / len(steps)
        for st in steps:
            st_state = "COMPLETED" if st == "extern" else state.split()[0]
            rss = int(rnd.lognormvariate(19, 2))
            buf.append(f"{jid}.{st}|{st if st in ('batch', 'extern') else name}||{acct}||{submit}|{start}|{end}|"
                       f"{clock(elapsed)}|{nnodes}|{ncpus}|{cputime(share)}|{clock(elapsed * ncpus)}|{mem}|{rss}|"
                       f"{st_state}|{tres}")
        n += 1 + len(steps)
        if len(buf) >= 10000:
            out.write("\n".join(buf) + "\n")
            buf = []
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
