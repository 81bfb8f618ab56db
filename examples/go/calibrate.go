// calibrate.go: measures the real Go runtime's scheduler overheads, one
// `cost NAME ns=VALUE` line each: the best (lowest) of several trials, each
// trial averaging many repetitions, so that noise from other processes on the
// machine inflates the figures as little as possible. gmplab's simulator cost parameters are
// calibrated against these figures.
//
//	go run examples/go/calibrate.go [-scale 1.0]
//
// The program sets GOMAXPROCS itself for each measurement (1 unless the
// measurement is about two Ps) and restores it afterwards.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var scale = flag.Float64("scale", 1.0, "multiply every repetition count (use <1 for a quick run)")

func reps(n int) int {
	r := int(float64(n) * *scale)
	if r < 1 {
		r = 1
	}
	return r
}

// best of trials of f; f returns the ns per repetition of one trial.
func best(trials int, f func() float64) float64 {
	b := f()
	for i := 1; i < trials; i++ {
		if v := f(); v < b {
			b = v
		}
	}
	return b
}

func min(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

func withProcs(p int, f func()) {
	old := runtime.GOMAXPROCS(p)
	defer runtime.GOMAXPROCS(old)
	f()
}

func report(name string, ns float64, note string) {
	if note != "" {
		fmt.Printf("cost %s ns=%.1f  # %s\n", name, ns, note)
	} else {
		fmt.Printf("cost %s ns=%.1f\n", name, ns)
	}
}

// goSpawn: `go` statement + goroutine start + exit (newproc, runqput to
// runnext, execute, goexit0/gfput), in batches of 128 so that the local run
// queue (256 slots) never spills to the global queue and the Gs are reused
// from the P's free list. Includes one WaitGroup Done per goroutine.
func goSpawn() float64 {
	const batch = 128
	n := reps(4000) // batches
	var wg sync.WaitGroup
	t0 := time.Now()
	for b := 0; b < n; b++ {
		wg.Add(batch)
		for i := 0; i < batch; i++ {
			go wg.Done()
		}
		wg.Wait()
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(n*batch)
}

// gosched: two goroutines alternately calling runtime.Gosched on one P; each
// call puts the caller on the global run queue (goschedImpl) and schedules
// the other. Returns ns per Gosched (one switch; a round trip is two).
func gosched() float64 {
	n := reps(500_000)
	var wg sync.WaitGroup
	var start sync.WaitGroup
	start.Add(1)
	wg.Add(2)
	for k := 0; k < 2; k++ {
		go func() {
			start.Wait()
			for i := 0; i < n; i++ {
				runtime.Gosched()
			}
			wg.Done()
		}()
	}
	runtime.Gosched() // let both reach start.Wait
	t0 := time.Now()
	start.Done()
	wg.Wait()
	return float64(time.Since(t0).Nanoseconds()) / float64(2*n)
}

// goschedAlone: one goroutine calling Gosched with nothing else runnable.
func goschedAlone() float64 {
	n := reps(1_000_000)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		runtime.Gosched()
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

// rawGetpid: syscall.Getpid, which Go implements with rawSyscallNoError:
// no entersyscall/exitsyscall, only the kernel round trip.
func rawGetpid() float64 {
	n := reps(2_000_000)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		syscall.Getpid()
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

// syscallGetpid: the same system call through syscall.Syscall, which wraps it
// in runtime entersyscall/exitsyscall (P -> _Psyscall and back, fast path).
func syscallGetpid() float64 {
	n := reps(2_000_000)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		syscall.Syscall(syscall.SYS_GETPID, 0, 0, 0)
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

// chanPingPong: two goroutines handing a token over unbuffered channels;
// ns per hand-off (chansend to a parked receiver -> goready -> runnext).
func chanPingPong() float64 {
	n := reps(500_000)
	ping, pong := make(chan int), make(chan int)
	go func() {
		for v := range ping {
			pong <- v
		}
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		ping <- i
		<-pong
	}
	d := time.Since(t0)
	close(ping)
	return float64(d.Nanoseconds()) / float64(2*n)
}

// crossPWake: GOMAXPROCS=2. The waker sends on an unbuffered channel to a
// parked goroutine and does NOT block afterwards (it busy-waits on an atomic
// flag), so the woken G must run on the other P: goready puts it in the
// waker's runnext, wakep starts (futex-wakes) a spinning M on the idle P,
// which steals it. A runnext G of a running P is only stolen on the last of
// the 4 steal passes, after usleep(3) (findrunnable/runqgrab), and on Linux
// that sleep lasts at least the thread's timer slack (50µs default). Returns ns from send to the woken G running (one way),
// including the woken G's atomic store being seen by the waker.
func crossPWake() float64 {
	n := reps(50_000)
	c := make(chan int)
	var flag int32
	done := make(chan struct{})
	go func() {
		for range c {
			atomic.StoreInt32(&flag, 1)
		}
		close(done)
	}()
	t0 := time.Now()
	for i := 0; i < n; i++ {
		c <- i
		for atomic.LoadInt32(&flag) == 0 {
		}
		atomic.StoreInt32(&flag, 0)
		// Let the receiver park again (so every send wakes a parked G),
		// without yielding our P: spin briefly.
		spin(2000)
	}
	d := time.Since(t0)
	close(c)
	<-done
	return float64(d.Nanoseconds())/float64(n) - spinNs
}

var spinNs float64
var sinkU uint64

//go:noinline
func spin(steps int) {
	x := sinkU
	for i := 0; i < steps; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sinkU = x
}

func calibrateSpin() {
	n := reps(100_000)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		spin(2000)
	}
	spinNs = float64(time.Since(t0).Nanoseconds()) / float64(n)
}

// chanSpawn: the newThread loop without LockOSThread (baseline).
func chanSpawn() float64 {
	n := reps(5_000)
	done := make(chan int)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		go func() {
			done <- 1
		}()
		<-done
	}
	return float64(time.Since(t0).Nanoseconds()) / float64(n)
}

// sleep: latency of time.Sleep(d) as seen by the caller.
func sleep(d time.Duration, n int) func() float64 {
	return func() float64 {
		n := reps(n)
		t0 := time.Now()
		for i := 0; i < n; i++ {
			time.Sleep(d)
		}
		return float64(time.Since(t0).Nanoseconds()) / float64(n)
	}
}

// newThread: each goroutine locks its OS thread and exits while locked, which
// makes its M exit (goexit0 -> mexit); the P then needs another M, so the
// runtime creates a fresh OS thread (newm -> clone) for the next iteration.
// Reports ns per iteration; newThreadTIDs counts the distinct kernel thread
// ids seen (one per iteration means one thread created per iteration).
var newThreadTIDs, newThreadIters int

func newThread() float64 {
	n := reps(5_000)
	tids := make(map[int]bool, n)
	done := make(chan int)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		go func() {
			runtime.LockOSThread()
			done <- syscall.Gettid()
		}()
		tids[<-done] = true
	}
	d := time.Since(t0)
	newThreadTIDs, newThreadIters = len(tids), n
	return float64(d.Nanoseconds()) / float64(n)
}

// nanosleep blocks the calling OS thread in the kernel for d, resuming after
// EINTR: a signal (most likely the runtime's own preemption signal, SIGURG,
// sent to a thread just as it enters the kernel) interrupts nanosleep(2),
// which then returns at once with the remaining time. It returns how many
// times that happened.
func nanosleep(d time.Duration) (eintr int) {
	ts := syscall.NsecToTimespec(int64(d))
	for {
		var rem syscall.Timespec
		if err := syscall.Nanosleep(&ts, &rem); err != syscall.EINTR {
			return eintr
		}
		eintr++
		ts = rem
	}
}

// blockingSyscallHandoff: k goroutines, started at once on GOMAXPROCS=1, each
// enter a long blocking syscall.Nanosleep. Only one runs at a time: the next
// can start only after sysmon has retaken the P of the M blocked in the kernel
// (retake -> handoffp -> startm, newm when no idle M). Returns the mean gap
// between consecutive goroutines entering the kernel = P retake + hand-off
// latency per blocked goroutine (sysmon tick + thread start).
var handoffTIDs int

func blockingSyscallHandoff() float64 {
	const k = 16
	const nap = 300 * time.Millisecond
	enter := make([]time.Duration, k)
	tid := make([]int, k)
	var wg sync.WaitGroup
	wg.Add(k)
	t0 := time.Now()
	for i := 0; i < k; i++ {
		go func(i int) {
			enter[i] = time.Since(t0)
			tid[i] = syscall.Gettid()
			nanosleep(nap)
			wg.Done()
		}(i)
	}
	wg.Wait()
	sort.Slice(enter, func(a, b int) bool { return enter[a] < enter[b] })
	seen := map[int]bool{}
	for _, t := range tid {
		seen[t] = true
	}
	handoffTIDs = len(seen)
	return float64((enter[k-1] - enter[0]).Nanoseconds()) / float64(k-1)
}

func main() {
	flag.Parse()
	const trials = 7
	fmt.Printf("# calibrate: %s %s/%s NumCPU=%d, best of %d trials, scale=%g\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), trials, *scale)

	withProcs(1, func() {
		report("go_spawn_exit", best(trials, goSpawn), "GOMAXPROCS=1; go stmt + start + exit (newproc/execute/goexit), batches of 128")
		report("gosched_switch", best(trials, gosched), "GOMAXPROCS=1; 2 goroutines; one Gosched = one switch via the global queue; round trip = 2x")
		report("gosched_alone", best(trials, goschedAlone), "GOMAXPROCS=1; Gosched with nothing else runnable")
		// interleave the two so that both see the same machine conditions
		raw, sc := rawGetpid(), syscallGetpid()
		for i := 1; i < trials; i++ {
			raw = min(raw, rawGetpid())
			sc = min(sc, syscallGetpid())
		}
		report("raw_syscall_getpid", raw, "syscall.Getpid = RawSyscall: kernel round trip only, the scheduler is not told")
		report("syscall_getpid", sc, "syscall.Syscall(SYS_GETPID): with entersyscall+exitsyscall (fast path)")
		report("entersyscall_exitsyscall", sc-raw, "difference of the two lines above")
		report("chan_handoff", best(trials, chanPingPong), "GOMAXPROCS=1; unbuffered channel ping-pong, per hand-off")
		report("sleep_1us", best(trials, sleep(time.Microsecond, 2000)), "GOMAXPROCS=1; time.Sleep(1us) latency, nothing else runnable")
		report("sleep_0", best(trials, sleep(0, 1_000_000)), "time.Sleep(0) returns at once (timeSleep: ns <= 0)")
		nt := best(trials, newThread)
		report("newm_lockosthread_exit", nt, fmt.Sprintf("GOMAXPROCS=1; go + LockOSThread + exit locked (M exits, next iteration needs a new thread); %d distinct thread ids in %d iterations", newThreadTIDs, newThreadIters))
		report("newm_thread", nt-best(trials, chanSpawn), "newm_lockosthread_exit minus the same loop without LockOSThread: thread create+exit")
		bh := best(3, blockingSyscallHandoff)
		report("syscall_block_handoff", bh, fmt.Sprintf("GOMAXPROCS=1; 16 goroutines entering a 300ms blocking Nanosleep one after another: mean gap = sysmon retake + handoffp + new M; %d distinct threads", handoffTIDs))
	})
	withProcs(2, func() {
		report("chan_handoff_gomaxprocs2", best(trials, chanPingPong), "GOMAXPROCS=2; unbuffered channel ping-pong, per hand-off")
		report("sleep_1us_gomaxprocs2", best(trials, sleep(time.Microsecond, 2000)), "GOMAXPROCS=2; time.Sleep(1us) latency")
		calibrateSpin()
		report("wake_cross_p", best(trials, crossPWake), "GOMAXPROCS=2; send to a parked G while the sender keeps running: goready(runnext) + wakep (futex) + steal of runnext on the last pass after usleep(3), one way")
	})
	os.Stdout.Sync()
}
