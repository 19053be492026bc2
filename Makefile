# walworkshop: run `make help` for the list of targets.

GO       ?= go
FUZZTIME ?= 3s
# The stages that exist in this checkout, in order.
STAGES   := $(sort $(patsubst %/,%,$(wildcard stage[0-9]_*/)))
BENCHTIME ?= 2s

.PHONY: help test vet fmt race fuzz peers compare sweep bench diff diffstat prep slides slides-html demo

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'
	@echo "  make diff STAGE=N      what stage N adds over stage N-1: doc.go, the lesson's files, the rest, tests"
	@echo "  make diff STAGE=N TESTS=0   the same without the tests"
	@echo "  make diffstat STAGE=N  lines added and removed per file, in the same order"

test: vet fmt race fuzz peers ## everything CI runs: vet, gofmt, tests under -race, brief fuzzing, the peers module

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

compare: ## run every workload on every stage; report and charts in results/ (ARGS="-full" for the workshop run)
	$(GO) run ./compare $(ARGS)

sweep: ## the tuning presets (buffer, batch, max wait, segment size) of stages 3-5: throughput vs p99 in results/
	$(GO) run ./compare -workloads sweep $(ARGS)

bench: ## Append and AppendBatch(100) benchmarks of every stage, on the disk of this checkout
	$(GO) test -run='^$$' -bench=. -benchtime=$(BENCHTIME) -p 1 $(addprefix ./,$(STAGES))

prep: ## with network, once: download every module and build everything (tests, present, peers) so the room needs none
	$(GO) mod download
	$(GO) build ./...
	$(GO) test -race -count=1 -run='^$$' ./... > /dev/null
	$(GO) build -o /dev/null golang.org/x/tools/cmd/present
	cd compare/peers && $(GO) mod download && $(GO) build ./... && $(GO) test -count=1 -run='^$$' ./... > /dev/null

SLIDES_ADDR ?= 127.0.0.1:3999

slides: ## serve the talk (slides/*.slide) with present, pinned in go.mod; N opens the presenter notes
	@echo "the talk: http://$(SLIDES_ADDR)/slides/ (Ctrl-C to stop)"
	$(GO) tool present -http=$(SLIDES_ADDR) -content=. -notes -play=false

slides-html: ## the talk as static HTML in slides/html/: no server, no network, opens from a USB stick
	$(GO) run ./slides/export -dir slides -out slides/html

demo: ## kill -9 a durable key-value store mid-write, reopen it: what was acknowledged, what survived
	$(GO) run ./slides/demo

# What stage STAGE adds over stage STAGE-1, file by file in reading order
# (the order per stage is in tools/stagediff.sh). TESTS=0 leaves tests out.
diff:
	@test -n "$(STAGE)" || { echo "usage: make diff STAGE=N (2..5) [TESTS=0]"; exit 2; }
	@TESTS=$(TESTS) tools/stagediff.sh $(STAGE) diff

diffstat:
	@test -n "$(STAGE)" || { echo "usage: make diffstat STAGE=N (2..5) [TESTS=0]"; exit 2; }
	@TESTS=$(TESTS) tools/stagediff.sh $(STAGE) stat
