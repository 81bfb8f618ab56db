"""The long stress of the real-thread driver (gmplab.ParallelRuntime): issue #14's random
programs, its three LockOSThread reproducers and lesson 12's preemption demonstration, run
many times, with and without CPU burner processes. tests/parallel/test_stress.py runs a short
version of each in CI; this prints what every run found.

    python benchmarks/stress_parallel.py random [--programs 1000] [--procs 1,2,3,4,8] [--burners 0,2]
    python benchmarks/stress_parallel.py repro [--runs 200] [--burners 0,2]
    python benchmarks/stress_parallel.py preempt [--runs 200] [--burners 0,2]
    python benchmarks/stress_parallel.py close [--runs 50] [--burners 0,2]

random: every program runs on the virtual clock (the verdict) and on real threads, at each
GOMAXPROCS, once per burner setting; a run is bad if it does not end well before its timeout,
gives another verdict, creates or exits a goroutine twice, makes or ends a different number of
goroutines, or leaves a gmplab thread behind. repro: the reproducers A, B, C of issue #14 at
their GOMAXPROCS. preempt: GOMAXPROCS=1, two goroutines of work("60ms"): both must be
preempted. close: close() from another thread, during run()'s start-up or while the threads
compute, block in syscalls, sleep or wait: how long until run() returns (target: 100 ms;
slower counts as bad). The exit status is 1 if any run was bad.
"""
import argparse
import collections
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "parallel"))

import progs  # noqa: E402
import stress  # noqa: E402


def _random(args, burners):
    bad = 0
    runs = 0
    slowest = 0.0  # the longest run, in seconds
    kinds = collections.Counter()
    t0 = time.monotonic()
    for i in range(args.programs):
        prog = progs.generate(args.seed0 + i)
        for procs in args.procs:
            found, got = progs.compare(prog, procs, seed=i, timeout=args.timeout)
            runs += 1
            kinds[prog.balanced] += 1
            slowest = max(slowest, got.seconds)
            if found:
                bad += 1
                print(f"BAD seed={args.seed0 + i} GOMAXPROCS={procs} burners={burners}: "
                      f"{'; '.join(found)}\n{prog.source()}", flush=True)
        if (i + 1) % 100 == 0:
            print(f"  {i + 1} programs, {runs} runs, {bad} bad, {time.monotonic() - t0:.0f}s",
                  flush=True)
    print(f"random, burners={burners}: {runs} runs ({kinds[True]} balanced, {kinds[False]} "
          f"built to deadlock) at GOMAXPROCS {args.procs}: {bad} bad, longest run "
          f"{slowest:.2f}s (timeout {args.timeout:g}s), {time.monotonic() - t0:.0f}s")
    return bad


def _repro(args, burners):
    bad = 0
    for name, (build, procs) in stress.REPRODUCERS.items():
        want = stress.repro_verdict(name)
        got = collections.Counter()
        t0 = time.monotonic()
        for i in range(args.runs):
            v, dt, left = stress.run_repro(name, seed=i, timeout=args.timeout)
            got[v] += 1
            if v != want or left:
                bad += 1
                print(f"BAD {name} run {i}: {v!r} after {dt:.2f}s (want {want!r}), "
                      f"threads left {left}", flush=True)
        print(f"repro {name} GOMAXPROCS={procs} burners={burners}: {dict(got)} in "
              f"{time.monotonic() - t0:.0f}s")
    return bad


def _preempt(args, burners):
    bad = 0
    longest = 0.0
    t0 = time.monotonic()
    for i in range(args.runs):
        both, slices = stress.preemption_demo()
        longest = max([longest] + [ms for _, ms, _ in slices])
        if not both:
            bad += 1
            print(f"BAD preempt run {i}: {slices}", flush=True)
    print(f"preempt burners={burners}: {args.runs} runs, {bad} without both goroutines "
          f"preempted, longest slice {longest:.1f} ms, {time.monotonic() - t0:.0f}s")
    return bad


def _close(args, burners):
    bad = 0
    for when in ["during start-up"] + list(stress.CLOSE_WHILE):
        dts = []
        for i in range(args.runs):
            dt, finished = stress.close_latency(when)
            dts.append(dt)
            if dt > 0.1 or not finished.startswith("closed"):
                bad += 1
                print(f"BAD close {when} run {i}: {dt * 1e3:.1f} ms, finished={finished!r}",
                      flush=True)
        dts.sort()
        print(f"close {when}, burners={burners}: {args.runs} runs, median "
              f"{dts[len(dts) // 2] * 1e3:.1f} ms, max {dts[-1] * 1e3:.1f} ms")
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("random", "repro", "preempt", "close"))
    ap.add_argument("--programs", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--procs", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1, 2, 3, 4, 8])
    ap.add_argument("--burners", type=lambda s: [int(x) for x in s.split(",")], default=[0, 2])
    ap.add_argument("--seed0", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=20)
    args = ap.parse_args()
    fn = {"random": _random, "repro": _repro, "preempt": _preempt, "close": _close}[args.what]
    bad = 0
    for k in args.burners:
        with stress.burners(k):
            bad += fn(args, k)
    print(f"total bad: {bad}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
