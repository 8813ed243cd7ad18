module tricolor.dev/bench/object-graph

go 1.22
