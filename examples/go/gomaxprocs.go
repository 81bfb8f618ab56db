// gomaxprocs.go: runtime.GOMAXPROCS changed while goroutines run. The program
// starts with GOMAXPROCS=4 (more Ps than this 2-core machine has CPUs: a P is
// not a CPU) and 12 CPU-bound goroutines; main sleeps 30ms and calls
// runtime.GOMAXPROCS(2), sleeps 30ms more and calls runtime.GOMAXPROCS(4),
// then stops the goroutines 30ms later.
//
//	GODEBUG=schedtrace=5 go run examples/go/gomaxprocs.go
//
// Each call stops the world and runs procresize: when the Ps shrink, the Gs of
// the removed Ps (P2, P3) go to the head of the global queue and the Ps become
// _Pdead; their Ms park (threads= does not drop). When they grow, the new Ps
// start empty and idle, and the spinning Ms that wakep starts fill them from
// the global queue. The program prints the default GOMAXPROCS first (the CPU
// count until Go 1.24; Go 1.25 also honours a cgroup CPU limit), then each
// change with how long the call took: the stop-the-world, and the wait until
// main's thread runs again (long on a loaded machine).
package main

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

//go:noinline
func lcg(x uint64, steps int) uint64 {
	for i := 0; i < steps; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

var sink uint64

func main() {
	fmt.Printf("gomaxprocs NumCPU=%d default GOMAXPROCS=%d\n", runtime.NumCPU(), runtime.GOMAXPROCS(0))
	runtime.GOMAXPROCS(4)
	t0 := time.Now()
	var stop int32
	var wg sync.WaitGroup
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			x := uint64(i)
			for atomic.LoadInt32(&stop) == 0 {
				x = lcg(x, 1000) // about 1µs
			}
			atomic.AddUint64(&sink, x)
		}(i)
	}
	set := func(n int) {
		time.Sleep(30 * time.Millisecond)
		t := time.Now()
		old := runtime.GOMAXPROCS(n)
		fmt.Printf("gomaxprocs t=%dms GOMAXPROCS(%d) was %d, call took %dus\n",
			time.Since(t0).Milliseconds(), n, old, time.Since(t).Microseconds())
	}
	set(2)
	set(4)
	time.Sleep(30 * time.Millisecond)
	atomic.StoreInt32(&stop, 1)
	wg.Wait()
	fmt.Printf("gomaxprocs done t=%dms\n", time.Since(t0).Milliseconds())
}
