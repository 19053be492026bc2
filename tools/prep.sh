#!/usr/bin/env bash
# prep.sh (make prep): run once, online, before the workshop. It fetches
# every module the kit and compare/peers need and builds every package,
# test binary (plain and -race) and tool once, so that in the room `make
# test` and `make compare` start from the caches, without the network. It
# ends with how long that took and how much the modules it used take on
# disk.
set -euo pipefail

GO=${GO:-go}
start=$(date +%s)
step() { echo "prep: $* ($(($(date +%s) - start))s)"; }

for dir in . compare/peers; do
	step "fetching the modules of $dir"
	(cd "$dir" && $GO mod download)
done

step "building the kit, its tests and their -race variants"
$GO build ./...
$GO vet ./...
$GO test -count=1 -run='^$' ./... >/dev/null
$GO test -count=1 -race -run='^$' ./... >/dev/null
# Tools declared in go.mod (`tool` lines), such as a slide presenter.
if [ -n "$($GO list -f '{{.ImportPath}}' tool 2>/dev/null)" ]; then
	step "building the tools in go.mod"
	$GO build -o /dev/null tool
fi

step "building compare/peers and its tests"
(cd compare/peers && $GO build ./... && $GO vet ./... && $GO test -count=1 -run='^$' ./... >/dev/null)

step "compiling for macOS and FreeBSD once (make cross)"
make --no-print-directory cross >/dev/null

# The module directories the builds above read, for the size of what was
# fetched: every module that provides a package to the kit, its tests or
# the peers.
used=$( (
	$GO list -deps -test -f '{{with .Module}}{{.Dir}}{{end}}' ./...
	cd compare/peers && $GO list -deps -test -f '{{with .Module}}{{.Dir}}{{end}}' ./...
) | grep "^$($GO env GOMODCACHE)/" | sort -u)
modules=$(echo "$used" | grep -c . || true)
size=$(if [ -n "$used" ]; then echo "$used" | xargs du -sck | tail -1 | cut -f1; else echo 0; fi)
echo "prep: done in $(($(date +%s) - start))s; $modules modules used, $((size / 1024)) MiB in $($GO env GOMODCACHE)"
echo "prep: the room needs no network now; check with: GOFLAGS=-mod=mod GOPROXY=off make test"
