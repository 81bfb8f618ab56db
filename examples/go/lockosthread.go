// lockosthread: what runtime.LockOSThread does to threads (lesson 10).
//
//		go run examples/go/lockosthread.go
//
//	 1. The first LockOSThread starts the template thread: the process's thread count
//	    (/proc/self/status) before and after a Lock/Unlock pair in main.
//	 2. A locked goroutine always runs on its own thread: the distinct thread ids
//	    (gettid) a goroutine sees over 20 sleeps of 1 ms, locked and not locked, while
//	    four other goroutines loop in 1 ms blocking system calls (so that sysmon keeps
//	    handing Ps from thread to thread).
//	 3. A goroutine that exits while locked takes its thread with it: whether its
//	    thread id is still in /proc/self/task 20 ms after it returned, and whether that
//	    thread was the main thread (thread id = process id: m0, which is wedged instead).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"
)

func threads() int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, ln := range strings.Split(string(b), "\n") {
		var n int
		if _, err := fmt.Sscanf(ln, "Threads: %d", &n); err == nil {
			return n
		}
	}
	return -1
}

// sleeper sleeps 1 ms 20 times and returns the distinct thread ids it ran on.
func sleeper(locked bool) int {
	if locked {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
	}
	seen := map[int]bool{}
	for i := 0; i < 20; i++ {
		seen[syscall.Gettid()] = true
		time.Sleep(time.Millisecond)
		seen[syscall.Gettid()] = true
	}
	return len(seen)
}

func blocker(stop *int32, mu *sync.Mutex) {
	ts := syscall.Timespec{Nsec: 1000000}
	for {
		syscall.Nanosleep(&ts, nil) // a raw blocking syscall: the P can be retaken
		mu.Lock()
		s := *stop
		mu.Unlock()
		if s != 0 {
			return
		}
	}
}

// exitLocked starts a goroutine that locks its thread and returns without unlocking;
// it reports the thread's id, and whether 20 ms later that thread still exists.
func exitLocked() (tid int, exists bool) {
	ch := make(chan int)
	go func() {
		runtime.LockOSThread()
		ch <- syscall.Gettid() // and return, still locked
	}()
	tid = <-ch
	time.Sleep(20 * time.Millisecond)
	_, err := os.Stat(fmt.Sprintf("/proc/self/task/%d", tid))
	return tid, err == nil
}

func main() {
	pid := os.Getpid()
	onM0 := syscall.Gettid() == pid
	before := threads()
	runtime.LockOSThread() // main stays on this thread, m0, until it unlocks
	time.Sleep(20 * time.Millisecond)
	fmt.Printf("lockosthread: main starts on the main thread (m0): %v; threads before the first "+
		"LockOSThread %d, after %d\n", onM0, before, threads())

	// give m0 to a goroutine that exits locked: one P, and main waits for it
	prev := runtime.GOMAXPROCS(1)
	runtime.UnlockOSThread()
	tid, exists := exitLocked()
	fmt.Printf("lockosthread: GOMAXPROCS=1, main waits: the goroutine exited locked on the main "+
		"thread: %v; 20 ms later that thread still exists: %v; main now on the main thread: %v\n",
		tid == pid, exists, syscall.Gettid() == pid)
	runtime.GOMAXPROCS(prev)

	var mu sync.Mutex
	var stop int32
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); blocker(&stop, &mu) }()
	}
	res := make(chan [2]int)
	go func() {
		var r [2]int
		r[0] = sleeper(true)
		r[1] = sleeper(false)
		res <- r
	}()
	r := <-res
	mu.Lock()
	stop = 1
	mu.Unlock()
	wg.Wait()
	fmt.Printf("lockosthread: 20 sleeps beside 4 goroutines in blocking syscalls: locked on %d thread(s), "+
		"unlocked on %d thread(s)\n", r[0], r[1])

	for i := 0; i < 3; i++ {
		tid, exists := exitLocked()
		fmt.Printf("lockosthread: a goroutine exited locked on the main thread: %v; 20 ms later "+
			"its thread still exists: %v\n", tid == pid, exists)
	}
}
