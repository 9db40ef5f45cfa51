#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# scale_api.sh - a synthetic API N times the size of the real one, to see how
# the generator grows with its input.
#
#   bench/scale_api.sh N API_XML OVERRIDES_XML OUT_XML OUT_OVERRIDES_XML
#
# Copy 0 is the real API; copy k (1..N-1) is the same text with every name
# that starts with "VZ" renamed "VZK<k>…" (types, classes, enum values,
# constants, protocols), so the copies are distinct, well-formed APIs that
# refer only to themselves.  The overrides are repeated the same way, so
# every copy is curated like the real one.
set -eu
n=$1 xml=$2 overrides=$3 out_xml=$4 out_overrides=$5
[ "$n" -ge 1 ] 2>/dev/null || { echo "scale_api.sh: N must be a positive integer, not '$n'" >&2; exit 2; }

# The lines between the root element's start and end tags, renamed for copy k.
body() {
    awk -v root="$2" 'index($0, "<" root " ") { on = 1; next } index($0, "</" root ">") { on = 0 } on' "$1" |
        if [ "$3" -eq 0 ]; then cat; else sed -e "s/\bVZ\([A-Z]\)/VZK$3\1/g" -e "s/<area name=\"\([a-z0-9_]*\)\"/<area name=\"\1_k$3\"/"; fi
}
# Head (through the root start tag), the N bodies, the root end tag.
scale() {
    awk -v root="$2" '{ print } index($0, "<" root " ") { exit }' "$1"
    k=0
    while [ "$k" -lt "$n" ]; do
        body "$1" "$2" "$k"
        k=$((k + 1))
    done
    echo "</$2>"
}
scale "$xml" api >"$out_xml"
scale "$overrides" overrides >"$out_overrides"
