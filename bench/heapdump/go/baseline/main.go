// Command baseline is a plain Go record loop over a heap dump, written for
// this benchmark in the style of github.com/burntcarrot/heaputil's
// record.ReadRecord (a bufio.Reader, binary.ReadUvarint per field, one
// allocation per record body and field list). It stands in for heaputil when
// the Go module proxy does not serve that module.
//
// Usage: baseline FILE  → prints "records=N objects=M bytes=B seconds=S cpu_seconds=C maxrss_kb=K"
package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

type reader struct{ r *bufio.Reader }

func (r reader) uint() uint64 {
	v, err := binary.ReadUvarint(r.r)
	if err != nil {
		panic(err)
	}
	return v
}

func (r reader) bytes() []byte {
	n := r.uint()
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		panic(err)
	}
	return b
}

func (r reader) fields() []uint64 {
	var out []uint64
	for {
		kind := r.uint()
		if kind == 0 {
			return out
		}
		out = append(out, r.uint())
	}
}

type object struct {
	addr     uint64
	contents []byte
	fields   []uint64
}

// record reads one record body after its tag, in the order of
// src/runtime/heapdump.go, returning something that escapes like a parsed
// record would.
func (r reader) record(tag uint64) any {
	switch tag {
	case 1:
		return &object{r.uint(), r.bytes(), r.fields()}
	case 2:
		return []any{string(r.bytes()), r.uint()}
	case 3:
		return []any{r.uint(), r.uint(), string(r.bytes()), r.uint()}
	case 4:
		v := make([]uint64, 0, 14)
		for i := 0; i < 8; i++ {
			v = append(v, r.uint())
		}
		s := string(r.bytes())
		for i := 0; i < 4; i++ {
			v = append(v, r.uint())
		}
		return []any{v, s}
	case 5:
		a, b, c := r.uint(), r.uint(), r.uint()
		contents := r.bytes()
		d, e, f := r.uint(), r.uint(), r.uint()
		return []any{a, b, c, contents, d, e, f, string(r.bytes()), r.fields()}
	case 6:
		a, b, c, d := r.uint(), r.uint(), r.uint(), r.uint()
		return []any{a, b, c, d, string(r.bytes()), string(r.bytes()), r.uint()}
	case 7, 11:
		return []uint64{r.uint(), r.uint(), r.uint(), r.uint(), r.uint()}
	case 8:
		return []uint64{r.uint(), r.uint()}
	case 9:
		return []uint64{r.uint(), r.uint(), r.uint()}
	case 10:
		v := make([]uint64, 281)
		for i := range v {
			v[i] = r.uint()
		}
		return v
	case 12, 13:
		return []any{r.uint(), r.bytes(), r.fields()}
	case 14:
		return []uint64{r.uint(), r.uint(), r.uint(), r.uint(), r.uint(), r.uint(), r.uint()}
	case 15:
		return []uint64{r.uint(), r.uint(), r.uint(), r.uint(), r.uint(), r.uint()}
	case 16:
		a, b, n := r.uint(), r.uint(), r.uint()
		frames := make([]any, 0, n)
		for i := uint64(0); i < n; i++ {
			frames = append(frames, []any{string(r.bytes()), string(r.bytes()), r.uint()})
		}
		return []any{a, b, frames, r.uint(), r.uint()}
	case 17:
		return []uint64{r.uint(), r.uint()}
	}
	panic(fmt.Sprintf("unknown tag %d", tag))
}

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		panic(err)
	}
	start := time.Now()
	br := bufio.NewReader(f)
	hdr := make([]byte, 16)
	if _, err := io.ReadFull(br, hdr); err != nil || string(hdr) != "go1.7 heap dump\n" {
		panic("bad header")
	}
	r := reader{br}
	records, objects := 0, 0
	for {
		tag := r.uint()
		if tag == 0 {
			break
		}
		rec := r.record(tag)
		if _, ok := rec.(*object); ok {
			objects++
		}
		records++
	}
	secs := time.Since(start).Seconds()
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	st, _ := f.Stat()
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	fmt.Printf("records=%d objects=%d bytes=%d seconds=%.4f cpu_seconds=%.4f maxrss_kb=%d\n",
		records, objects, st.Size(), secs, cpu, ru.Maxrss)
}
