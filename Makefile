# Benchmarks of vetshare against plain SQL on the same SQLite file (see BENCHMARKS.md), and the
# fuzz targets run for longer than CI runs them (see FUZZING.md).

RUNS ?= 5
SEED ?= 1
FUZZTIME ?= 5m

.PHONY: bench bench-small fuzz

# bench generates the 1M-client data set (many minutes) and measures every workload on it,
# writing the table into BENCHMARKS.md and the figures into bench.json.
bench:
	go run ./cmd/vetshare-bench -size 1M -seed $(SEED) -runs $(RUNS) -markdown BENCHMARKS.md -json bench.json

# bench-small is a quick run on the small data set; it writes nothing but its table.
bench-small:
	go run ./cmd/vetshare-bench -size small -seed $(SEED) -runs 3

# fuzz runs every native fuzz target, one after another, for FUZZTIME each (make fuzz
# FUZZTIME=1h); CI runs the same script for 10s each.
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz
