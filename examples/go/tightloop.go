// tightloop.go: GOMAXPROCS=1; one goroutine spins in a loop with no function
// calls, and main, which sleeps 1ms, reports when it got the P back.
//
//	go run examples/go/tightloop.go
//	GODEBUG=asyncpreemptoff=1 go run examples/go/tightloop.go   (never returns)
//
// The loop never reaches a cooperative preemption point (a function prologue's
// stack check), so only sysmon's asynchronous preemption (preemptone ->
// preemptM, a SIGURG to the thread, since Go 1.14) can stop it. With
// asyncpreemptoff=1 the spinner keeps the only P forever and main never runs
// again: the program hangs (record.sh kills it after 3 s).
package main

import (
	"fmt"
	"runtime"
	"time"
)

var sink uint64

func main() {
	runtime.GOMAXPROCS(1)
	started := make(chan struct{})
	go func() {
		close(started)
		x := uint64(1)
		for { // no calls: no cooperative preemption point
			x = x*6364136223846793005 + 1442695040888963407
			if x == 0 {
				break
			}
		}
		sink = x
	}()
	<-started
	t0 := time.Now()
	time.Sleep(time.Millisecond)
	fmt.Printf("tightloop: main slept 1ms and ran again after %.1fms\n",
		float64(time.Since(t0).Microseconds())/1000)
}
