"""Small deterministic scenarios shared by the differential test and the benchmarks."""
import gmplab
from gmplab.ops import (go, gosched, loop, lock_os_thread, netread, recv, send, sleep,
                        syscall, syscall_block, unlock_os_thread, wait, work)


def mixed(seed=0, nprocs=3):
    rt = gmplab.Runtime(gomaxprocs=nprocs, seed=seed)
    c = rt.chan()
    b = rt.chan(2)
    rt.go(loop(5, work("30us"), syscall("40us")), go(work("5us"), sleep("100us")), wait())
    rt.go(loop(4, send(c), work("3us")))
    rt.go(loop(4, recv(c)), loop(3, send(b)))
    rt.go(loop(3, recv(b)), netread("250us"), gosched(), work("12ms"))
    rt.go(lock_os_thread(), sleep("50us"), work("10us"), unlock_os_thread(), syscall_block("80us"))
    for _ in range(40):
        rt.go(work("7us"))
    return rt


def spawn(n, seed=0, nprocs=2, log=True):
    rt = gmplab.Runtime(gomaxprocs=nprocs, seed=seed, log=log)
    rt.main(loop(n, go(work("1us"))))
    return rt


def events_of(rt):
    rt.run()
    return rt.events.array().tobytes()
