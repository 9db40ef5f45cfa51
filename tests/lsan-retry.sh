#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# lsan-retry.sh PROGRAM [ARG...] - run a sanitized test program; run it again (twice at
# most) only when LeakSanitizer's own stop-the-world tracer crashed at exit.
#
# That crash ("Tracer caught signal 11" then "LeakSanitizer has encountered a fatal
# error") is a known fault of the sanitizer runtime when threads are still winding down
# as the process exits (google/sanitizers issue 1353): it comes after every test has
# passed and says nothing about the program.  Any other failure, a leak report included,
# fails at once.  Each retry is announced, so a flaky tracer stays visible in the log.
# On a loaded machine the tracer can crash every time; after the third crash the program
# runs once more with leak detection off (every ASan and UBSan check still on) and that
# run decides, with a line saying its leaks are left to make check-valgrind, which runs
# the same library suites under memcheck with leaks fatal.
set -u
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
for attempt in 1 2 3; do
    "$@" 2>"$log"
    status=$?
    cat "$log" >&2
    [ $status -eq 0 ] && exit 0
    grep -q '^Tracer caught signal' "$log" && grep -q 'LeakSanitizer has encountered a fatal error' "$log" ||
        exit $status
    [ $attempt -lt 3 ] && echo "lsan-retry: LeakSanitizer's tracer crashed at exit of $1 (not a finding); running it again" >&2
done
echo "lsan-retry: LeakSanitizer's tracer crashed three times running $1; once more without" \
    "leak detection (its leaks are checked by make check-valgrind)" >&2
ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$@"
