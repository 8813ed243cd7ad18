// Command pprofref is the reference side of the pprof-proto tests: it runs
// github.com/google/pprof/profile on a file so the TypeScript decoder and
// encoder can be compared with it byte for byte.
//
//	pprofref reencode FILE  # Parse, then WriteUncompressed to stdout
//	pprofref raw FILE       # Parse, then print Profile.String() (pprof -raw body)
package main

import (
	"fmt"
	"os"

	"github.com/google/pprof/profile"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: pprofref reencode|raw FILE")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p, err := profile.Parse(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	switch os.Args[1] {
	case "reencode":
		err = p.WriteUncompressed(os.Stdout)
	case "raw":
		_, err = os.Stdout.WriteString(p.String())
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
