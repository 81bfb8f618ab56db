// pipe_read.go: 8 goroutines each wait 100ms for a byte on a pipe, read in one
// of two ways, and the program reports how many OS threads the runtime made.
//
//	go run examples/go/pipe_read.go -mode os    # r.Read on an os.Pipe
//	go run examples/go/pipe_read.go -mode raw   # syscall.Read on a syscall.Pipe fd
//
// os.Pipe makes its file descriptors non-blocking and registers them with the
// network poller (internal/poll): a Read that finds no data parks the
// goroutine (gopark, "IO wait") and its thread goes on running other Gs. A
// syscall.Read on a blocking descriptor (syscall.Pipe gives blocking ones)
// blocks its thread in the kernel instead: entersyscall leaves the P in
// _Psyscall, sysmon retakes it (retake -> handoffp) and each blocked read
// holds one more thread.
//
// The count is the runtime's threadcreate profile (every M it created, sysmon
// and the main thread included), read while the readers wait and again at the end.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

func main() {
	mode := flag.String("mode", "os", "os: os.Pipe + File.Read; raw: syscall.Pipe + syscall.Read")
	n := flag.Int("n", 8, "number of reading goroutines")
	flag.Parse()
	threads := pprof.Lookup("threadcreate")
	before := threads.Count()

	readers := make([]func() error, *n)
	writers := make([]func() error, *n)
	for i := 0; i < *n; i++ {
		switch *mode {
		case "os":
			r, w, err := os.Pipe()
			if err != nil {
				panic(err)
			}
			buf := make([]byte, 1)
			readers[i] = func() error { _, err := r.Read(buf); return err }
			writers[i] = func() error { _, err := w.Write([]byte{1}); return err }
		case "raw":
			var fd [2]int
			if err := syscall.Pipe(fd[:]); err != nil {
				panic(err)
			}
			buf := make([]byte, 1)
			readers[i] = func() error {
				for {
					_, err := syscall.Read(fd[0], buf)
					if err != syscall.EINTR {
						return err
					}
				}
			}
			writers[i] = func() error { _, err := syscall.Write(fd[1], []byte{1}); return err }
		default:
			fmt.Fprintln(os.Stderr, "mode must be os or raw")
			os.Exit(2)
		}
	}
	var wg sync.WaitGroup
	for i := 0; i < *n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := readers[i](); err != nil {
				panic(err)
			}
		}(i)
	}
	time.Sleep(100 * time.Millisecond)
	waiting := threads.Count()
	for i := 0; i < *n; i++ {
		if err := writers[i](); err != nil {
			panic(err)
		}
	}
	wg.Wait()
	fmt.Printf("pipe_read mode=%s readers=%d gomaxprocs=%d threads_at_start=%d threads_while_reading=%d threads_at_end=%d\n",
		*mode, *n, runtime.GOMAXPROCS(0), before, waiting, threads.Count())
}
