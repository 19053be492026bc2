#!/bin/sh
# steps.sh MAKE STEP...: runs the make targets STEP one after another, as
# `make test` does, and says what is going on: each step's name and what it
# does (its "## " comment in the Makefile) when it starts, a line every
# minute while it runs (go test -race says nothing until its first package
# has compiled and passed, which takes minutes), and one line at the end:
# every step's time, or the step that failed. It stops at the first step
# that fails and exits with its status, so `make test` fails as it would
# without it. STEPS_TICK sets the seconds between the lines, 60 by default.
set -u
make=$1
shift
makefile=$(dirname "$0")/../Makefile

# human prints a number of seconds as 42s or 3m07s.
human() {
	if [ "$1" -lt 60 ]; then echo "${1}s"; else printf '%dm%02ds\n' $(($1 / 60)) $(($1 % 60)); fi
}

start=$(date +%s)
times=""
passed=""
for step in "$@"; do
	shift
	what=$(sed -n "s/^$step:.*## //p" "$makefile")
	echo "== make $step: $what"
	t0=$(date +%s)
	(
		# The sleep gets no stdout, so that a pipe (make test | tee) is not
		# held open by it, and is killed with the ticker.
		trap 'kill $nap 2>/dev/null; exit 0' TERM
		while :; do
			sleep "${STEPS_TICK:-60}" >/dev/null 2>&1 &
			nap=$!
			wait $nap
			echo "   ... make $step still running ($(human $(($(date +%s) - t0))))"
		done
	) &
	ticker=$!
	$make --no-print-directory "$step"
	status=$?
	kill "$ticker" 2>/dev/null
	wait "$ticker" 2>/dev/null
	took=$(($(date +%s) - t0))
	if [ "$status" -ne 0 ]; then
		echo "make test: FAILED at $step after $(human $(($(date +%s) - start)))${passed:+ (passed:$passed)}${*:+; not run: $*}"
		exit "$status"
	fi
	passed="$passed $step"
	times="$times${times:+, }$step $(human "$took")"
done
echo "make test: all passed in $(human $(($(date +%s) - start))): $times"
