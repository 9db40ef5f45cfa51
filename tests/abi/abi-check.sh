#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compares the library's ABI with the committed baseline: every released
# function must still be exported with the same symbol version, and every
# public constant must keep its value.  Additions are listed, not errors.
# usage: abi-check.sh BASELINE LIBRARY HEADER...
set -eu
baseline=$1; shift
current=$(mktemp)
trap 'rm -f "$current"' EXIT
"$(dirname "$0")/abi-dump.sh" "$@" >"$current"
removed=$(LC_ALL=C comm -23 "$baseline" "$current")
added=$(LC_ALL=C comm -13 "$baseline" "$current")
[ -z "$added" ] || printf 'ABI additions (fine; run make abi-baseline when releasing):\n%s\n' "$added"
if [ -n "$removed" ]; then
    printf 'ABI BREAK: released items missing or changed:\n%s\n' "$removed"
    exit 1
fi
echo "ABI check: $(wc -l <"$baseline") baseline items all present"
