#!/bin/sh
# Compile-time availability guards: each case must compile, or must fail with
# the expected diagnostic.  usage: check-guards.sh CC CXX
set -u
CC=${1:-cc}
CXX=${2:-c++}
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

must_compile "12.0 API with the defaults" $CC -std=c11 $flags "$dir/uses_stop.c"
must_compile "12.0 API, MIN=12.0, warnings on" $CC -std=c11 $flags -DCVZ_WARN_NEWER_THAN_MIN \
    -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_12_0 "$dir/uses_stop.c"
must_fail "12.0 API, MIN=11.0, warnings on" "newer than CVZ_VERSION_MIN_REQUIRED" $CC -std=c11 $flags \
    -DCVZ_WARN_NEWER_THAN_MIN -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_11_0 "$dir/uses_stop.c"
must_fail "12.0 API, MAX=11.0" "newer than CVZ_VERSION_MAX_ALLOWED" $CC -std=c11 $flags \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_11_0 "$dir/uses_stop.c"
must_fail "12.0 API, MAX=11.0, C++17" "newer than CVZ_VERSION_MAX_ALLOWED" $CXX -std=c++17 -x c++ $flags \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_11_0 "$dir/uses_stop.c"
must_compile "11.0 API, MAX=11.0, C99 pedantic" $CC -std=c99 -pedantic $flags \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_11_0 "$dir/uses_11.c"
must_compile "11.0 API, MIN=MAX=27.0, C++17" $CXX -std=c++17 -x c++ $flags -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_27_0 \
    -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_27_0 "$dir/uses_11.c"
must_fail "MAX below MIN" "CVZ_VERSION_MAX_ALLOWED is older than CVZ_VERSION_MIN_REQUIRED" $CC -std=c11 $flags \
    -DCVZ_VERSION_MIN_REQUIRED=CVZ_MACOS_13_0 -DCVZ_VERSION_MAX_ALLOWED=CVZ_MACOS_12_0 "$dir/uses_11.c"

[ "$failures" -eq 0 ] || { echo "$failures compile-guard case(s) failed"; exit 1; }
