#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compile-time availability guards: each case must compile, or must fail with
# the expected diagnostic.  usage: check-guards.sh CC CXX [APPLE_CC]
set -u
CC=${1:-cc}
CXX=${2:-c++}
APPLE_CC=${3:-clang}
dir=$(dirname "$0")
flags="-Iinclude -Igenerated/include -Wall -Wextra -Werror -fsyntax-only"
failures=0

must_compile() { # description, compiler, args...
    what=$1; shift
    if ! out=$("$@" 2>&1); then
        echo "FAIL: $what: did not compile:"; echo "$out"; failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

must_fail() { # description, expected text, compiler, args...
    what=$1; want=$2; shift 2
    if out=$("$@" 2>&1); then
        echo "FAIL: $what: compiled, but must not"; failures=$((failures + 1))
    elif ! printf '%s' "$out" | grep -q -- "$want"; then
        echo "FAIL: $what: failed without \"$want\":"; echo "$out"; failures=$((failures + 1))
    else
        echo "ok: $what"
    fi
}

# Each C case runs with CC, then with clang for both Mac architectures (Apple's
# attribute semantics: -Wunguarded-availability-new is on by default there)
# when clang is installed; the headers need only the compiler's own stddef,
# stdint and stdbool, so -ffreestanding stands in for the SDK.
apple_targets=""
if command -v "$APPLE_CC" >/dev/null 2>&1; then
    apple_targets="arm64-apple-macos11 x86_64-apple-macos11"
else
    echo "note: $APPLE_CC not found; Apple target cases skipped"
fi

c_compile() { # description, args...
    case_name=$1; shift
    must_compile "$case_name" $CC "$@"
    for t in $apple_targets; do must_compile "$case_name [$t]" "$APPLE_CC" -target "$t" -ffreestanding "$@"; done
}

c_fail() { # description, expected text, args...
    case_name=$1; case_want=$2; shift 2
    must_fail "$case_name" "$case_want" $CC "$@"
    for t in $apple_targets; do
        must_fail "$case_name [$t]" "$case_want" "$APPLE_CC" -target "$t" -ffreestanding "$@"
    done
}

# Nothing defined: no warning at all, whatever the API's level (GLib's model).
c_compile "12.0 API with the defaults" -std=c11 $flags "$dir/uses_stop.c"
c_compile "12.0 API, MIN=12.0" -std=c11 $flags -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_12_0 "$dir/uses_stop.c"
c_fail "12.0 API, MIN=11.0" "newer than CVZ_VERSION_MIN_REQUIRED" -std=c11 $flags \
    -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_11_0 "$dir/uses_stop.c"
c_compile "11.0 API, MIN=11.0" -std=c11 $flags -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_11_0 "$dir/uses_11.c"
c_fail "12.0 API, MAX=11.0" "newer than CVZ_VERSION_MAX_ALLOWED" -std=c11 $flags \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_11_0 "$dir/uses_stop.c"
must_fail "12.0 API, MAX=11.0, C++17" "newer than CVZ_VERSION_MAX_ALLOWED" $CXX -std=c++17 -x c++ $flags \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_11_0 "$dir/uses_stop.c"
c_compile "11.0 API, MAX=11.0, C99 pedantic" -std=c99 -pedantic $flags \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_11_0 "$dir/uses_11.c"
must_compile "11.0 API, MIN=MAX=27.0, C++17" $CXX -std=c++17 -x c++ $flags -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_27_0 \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_27_0 "$dir/uses_11.c"
c_fail "MAX below MIN" "CVZ_VERSION_MAX_ALLOWED is older than CVZ_VERSION_MIN_REQUIRED" -std=c11 $flags \
    -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_13_0 -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_12_0 "$dir/uses_11.c"

# No declaration may carry clang's availability attribute, whatever is defined:
# it would make callers weak-import symbols libcvz always exports.
for t in $apple_targets; do
    for defs in "" "-DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_11_0"; do
        what="no availability attribute or weak import [$t${defs:+ $defs}]"
        if ! out=$("$APPLE_CC" -target "$t" -ffreestanding -E -Iinclude -Igenerated/include $defs "$dir/uses_stop.c" 2>&1); then
            echo "FAIL: $what: did not preprocess:"; echo "$out"; failures=$((failures + 1))
        elif printf '%s' "$out" | grep -q -e '((availability' -e 'weak_import'; then
            echo "FAIL: $what"; failures=$((failures + 1))
        else
            echo "ok: $what"
        fi
    done
done

[ "$failures" -eq 0 ] || { echo "$failures compile-guard case(s) failed"; exit 1; }
