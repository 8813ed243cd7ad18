// Command pprofbench times github.com/google/pprof/profile on the files given
// as arguments, for bench/pprof/run.ts, and prints one JSON object per file:
//
//	{"file": ..., "rawBytes": N, "parseNs": ..., "parseGzipNs": ..., "writeNs": ...}
//
// parse is profile.ParseData on the uncompressed proto (what the TypeScript
// decoder is compared with), parseGzip is ParseData on the gzip file as
// stored, write is WriteUncompressed. Each figure is the median of timed
// rounds that together last at least -min.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"syscall"
	"time"

	"github.com/google/pprof/profile"
)

type result struct {
	File           string `json:"file"`
	RawBytes       int    `json:"rawBytes"`
	ParseNs        int64  `json:"parseNs"`
	ParseGzipNs    int64  `json:"parseGzipNs"`
	WriteNs        int64  `json:"writeNs"`
	ParseCPUNs     int64  `json:"parseCpuNs"`
	ParseGzipCPUNs int64  `json:"parseGzipCpuNs"`
	WriteCPUNs     int64  `json:"writeCpuNs"`
	Samples        int    `json:"samples"`
}

// cpuNow is the process's user+system CPU time. On a shared machine it is a
// steadier measure than wall time, which also counts waiting for a core.
func cpuNow() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// measure returns the median wall time and the mean CPU time of f.
func measure(min time.Duration, f func()) (wall, cpu int64) {
	f() // warm up
	runtime.GC()
	var times []int64
	start := time.Now()
	c0 := cpuNow()
	for len(times) < 5 || time.Since(start) < min {
		t := time.Now()
		f()
		times = append(times, time.Since(t).Nanoseconds())
	}
	cpu = (cpuNow() - c0) / int64(len(times))
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	return times[len(times)/2], cpu
}

func main() {
	min := flag.Duration("min", time.Second, "minimum time per measurement")
	flag.Parse()
	enc := json.NewEncoder(os.Stdout)
	for _, file := range flag.Args() {
		stored, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		raw := stored
		if len(stored) > 2 && stored[0] == 0x1f && stored[1] == 0x8b {
			zr, err := gzip.NewReader(bytes.NewReader(stored))
			if err == nil {
				raw, err = io.ReadAll(zr)
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
		p, err := profile.ParseData(raw)
		if err != nil {
			fmt.Fprintln(os.Stderr, file, err)
			os.Exit(1)
		}
		r := result{File: file, RawBytes: len(raw), Samples: len(p.Sample)}
		r.ParseNs, r.ParseCPUNs = measure(*min, func() {
			if _, err := profile.ParseData(raw); err != nil {
				panic(err)
			}
		})
		r.ParseGzipNs, r.ParseGzipCPUNs = measure(*min, func() {
			if _, err := profile.ParseData(stored); err != nil {
				panic(err)
			}
		})
		var buf bytes.Buffer
		r.WriteNs, r.WriteCPUNs = measure(*min, func() {
			buf.Reset()
			if err := p.WriteUncompressed(&buf); err != nil {
				panic(err)
			}
		})
		if err := enc.Encode(r); err != nil {
			panic(err)
		}
	}
}
