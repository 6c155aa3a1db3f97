#!/usr/bin/env python3
"""No-op start-up, wall and CPU time per process (user + system from wait4, in
microseconds; /usr/bin/time prints 10 ms steps), contenders taking turns run by run in
a shuffled order, so a slow spell of the machine costs each alike.

    migrate-runtime/benches/noop_cpu.py RUNS '{"cli": ["cargo-migrate", "migrate", ...], "sqlx-cli": ["sqlx", "migrate", "run", ...]}'

Each command must exit 0 and find its database up to date (give each contender its own
database); two warm-up runs each. Prints each contender's median with a 95 % bootstrap
interval, and each one's ratio to the first contender with its interval: a start-up
of 10-20 ms moves by a millisecond or two from run to run on a shared machine, so a
few hundred runs are needed to tell apart contenders a tenth apart."""
import json
import os
import random
import statistics
import subprocess
import sys
import time


def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.perf_counter()
    if status != 0:
        raise SystemExit(f"failed: {cmd}")
    return (t1 - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000


def interval(samples, statistic, rounds=1000):
    """The 95 % bootstrap interval of `statistic` over resamples of `samples`."""
    values = sorted(statistic(random.choices(samples, k=len(samples))) for _ in range(rounds))
    return values[rounds // 40], values[rounds - 1 - rounds // 40]


def main():
    runs = int(sys.argv[1])
    contenders = json.loads(sys.argv[2])  # {name: [cmd...]}
    names = list(contenders)
    for cmd in contenders.values():
        run(cmd)
        run(cmd)  # warm-up
    wall = {n: [] for n in names}
    cpu = {n: [] for n in names}
    order = list(names)
    for _ in range(runs):
        random.shuffle(order)
        for n in order:
            w, c = run(contenders[n])
            wall[n].append(w)
            cpu[n].append(c)
    for n in names:
        lo, hi = interval(wall[n], statistics.median)
        print(
            f"{n:14s} wall median {statistics.median(wall[n]):6.2f} ms (95 % {lo:.2f}-{hi:.2f})"
            f"   cpu median {statistics.median(cpu[n]):6.2f} ms   (n={runs})"
        )
    first = names[0]
    for n in names[1:]:
        # Runs of one round are paired: the ratio of medians over resampled rounds.
        pairs = list(zip(wall[first], wall[n]))

        def ratio(sample):
            return statistics.median(a for a, _ in sample) / statistics.median(b for _, b in sample)

        lo, hi = interval(pairs, ratio)
        print(
            f"ratio {first}/{n}: wall {ratio(pairs):.2f} (95 % {lo:.2f}-{hi:.2f})"
            f"  cpu {statistics.median(cpu[first]) / statistics.median(cpu[n]):.2f}"
        )


main()
