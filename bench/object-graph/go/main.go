// Command objgraph-peer is the Go side of bench/object-graph: it reads a Go
// heap dump record by record through a bufio.Reader and lists every pointer
// held by objects, data/bss segments and stack frames (the work a Go heap
// dump library does before any graph analysis), then prints one JSON line.
//
// It stands in for github.com/burntcarrot/heaputil, which the Go module proxy
// does not serve (403 "This module version is not available"); the record
// layout follows src/runtime/heapdump.go.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

const header = "go1.7 heap dump\n"

type reader struct {
	r *bufio.Reader
}

func (rd reader) uvarint() uint64 {
	v, err := binary.ReadUvarint(rd.r)
	if err != nil {
		panic(err)
	}
	return v
}

func (rd reader) bytes() []byte {
	n := rd.uvarint()
	b := make([]byte, n)
	if _, err := io.ReadFull(rd.r, b); err != nil {
		panic(err)
	}
	return b
}

// fields reads a field list (kind, offset pairs ending with kind 0).
func (rd reader) fields() []uint64 {
	var offs []uint64
	for {
		kind := rd.uvarint()
		if kind == 0 {
			return offs
		}
		offs = append(offs, rd.uvarint())
	}
}

type result struct {
	Seconds   float64 `json:"seconds"`
	Records   int     `json:"records"`
	Objects   int     `json:"objects"`
	Pointers  int     `json:"pointers"`
	MaxRSSKiB int64   `json:"maxRssKiB"`
}

func run(path string) (result, error) {
	var res result
	f, err := os.Open(path)
	if err != nil {
		return res, err
	}
	defer f.Close()
	rd := reader{bufio.NewReaderSize(f, 1<<16)}
	h := make([]byte, len(header))
	if _, err := io.ReadFull(rd.r, h); err != nil || string(h) != header {
		return res, errors.New("not a heap dump")
	}
	ptrSize := 8
	var order binary.ByteOrder = binary.LittleEndian
	// pointers lists the non-nil pointer values of one record, like a
	// library's per-record "outgoing pointers" slice.
	pointers := func(contents []byte, offs []uint64) []uint64 {
		out := make([]uint64, 0, len(offs))
		for _, o := range offs {
			if int(o)+ptrSize > len(contents) {
				continue
			}
			var v uint64
			if ptrSize == 8 {
				v = order.Uint64(contents[o:])
			} else {
				v = uint64(order.Uint32(contents[o:]))
			}
			if v != 0 {
				out = append(out, v)
			}
		}
		return out
	}
	for {
		tag := rd.uvarint()
		res.Records++
		switch tag {
		case 0:
			return res, nil
		case 1: // object
			rd.uvarint()
			c := rd.bytes()
			res.Objects++
			res.Pointers += len(pointers(c, rd.fields()))
		case 2: // other root
			rd.bytes()
			rd.uvarint()
		case 3: // type
			rd.uvarint()
			rd.uvarint()
			rd.bytes()
			rd.uvarint()
		case 4: // goroutine
			for i := 0; i < 8; i++ {
				rd.uvarint()
			}
			rd.bytes()
			for i := 0; i < 4; i++ {
				rd.uvarint()
			}
		case 5: // stack frame
			rd.uvarint()
			rd.uvarint()
			rd.uvarint()
			c := rd.bytes()
			rd.uvarint()
			rd.uvarint()
			rd.uvarint()
			rd.bytes()
			res.Pointers += len(pointers(c, rd.fields()))
		case 6: // params
			if rd.uvarint() != 0 {
				order = binary.BigEndian
			}
			ptrSize = int(rd.uvarint())
			rd.uvarint()
			rd.uvarint()
			rd.bytes()
			rd.bytes()
			rd.uvarint()
		case 7, 11: // finalizer, queued finalizer
			for i := 0; i < 5; i++ {
				rd.uvarint()
			}
		case 8: // itab
			rd.uvarint()
			rd.uvarint()
		case 9: // OS thread
			for i := 0; i < 3; i++ {
				rd.uvarint()
			}
		case 10: // memstats
			for i := 0; i < 281; i++ {
				rd.uvarint()
			}
		case 12, 13: // data, bss
			rd.uvarint()
			c := rd.bytes()
			res.Pointers += len(pointers(c, rd.fields()))
		case 14: // defer
			for i := 0; i < 7; i++ {
				rd.uvarint()
			}
		case 15: // panic
			for i := 0; i < 6; i++ {
				rd.uvarint()
			}
		case 16: // memprof bucket
			rd.uvarint()
			rd.uvarint()
			n := rd.uvarint()
			for i := uint64(0); i < n; i++ {
				rd.bytes()
				rd.bytes()
				rd.uvarint()
			}
			rd.uvarint()
			rd.uvarint()
		case 17: // alloc sample
			rd.uvarint()
			rd.uvarint()
		default:
			return res, fmt.Errorf("unknown record tag %d", tag)
		}
	}
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: objgraph-peer DUMP")
		os.Exit(2)
	}
	start := time.Now()
	res, err := run(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "objgraph-peer:", err)
		os.Exit(1)
	}
	res.Seconds = time.Since(start).Seconds()
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		res.MaxRSSKiB = int64(ru.Maxrss)
	}
	out, _ := json.Marshal(res)
	fmt.Println(string(out))
}
