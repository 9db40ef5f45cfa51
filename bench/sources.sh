#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# sources.sh - one hash of the sources bench/RESULTS.md describes: everything
# that moves a figure (the library, the generator, its helpers in support/
# and its templates, the API, the simulated framework, the public headers,
# the benchmarks themselves; generated/ follows from gen/, templates/ and
# api/).  Files as they are in the work tree, tracked or new (not ignored),
# RESULTS.md itself left out.
#
#   bench/sources.sh            prints the hash
#   bench/sources.sh --check    fails unless bench/RESULTS.md records it
set -eu
hash=$(git ls-files --cached --others --exclude-standard -- src gen support templates api sim include bench | grep -v '^bench/RESULTS\.md$' | LC_ALL=C sort |
    tr '\n' '\0' | xargs -0 sha256sum | sha256sum | cut -c1-16)
[ "${1:-}" = --check ] || { echo "$hash"; exit 0; }
recorded=$(sed -n 's/^| measured sources (bench\/sources.sh) | \([0-9a-f]*\) |$/\1/p' bench/RESULTS.md)
if [ "$recorded" != "$hash" ]; then
    echo "bench/RESULTS.md describes sources ${recorded:-(none recorded)}, but they are now $hash: run make bench" >&2
    exit 1
fi
echo "bench/RESULTS.md is current (sources $hash)"
