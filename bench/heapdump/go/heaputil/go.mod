module tricolor.dev/bench/heapdump/heaputil

go 1.21
