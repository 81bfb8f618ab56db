"""Goroutine bodies the Playground's "go func()" button can start, with the Go they stand for.

Each preset is a function ``make(rt) -> list of bodies`` (one body per goroutine it starts; the
channel pair starts two) and a Go snippet for the narrative.
"""
from ..ops import (go, lock_os_thread, loop, netread, recv, send, sleep, syscall,
                   unlock_os_thread, work)


def _cpu(rt):
    return [(work("50ms"),)]


def _syscalls(rt):
    return [(loop(20, work("100us"), syscall("500us")),)]


def _pair(rt):
    ch = rt.chan()
    return [(loop(50, work("20us"), send(ch)),), (loop(50, recv(ch), work("20us")),)]


def _sleeper(rt):
    return [(loop(20, sleep("1ms"), work("50us")),)]


def _netreader(rt):
    return [(loop(20, netread("2ms"), work("50us")),)]


def _spawner(rt):
    return [(loop(4, work("200us"), go(work("20ms"))),)]


def _locked(rt):
    return [(lock_os_thread(), loop(10, work("200us"), sleep("500us")), unlock_os_thread())]


# name -> (make, Go snippet, what the scheduler does with it)
PRESETS = {
    "CPU-bound": (_cpu, "go func() { spin(50 * time.Millisecond) }()",
                  "runs until sysmon preempts it: a slice sysmon has seen for forcePreemptNS (10ms); "
                  "with sysmon backed off to 10ms looks, about 20ms"),
    "syscall-heavy": (_syscalls,
                      "go func() { for i := 0; i < 20; i++ { work(); syscall.Read(fd, buf) } }()",
                      "enters 500µs syscalls: its P stays in _Psyscall, sysmon may retake it"),
    "channel pair": (_pair,
                     "ch := make(chan int); go func() { for { work(); ch <- 1 } }(); "
                     "go func() { for { <-ch; work() } }()",
                     "two Gs hand off through an unbuffered channel: gopark / goready into "
                     "runnext"),
    "sleeper": (_sleeper, "go func() { for { time.Sleep(time.Millisecond); work() } }()",
                "parks on a timer (timeSleep); checkTimers readies it"),
    "network reader": (_netreader, "go func() { for { conn.Read(buf); work() } }()",
                       "parks in the netpoller: no M is blocked while it waits"),
    "spawner (go from a G)": (_spawner,
                              "go func() { for i := 0; i < 4; i++ { work(); "
                              "go spin(20 * time.Millisecond) } }()",
                              "runs four go statements itself: each child is newproc → "
                              "runqput(pp, newg, next=true), into the runnext of the spawner's P "
                              "(kicking the previous child to its ring), then wakep"),
    "locked to its thread": (_locked,
                             "go func() { runtime.LockOSThread(); for { work(); "
                             "time.Sleep(500 * time.Microsecond) } }()",
                             "owns its M: when it parks the M hands off its P (stoplockedm)"),
}
