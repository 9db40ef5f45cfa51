#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# gen_bench.sh - cvzgen generating everything against its floor, xmllint
# validating the same XML against the same schema: instructions (callgrind,
# the whole process, start-up included on both sides) and peak resident
# memory (GNU time), on the real API and on a synthetic one SCALE times its
# size (bench/scale_api.sh).
#
#   bench/gen_bench.sh SCALE CVZGEN SCHEMA API_XML OVERRIDES_XML TEMPLATES
#
# cvzgen runs as the Makefile's generate rule runs it, into a fresh, empty
# folder tree shaped like generated/; the floor is
# "xmllint --noout --nonet --relaxng SCHEMA XML".  Run from the repository root.
# Prints "name value unit" lines.
set -eu
scale=$1 cvzgen=$2 schema=$3 xml=$4 overrides=$5 templates=$6
tmp=$(mktemp -d /tmp/cvz-bench-gen-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

# cvzgen writes into existing folders: the same ones generated/ has.
make_out() { mkdir -p "$1"; (cd generated && find . -type d) | while read -r d; do mkdir -p "$1/$d"; done; }
# Total instructions of one command under callgrind.
instructions() {
    out=$1; shift
    valgrind --tool=callgrind --callgrind-out-file="$out" "$@" >"$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; exit 1; }
    awk '/^(summary|totals):/ { print $2; exit }' "$out"
}
rss() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'; }

# One size: NAME XML OVERRIDES
measure() {
    make_out "$tmp/$1.a"
    make_out "$tmp/$1.b"
    g=$(instructions "$tmp/$1.gen.out" "$cvzgen" --schema "$schema" --overrides "$3" --templates "$templates" --out "$tmp/$1.a" "$2")
    l=$(instructions "$tmp/$1.lint.out" xmllint --noout --nonet --relaxng "$schema" "$2")
    gr=$(rss "$cvzgen" --schema "$schema" --overrides "$3" --templates "$templates" --out "$tmp/$1.b" "$2")
    lr=$(rss xmllint --noout --nonet --relaxng "$schema" "$2")
    awk -v s="$1" -v g="$g" -v l="$l" -v gr="$gr" -v lr="$lr" -v bytes="$(stat -c %s "$2")" 'BEGIN {
        printf "gen_%s_xml_bytes %d bytes\n", s, bytes
        printf "gen_%s_cvzgen_instr %.0f instr\n", s, g
        printf "gen_%s_xmllint_instr %.0f instr\n", s, l
        printf "gen_%s_added %.0f instr\n", s, g - l
        printf "gen_%s_ratio %.2f x\n", s, g / l
        printf "gen_%s_cvzgen_peak_rss %d KiB\n", s, gr
        printf "gen_%s_xmllint_peak_rss %d KiB\n", s, lr
    }'
}

measure 1x "$xml" "$overrides"
bench/scale_api.sh "$scale" "$xml" "$overrides" "$tmp/api.xml" "$tmp/overrides.xml"
measure "${scale}x" "$tmp/api.xml" "$tmp/overrides.xml"
