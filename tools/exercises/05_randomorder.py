from build import answer, check, code, experiment, md

CELLS = [
    md("""
# Exercise 5 · `randomOrder`: visiting every P once, in a random order

After this exercise you can

* write Go's `randomOrder` / `randomEnum`, the enumeration `stealWork` walks;
* explain why a step that is coprime with the number of Ps visits each P exactly once;
* connect the seed (`fastrand`) to which victim is robbed first.

About 30 minutes. Lesson: [06 · work stealing](../notebooks/06_stealing.ipynb).
"""),
    md("""
## The Go types

In `src/runtime/proc.go` (Go 1.25.3), `var stealOrder randomOrder`; `procresize` calls
`stealOrder.reset(gomaxprocs)`, and each of `stealWork`'s four passes walks
`for enum := stealOrder.start(cheaprand()); !enum.done(); enum.next() { p2 := allp[enum.position()] … }`.

* `randomOrder.reset(count)`: keep `count` and the **coprimes** of `count`: every `X` in
  `1 .. count` with `gcd(X, count) == 1`.
* `randomOrder.start(i)`: a `randomEnum` with `count`, `pos = i % count` and
  `inc = coprimes[i / count % len(coprimes)]`.
* `randomEnum.done()`: `i == count`; `next()`: `i += 1`, `pos = (pos + inc) % count`;
  `position()`: `pos`.

Because `inc` and `count` share no factor, `pos, pos+inc, pos+2·inc, …` (mod `count`) hits
every P once before it repeats. `i` and `count` arrive as `uint32`.
"""),
    code("""
import gmplab
from gmplab.ops import go, loop, sleep, work
from gmplab.grading import check
from gmplab.grading.experiment import diff, tryit
from gmplab.grading.go import *
"""),
    answer('''
def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


class randomEnum:
    def __init__(self, count, pos, inc):
        self.i = 0
        self.count = count
        self.pos = pos
        self.inc = inc

    def done(self):
        ### BEGIN SOLUTION
        return self.i == self.count
        ### END SOLUTION

    def next(self):
        ### BEGIN SOLUTION
        self.i += 1
        self.pos = (self.pos + self.inc) % self.count
        ### END SOLUTION

    def position(self):
        return self.pos


class randomOrder:
    def __init__(self):
        self.count = 0
        self.coprimes = []

    def reset(self, count):
        ### BEGIN SOLUTION
        self.count = count
        self.coprimes = [i for i in range(1, count + 1) if gcd(i, count) == 1]
        ### END SOLUTION

    def start(self, i):
        ### BEGIN SOLUTION
        return randomEnum(self.count, i % self.count,
                          self.coprimes[i // self.count % len(self.coprimes)])
        ### END SOLUTION
'''),
    md("""
## Try it

With 6 Ps the coprimes are 1 and 5. Predict the orders that `start(0)`, `start(7)` and
`start(13)` give; the first cell prints them (with your class). The second runs a stealing
program on 6 Ps with your `randomOrder` in `stealWork`.
"""),
    experiment("""
with tryit():
    order = randomOrder()
    order.reset(6)
    for i in (0, 7, 13):
        enum, seen = order.start(i), []
        while not enum.done():
            seen.append(enum.position())
            enum.next()
        print(f"start({i}):", seen)
"""),
    experiment("""
def program(rt):
    rt.main(loop(40, go(loop(3, work("4us"), sleep("3us")))))

go_rt, my_rt = diff(program, {"randomOrder": randomOrder}, gomaxprocs=6, seed=5)
"""),
    md("""
## Check
"""),
    check("05_randomorder-check-1"),
    check("05_randomorder-check-2"),
    md("""
## What you did

Stealing looks at *all* Ps, four times, each time in a different pseudo-random order that
still never repeats one — not "one random victim". Next: the global queue,
[exercise 6](06_globrunqget.ipynb).
"""),
]
