// spin_cost.go: two goroutines take turns over an unbuffered channel, each
// computing ~20µs per turn: there is never more than one goroutine to run.
// Prints the CPU time the whole process used (user+sys, getrusage) beside the
// wall time.
//
//	GOMAXPROCS={1,2} go run examples/go/spin_cost.go
//
// With one P the CPU time is about the wall time. With two Ps, every send
// readies the partner into the sender's runnext and wakep wakes a spinning M
// for the idle P: it looks through the other Ps (stealWork), finds at most that
// runnext (after runqgrab's usleep(3)), and parks again -- futex wake-ups and
// steal attempts that add CPU time without adding work.
package main

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
)

//go:noinline
func spin(steps int) uint64 {
	x := uint64(1)
	for i := 0; i < steps; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	return x
}

func cpu() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var sink uint64

func main() {
	const turns = 20000
	const steps = 17000 // ~20µs of LCG steps (lcg.go: 11.9µs per 10000)
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		for range ping {
			sink += spin(steps)
			pong <- struct{}{}
		}
	}()
	c0, t0 := cpu(), time.Now()
	for i := 0; i < turns; i++ {
		sink += spin(steps)
		ping <- struct{}{}
		<-pong
	}
	wall, used := time.Since(t0), cpu()-c0
	fmt.Printf("spin_cost gomaxprocs=%d turns=%d wall_ms=%d cpu_ms=%d cpu_per_wall=%.2f\n",
		runtime.GOMAXPROCS(0), 2*turns, wall.Milliseconds(), used.Milliseconds(),
		float64(used)/float64(wall))
}
