// syscall_handoff.go: GOMAXPROCS=2; 8 goroutines each block an OS thread in a
// 200ms syscall.Nanosleep while 2 CPU-bound goroutines keep computing. The
// CPU goroutines print their progress counters every 20ms: they keep moving
// during the syscalls, because sysmon retakes the Ps of the blocked Ms
// (retake -> handoffp) and new Ms are started to run the CPU work.
//
//	GODEBUG=schedtrace=20 go run examples/go/syscall_handoff.go
//
// In the schedtrace, threads= climbs to about 11: 8 Ms blocked in the kernel,
// 2 running the CPU goroutines, sysmon (plus any idle M).
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

//go:noinline
func lcg(x uint64, steps int) uint64 {
	for i := 0; i < steps; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

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

func main() {
	runtime.GOMAXPROCS(2)
	const blockers = 8
	const nap = 200 * time.Millisecond
	var progress [2]uint64
	var stop, eintr int32
	t0 := time.Now()

	var cpu sync.WaitGroup
	cpu.Add(2)
	for w := 0; w < 2; w++ {
		go func(w int) {
			defer cpu.Done()
			next := 20 * time.Millisecond
			x := uint64(w)
			for atomic.LoadInt32(&stop) == 0 {
				x = lcg(x, 1000) // about 1µs
				progress[w]++
				if el := time.Since(t0); el >= next {
					fmt.Printf("progress t=%dms cpu%d=%d\n", el.Milliseconds(), w, progress[w])
					for next <= el {
						next += 20 * time.Millisecond
					}
				}
			}
		}(w)
	}

	var blk sync.WaitGroup
	blk.Add(blockers)
	for i := 0; i < blockers; i++ {
		go func() {
			defer blk.Done()
			if n := nanosleep(nap); n > 0 { // blocks its M in the kernel
				atomic.AddInt32(&eintr, int32(n))
			}
		}()
	}
	blk.Wait()
	fmt.Printf("blockers done t=%dms\n", time.Since(t0).Milliseconds())
	time.Sleep(30 * time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	cpu.Wait()
	fmt.Printf("syscall_handoff gomaxprocs=%d blockers=%d nap_ms=%d cpu0=%d cpu1=%d wall_ms=%d nanosleep_eintr=%d\n",
		runtime.GOMAXPROCS(0), blockers, nap.Milliseconds(), progress[0], progress[1], time.Since(t0).Milliseconds(), eintr)
}
