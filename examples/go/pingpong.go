// pingpong.go: two goroutines ping-pong a token over two unbuffered channels
// and the program prints the cost of one goroutine switch (one send handed to
// a parked receiver, which wakes it: chansend -> goready -> runqput(runnext)).
//
// With GOMAXPROCS=1 every switch stays on one P (the woken receiver runs next
// from runnext, inheriting the time slice); with GOMAXPROCS=2 the partner may
// be on the other P, so a switch can involve waking an M (wakep/futex).
//
//	GOMAXPROCS=1 go run examples/go/pingpong.go [-switches 2000000]
package main

import (
	"flag"
	"fmt"
	"runtime"
	"time"
)

func main() {
	switches := flag.Int("switches", 2_000_000, "number of channel hand-offs (switches)")
	flag.Parse()
	rounds := *switches / 2

	ping := make(chan int)
	pong := make(chan int)
	done := make(chan struct{})
	go func() {
		for v := range ping {
			pong <- v + 1
		}
		close(done)
	}()
	// warm up
	for i := 0; i < 1000; i++ {
		ping <- i
		<-pong
	}
	t0 := time.Now()
	for i := 0; i < rounds; i++ {
		ping <- i
		<-pong
	}
	wall := time.Since(t0)
	close(ping)
	<-done
	n := 2 * rounds
	fmt.Printf("pingpong switches=%d gomaxprocs=%d wall_ns=%d ns_per_switch=%.1f\n",
		n, runtime.GOMAXPROCS(0), wall.Nanoseconds(), float64(wall.Nanoseconds())/float64(n))
}
