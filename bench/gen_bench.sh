#!/bin/sh
# gen_bench.sh - cvzgen generating everything against its floor, xmllint
# validating the same XML against the same schema, in the same run.
#
#   bench/gen_bench.sh RUNS CVZGEN SCHEMA API_XML [CVZGEN_OPTIONS...]
#
# cvzgen runs as "CVZGEN CVZGEN_OPTIONS --out DIR API_XML" (the options the
# Makefile's generate rule gives it: --schema, --overrides, --templates), the
# floor as "xmllint --noout --nonet --relaxng SCHEMA API_XML".
# Runs are interleaved (cvzgen, xmllint, cvzgen, …) so both sides see the same
# machine; each cvzgen run writes every output into a fresh, empty folder tree
# shaped like generated/.  Run from the repository root.
# Prints "name value unit" lines: medians of wall time, their ratio, and the
# peak RSS of one run of each (GNU time).
set -eu
runs=$1 cvzgen=$2 schema=$3 xml=$4
shift 4
tmp=$(mktemp -d /tmp/cvz-bench-gen-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

ns() { date +%s%N; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$tmp/gen.ns"
: >"$tmp/lint.ns"
# cvzgen writes into existing folders: the same ones generated/ has.
make_out() { mkdir -p "$1"; (cd generated && find . -type d) | while read -r d; do mkdir -p "$1/$d"; done; }

i=0
while [ "$i" -lt "$runs" ]; do
    out="$tmp/out$i"
    make_out "$out"
    t0=$(ns)
    "$cvzgen" "$@" --out "$out" "$xml"
    t1=$(ns)
    xmllint --noout --nonet --relaxng "$schema" "$xml" 2>/dev/null
    t2=$(ns)
    echo $((t1 - t0)) >>"$tmp/gen.ns"
    echo $((t2 - t1)) >>"$tmp/lint.ns"
    rm -rf "$out"
    i=$((i + 1))
done
gen=$(median "$tmp/gen.ns")
lint=$(median "$tmp/lint.ns")

# Peak RSS and wall time of one run each, from GNU time.
make_out "$tmp/one"
/usr/bin/time -v "$cvzgen" "$@" --out "$tmp/one" "$xml" 2>"$tmp/gen.time"
/usr/bin/time -v xmllint --noout --nonet --relaxng "$schema" "$xml" 2>"$tmp/lint.time" >/dev/null
rss() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }

awk -v g="$gen" -v l="$lint" -v n="$runs" -v gr="$(rss "$tmp/gen.time")" -v lr="$(rss "$tmp/lint.time")" 'BEGIN {
    printf "gen_runs %d runs\n", n
    printf "gen_cvzgen_median %.2f ms\n", g / 1e6
    printf "gen_xmllint_median %.2f ms\n", l / 1e6
    printf "gen_ratio %.2f x\n", g / l
    printf "gen_cvzgen_peak_rss %d KiB\n", gr
    printf "gen_xmllint_peak_rss %d KiB\n", lr
}'
