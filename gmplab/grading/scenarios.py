"""Small programs the checks run on the virtual clock, with the learner's functions plugged in.

Each takes the plug-in run (``run``) and returns the Runtime after running it; the same
program with the core's own functions is the reference. They are lesson-sized: a few hundred
to a few thousand decisions, a fraction of a second as plain Python.
"""
import gmplab
from gmplab.ops import (go, gosched, loop, netread, recv, send, sleep, syscall, syscall_block,
                        wait, work)


def _rt(run, **kw):
    return gmplab.Runtime(replace=run, **kw)


def newproc3(run):
    """GOMAXPROCS=1: main starts G2, G3, G4; each runs 10µs."""
    rt = _rt(run, gomaxprocs=1)
    for _ in range(3):
        rt.go(work("10us"))
    return rt.run()


def spawn(run, n=300, nprocs=1, seed=0):
    """main starts ``n`` Gs in a loop (newproc each time), each 1µs of work."""
    rt = _rt(run, gomaxprocs=nprocs, seed=seed)
    rt.main(loop(n, go(work("1us"))))
    return rt.run()


def burst(run, n=258):
    """GOMAXPROCS=1: ``n`` Gs started before main runs: the ring fills, then spills 128+1."""
    rt = _rt(run, gomaxprocs=1)
    for _ in range(n):
        rt.go(work(1))
    return rt.run()


def pingpong(run, rounds=20, nprocs=1):
    """Two Gs pass a value back and forth on an unbuffered channel: goready puts the woken G
    in runnext, and it inherits the time slice."""
    rt = _rt(run, gomaxprocs=nprocs)
    a, b = rt.chan(), rt.chan()
    rt.go(loop(rounds, send(a), recv(b)))
    rt.go(loop(rounds, recv(a), work("1us"), send(b)))
    rt.go(work("30us"))
    return rt.run()


def mixed(run, nprocs=2, seed=0):
    """Work, syscalls, a timer, channels, a network read and Gosched on ``nprocs`` Ps."""
    rt = _rt(run, gomaxprocs=nprocs, seed=seed)
    c = rt.chan()
    rt.go(loop(3, work("30us"), syscall("40us")), go(work("5us"), sleep("100us")), wait())
    rt.go(loop(4, send(c), work("3us")))
    rt.go(loop(4, recv(c)))
    rt.go(netread("250us"), gosched(), work("200us"))
    rt.go(syscall_block("80us"), work("10us"))
    for _ in range(20):
        rt.go(work("7us"))
    return rt.run()


def fanout(run, nprocs=4, seed=0, n=40):
    """Many short Gs on ``nprocs`` Ps: idle Ps spin and steal (stealWork)."""
    rt = _rt(run, gomaxprocs=nprocs, seed=seed)
    rt.main(loop(n, go(loop(3, work("4us"), sleep("3us")))))
    return rt.run()


def program(run, gos, nprocs=1, seed=0, **kw):
    """A Runtime on which main starts one G per body of ``gos`` (tuples of ops), then runs."""
    rt = _rt(run, gomaxprocs=nprocs, seed=seed, **kw)
    for body in gos:
        rt.go(*body)
    return rt.run()
