// goprof.go: a Go program that writes its own CPU and heap profiles with
// runtime/pprof, for fmt-gopprof.sh.  CPU: spinA does three times the
// work of spinB, interleaved in slices.  Heap (every allocation sampled):
// keepA keeps 3 MiB live and keepB 1 MiB, in 4 KiB blocks.
//
// Usage: goprof CPU.pb.gz HEAP.pb.gz
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

var sink uint64
var kept [][]byte

//go:noinline
func work(n int) {
	x := sink
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink = x
}

//go:noinline
func spinA(n int) { work(3 * n) }

//go:noinline
func spinB(n int) { work(n) }

//go:noinline
func keepA() {
	for i := 0; i < 768; i++ {
		kept = append(kept, make([]byte, 4096))
	}
}

//go:noinline
func keepB() {
	for i := 0; i < 256; i++ {
		kept = append(kept, make([]byte, 4096))
	}
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: goprof CPU.pb.gz HEAP.pb.gz")
		os.Exit(2)
	}
	runtime.MemProfileRate = 1
	kept = make([][]byte, 0, 1024)
	cpu, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for r := 0; r < 400; r++ {
		spinA(1000000)
		spinB(1000000)
	}
	pprof.StopCPUProfile()
	cpu.Close()

	keepA()
	keepB()
	runtime.GC()
	heap, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := pprof.WriteHeapProfile(heap); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	heap.Close()
	runtime.KeepAlive(kept)
	fmt.Println("goprof: done")
}
