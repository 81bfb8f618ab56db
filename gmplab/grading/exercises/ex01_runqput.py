"""Exercise 01: runqput(pp, gp, next) — runnext, the kicked G, the 256-slot ring."""
from .. import scenarios as sc
from .common import GOID0, L, Hint, add, harness, runs, scenario

EX = "01_runqput"
#: the i of RunSchedLocalQueueTest tried here: the small ones and those around 64, 128, 256
LOCAL_QUEUE_IS = sorted(set(range(0, 20)) | set(range(62, 67)) | set(range(126, 131))
                        | set(range(250, 256)))


def local_queue_test(w):
    """RunSchedLocalQueueTest (proc_test.go / export_test.go): i puts then i gets give back
    the same Gs in order, and the queue ends empty (255 fit: no spill). Go runs every i in
    0..255; here the i are those around the ring's edges (LOCAL_QUEUE_IS), to stay within seconds."""
    p = 1
    w.empty(p)
    for i in LOCAL_QUEUE_IS:
        for j in range(i):
            w.put(p, w.gs[j])
        got = w.drain(p)
        w.step(f"i={i}: {i} puts, then runqget gave {runs(got)}; "
                   f"sched.runq holds {int(w.S[L.S_runqsize])}")


def runnext_kick(w):
    """runqput with next: gp takes runnext, the G it displaces goes to the tail."""
    p, g = 1, w.gs
    w.empty(p)
    for k, nxt in enumerate((True, True, False, True, False, True)):
        w.put(p, g[k], nxt)
        w.step(f"runqput(P1, G{GOID0 + k}, next={nxt}): {w.q(p)}")


def full_ring(w):
    """256 Gs fit in the ring; the 257th finds it full: runqputslow moves 128 + 1."""
    p, g = 1, w.gs
    w.empty(p)
    for k in range(258):
        w.put(p, g[k])
        if k >= 254:
            w.step(f"after {k + 1} puts: ring holds {len(w.ring(p))}, "
                       f"sched.runq = {w.globalq()}")


def wrap(w):
    """runqhead and runqtail are uint32: a queue that starts at 2**32 - 3 wraps past 0."""
    p, g = 1, w.gs
    w.empty(p, (1 << 32) - 3)
    for k in range(6):
        w.put(p, g[k])
        b = int(w.S[L.H_poff]) + p * L.NPF
        w.step(f"put G{GOID0 + k}: runqtail={int(w.S[b + L.P_runqtail])} {w.q(p)}")
    got = w.drain(p)
    w.step(f"runqget gave {runs(got)}")


NEXT = Hint("with next=True, gp goes into pp.runnext (newproc and goready put new work "
            "there); only the G it displaces goes to the tail of the ring",
            lambda d: (d.expected("runqput", L.W_RUNNEXT) and not d.got("runqput", L.W_RUNNEXT))
            or (d.expected_said("runnext=G") and d.said("runnext=nil"))
            or d.got_step("next=True): runnext=nil"))
KICK = Hint("the G that was in pp.runnext is not lost: it is kicked out to the tail of the "
            "ring (Go: gp = oldnext, then the tail put)",
            lambda d: (d.expected("runqput", L.W_KICK) and not d.got("runqput", L.W_KICK))
            or (d.got_step("runnext=") and d.step()[0].count("G") > d.step()[1].count("G")))
INDEX = Hint("pp.runq has 256 slots, 0..255: Go writes pp.runq[t%uint32(len(pp.runq))]",
             lambda d: d.raised("IndexError"))
FULL = Hint("the ring is full when t - h == len(pp.runq) (256): then runqputslow(pp, gp, h, t) "
            "moves half of it, and gp, to the global queue",
            lambda d: d.raised("PluginError", "ring holds at most")
            or d.expected("runqputslow") or d.expected_step("sched.runq = [G"))
TAIL = Hint("a tail put writes pp.runq[t % len(pp.runq)] = gp, then publishes it with "
            "pp.runqtail = t + 1",
            lambda d: d.expected("runqput", L.W_TAIL) or d.got_step("runq=[]"))
DEFAULT = Hint("runqput: with next, gp takes runnext and continues with the G it displaced; "
               "that G (or gp) goes to the tail if t - h < 256, else runqputslow")

add(EX, 1, ["runqput"], 2, "Go's own run-queue tests on a bare P",
    [harness("RunSchedLocalQueueTest: i puts, then i gets (i up to 255)", local_queue_test),
     harness("runqput with next: gp to runnext, the old runnext kicked to the tail", runnext_kick),
     harness("a full ring: 256 fit, the 257th spills 128 + 1", full_ring),
     harness("runqhead/runqtail wrap at 2**32 (uint32)", wrap)],
    [INDEX, FULL, NEXT, KICK, TAIL, DEFAULT])

add(EX, 2, ["runqput"], 3, "Your runqput inside the runtime, against Go's schedule",
    [scenario("newproc: main starts G2, G3, G4 on GOMAXPROCS=1", sc.newproc3),
     scenario("goready: a channel ping-pong on one P (the woken G goes to runnext)", sc.pingpong),
     scenario("258 Gs on one P: the ring fills and spills to the global queue", sc.burst),
     scenario("main starts 300 Gs one after another on one P", sc.spawn, n=300),
     scenario("work, syscalls, timers and channels on 2 Ps", sc.mixed)],
    [INDEX, FULL, NEXT, KICK, TAIL, DEFAULT])
