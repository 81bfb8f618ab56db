// threadlimit.go: debug.SetMaxThreads(10), then 20 goroutines block their
// OS threads in a long syscall.Nanosleep. sysmon retakes each blocked M's P
// and hands it to a new M (newm); when mcount exceeds sched.maxmcount
// (checkmcount) the runtime prints
//
//	runtime: program exceeds 10-thread limit
//	fatal error: thread exhaustion
//
//	go run examples/go/threadlimit.go   (exit status 2)
package main

import (
	"fmt"
	"runtime/debug"
	"sync"
	"syscall"
	"time"
)

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
	debug.SetMaxThreads(10)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nanosleep(2 * time.Second)
		}()
	}
	wg.Wait()
	fmt.Println("threadlimit: not reached (unexpected)")
}
