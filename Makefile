# Benchmarks of vetshare against plain SQL on the same SQLite file (see BENCHMARKS.md).

RUNS ?= 5
SEED ?= 1

.PHONY: bench bench-small

# bench generates the 1M-client data set (many minutes) and measures every workload on it,
# writing the table into BENCHMARKS.md and the figures into bench.json.
bench:
	go run ./cmd/vetshare-bench -size 1M -seed $(SEED) -runs $(RUNS) -markdown BENCHMARKS.md -json bench.json

# bench-small is a quick run on the small data set; it writes nothing but its table.
bench-small:
	go run ./cmd/vetshare-bench -size small -seed $(SEED) -runs 3
