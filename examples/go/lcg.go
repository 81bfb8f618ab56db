// lcg.go: N goroutines x S LCG steps each, joined by a sync.WaitGroup.
//
// With steps=100 the run is dominated by scheduler overhead (goroutine
// creation and exit); with steps=10000 by the work itself, so GOMAXPROCS=2
// should roughly halve the wall time.
//
//	go run examples/go/lcg.go [-n 1000000] [-steps 100]
package main

import (
	"flag"
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

func main() {
	n := flag.Int("n", 1_000_000, "number of goroutines")
	steps := flag.Int("steps", 100, "LCG steps per goroutine")
	flag.Parse()

	var wg sync.WaitGroup
	var acc uint64
	wg.Add(*n)
	t0 := time.Now()
	for i := 0; i < *n; i++ {
		go func(seed uint64) {
			x := lcg(seed, *steps)
			if x&0xffff == 0 {
				atomic.AddUint64(&acc, 1)
			}
			wg.Done()
		}(uint64(i))
	}
	wg.Wait()
	wall := time.Since(t0)
	fmt.Printf("lcg n=%d steps=%d gomaxprocs=%d wall_ns=%d ns_per_goroutine=%.1f\n",
		*n, *steps, runtime.GOMAXPROCS(0), wall.Nanoseconds(), float64(wall.Nanoseconds())/float64(*n))
}
