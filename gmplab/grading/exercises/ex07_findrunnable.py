"""Exercise 07: findRunnable's order — which source of work each decision takes."""
from .. import scenarios as sc
from ...ops import gosched, loop, netread, work
from .common import Hint, add, scenario

EX = "07_findrunnable"


def gosched_8(run):
    """GOMAXPROCS=8: three Gs loop over 30µs of work and Gosched: Ms spin to find them."""
    return sc.program(run, [(loop(20, work("30us"), gosched()),)] * 3, nprocs=8, seed=2)


def netreads(run):
    """Network reads become ready while the P runs other work: netpoll(0) finds them."""
    return sc.program(run, [(netread("200us"), work("10us"))] * 3 + [(work("1ms"),)] * 2,
                      nprocs=1)


def _src(call):
    return call[2].split("'")[1] if call and "'" in call[2] else None


def _after(call):
    return call[1].split("'")[1] if call and "'" in call[1] else None


def _was(d, exp, got):
    return _src(d.expected_call) == exp and _src(d.got_call) == got


LOCALFIRST = Hint("the P's own queue comes before the global queue: local (runqget), then "
                  "global (globrunqget) — except the 1-in-61 fairness look, before local",
                  lambda d: _was(d, "local", "global") or _was(d, "local", "fairness")
                  and "schedtick=" in d.got_call[1] and not _fair_due(d))
FAIR = Hint("the fairness look comes only when pp.schedtick % 61 == 0 and the global queue is "
            "not empty, right after the timers",
            lambda d: _src(d.expected_call) == "fairness" or _src(d.got_call) == "fairness")
SPIN = Hint("steal only if mp.spinning or 2*sched.nmspinning < gomaxprocs - sched.npidle: "
            "spinning Ms at most half the busy Ps; otherwise give up the P ('idle')",
            lambda d: _was(d, "idle", "steal") or _was(d, "steal", "idle"))
NETPOLL = Hint("netpoll(0) comes after the global queue and before stealing, when "
               "netpollinited() and netpollAnyWaiters() and sched.lastpoll != 0",
               lambda d: "netpoll" in (_src(d.expected_call), _src(d.got_call)))
TIMERS = Hint("every pass starts with the P's own timers ('timers' after 'top')",
              lambda d: _after(d.expected_call) == "top")
ORDER = Hint("findRunnable looks in this order: timers, fairness (1 in 61), local, global, "
             "netpoll, steal, then gives up the P (idle); return the next one whose condition "
             "holds", lambda d: d.raised("PluginError"))
DEFAULT = Hint("timers → fairness (schedtick%61==0 and a global G) → local → global (if not "
               "empty) → netpoll (waiters, nobody polling) → steal (spinning limit) → idle")


def _fair_due(d):
    import re
    m = re.search(r"schedtick=(\d+)", d.got_call[1])
    return m and int(m.group(1)) % 61 == 0
HINTS = [ORDER, TIMERS, FAIR, LOCALFIRST, NETPOLL, SPIN, DEFAULT]

add(EX, 1, ["findRunnable_next"], 3, "Your order of findRunnable's sources, in the runtime",
    [scenario("main starts 300 Gs on one P: local, global and the 1-in-61 look", sc.burst, n=300),
     scenario("Gosched loops on 8 Ps: how many Ms may spin", gosched_8),
     scenario("network reads become ready while the P is busy", netreads),
     scenario("40 short Gs on 4 Ps: spinning and stealing", sc.fanout, nprocs=4),
     scenario("work, syscalls, timers and channels on 3 Ps", sc.mixed, nprocs=3)],
    HINTS)
