#!/usr/bin/env bash
# Re-record the examples/go/*.out files on this machine.
#   bash examples/go/record.sh [NAME ...]     (default: all)
# Each program is built once with `go build -trimpath` (so no local paths end up
# in stack traces) and run as a binary: with `go run`, GODEBUG would also trace
# the go command and the compiler.
set -u
cd "$(dirname "$0")"
BIN=$(mktemp -d)
trap 'rm -rf "$BIN"' EXIT
GOVER=$(go version)
NCPU=$(nproc)

# header NAME GOMAXPROCS CMD...: first line of an .out file
# (the load average is recorded because the machine is shared: timings taken
# while other processes ran are slower, and GOMAXPROCS=2 gains nothing)
header() { echo "# $GOVER; NumCPU=$NCPU; GOMAXPROCS=$1; command: $2; loadavg before: $(cut -d' ' -f1-3 /proc/loadavg)"; }

build() { go build -trimpath -o "$BIN/$1" "$1.go"; }

# procs12 NAME [ARGS...]: run the built NAME three times at GOMAXPROCS=1, then three at 2
procs12() { local n=$1; shift; for p in 1 2; do for r in 1 2 3; do GOMAXPROCS=$p "$BIN/$n" "$@"; done; done; }

want() { [ ${#WANT[@]} -eq 0 ] && return 0; for w in "${WANT[@]}"; do [ "$w" = "$1" ] && return 0; done; return 1; }
WANT=("$@")

if want spawn; then build spawn; {
  header "1 and 2" "GOMAXPROCS={1,2} go run examples/go/spawn.go (3 runs each)"
  procs12 spawn
} > spawn.out; fi

if want lcg; then build lcg; {
  header "1 and 2" "GOMAXPROCS={1,2} go run examples/go/lcg.go -steps {100,10000} (steps=100: 3 runs each)"
  procs12 lcg -steps 100
  for p in 1 2; do GOMAXPROCS=$p "$BIN/lcg" -steps 10000; done
  echo "# GOMAXPROCS=1 steps=100, GODEBUG=schedtrace=100 (first 6 lines): the global queue fills"
  GOMAXPROCS=1 GODEBUG=schedtrace=100 "$BIN/lcg" -steps 100 2>&1 | head -6
} > lcg.out; fi

if want pingpong; then build pingpong; {
  header "1 and 2" "GOMAXPROCS={1,2} go run examples/go/pingpong.go (3 runs each)"
  procs12 pingpong
} > pingpong.out; fi

if want runnext_order; then build runnext_order; {
  header 1 "GOMAXPROCS=1 go run examples/go/runnext_order.go [-n N] [-dump]"
  for r in 1 2 3; do GOMAXPROCS=1 "$BIN/runnext_order"; done
  for r in 1 2 3; do GOMAXPROCS=1 "$BIN/runnext_order" -n 300; done
  echo "# GOMAXPROCS=1 GOTRACEBACK=system runnext_order -dump: the goroutines when main's loop starts"
  GOMAXPROCS=1 GOTRACEBACK=system "$BIN/runnext_order" -dump 2>&1 | grep -A1 '^goroutine ' | grep -v '^--'
} > runnext_order.out; fi

if want calibrate; then build calibrate; {
  header "set per measurement by the program" "go run examples/go/calibrate.go"
  "$BIN/calibrate"
} > calibrate.out; fi

if want syscall_handoff; then build syscall_handoff; {
  header 2 "GODEBUG=schedtrace=20 go run examples/go/syscall_handoff.go  (stdout and stderr interleaved)"
  GODEBUG=schedtrace=20 "$BIN/syscall_handoff" 2>&1
} > syscall_handoff.out; fi

if want first_syscall; then build first_syscall; {
  header "$NCPU (default)" "GODEBUG=schedtrace=1,scheddetail=1 go run examples/go/first_syscall.go [-main]"
  echo "# truncated: the first 4 trace blocks of the default run, then the P lines of the -main run"
  GODEBUG=schedtrace=1,scheddetail=1 "$BIN/first_syscall" 2>&1 | awk '/^SCHED/{n++} n<=4 || !/^( |SCHED)/'
  echo "# -main: P lines only, first 4 blocks"
  GODEBUG=schedtrace=1,scheddetail=1 "$BIN/first_syscall" -main 2>&1 | awk '/^SCHED/{n++} (n<=4 && !/^  [MG]/) || !/^( |SCHED)/'
  echo "# tally over 20 runs each: runs in which a P is in status=2 (_Psyscall) in trace blocks 3-6"
  for v in "" "-main"; do c=0; for i in $(seq 1 20); do
    GODEBUG=schedtrace=1,scheddetail=1 "$BIN/first_syscall" $v 2>&1 | awk '/^SCHED/{n++} n>=3&&n<=6' | grep -q "^  P.: status=2" && c=$((c+1))
  done; echo "# variant '${v:-goroutine}': $c of 20"; done
} > first_syscall.out; fi

if want gomaxprocs; then build gomaxprocs; {
  header "4, then 2, then 4 (set by the program)" "GODEBUG=schedtrace=5 go run examples/go/gomaxprocs.go  (3 runs, under nice -n -15: the machine is shared)"
  for r in 1 2 3; do echo "# run $r"; GODEBUG=schedtrace=5 nice -n -15 "$BIN/gomaxprocs" 2>&1; done
} > gomaxprocs.out; fi

if want syscall_handoff_detail; then go build -trimpath -o "$BIN/syscall_handoff" syscall_handoff.go; {
  header 2 "GODEBUG=schedtrace=5,scheddetail=1 go run examples/go/syscall_handoff.go  (the first 60 ms: the SCHED, P and G lines; M lines and progress left out)"
  GODEBUG=schedtrace=5,scheddetail=1 "$BIN/syscall_handoff" 2>&1 | awk '/^SCHED/{ms=$2+0} ms<=60 && (/^SCHED/ || /^  [PG]/)'
} > syscall_handoff_detail.out; fi

if want deadlock; then build deadlock; {
  header "$NCPU (default)" "go run examples/go/deadlock.go  (stderr, then the exit code)"
  "$BIN/deadlock" 2>&1; echo "exit code: $?"
} > deadlock.out; fi

if want threadlimit; then build threadlimit; {
  header "$NCPU (default)" "go run examples/go/threadlimit.go  (first 5 lines of stderr, then the exit code)"
  "$BIN/threadlimit" 2> "$BIN/tl.err"; rc=$?
  head -5 "$BIN/tl.err"; echo "... (stack traces truncated)"; echo "exit code: $rc"
} > threadlimit.out; fi

if want pipe_read; then build pipe_read; {
  header "$NCPU (default)" "go run examples/go/pipe_read.go -mode {os,raw}  (3 runs each)"
  for m in os raw; do for r in 1 2 3; do "$BIN/pipe_read" -mode $m; done; done
} > pipe_read.out; fi

if want tightloop; then build tightloop; {
  header 1 "go run examples/go/tightloop.go (5 runs), then GODEBUG=asyncpreemptoff=1 (killed after 3 s)"
  for r in 1 2 3 4 5; do "$BIN/tightloop"; done
  echo "# GODEBUG=asyncpreemptoff=1:"
  GODEBUG=asyncpreemptoff=1 timeout 3 "$BIN/tightloop"; rc=$?
  [ $rc -eq 124 ] && echo "tightloop: no output in 3 s: main never ran again (killed by timeout, exit code $rc)"
} > tightloop.out; fi

if want slices; then build slices; {
  header 1 "go run examples/go/slices.go -n {2,4}  (3 runs each, under nice -n -15: the machine is shared)"
  for n in 2 4; do for r in 1 2 3; do nice -n -15 "$BIN/slices" -n $n; done; done
} > slices.out; fi

if want spin_cost; then build spin_cost; {
  header "1 and 2" "GOMAXPROCS={1,2} go run examples/go/spin_cost.go  (3 runs each)"
  procs12 spin_cost
} > spin_cost.out; fi

if want pingpong_hog; then build pingpong_hog; {
  header 1 "go run examples/go/pingpong_hog.go  (TestPingPongHog as a program; 5 runs)"
  for r in 1 2 3 4 5; do "$BIN/pingpong_hog"; done
} > pingpong_hog.out; fi

if want lockosthread; then build lockosthread; {
  header "$NCPU (default; 1 for a moment, set by the program)" "go run examples/go/lockosthread.go  (5 runs)"
  for r in 1 2 3 4 5; do echo "# run $r"; "$BIN/lockosthread"; done
} > lockosthread.out; fi
