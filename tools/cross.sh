#!/usr/bin/env bash
# cross.sh: the kit must build on the attendee's laptop, not only on the
# Linux machine CI runs on. For each of CROSS_TARGETS (GOOS/GOARCH) it runs
# go vet and compiles every test binary (go test -c, nothing is run) of
# every package, in the kit and in compare/peers (its own module); for
# linux/arm64 it runs go build. A change that breaks a Mac build fails here.
#
# A package with no files for a platform (a Linux-only one, such as a FUSE
# filesystem, whose files all say //go:build linux) is named and skipped,
# never silently: better still, give it a stub file for the other platforms
# that says it is Linux-only, and it is built everywhere. A package in CROSS_PENDING is built apart: its failure is
# printed but does not fail the target, and once it builds the target says
# to take it off the list.
set -euo pipefail

GO=${GO:-go}
CROSS_TARGETS=${CROSS_TARGETS:-darwin/arm64 darwin/amd64 freebsd/amd64}
CROSS_PENDING=${CROSS_PENDING:-}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s)

is_pending() {
	local p
	for p in $CROSS_PENDING; do [ "$p" = "$1" ] && return 0; done
	return 1
}

# check MODULE_DIR GOOS GOARCH: vet and compile the tests of every package
# under MODULE_DIR that has files for GOOS/GOARCH.
check() {
	local dir=$1 goos=$2 goarch=$3 pkgs=() pending=() p
	# go list ./... leaves out, without a word, a package with no files for
	# the platform: compare with the Linux list to name those.
	local linux here
	linux=$(cd "$dir" && GOOS=linux GOARCH=amd64 $GO list ./... | sort)
	here=$(cd "$dir" && GOOS=$goos GOARCH=$goarch $GO list -e ./... | sort)
	for p in $(comm -23 <(echo "$linux") <(echo "$here")); do
		echo "cross $goos/$goarch: $p has no files for $goos (a Linux-only package): skipped"
	done
	export GOOS=$goos GOARCH=$goarch
	for p in $here; do
		if is_pending "$p"; then
			pending+=("$p")
		else
			pkgs+=("$p")
		fi
	done
	echo "cross $goos/$goarch: vet and test -c, ${#pkgs[@]} packages in $dir"
	if [ ${#pkgs[@]} -gt 0 ]; then
		(cd "$dir" && $GO vet "${pkgs[@]}" && $GO test -c -o "$out/" "${pkgs[@]}" >/dev/null)
	fi
	for p in "${pending[@]}"; do
		if msg=$(cd "$dir" && $GO vet "$p" 2>&1 && $GO test -c -o "$out/" "$p" 2>&1); then
			echo "cross $goos/$goarch: $p now builds: take it off CROSS_PENDING"
		else
			echo "cross $goos/$goarch: $p does not build yet (in CROSS_PENDING):"
			echo "$msg" | grep -v '^#' | head -3 | sed 's/^/    /'
		fi
	done
	rm -f "$out"/*
	unset GOOS GOARCH
}

for target in $CROSS_TARGETS; do
	check . "${target%/*}" "${target#*/}"
	check compare/peers "${target%/*}" "${target#*/}"
done
echo "cross linux/arm64: go build"
GOOS=linux GOARCH=arm64 $GO build ./...
(cd compare/peers && GOOS=linux GOARCH=arm64 $GO build ./...)
echo "cross: done in $(($(date +%s) - start))s"
