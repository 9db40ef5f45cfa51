#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks the ELF symbol versions the linker applied: every wrapper listed under
# a CVZ_<macOS level> node of generated/cvz.map is exported as name@@CVZ_<level>
# (and the core's functions under their node of src/core.map), nothing else is
# exported, and every function the headers declare is.
# usage: check-symbol-versions.sh LIBRARY MAP CORE_MAP HEADER...
set -eu
lib=$1; map=$2; core=$3; shift 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
readelf --dyn-syms --wide "$lib" |
    awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" { print $8 }' | LC_ALL=C sort >"$tmp/exported"
awk '/^[A-Z0-9_.]+ \{/ { node = $1 } /^ +cvz_[a-z0-9_]+;/ { sub(/;/, "", $1); print $1 "@@" node }' \
    "$map" "$core" | LC_ALL=C sort >"$tmp/expected"
# Declarations sit on one line each; static inline up-casts are not exported.
sed -n 's/^.*[ *]\(cvz_[a-z0-9_]*\)(.*;$/\1/p' "$@" | grep -v '_as_' | LC_ALL=C sort -u >"$tmp/declared"
sed 's/@@.*//' "$tmp/exported" | LC_ALL=C sort >"$tmp/names"
status=0
if ! LC_ALL=C cmp -s "$tmp/expected" "$tmp/exported"; then
    echo "exported symbols differ from the maps (< expected by the map, > exported):"
    diff "$tmp/expected" "$tmp/exported" | grep '^[<>]'
    status=1
fi
if [ -n "$(LC_ALL=C comm -23 "$tmp/declared" "$tmp/names")" ]; then
    echo "declared in the headers but not exported:"
    LC_ALL=C comm -23 "$tmp/declared" "$tmp/names"
    status=1
fi
[ $status -ne 0 ] || echo "symbol versions: $(wc -l <"$tmp/exported") functions, each in the node of its macOS level"
exit $status
