// runnext_order.go: main starts N goroutines in a loop, go func(i){...}(i) for
// i = 0..N-1, then waits for them; each goroutine only records its i. The
// program prints the order in which they ran.
//
// Run it with GOMAXPROCS=1 so that one P runs everything and the order is the
// scheduler's alone:
//
//	GOMAXPROCS=1 go run examples/go/runnext_order.go            # N=10: 9 0 1 2 ... 8
//	GOMAXPROCS=1 go run examples/go/runnext_order.go -n 300     # the 256-slot ring spills
//
// What decides the order (proc.go): each `go` is newproc -> runqput(pp, newg,
// next=true): the new G takes runnext and the G that was there is kicked to
// the tail of the local ring. When main blocks in wg.Wait, schedule() runs
// runnext first, then the ring from its head. With N=300 the ring (256 slots)
// fills up: runqputslow moves half of it (128) plus the kicked G to the
// global queue, which findRunnable visits once every 61 schedule ticks and
// when the local queue is empty.
//
// Recording the order does not change it: an atomic counter and a
// preallocated slice, no channel, no lock, no system call.
//
// -dump stops the program where the loop would start, with a panic; run with
// GOTRACEBACK=system, the traceback lists the runtime's own goroutines and
// their states at that moment (one of them may be runnable, waiting in
// runnext: the loop's first `go` kicks it into the ring).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

func main() {
	n := flag.Int("n", 10, "number of goroutines")
	dump := flag.Bool("dump", false, "panic before the loop (run with GOTRACEBACK=system)")
	flag.Parse()
	if *n < 1 {
		fmt.Fprintln(os.Stderr, "-n must be at least 1")
		os.Exit(2)
	}

	order := make([]int, *n)
	var next int32
	var wg sync.WaitGroup
	wg.Add(*n)
	if *dump {
		panic("runnext_order -dump: the goroutines when main's loop starts")
	}
	for i := 0; i < *n; i++ {
		go func(i int) {
			order[atomic.AddInt32(&next, 1)-1] = i
			wg.Done()
		}(i)
	}
	wg.Wait()

	s := make([]string, len(order))
	for k, i := range order {
		s[k] = fmt.Sprint(i)
	}
	fmt.Printf("runnext_order n=%d gomaxprocs=%d order: %s\n", *n, runtime.GOMAXPROCS(0),
		strings.Join(s, " "))
}
