#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The availability report (examples/availability-report.c) on simulated hosts:
# complete hosts (27.0 arm64 and x86_64, and an old 12.0) exit 0, with the
# class cvz skips on purpose shown as skipped with its reason and what the
# host cannot have as n/a; a framework older than the host exits 1, naming
# what is missing.
#
# usage: availability-report.sh REPORT SIM_LOADER SIM_11_0_LAYER
set -u
report=$1 loader=$2 layer11=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failures=0

fail() {
    echo "availability-report: $*" >&2
    failures=$((failures + 1))
}

# expect STATUS VERSION ARCH FRAMEWORK NAMES PATTERN...: the report on NAMES (all when empty) exits
# with STATUS, and a line matches each grep pattern.
expect() {
    want=$1 version=$2 arch=$3 framework=$4 names=$5
    shift 5
    # shellcheck disable=SC2086 # NAMES is a list of words
    CVZ_FRAMEWORK_PATH=$framework CVZ_SIM_MACOS_VERSION=$version CVZ_SIM_ARCH=$arch "$report" $names >"$out" 2>&1
    got=$?
    [ "$got" = "$want" ] || fail "$version $arch: exit status $got, expected $want"
    for pattern in "$@"; do
        grep -q -- "$pattern" "$out" || fail "$version $arch ($framework): no line matches '$pattern'"
    done
}

skipped='^  skipped  VZVirtualMachineView  *on purpose: an AppKit NSView subclass'
expect 0 27.0 arm64 "$loader" "" "$skipped" '^[0-9]* APIs: [0-9]* usable, 0 not for this host.*, 1 skipped on purpose, 0 missing$'
expect 0 27.0 x86_64 "$loader" "" "$skipped" \
    '^  n/a      VZLinuxRosettaDirectoryShare  *CVZ_E_WRONG_ARCH: .* arm64 only' ', 0 missing$'
expect 0 12.0 x86_64 "$loader" "" "$skipped" \
    '^  n/a      VZConsoleDevice  *CVZ_E_OS_TOO_OLD: VZConsoleDevice requires macOS 13.0; this host runs 12.0' \
    '^  yes      VZVirtualMachine  *macOS 11.0' ', 0 missing$'
# The 11.0 framework on a 12.0 host: 12.0's classes are missing.
expect 1 12.0 arm64 "$layer11" "" "$skipped" \
    '^  MISSING  VZAudioDeviceConfiguration  *CVZ_E_MISSING: ' ', [1-9][0-9]* missing$'
# Names given on the command line: only those, same verdicts.
expect 0 27.0 arm64 "$loader" "VZVirtualMachineView VZVirtualMachine" "$skipped" '^  yes      VZVirtualMachine '
expect 1 12.0 arm64 "$layer11" "VZVirtualMachine VZAudioDeviceConfiguration" '^  MISSING  VZAudioDeviceConfiguration'
expect 0 10.15 arm64 "$loader" "VZVirtualMachine" '^  n/a      VZVirtualMachine  *CVZ_E_OS_TOO_OLD' 

[ "$failures" = 0 ] && echo "availability report: complete hosts exit 0, skipped and missing told apart"
[ "$failures" = 0 ]
