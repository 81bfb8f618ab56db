// first_syscall.go: right after start-up a goroutine makes one 8ms blocking
// syscall.Nanosleep -- the first syscall ever made on its P. Run with a 1ms
// detailed schedtrace:
//
//	GODEBUG=schedtrace=1,scheddetail=1 go run examples/go/first_syscall.go
//
// main starts the sleeper and keeps its own P busy (it spins until the
// sleeper is done), so the sleeper runs on the other P, which has never made
// a syscall: p.syscalltick is 0, equal to sysmon's record, so retake() records
// nothing, and sysmontick.syscallwhen is still 0 -- ancient next to
// nanotime(). The "nothing queued, idle Ps can cover, wait 10ms" exit does
// not apply and the P is retaken (handoffp) at sysmon's first look, although
// nothing else wants it: in the trace the sleeping G is status=3 (syscall)
// and its P is status=0 (idle) with syscalltick=1 (retake's increment) from
// the first millisecond on.
//
// Compare -main: main itself makes the syscall on its own P, whose
// syscalltick is already non-zero from runtime start-up; sysmon records
// syscallwhen=now, and that P usually stays in status=2 (_Psyscall) for the
// whole 8ms, because an idle P exists (npidle > 0) and the syscall is younger
// than 10ms. (go1.19, 2 cores, 20 runs each: the default run's P was seen in
// _Psyscall in 1 run of 20, the -main run's in 17 of 20.)
package main

import (
	"flag"
	"fmt"
	"sync/atomic"
	"syscall"
	"time"
)

var sink uint64

// nanosleep blocks the calling OS thread in the kernel for d, resuming after
// EINTR: a signal (most likely the runtime's own preemption signal, SIGURG,
// sent to a thread just as it enters the kernel) interrupts nanosleep(2),
// which then returns at once with the remaining time. It returns how many
// times that happened.
func nanosleep(d time.Duration) (eintr int) {
	ts := syscall.NsecToTimespec(int64(d))
	for {
		var rem syscall.Timespec
		if err := syscall.Nanosleep(&ts, &rem); err != syscall.EINTR {
			return eintr
		}
		eintr++
		ts = rem
	}
}

func nap() time.Duration {
	t0 := time.Now()
	nanosleep(8 * time.Millisecond)
	return time.Since(t0)
}

func main() {
	inMain := flag.Bool("main", false, "make the syscall from main itself")
	flag.Parse()
	if *inMain {
		d := nap()
		fmt.Printf("first_syscall where=main nanosleep_ms=%.2f\n", float64(d.Microseconds())/1000)
		return
	}
	var done int32
	var d time.Duration
	go func() {
		d = nap()
		atomic.StoreInt32(&done, 1)
	}()
	x := uint64(1)
	for atomic.LoadInt32(&done) == 0 { // keep main's P busy
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink = x
	fmt.Printf("first_syscall where=goroutine nanosleep_ms=%.2f\n", float64(d.Microseconds())/1000)
}
