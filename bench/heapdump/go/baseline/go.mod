module tricolor.dev/bench/heapdump/baseline

go 1.21
