"""Speed of the parallel driver (gmplab.ParallelRuntime) against the real Go programs in
examples/go/, measured in the same run on the same machine, printed as ratios.

1. lcg: N goroutines x 100 LCG steps, started by main and waited for (examples/go/lcg.go),
   at GOMAXPROCS=1 and 2: gmplab's wall time / Go's (target <= 1.5).
2. scaling: N/10 goroutines x 10000 LCG steps at GOMAXPROCS=1 and at every core: the speed-up
   from 1 to all cores, gmplab's and Go's (target >= 0.9 x cores).
3. ping-pong: two goroutines hand a token over two unbuffered channels
   (examples/go/pingpong.go): ns per switch, gmplab / Go (target <= 3).

Each figure is the best of ``--repeat`` runs. Go is built once with ``go build`` (Go >= 1.19 on
PATH; without it only gmplab's figures are printed).

    python benchmarks/bench_parallel.py [--n 1000000] [--repeat 3]
"""
import argparse
import os
import pathlib
import re
import shutil
import subprocess
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def gmplab_lcg(n, steps, procs):
    import gmplab
    from gmplab.ops import go, lcg, loop
    rt = gmplab.ParallelRuntime(gomaxprocs=procs, seed=1, log=False, max_goroutines=n + 64)
    rt.main(loop(n, go(lcg(steps))))
    t = time.perf_counter()
    rt.run(timeout=600)
    return time.perf_counter() - t


def gmplab_pingpong(switches, procs):
    import gmplab
    from gmplab.ops import loop, recv, send
    rounds = switches // 2
    rt = gmplab.ParallelRuntime(gomaxprocs=procs, seed=1, log=False)
    ping, pong = rt.chan(), rt.chan()
    rt.go(loop(rounds, recv(ping), send(pong)))
    rt.main(loop(rounds, send(ping), recv(pong)))
    t = time.perf_counter()
    rt.run(timeout=600)
    return (time.perf_counter() - t) * 1e9 / (2 * rounds)


def build_go(tmp):
    go = shutil.which("go")
    if not go:
        return None
    out = {}
    for name in ("lcg", "pingpong"):
        exe = os.path.join(tmp, name)
        subprocess.run([go, "build", "-o", exe, str(ROOT / "examples" / "go" / f"{name}.go")],
                       check=True, capture_output=True)
        out[name] = exe
    return out


def run_go(exe, procs, *args):
    env = dict(os.environ, GOMAXPROCS=str(procs))
    r = subprocess.run([exe, *args], env=env, check=True, capture_output=True, text=True)
    return dict(re.findall(r"(\w+)=([\d.]+)", r.stdout))


def best(f, repeat):
    return min(f() for _ in range(repeat))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--n", type=int, default=1_000_000, help="goroutines of the lcg benchmark")
    ap.add_argument("--switches", type=int, default=2_000_000, help="ping-pong switches")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    cores = os.cpu_count() or 1
    print(f"# {cores} CPUs; best of {a.repeat}; gmplab.ParallelRuntime vs Go in the same run")
    gmplab_lcg(1000, 100, 2)  # warm numba's cache and the thread pool path
    with tempfile.TemporaryDirectory() as tmp:
        exes = build_go(tmp)
        if exes:
            v = subprocess.run(["go", "version"], capture_output=True, text=True).stdout.strip()
            print(f"# {v}")
        else:
            print("# go not found: gmplab figures only")

        print(f"\n## lcg: {a.n} goroutines x 100 LCG steps")
        for procs in (1, 2):
            g = best(lambda: gmplab_lcg(a.n, 100, procs), a.repeat)
            line = f"GOMAXPROCS={procs}: gmplab {g:.3f}s"
            if exes:
                r = best(lambda: int(run_go(exes["lcg"], procs, "-n", str(a.n), "-steps", "100")
                                     ["wall_ns"]) / 1e9, a.repeat)
                line += f"  go {r:.3f}s  ratio {g / r:.2f}x (target <= 1.5x)"
            print(line)

        ns = max(1000, a.n // 10)
        print(f"\n## scaling: {ns} goroutines x 10000 LCG steps, GOMAXPROCS=1 vs {cores}")
        g1 = best(lambda: gmplab_lcg(ns, 10_000, 1), a.repeat)
        gn = best(lambda: gmplab_lcg(ns, 10_000, cores), a.repeat)
        line = (f"gmplab {g1:.3f}s -> {gn:.3f}s: {g1 / gn:.2f}x on {cores} cores "
                f"({g1 / gn / cores:.2f} x cores; target >= 0.9)")
        print(line)
        if exes:
            def go_t(p):
                return best(lambda: int(run_go(exes["lcg"], p, "-n", str(ns), "-steps", "10000")
                                        ["wall_ns"]) / 1e9, a.repeat)
            r1, rn = go_t(1), go_t(cores)
            print(f"go     {r1:.3f}s -> {rn:.3f}s: {r1 / rn:.2f}x on {cores} cores; "
                  f"gmplab/go time at {cores} cores {gn / rn:.2f}x")

        print(f"\n## ping-pong: {a.switches} switches over unbuffered channels")
        for procs in (1, 2):
            g = best(lambda: gmplab_pingpong(a.switches, procs), a.repeat)
            line = f"GOMAXPROCS={procs}: gmplab {g:.0f} ns/switch"
            if exes:
                r = best(lambda: float(run_go(exes["pingpong"], procs, "-switches",
                                              str(a.switches))["ns_per_switch"]), a.repeat)
                line += f"  go {r:.0f} ns/switch  ratio {g / r:.2f}x (target <= 3x)"
            print(line)


if __name__ == "__main__":
    main()
