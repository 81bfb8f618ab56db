// deadlock.go: main blocks forever in an empty select while no other goroutine
// exists. checkdead (called when the last M goes idle) finds no running M and
// nothing runnable and throws:
//
//	fatal error: all goroutines are asleep - deadlock!
//
//	go run examples/go/deadlock.go   (exit status 2)
package main

func main() {
	select {}
}
