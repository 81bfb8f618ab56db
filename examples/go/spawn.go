// spawn.go: main starts N goroutines, each doing about 1µs of CPU work (a
// calibrated LCG loop), waits on a sync.WaitGroup and prints the wall time.
//
// Shows what a `go` statement costs end to end (newproc -> runqput(runnext)
// -> execute -> goexit) when the work itself is tiny.
//
//	go run examples/go/spawn.go [-n 1000000]
//	GOMAXPROCS=1 go run examples/go/spawn.go
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

var sink uint64

//go:noinline
func lcg(x uint64, steps int) uint64 {
	for i := 0; i < steps; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

// calibrate returns the number of LCG steps that take about target on this CPU.
func calibrate(target time.Duration) int {
	const probe = 10_000_000
	best := time.Duration(1 << 62)
	for r := 0; r < 5; r++ {
		t0 := time.Now()
		sink += lcg(uint64(r), probe)
		if d := time.Since(t0); d < best {
			best = d
		}
	}
	perStep := float64(best) / probe
	steps := int(float64(target) / perStep)
	if steps < 1 {
		steps = 1
	}
	return steps
}

func main() {
	n := flag.Int("n", 1_000_000, "number of goroutines")
	flag.Parse()
	steps := calibrate(time.Microsecond)

	var wg sync.WaitGroup
	var mu sync.Mutex
	wg.Add(*n)
	t0 := time.Now()
	for i := 0; i < *n; i++ {
		go func(seed uint64) {
			x := lcg(seed, steps)
			if x == 0 { // practically never; keeps the work alive
				mu.Lock()
				sink += x
				mu.Unlock()
			}
			wg.Done()
		}(uint64(i))
	}
	wg.Wait()
	wall := time.Since(t0)
	fmt.Printf("spawn n=%d gomaxprocs=%d wall_ns=%d work_steps=%d ns_per_goroutine=%.1f\n",
		*n, runtime.GOMAXPROCS(0), wall.Nanoseconds(), steps, float64(wall.Nanoseconds())/float64(*n))
}
