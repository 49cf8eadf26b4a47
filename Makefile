# Benchmarks of vetshare against plain SQL on the same SQLite file (see BENCHMARKS.md), and the
# fuzz targets run for longer than CI runs them (see FUZZING.md).

RUNS ?= 2
SCALE ?= 0.25
SEED ?= 1
FUZZTIME ?= 5m

.PHONY: bench bench-small fuzz

# bench generates the 1M-client data set (many minutes) and measures every workload on it,
# writing the table into BENCHMARKS.md and the figures into bench.json.
bench:
	go run ./cmd/vetshare-bench -size 1M -seed $(SEED) -runs $(RUNS) -scale $(SCALE) -markdown BENCHMARKS.md -json bench.json

# bench-small is a quick run on the small data set; it writes nothing but its table.
bench-small:
	go run ./cmd/vetshare-bench -size small -seed $(SEED) -runs 3

# Reliability (RELIABILITY.md): the crash, fault-injection and cancellation tests of package
# reliability, longer than the short forms `go test ./...` runs. Each prints its figures.
KILLS ?= 1000
CANCELS ?= 5000

.PHONY: reliability crash faults cancel

# reliability runs the short forms: 30 kills, every fault, 200 cancellations, the sync pragma.
reliability:
	go test -count=1 -v -run 'TestR11_2' ./reliability/ ./sqlite/

# crash kills the writer process KILLS times (make crash KILLS=1000).
crash:
	go test -count=1 -timeout 0 -v -run '^TestR11_2CrashLosesNothing$$' ./reliability/ -kills $(KILLS)

# faults fails every storage call of every multi-call operation (it is exhaustive already).
faults:
	go test -count=1 -v -run '^TestR11_2EveryDriverFailureLeavesNothing$$' ./reliability/

# cancel cancels CANCELS random operations at random points (make cancel CANCELS=20000).
cancel:
	go test -count=1 -timeout 0 -v -run '^TestR11_2CancelledAnywhereLeavesNothing$$' ./reliability/ -cancels $(CANCELS)

# fuzz runs every native fuzz target, one after another, for FUZZTIME each (make fuzz
# FUZZTIME=1h); CI runs the same script for 10s each.
fuzz:
	FUZZTIME=$(FUZZTIME) bash .ci/fuzz
