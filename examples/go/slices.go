// slices.go: GOMAXPROCS=1 and N CPU-bound goroutines that never block; how long
// does each one keep the P before the scheduler switches to another? Every
// goroutine, at each turn of its loop, checks whether it was the last one to
// run; if not, the P has just switched to it, and the time since the previous
// switch is the time slice the previous goroutine had. (With one P only one
// goroutine runs at a time; the OS descheduling the thread does not count as a
// switch, it only lengthens the slice, as it does for sysmon's clock too.)
// Prints the slices' median and quartiles.
//
//	go run examples/go/slices.go -n 2
//
// sysmon preempts a G whose P's schedtick has not changed for forcePreemptNS
// (10ms) since sysmon *first saw* that schedtick; with only CPU-bound work
// sysmon retakes nothing, so its sleep backs off to 10ms, and a slice lasts
// until sysmon's second look after it began: about 20ms.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	n := flag.Int("n", 2, "CPU-bound goroutines")
	dur := flag.Duration("d", 2*time.Second, "how long to run")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	var cur, lastSwitch int64 = -1, 0 // who ran last; when the P last switched
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func(id int64) {
			defer wg.Done()
			var mine []time.Duration
			for {
				if atomic.LoadInt64(&cur) != id { // the P has just switched to us
					atomic.StoreInt64(&cur, id)
					now := int64(time.Since(start)) // read after claiming the switch
					if t := atomic.SwapInt64(&lastSwitch, now); t != 0 {
						mine = append(mine, time.Duration(now-t))
					}
				}
				if time.Since(start) > *dur {
					break
				}
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}(int64(i))
	}
	wg.Wait()
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	q := func(f float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[int(f*float64(len(all)-1))].Microseconds()) / 1000
	}
	fmt.Printf("slices n=%d gomaxprocs=%d slices=%d q1_ms=%.1f median_ms=%.1f q3_ms=%.1f\n",
		*n, runtime.GOMAXPROCS(0), len(all), q(0.25), q(0.5), q(0.75))
}
