# walworkshop: run `make help` for the list of targets.

GO       ?= go
# Fuzzing runs a number of inputs rather than a duration: a timed run can
# end with a spurious "context deadline exceeded" from the fuzzing engine.
FUZZTIME ?= 500x
# The stages that exist in this checkout, in order.
STAGES   := $(sort $(patsubst %/,%,$(wildcard stage[0-9]_*/)))
BENCHTIME ?= 2s

# cross: the platforms an attendee's laptop may be (Linux is where CI runs).
CROSS_TARGETS ?= darwin/arm64 darwin/amd64 freebsd/amd64
# Packages that do not build off Linux: cross reports them and goes on.
CROSS_PENDING ?=

.PHONY: help test vet fmt race fuzz peers cross prep compare sweep bench diff diffstat \
	exercises check solutions exercises-ci exercise-bench slides slides-html demo demo-powercut

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'
	@echo "  make diff STAGE=N      what stage N adds over stage N-1: doc.go, the lesson's files, the rest, tests"
	@echo "  make diff STAGE=N TESTS=0   the same without the tests"
	@echo "  make diffstat STAGE=N  lines added and removed per file, in the same order"

# make test runs these one after another (tools/steps.sh): a line as each
# starts, one a minute while it runs, a summary at the end.
TEST_STEPS = vet fmt race fuzz peers cross exercises-ci

test: ## everything CI runs: vet, gofmt, tests under -race, brief fuzzing, the peers module, the macOS/FreeBSD builds, the exercises' checks; a summary line at the end
	@tools/steps.sh "$(MAKE)" $(TEST_STEPS)

vet: ## go vet
	$(GO) vet ./...

fmt: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# The exercises' skeletons fail their tests on purpose: exercises-ci runs them.
race: ## all tests under the race detector (conformance + crash suite for every stage)
	$(GO) test -race -count=1 $$($(GO) list ./... | grep -v '/exercises/[0-9]')

fuzz: ## fuzz every stage's record decoder and recovery for FUZZTIME each
	@set -e; for s in $(STAGES); do for f in $$($(GO) test -list '^Fuzz' ./$$s | grep '^Fuzz'); do \
		echo "fuzz $$s $$f ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$f$$" -fuzztime=$(FUZZTIME) ./$$s; \
	done; done

peers: ## vet and test compare/peers (its own module: pebble, tidwall/wal)
	cd compare/peers && $(GO) vet ./... && $(GO) test -count=1 ./...

cross: ## vet and compile every package and test for macOS (arm64, amd64) and FreeBSD; build for linux/arm64
	@GO="$(GO)" CROSS_TARGETS="$(CROSS_TARGETS)" CROSS_PENDING="$(CROSS_PENDING)" tools/cross.sh

prep: ## before the workshop, online: fetch every module and build every test and tool once, so the room needs no network
	@GO="$(GO)" tools/prep.sh

compare: ## every default workload on every stage and the peers: report.md, charts and data in results/, the headline ratios printed at the end (ARGS=-full for the workshop run, ARGS=-h for the flags)
	$(GO) run ./compare $(ARGS)

sweep: ## the tuning presets (buffer, batch, max wait, segment size) of stages 3-5: throughput vs p99 in results/
	$(GO) run ./compare -workloads sweep $(ARGS)

# tools/benchtable runs go test with these arguments, passes its output
# through, and ends with the table.
bench: ## every stage's benchmarks (Append, AppendBatch100, Writers) on this checkout's disk, BENCHTIME=2s each, then a table: entries/s, fsyncs/op, ratio to the stage before
	$(GO) run ./tools/benchtable -run='^$$' -bench=. -benchtime=$(BENCHTIME) -p 1 $(addprefix ./,$(STAGES))

SLIDES_ADDR ?= 127.0.0.1:3999

slides: ## serve the talk (slides/*.slide) with present, pinned in go.mod; N opens the presenter notes
	@echo "the talk: http://$(SLIDES_ADDR)/slides/ (Ctrl-C to stop)"
	$(GO) tool present -http=$(SLIDES_ADDR) -content=. -notes -play=false

slides-html: ## the talk as static HTML in slides/html/: no server, no network, opens from a USB stick
	$(GO) run ./slides/export -dir slides -out slides/html

demo: ## kill -9 a durable key-value store mid-write, reopen it: what was acknowledged, what survived
	$(GO) run ./slides/demo

demo-powercut: ## the same under a power cut: stage 1 against a log that acks before fsync (root, /dev/fuse)
	$(GO) run ./slides/demo -powercut

# What stage STAGE adds over stage STAGE-1, file by file in reading order
# (the order per stage is in tools/stagediff.sh). TESTS=0 leaves tests out.
diff:
	@test -n "$(STAGE)" || { echo "usage: make diff STAGE=N (2..5) [TESTS=0]"; exit 2; }
	@TESTS=$(TESTS) tools/stagediff.sh $(STAGE) diff

diffstat:
	@test -n "$(STAGE)" || { echo "usage: make diffstat STAGE=N (2..5) [TESTS=0]"; exit 2; }
	@TESTS=$(TESTS) tools/stagediff.sh $(STAGE) stat

# The exercises: skeletons you fill in, with tests that say when you are done.
EXERCISE = $(firstword $(wildcard exercises/$(EX)*/))

exercises: ## your progress on the exercises: steps passed, the first failing one, the hint to read
	@$(GO) run ./exercises/cmd/progress

check: ## one exercise's tests, verbosely: make check EX=04
	@test -n "$(EXERCISE)" || { echo "usage: make check EX=NN (01..08)"; exit 2; }
	$(GO) test -v -count=1 ./$(EXERCISE)

solutions: ## the exercises' reference solutions pass their tests (-race)
	$(GO) test -race -count=1 -tags solution ./exercises/...

exercises-ci: ## every exercise test fails on its skeleton, every broken variant is caught, solutions pass
	$(GO) vet -tags solution ./exercises/...
	$(GO) run ./exercises/cmd/progress -ci

# The reference each benchmarked exercise is measured against, run in the
# same make call so the two sit side by side.
BENCH_REF_03 = -run='^$$' -bench='^BenchmarkAppendBatch100$$' ./stage2_buffered
BENCH_REF_04 = -run='^$$' -bench='^BenchmarkWriters$$/^writers=64$$' ./stage3_groupcommit
BENCH_REF_06 = -run='^$$' -bench='^BenchmarkAppend$$' ./stage5_direct_cache
BENCH_REF_07 = -v -count=1 -run='^TestCacheHitRatios$$' ./stage5_direct_cache

exercise-bench: ## your code next to the reference stage on the same workload: make exercise-bench EX=04 (TAGS=solution: the reference solution)
	@test -n "$(EXERCISE)" -a -n "$(BENCH_REF_$(EX))" || { echo "usage: make exercise-bench EX=NN (03, 04, 06 or 07)"; exit 2; }
	@echo "== yours: $(EXERCISE)"
	@$(GO) test -tags='$(TAGS)' -run='^$$' -bench=. -benchtime=$(BENCHTIME) ./$(EXERCISE) | grep -E '^(Benchmark|ok|FAIL|---)' || true
	@echo "== reference: $(lastword $(BENCH_REF_$(EX)))"
	@$(GO) test -benchtime=$(BENCHTIME) $(BENCH_REF_$(EX)) | grep -E '^(Benchmark|ok|FAIL)|clock-pro' || true
