// pingpong_hog.go: Go's own TestPingPongHog (runtime/proc_test.go) as a
// program. GOMAXPROCS=1; two pairs of goroutines each take turns over a
// channel: the "hog" pair counts to 1e6 per turn, the "light" pair to 1e3.
// After 100ms the program prints both counters.
//
//	go run examples/go/pingpong_hog.go
//
// Each send readies the partner into runnext, and a G taken from runnext
// inherits the time slice: a ping-pong pair shares one slice, so sysmon
// preempts the hog pair after ~10-20ms as it would one long-running G, and
// the light pair gets its turn. The test wants the two counts within a factor
// of 20 of each other ("if the scheduler isn't working right, the gap should
// be ~1000X").
package main

import (
	"fmt"
	"runtime"
	"time"
)

func main() {
	runtime.GOMAXPROCS(1)
	done := make(chan bool)
	hogChan, lightChan := make(chan bool), make(chan bool)
	hogCount, lightCount := 0, 0

	run := func(limit int, counter *int, wake chan bool) {
		for {
			select {
			case <-done:
				return
			case <-wake:
				for i := 0; i < limit; i++ {
					*counter++
				}
				wake <- true
			}
		}
	}

	// Start two co-scheduled hog goroutines.
	for i := 0; i < 2; i++ {
		go run(1e6, &hogCount, hogChan)
	}
	// Start two co-scheduled light goroutines.
	for i := 0; i < 2; i++ {
		go run(1e3, &lightCount, lightChan)
	}

	// Start goroutine pairs and wait for a few preemption rounds.
	hogChan <- true
	lightChan <- true
	time.Sleep(100 * time.Millisecond)
	close(done)
	<-hogChan
	<-lightChan

	fmt.Printf("pingpong_hog gomaxprocs=%d hogCount=%d lightCount=%d hog/light=%.2f\n",
		runtime.GOMAXPROCS(0), hogCount, lightCount, float64(hogCount)/float64(lightCount))
}
