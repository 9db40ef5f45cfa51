#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/macos/smoke.sh [KERNEL INITRD [DISK]] - cvz on this Mac, end to end:
# build and sign (make), check the products and run the smoke suite against
# the real Virtualization.framework (make check), print what the framework
# offers (make demo), and with a kernel and an initrd boot that Linux guest.
#
# Needs the Xcode command line tools, and cmocka for the test suites
# (brew install cmocka); CODESIGN_IDENTITY=... signs with another identity.
set -eu
cd "$(dirname "$0")/../.."
if [ "$(uname -s)" != Darwin ]; then
    echo "smoke.sh: this runs on macOS; on Linux, make cross-macos builds and checks the Mac binaries" >&2
    exit 2
fi
if [ $# -eq 1 ] || [ $# -gt 3 ]; then
    echo "usage: tests/macos/smoke.sh [KERNEL INITRD [DISK]]" >&2
    exit 2
fi
# Homebrew's prefix is not on Apple clang's search paths.
if command -v brew >/dev/null 2>&1; then
    prefix=$(brew --prefix)
    export CPATH="$prefix/include${CPATH:+:$CPATH}" LIBRARY_PATH="$prefix/lib${LIBRARY_PATH:+:$LIBRARY_PATH}"
fi
jobs=$(sysctl -n hw.ncpu)
echo "== macOS $(sw_vers -productVersion) ($(uname -r)), $(uname -m); $(cc --version | head -1)"
make -j"$jobs" all
make -j"$jobs" check
if [ $# -ge 2 ]; then
    make demo KERNEL="$1" INITRD="$2" DISK="${3:-}"
else
    make demo
fi
