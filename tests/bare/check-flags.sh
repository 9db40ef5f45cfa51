#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/bare/check-flags.sh - what `make deps demo` meets on a bare machine, in miniature.
#
# usage: check-flags.sh MAKE        (run from the repository's top folder)
#
# pkg-config and gnustep-config stand-ins fail until a marker file exists, as the real
# tools are missing until `make deps` has installed them.  One make run first creates
# the marker (the stand-in for deps), then builds a generator object (needs libxml2's
# flags) and the simulator's loader (must link GNUstep Base): both must get their flags,
# which they cannot if the Makefile asked the tools while it was being read.  With the
# tools failing for good, the same targets must stop with what to install, and leave
# nothing behind.  tests/bare/run.sh is the whole story on a real bare machine.
set -eu
make=${1:-make}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "check-flags: $*" >&2; exit 1; }

for tool in pkg-config gnustep-config; do
    real=$(command -v $tool) || fail "$tool is not installed (make deps)"
    printf '#!/bin/sh\n[ -e %s/installed ] || exit 1\nexec %s "$@"\n' "$tmp" "$real" >"$tmp/$tool"
    chmod +x "$tmp/$tool"
done
cat >"$tmp/deps.mk" <<EOF
.NOTPARALLEL:
.PHONY: fake-deps
fake-deps:
	touch $tmp/installed
EOF
set -- -f Makefile -f "$tmp/deps.mk" BUILD="$tmp/build" SIM_BUILD="$tmp/sim" \
    PKG_CONFIG="$tmp/pkg-config" SCAN_PKG_CONFIG="$tmp/pkg-config" SIM_GNUSTEP_CONFIG="$tmp/gnustep-config"
objects="$tmp/build/gen/load.o $tmp/sim/libVirtualization.so"

# Tools missing for good: a clear stop, no file written.
for target in $objects; do
    if $make "$@" "$target" >"$tmp/out" 2>&1; then fail "$target was built without its flags"; fi
    grep -q 'failed: is .* installed? run `make deps`' "$tmp/out" || { cat "$tmp/out"; fail "no reason given for $target"; }
    [ ! -e "$target" ] || fail "a failed run left $target behind"
done

# Tools installed by the first goal of the same run: every flag is there.
$make "$@" fake-deps $objects >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "make fake-deps $objects failed"; }
readelf -d "$tmp/sim/libVirtualization.so" | grep -q 'NEEDED.*libgnustep-base' \
    || fail "the simulator's loader was linked without GNUstep Base"
echo "first run: flags asked for when used; missing tools stop the build and leave nothing"
