"""Speed of plug-in runs (gmplab.grading), as ratios against the jitted core in the same run.

Prints, for lesson-sized programs (a few thousand decisions): the jitted core's time; the plain
core with every plug-in adapter around the core's own functions (``replace={name: BUILTIN}``);
and the exercises' solutions plugged in together — and whether all three made the same
decisions. Then the time of every check cell with the solutions (what a learner waits for).

    python benchmarks/bench_plugins.py          (PYTHONPATH: the repository root)
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))


def best(f, k=3):
    t = []
    for _ in range(k):
        t0 = time.perf_counter()
        rt = f()
        t.append(time.perf_counter() - t0)
    return min(t), rt


def main():
    import gmplab
    from gmplab.grading import BUILTIN, CHECKS, PLUGS, collect, judge
    from gmplab.ops import go, loop, sleep, work
    from exercise_code import all_solutions, solution

    sols = all_solutions()
    builtin = {n: BUILTIN for n in PLUGS}

    def spawn(replace=None):
        rt = gmplab.Runtime(gomaxprocs=2, seed=1, replace=replace)
        rt.main(loop(1000, go(work("1us"))))
        return rt.run()

    def fanout(replace=None):
        rt = gmplab.Runtime(gomaxprocs=4, seed=2, replace=replace)
        rt.main(loop(200, go(loop(3, work("4us"), sleep("3us")))))
        return rt.run()

    print(f"# gmplab bench_plugins: python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    for name, prog in (("spawn 1000 Gs, 2 Ps", spawn), ("fan-out 200 Gs, 4 Ps", fanout)):
        tj, rj = best(lambda: prog())
        tb, rb = best(lambda: prog(builtin))
        ts, rs = best(lambda: prog(sols))
        same = (rj.events.array().tobytes() == rb.events.array().tobytes()
                == rs.events.array().tobytes())
        print(f"{name}: {rj.nevents:,} decisions; jitted {tj * 1e3:.1f} ms; plain core behind "
              f"every adapter {tb:.2f} s ({tb / tj:.0f}x); all solutions plugged in {ts:.2f} s "
              f"({ts / tj:.0f}x); same decisions: {same}")
    total = 0.0
    for cid, ch in sorted(CHECKS.items()):
        fns = solution(ch.exercise)
        judge(cid, collect(cid, *[fns[n] for n in ch.names]))   # the reference, cached
        t0 = time.perf_counter()
        v = judge(cid, collect(cid, *[fns[n] for n in ch.names]))
        dt = time.perf_counter() - t0
        total += dt
        print(f"check {cid}: {dt:.2f} s ({'pass' if v.passed else 'FAIL'})")
    print(f"all {len(CHECKS)} check cells with the solutions: {total:.1f} s")


if __name__ == "__main__":
    main()
