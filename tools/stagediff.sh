#!/usr/bin/env bash
# stagediff.sh N [diff|stat]: what stage N adds over stage N-1, file by file,
# in the order a reader needs the files: doc.go, then the files of the
# stage's lesson (the order below), then every other non-test file, then the
# tests. TESTS=0 in the environment leaves the tests out.
#
# A file missing from the order below still appears, after the listed ones,
# so a new file is never hidden.
set -euo pipefail

# The reading order of each stage's non-test files, after doc.go, in parts:
# a line "= title" starts a part, the other words are file names.
order() {
	case "$1" in
	2) echo "= buffered writes
		wal.go" ;;
	3) echo "= group commit
		pipeline.go group.go wal.go file.go
		= three refinements
		refinements.go" ;;
	4) echo "= segments: rotation, recovery across files, TruncateFront
		segment.go rotate.go recover.go truncate.go index.go read.go group.go record.go wal.go pipeline.go
		= preallocation: segments prepared in the background
		prepare.go prealloc.go prealloc_linux.go prealloc_darwin.go prealloc_freebsd.go
		file.go file_linux.go file_darwin.go file_freebsd.go stats.go" ;;
	5) echo "= O_DIRECT and padding
		direct.go direct_linux.go direct_darwin.go direct_freebsd.go groupsync.go record.go segment.go group.go pipeline.go rotate.go recover.go prepare.go prealloc.go read.go wal.go stats.go
		= the read cache: wiring (pages.go), then the policies
		pages.go index.go cache.go clockpro.go lru.go
		= reading back under O_DIRECT: Replay's own read-ahead
		readahead.go
		= for the harness: the page layout it lays entries out by
		layout.go" ;;
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

# Every file of either stage, testdata aside.
all=$( (cd "$prev" && find . -maxdepth 1 -type f -printf '%f\n'; cd "../$cur" && find . -maxdepth 1 -type f -printf '%f\n') | sort -u)
is_test() { [[ $1 == *_test.go ]]; }

# files is the reading order; a part title goes before the file that starts
# the part, as "= title".
files=()
seen=" "
title=""
add() { # add a file once, if it exists in either stage
	case "$seen" in *" $1 "*) return 0 ;; esac
	grep -qxF -- "$1" <<<"$all" || return 0
	seen+="$1 "
	if [ -n "$title" ]; then
		files+=("= $title")
		title=""
	fi
	files+=("$1")
}
title="the package comment"
add doc.go
while read -r line; do
	case "$line" in
	"= "*) title=${line#= } ;;
	*) for f in $line; do add "$f"; done ;;
	esac
done < <(order "$n")
title="files not in the reading order"
for f in $all; do is_test "$f" || add "$f"; done
if [ "$tests" != 0 ]; then
	title="tests"
	for f in $all; do is_test "$f" && add "$f"; done
fi

# The package clause and the first line of the package comment differ in
# every stage and say nothing.
ignore=(-I '^package [a-z]*$' -I '^// Package [a-z]* is stage')

# A part's title is shown before its first file that changed; files that
# did not change are left out.
total_add=0 total_del=0 src_add=0 src_del=0
part="" part_shown=0 part_add=0 part_del=0
end_part() {
	if [ "$mode" = stat ] && [ "$part_shown" = 1 ]; then
		printf '%6s %6s  %s\n' "+$part_add" "-$part_del" "= $part"
	fi
	part_shown=0 part_add=0 part_del=0
}
for f in "${files[@]}"; do
	if [[ $f == "= "* ]]; then
		end_part
		part=${f#= }
		continue
	fi
	out=$(diff -uN "${ignore[@]}" --label "$prev/$f" --label "$cur/$f" "$prev/$f" "$cur/$f" || true)
	[ -n "$out" ] || continue
	if [ "$part_shown" = 0 ]; then
		part_shown=1
		[ "$mode" = diff ] && printf '\n#### %s\n\n' "$part"
	fi
	case "$mode" in
	diff)
		echo "diff -uN $prev/$f $cur/$f"
		echo "$out"
		;;
	stat)
		read -r a d < <(awk 'NR > 2 && /^\+/ { a++ } NR > 2 && /^-/ { d++ } END { print a + 0, d + 0 }' <<<"$out")
		printf '%6s %6s    %s\n' "+$a" "-$d" "$f"
		part_add=$((part_add + a)) part_del=$((part_del + d))
		total_add=$((total_add + a)) total_del=$((total_del + d))
		if ! is_test "$f"; then src_add=$((src_add + a)) src_del=$((src_del + d)); fi
		;;
	*)
		echo "unknown mode $mode (diff or stat)" >&2
		exit 2
		;;
	esac
done
end_part
if [ "$mode" = stat ]; then
	printf '%6s %6s  %s\n' "+$src_add" "-$src_del" "(non-test files)"
	printf '%6s %6s  %s\n' "+$total_add" "-$total_del" "(all files shown)"
fi
