#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# build_bench.sh - a clean build of libcvz from generated/, with the Makefile's
# own rules, into a temporary build folder; then the generated part alone.
#
#   bench/build_bench.sh MAKE
#
# `-o BUILD/generated.stamp` tells make the generated files are current, so
# only the library is built (src/*.c, src/barrier.m, generated/cvz-api.c, the
# link), one job at a time.  Per-item figures divide by cvz__item_count (the
# number of wrapped methods and accessors: the entries of generated/cvz-api.c's item table), so growth
# with the API shows.  Prints "name value unit" lines.
set -eu
make=$1
tmp=$(mktemp -d /tmp/cvz-bench-build-XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
build() { $make --no-print-directory -j1 BUILD="$tmp" -o "$tmp/generated.stamp" "$tmp/libcvz.so.1" >"$tmp/make.log" 2>&1 || { cat "$tmp/make.log"; exit 1; }; }
ns() { date +%s%N; }

# One designated initializer per entry of the tables: [CVZ__ITEM_ID_...] / [CVZ__CLASS_ID_...].
items=$(grep -c '^    \[CVZ__ITEM_ID_' generated/cvz-api.c || true)
classes=$(grep -c '^    \[CVZ__CLASS_ID_' generated/cvz-api.c || true)
[ "${items:-0}" -gt 0 ] && [ "${classes:-0}" -gt 0 ] ||
    { echo "build_bench.sh: no item or class table entries in generated/cvz-api.c" >&2; exit 1; }

t0=$(ns); build; t1=$(ns)
rm -f "$tmp/lib/generated/cvz-api.o" "$tmp/libcvz.so.1"
t2=$(ns); build; t3=$(ns)

so="$tmp/libcvz.so.1"
cp "$so" "$tmp/stripped.so"
strip --strip-unneeded "$tmp/stripped.so"
# text + data of the generated wrappers alone, and of the whole library (allocated sections).
api_bytes=$(size "$tmp/lib/generated/cvz-api.o" | awk 'NR == 2 { print $1 + $2 }')
lib_bytes=$(size "$so" | awk 'NR == 2 { print $1 + $2 }')
awk -v items="$items" -v classes="$classes" -v full=$((t1 - t0)) -v api=$((t3 - t2)) \
    -v file="$(stat -c %s "$so")" -v stripped="$(stat -c %s "$tmp/stripped.so")" \
    -v api_bytes="$api_bytes" -v lib_bytes="$lib_bytes" 'BEGIN {
    printf "build_items %d items\n", items
    printf "build_classes %d classes\n", classes
    printf "build_clean_lib_s %.2f s\n", full / 1e9
    printf "build_generated_only_s %.2f s\n", api / 1e9
    printf "build_generated_per_item_ms %.1f ms\n", api / 1e6 / items
    printf "build_libcvz_so_bytes %d bytes\n", file
    printf "build_libcvz_so_stripped_bytes %d bytes\n", stripped
    printf "build_libcvz_text_data_bytes %d bytes\n", lib_bytes
    printf "build_generated_text_data_bytes %d bytes\n", api_bytes
    printf "build_generated_bytes_per_item %.0f bytes\n", api_bytes / items
}'
