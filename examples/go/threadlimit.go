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

func main() {
	debug.SetMaxThreads(10)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ts := syscall.NsecToTimespec(int64(2 * time.Second))
			syscall.Nanosleep(&ts, nil)
		}()
	}
	wg.Wait()
	fmt.Println("threadlimit: not reached (unexpected)")
}
