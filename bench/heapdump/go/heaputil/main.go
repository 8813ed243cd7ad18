// Command heaputil times github.com/burntcarrot/heaputil's record loop
// (record.ReadRecord until the EOF record) over a heap dump.
//
// The dependency is resolved by bench/heapdump/run.ts at build time
// (`go get github.com/burntcarrot/heaputil@latest` through the Go module
// proxy); when the proxy does not serve it, run.ts reports the peer as
// unavailable and uses the baseline harness instead.
//
// Usage: heaputil FILE → "records=N objects=M bytes=B seconds=S cpu_seconds=C maxrss_kb=K"
package main

import (
	"bufio"
	"fmt"
	"os"
	"syscall"
	"time"

	"github.com/burntcarrot/heaputil/record"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	start := time.Now()
	r := bufio.NewReader(f)
	if err := record.ReadHeader(r); err != nil {
		panic(err)
	}
	records, objects := 0, 0
	for {
		rec, err := record.ReadRecord(r)
		if err != nil {
			panic(err)
		}
		if _, ok := rec.(*record.EOFRecord); ok {
			break
		}
		if _, ok := rec.(*record.ObjectRecord); ok {
			objects++
		}
		records++
	}
	secs := time.Since(start).Seconds()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	st, _ := f.Stat()
	fmt.Printf("records=%d objects=%d bytes=%d seconds=%.4f cpu_seconds=%.4f maxrss_kb=%d\n",
		records, objects, st.Size(), secs, cpu, ru.Maxrss)
}
