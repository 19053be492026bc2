# walworkshop: run `make help` for the list of targets.

GO       ?= go
FUZZTIME ?= 3s
# The stages that exist in this checkout, in order.
STAGES   := $(sort $(patsubst %/,%,$(wildcard stage[0-9]_*/)))
BENCHTIME ?= 2s

# cross: the platforms an attendee's laptop may be (Linux is where CI runs).
CROSS_TARGETS ?= darwin/arm64 darwin/amd64 freebsd/amd64
# Packages that do not build off Linux yet: cross reports them and goes on.
# compare reads Linux's filesystem magic numbers and uses fadvise (machine.go,
# reads.go); take it off once those sit in per-OS files.
CROSS_PENDING ?= walworkshop/compare

.PHONY: help test vet fmt race fuzz peers cross prep compare sweep bench diff diffstat

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "  make diff STAGE=N      what stage N adds over stage N-1: doc.go, the lesson's files, the rest, tests"
	@echo "  make diff STAGE=N TESTS=0   the same without the tests"
	@echo "  make diffstat STAGE=N  lines added and removed per file, in the same order"

test: vet fmt race fuzz peers cross ## everything CI runs: vet, gofmt, tests under -race, brief fuzzing, the peers module, the macOS/FreeBSD builds

vet: ## go vet
	$(GO) vet ./...

fmt: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

race: ## all tests under the race detector (conformance + crash suite for every stage)
	$(GO) test -race -count=1 ./...

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

compare: ## run every workload on every stage; report and charts in results/ (ARGS="-full" for the workshop run)
	$(GO) run ./compare $(ARGS)

sweep: ## the tuning presets (buffer, batch, max wait, segment size) of stages 3-5: throughput vs p99 in results/
	$(GO) run ./compare -workloads sweep $(ARGS)

bench: ## Append and AppendBatch(100) benchmarks of every stage, on the disk of this checkout
	$(GO) test -run='^$$' -bench=. -benchtime=$(BENCHTIME) -p 1 $(addprefix ./,$(STAGES))

# What stage STAGE adds over stage STAGE-1, file by file in reading order
# (the order per stage is in tools/stagediff.sh). TESTS=0 leaves tests out.
diff:
	@test -n "$(STAGE)" || { echo "usage: make diff STAGE=N (2..5) [TESTS=0]"; exit 2; }
	@TESTS=$(TESTS) tools/stagediff.sh $(STAGE) diff

diffstat:
	@test -n "$(STAGE)" || { echo "usage: make diffstat STAGE=N (2..5) [TESTS=0]"; exit 2; }
	@TESTS=$(TESTS) tools/stagediff.sh $(STAGE) stat
