// Command opsbench times google/pprof's profile operations (the Go peer of
// bench/pprof-ops/run.ts): Merge of a profile with itself, Compact, and
// FilterSamplesByName with a focus regexp, on already-parsed profiles.
// It prints one JSON object per (file, op) with wall and CPU nanoseconds per op.
//
//	opsbench -min-ms 1500 -focus REGEXP FILE...
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"syscall"
	"time"

	"github.com/google/pprof/profile"
)

type result struct {
	File     string  `json:"file"`
	Op       string  `json:"op"`
	Iters    int     `json:"iters"`
	WallNsOp float64 `json:"wallNsPerOp"`
	CPUNsOp  float64 `json:"cpuNsPerOp"`
}

func cpuNow() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func measure(file, op string, minMs int, f func()) result {
	f() // warm up
	runtime.GC()
	start, cpu0 := time.Now(), cpuNow()
	n := 0
	for time.Since(start) < time.Duration(minMs)*time.Millisecond || n < 3 {
		f()
		n++
	}
	wall, cpu := time.Since(start), cpuNow()-cpu0
	return result{file, op, n, float64(wall.Nanoseconds()) / float64(n), float64(cpu.Nanoseconds()) / float64(n)}
}

func main() {
	minMs := flag.Int("min-ms", 1500, "minimum time per measurement")
	focus := flag.String("focus", "main", "focus regexp")
	flag.Parse()
	re := regexp.MustCompile(*focus)
	enc := json.NewEncoder(os.Stdout)
	for _, file := range flag.Args() {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		p, err := profile.ParseData(data)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		raw := func() []byte {
			var b []byte
			w := &sink{&b}
			_ = p.WriteUncompressed(w)
			return b
		}()
		_ = enc.Encode(measure(file, "merge2", *minMs, func() {
			if _, err := profile.Merge([]*profile.Profile{p, p}); err != nil {
				panic(err)
			}
		}))
		_ = enc.Encode(measure(file, "compact", *minMs, func() { p.Compact() }))
		// Filtering mutates, so each round works on a fresh copy; the copy is
		// timed alone and subtracted by the caller ("copy" op).
		_ = enc.Encode(measure(file, "copy", *minMs, func() { _, _ = profile.ParseUncompressed(raw) }))
		_ = enc.Encode(measure(file, "focus+copy", *minMs, func() {
			q, _ := profile.ParseUncompressed(raw)
			q.FilterSamplesByName(re, nil, nil, nil)
		}))
	}
}

type sink struct{ b *[]byte }

func (s *sink) Write(p []byte) (int, error) { *s.b = append(*s.b, p...); return len(p), nil }
