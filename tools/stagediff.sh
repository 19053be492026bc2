#!/usr/bin/env bash
# stagediff.sh N [diff|stat]: what stage N adds over stage N-1, file by file,
# in the order a reader needs the files: doc.go, then the files of the
# stage's lesson (the order below), then every other non-test file, then the
# tests. TESTS=0 in the environment leaves the tests out.
#
# A file missing from the order below still appears, after the listed ones,
# so a new file is never hidden.
set -euo pipefail

# The reading order of each stage's non-test files, after doc.go.
order() {
	case "$1" in
	2) echo "wal.go" ;;
	3) echo "pipeline.go group.go wal.go refinements.go" ;;
	4) echo "segment.go rotate.go index.go recover.go truncate.go wal.go pipeline.go read.go prepare.go prealloc.go file.go stats.go" ;;
	5) echo "direct.go group.go record.go pipeline.go recover.go rotate.go prepare.go wal.go stats.go pages.go read.go index.go cache.go clockpro.go lru.go" ;;
	esac
}

n=${1:?usage: stagediff.sh N [diff|stat]}
mode=${2:-diff}
tests=${TESTS:-1}
cd "$(dirname "$0")/.."
prev=$(ls -d stage$((n - 1))_* 2>/dev/null || true)
cur=$(ls -d stage"$n"_* 2>/dev/null || true)
if [ -z "$prev" ] || [ -z "$cur" ]; then
	echo "no stage $n or $((n - 1)) in this checkout" >&2
	exit 2
fi

# Every file of either stage, testdata aside, in reading order.
all=$( (cd "$prev" && find . -maxdepth 1 -type f -printf '%f\n'; cd "../$cur" && find . -maxdepth 1 -type f -printf '%f\n') | sort -u)
is_test() { [[ $1 == *_test.go ]]; }
files=()
add() { # add name once, if it exists in either stage
	local f
	for f in "${files[@]}"; do [ "$f" = "$1" ] && return; done
	grep -qxF -- "$1" <<<"$all" && files+=("$1")
	return 0
}
add doc.go
for f in $(order "$n"); do add "$f"; done
for f in $all; do is_test "$f" || add "$f"; done
if [ "$tests" != 0 ]; then
	for f in $all; do is_test "$f" && add "$f"; done
fi

# The package clause and the first line of the package comment differ in
# every stage and say nothing.
ignore=(-I '^package [a-z]*$' -I '^// Package [a-z]* is stage')

total_add=0 total_del=0 src_add=0 src_del=0
for f in "${files[@]}"; do
	case "$mode" in
	diff)
		diff -uN "${ignore[@]}" --label "$prev/$f" --label "$cur/$f" "$prev/$f" "$cur/$f" |
			sed "1i diff -uN $prev/$f $cur/$f" || true
		;;
	stat)
		read -r a d < <(diff -uN "${ignore[@]}" "$prev/$f" "$cur/$f" |
			awk 'NR > 2 && /^\+/ { a++ } NR > 2 && /^-/ { d++ } END { print a + 0, d + 0 }' || true)
		[ "$a" = 0 ] && [ "$d" = 0 ] && continue
		printf '%6s %6s  %s\n' "+$a" "-$d" "$f"
		total_add=$((total_add + a)) total_del=$((total_del + d))
		if ! is_test "$f"; then src_add=$((src_add + a)) src_del=$((src_del + d)); fi
		;;
	*)
		echo "unknown mode $mode (diff or stat)" >&2
		exit 2
		;;
	esac
done
if [ "$mode" = stat ]; then
	printf '%6s %6s  %s\n' "+$src_add" "-$src_del" "(non-test files)"
	printf '%6s %6s  %s\n' "+$total_add" "-$total_del" "(all files shown)"
fi
