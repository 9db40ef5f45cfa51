#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh - the whole test suite N times in a row on a loaded machine, to show
# that no test depends on how fast a thread runs.
#
#   tests/load/run.sh [N [HOGS]]      (from the top of a checkout; N = 10, HOGS = 1)
#
# HOGS busy loops run at normal priority for the whole time, and every suite
# (make check-suites: all of make check but the bench-results freshness check,
# which tests no code) runs under `nice -n 5`, so the suites get less CPU than
# they would alone and their threads are preempted at arbitrary points.  Each
# run's log is build/load/run-K.log; one line per run says pass or FAIL and how
# long it took.  Exits 1 when any run failed.
set -u
n=${1:-10}
hogs=${2:-1}
mkdir -p build/load
pids=""
i=0
while [ "$i" -lt "$hogs" ]; do
    sh -c 'while :; do :; done' &
    pids="$pids $!"
    i=$((i + 1))
done
trap 'kill $pids 2>/dev/null' EXIT
trap 'exit 130' INT TERM
failed=0
k=1
while [ "$k" -le "$n" ]; do
    start=$(date +%s)
    if nice -n 5 make --no-print-directory check-suites >"build/load/run-$k.log" 2>&1; then
        verdict=pass
    else
        verdict=FAIL
        failed=$((failed + 1))
    fi
    echo "run $k of $n: $verdict ($(($(date +%s) - start)) s, $hogs busy loop(s) beside it)"
    k=$((k + 1))
done
echo "$((n - failed)) of $n runs passed"
[ "$failed" -eq 0 ]
