#!/usr/bin/env python3
"""No-op start-up, wall and CPU time per process (user + system from wait4, in
microseconds; /usr/bin/time prints 10 ms steps), contenders taking turns run by run.

    migrate-runtime/benches/noop_cpu.py RUNS '{"cli": ["cargo-migrate", "migrate", ...], "sqlx-cli": ["sqlx", "migrate", "run", ...]}'

Each command must exit 0; two warm-up runs each. Prints medians, and the ratios
when there are two contenders. Used for docs/benchmarks.md (run 15)."""
import os, subprocess, sys, time, statistics, json

def run(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    t1 = time.perf_counter()
    if status != 0:
        raise SystemExit(f"failed: {cmd}")
    return (t1 - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000

def main():
    runs = int(sys.argv[1])
    contenders = json.loads(sys.argv[2])  # {name: [cmd...]}
    for cmd in contenders.values():
        run(cmd); run(cmd)  # warm-up
    res = {n: ([], []) for n in contenders}
    for _ in range(runs):
        for n, cmd in contenders.items():
            w, c = run(cmd)
            res[n][0].append(w); res[n][1].append(c)
    for n, (w, c) in res.items():
        print(f"{n:14s} wall median {statistics.median(w):6.2f} ms   cpu median {statistics.median(c):6.2f} ms   (n={runs})")
    names = list(contenders)
    if len(names) == 2:
        a, b = names
        print(f"ratio {a}/{b}: wall {statistics.median(res[a][0])/statistics.median(res[b][0]):.2f}  cpu {statistics.median(res[a][1])/statistics.median(res[b][1]):.2f}")
main()
