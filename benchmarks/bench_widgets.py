"""Click latency of the Playground (gmplab.widgets): the wall time from a button click to
the refreshed picture, narrative and inspector, with 4 Ps and 100 goroutines.

    python3 benchmarks/bench_widgets.py [--gs 100] [--procs 4] [--clicks 20]

Prints the median and worst latency per control; the target is well under 200 ms. No
assertion: timings depend on the machine (run it on a quiet one).
"""
import argparse
import statistics
import time


def measure(gs=100, procs=4, clicks=20, seed=0):
    from gmplab.widgets import Playground

    pg = Playground(gomaxprocs=procs, seed=seed)
    for _ in range(gs):
        pg.go("CPU-bound")
    pg.run_for("300us")
    pg.refresh()                      # warm: first draw loads fonts
    out = {}

    def timed(name, click, n=clicks):
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            click()
            ts.append((time.perf_counter() - t0) * 1000)
        out[name] = ts

    timed("go func()", pg.go_button.click)
    timed("Step", pg.step_button.click)
    timed("Play frame", lambda: pg.play.set_trait("value", pg.play.value + 1))

    def block_and_return():
        pg.block_button.click()
        pg.return_button.click()
    timed("block in syscall + syscall returns (2 clicks)", block_and_return, clicks // 2)
    timed("Gosched", pg.gosched_button.click)
    timed("GOMAXPROCS slider", lambda: setattr(pg.procs, "value", 3 if pg.procs.value == 4
                                                else 4), clicks // 2)
    return pg, out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gs", type=int, default=100)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--clicks", type=int, default=20)
    a = ap.parse_args()
    pg, out = measure(a.gs, a.procs, a.clicks)
    print(f"Playground click latency, GOMAXPROCS={a.procs}, {len(pg.rt.goids())} goroutines "
          f"(t={pg.rt.now}ns)")
    for name, ts in out.items():
        print(f"  {name:48s} median {statistics.median(ts):6.1f} ms   max {max(ts):6.1f} ms")
    allts = [t for ts in out.values() for t in ts]
    print(f"  {'all clicks':48s} median {statistics.median(allts):6.1f} ms   "
          f"max {max(allts):6.1f} ms   (target: ≤ 200 ms)")


if __name__ == "__main__":
    main()
