#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the ABI of libcvz as sorted lines: every exported function with its
# symbol version, and every public enum and level constant with its value.
# usage: abi-dump.sh LIBRARY HEADER...
set -eu
lib=$1; shift
{
    readelf --dyn-syms --wide "$lib" |
        awk '$4 == "FUNC" && $5 == "GLOBAL" && $7 != "UND" { print "function " $8 }'
    # Enumerators ("CVZ_X = -3,") and API level macros ("#define CVZ_MACOS_12_0 1200").
    sed -n -e 's/^ *\(CVZ_[A-Z0-9_]*\) = \(-\{0,1\}[0-9][0-9]*\).*/constant \1 = \2/p' \
        -e 's/^#define \(CVZ_MACOS_[0-9_]*\) \([0-9][0-9]*\)$/constant \1 = \2/p' "$@"
} | LC_ALL=C sort
