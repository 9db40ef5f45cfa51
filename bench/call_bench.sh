#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# call_bench.sh - instructions per call of generated wrappers against raw
# message sends, counted by callgrind (deterministic, unlike timers).
#
#   bench/call_bench.sh CALL_OVERHEAD_BINARY N KERNEL_PATH PROFILE_OUT
#
# callgrind collects only inside the loop_* functions of bench/call_overhead.c
# (--toggle-collect), each making N calls of one side of one pair; the
# inclusive count of loop_X / N is one call.  A second run collects only the
# scalar getter's wrapper loop and writes its exclusive costs per call, by
# function, to PROFILE_OUT: where the wrapper's instructions go.
# Prints "name value unit" lines.  CVZ_FRAMEWORK_PATH must name the framework.
set -eu
bin=$1 n=$2 kernel=$3 profile=$4
tmp=$(mktemp -d /tmp/cvz-bench-call-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

valgrind --tool=callgrind --callgrind-out-file="$tmp/all.out" --toggle-collect='loop_*' \
    "$bin" "$n" "$kernel" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
callgrind_annotate --inclusive=yes --threshold=100 "$tmp/all.out" >"$tmp/all.txt"

# Inclusive instructions of one loop function, over N.
per_call() {
    awk -v fn=":$1 " -v n="$n" 'index($0, fn) && $1 ~ /^[0-9,]+$/ { gsub(",", "", $1); printf "%.1f\n", $1 / n; found = 1; exit }
        END { if (!found) exit 1 }' "$tmp/all.txt" || { echo "call_bench.sh: no $1 in the profile" >&2; exit 1; }
}

for pair in getter setter object_getter string_getter new available_item available_class queue error_out; do
    w=$(per_call "loop_wrapper_$pair")
    r=$(per_call "loop_raw_$pair")
    awk -v p="$pair" -v w="$w" -v r="$r" 'BEGIN {
        printf "call_%s_wrapper %.0f instr\n", p, w
        printf "call_%s_raw %.0f instr\n", p, r
        printf "call_%s_added %.0f instr\n", p, w - r
        printf "call_%s_ratio %.2f x\n", p, w / r
    }'
done

# Where the scalar getter's instructions go: exclusive cost per call, by function.
valgrind --tool=callgrind --callgrind-out-file="$tmp/getter.out" --toggle-collect='loop_wrapper_getter' \
    "$bin" "$n" "$kernel" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
callgrind_annotate --threshold=100 "$tmp/getter.out" |
    awk -v n="$n" '/file:function/ { on = 1; next } on && rows && /^-+$/ { exit }
        on && $1 ~ /^[0-9,]+$/ { rows++; v = $1; gsub(",", "", v); if (v / n < 0.5) next;
            fn = $0; sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", fn)
            obj = ""; if (match(fn, / \[.*\]$/)) { obj = substr(fn, RSTART + 2, RLENGTH - 3); sub(/^.*\//, "", obj); fn = substr(fn, 1, RSTART - 1) }
            sub(/^.*\//, "", fn)
            printf "%8.1f  %-70s %s\n", v / n, fn, obj }' >"$profile"
