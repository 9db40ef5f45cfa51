#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The maintainer's two API jobs, as make runs them (from the repository root):
#   make api SDK=...  refuses, in one line and without touching api/, a header
#                     folder without the umbrella header and a scan that would
#                     remove most of the API;
#   make api-diff     reports a hand edit of the XML against git HEAD, grouped
#                     by macOS version.
set -u
# The nested makes run on their own: a parent's -jN flags without its jobserver
# would add a warning line to the output this script counts.
unset MAKEFLAGS MFLAGS
api=api/Virtualization.xml
work=$(mktemp -d)
cp "$api" "$work/saved.xml"
failures=0
fail() {
    echo "api-make: $*" >&2
    failures=$((failures + 1))
}
finish() {
    # Should a refusal ever fail to refuse, api/ is put back as it was.
    cmp -s "$api" "$work/saved.xml" || { cp "$work/saved.xml" "$api"; fail "make api rewrote $api"; }
    rm -rf "$work"
}
trap finish EXIT

# make api SDK=DIR: exits non-zero, api/ untouched, and stderr has exactly one line matching PATTERN.
refuses() {
    sdk=$1 pattern=$2
    if make --no-print-directory -s api SDK="$sdk" SDK_VERSION=27.0 >"$work/out" 2>"$work/err"; then
        fail "make api SDK=$sdk succeeded"
    fi
    cmp -s "$api" "$work/saved.xml" || fail "make api SDK=$sdk changed $api"
    lines=$(grep -c 'error:' "$work/err")
    [ "$lines" = 1 ] || fail "make api SDK=$sdk: $lines error lines, expected 1: $(cat "$work/err")"
    grep -q -- "$pattern" "$work/err" || fail "make api SDK=$sdk: no line matches '$pattern': $(cat "$work/err")"
}

headers=$work/sdk/System/Library/Frameworks/Virtualization.framework/Headers
mkdir -p "$headers"
cp tests/scan/cases/interface/*.h "$headers/"
refuses "$work/sdk" "Headers: error: not a complete framework: no umbrella header Virtualization.h"
: >"$headers/Virtualization.h"
refuses "$work/sdk" "Headers: error: refusing to replace $api: the scan would remove [0-9]* of its [0-9]* API items (more than half)"

# A hand edit: one constant deprecated in 27.0, one enum value deleted.
git show "HEAD:$api" >"$work/head.xml"
sed -e 's|<constant name="VZErrorDomain" type="NSErrorDomain" introduced="11.0"/>|<constant name="VZErrorDomain" type="NSErrorDomain" introduced="11.0" deprecated="27.0"/>|' \
    -e '/<value name="VZErrorNetworkError" /d' "$work/head.xml" >"$work/edited.xml"
make --no-print-directory -s api-diff API_DIFF_FILE="$work/edited.xml" >"$work/diff" 2>&1 || fail "make api-diff failed"
cat >"$work/want" <<WANT
API changes from build/Virtualization.HEAD.xml (SDK 27.0) to $work/edited.xml (SDK 27.0)

macOS 27.0
  deprecated constant      VZErrorDomain

Removed or changed
  removed    enum value    VZErrorNetworkError

2 change(s)
WANT
cmp -s "$work/diff" "$work/want" || fail "make api-diff: $(diff "$work/want" "$work/diff")"
make --no-print-directory -s api-diff API_DIFF_FILE="$work/head.xml" >"$work/diff" 2>&1 || fail "make api-diff failed"
grep -qx '0 change(s)' "$work/diff" || fail "make api-diff of HEAD's own file: $(cat "$work/diff")"

[ "$failures" = 0 ] && echo "make api refuses incomplete frameworks; make api-diff reports hand edits"
[ "$failures" = 0 ]
