#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# report.sh - bench/RESULTS.md from the "name value unit" lines of one
# `make bench` run, with the machine it ran on and each target met or not.
#
#   bench/report.sh RESULTS_TXT PROFILE_TXT OUTPUT_MD
set -eu
results=$1 profile=$2 out=$3

value() { awk -v k="$1" '$1 == k { print $2; found = 1 } END { if (!found) print "?" }' "$results"; }
# status VALUE OP LIMIT -> "met" / "not met"
status() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
    if (v == "?") { print "not measured"; exit }
    ok = (op == "<=") ? (v + 0 <= l + 0) : (op == "<") ? (v + 0 < l + 0) : (v + 0 == l + 0)
    print ok ? "met" : "**not met**" }'; }

# An added-instructions figure with its sign: "+732", "-32".
added() { awk -v v="$(value "$1")" 'BEGIN { if (v == "?") print v; else printf "%+d\n", v }'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[ -n "$cpu" ] || cpu=$(uname -p)
threads_before=$(value scale_vms_threads_before)
# The synthetic API's size, as gen_bench.sh named its figures ("10x").
scale=$(awk '$1 ~ /^gen_[0-9]+x_ratio$/ && $1 != "gen_1x_ratio" { sub(/^gen_/, "", $1); sub(/_ratio$/, "", $1); print $1; exit }' "$results")
commit=$(git rev-parse --short HEAD)
git diff --quiet HEAD -- src gen templates api sim include bench ':!bench/RESULTS.md' || commit="$commit + uncommitted changes"

{
    echo "# Benchmark results"
    echo
    echo "Written by \`make bench\` (bench/bench.mk); every ratio compares two things measured in the same run."
    echo
    echo "| machine | |"
    echo "|---|---|"
    echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
    echo "| commit | $commit |"
    echo "| measured sources (bench/sources.sh) | $(bench/sources.sh) |"
    echo "| architecture | $(uname -m) |"
    echo "| CPU | $cpu |"
    echo "| cores | $(nproc) |"
    echo "| system | $(uname -sr) |"
    echo "| compiler | $(${CC:-cc} --version | head -n 1) |"
    echo
    echo "## Targets"
    echo
    echo "Calls: wrapper against the raw send on a lock-free accessor (see below), instructions per call."
    echo
    echo "| figure | value | target | status |"
    echo "|---|---|---|---|"
    echo "| scalar getter, instructions added over objc_msg_lookup + IMP | $(value call_getter_added) ($(value call_getter_ratio) x) | <= 40 | $(status "$(value call_getter_added)" "<=" 40) |"
    echo "| scalar setter, instructions added over objc_msg_lookup + IMP | $(value call_setter_added) ($(value call_setter_ratio) x) | <= 40 | $(status "$(value call_setter_added)" "<=" 40) |"
    echo "| object getter + cvz_release / raw getter with a pool per call | $(value call_object_getter_ratio) x ($(added call_object_getter_added)) | <= 1.2 x | $(status "$(value call_object_getter_ratio)" "<=" 1.2) |"
    echo "| \`_new\` + cvz_release / alloc, init, release | $(value call_new_ratio) x ($(added call_new_added)) | <= 1.3 x | $(status "$(value call_new_ratio)" "<=" 1.3) |"
    echo "| cvz_api_available(class) / objc_getClass | $(value call_available_class_ratio) x ($(added call_available_class_added)) | <= 3 x | $(status "$(value call_available_class_ratio)" "<=" 3) |"
    echo "| cvz_api_available(property) / objc_getClass + class_getInstanceMethod | $(value call_available_item_ratio) x ($(added call_available_item_added)) | <= 3 x | $(status "$(value call_available_item_ratio)" "<=" 3) |"
    echo "| the same, verdict cached (every call after the first): cheaper than the raw lookup | $(value call_available_item_ratio) x | < 1 x | $(status "$(value call_available_item_ratio)" "<" 1) |"
    echo "| cvzgen / xmllint --relaxng, real API (instructions) | $(value gen_1x_ratio) x | <= 2 x | $(status "$(value gen_1x_ratio)" "<=" 2) |"
    echo "| cvzgen / xmllint --relaxng, API $scale (instructions) | $(value "gen_${scale}_ratio") x | <= 2 x | $(status "$(value "gen_${scale}_ratio")" "<=" 2) |"
    echo "| memory left by a second round of $(value scale_configs_count) configurations | $(value scale_configs_repeat_delta) KiB | <= 64 KiB | $(status "$(value scale_configs_repeat_delta)" "<=" 64) |"
    echo "| memory left by a second round of $(value scale_vms_count) VMs | $(value scale_vms_repeat_delta) KiB | <= 64 KiB | $(status "$(value scale_vms_repeat_delta)" "<=" 64) |"
    echo "| threads after releasing $(value scale_vms_count) VMs | $(value scale_vms_threads_after) | $threads_before (as before) | $(status "$(value scale_vms_threads_after)" "==" "$threads_before") |"
    echo
    echo "## All figures"
    echo
    echo "| figure | value | unit |"
    echo "|---|---:|---|"
    awk '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$results"
    echo
    echo "How to read them:"
    echo
    echo "- \`call_*\`: instructions per call (callgrind, N calls in a loop, loop included on both sides) of the"
    echo "  generated wrapper with all its checks against what a C client would write against the Objective-C"
    echo "  runtime with no library (\`objc_msg_lookup\` + an exact-cast IMP call, selectors and classes resolved"
    echo "  once); \`_added\` is the difference, the figure that carries over to a Mac.  The simulated accessors"
    echo "  take a \`@synchronized\` lock (~450 instructions) that Apple's do not, so bench/call_overhead.c first"
    echo "  replaces CPUCount, setCPUCount:, bootLoader and commandLine on the simulated classes by plain C"
    echo "  accessors of the ivars: both sides then call the same lock-free method, and the raw getter is ~40"
    echo "  instructions, as on a Mac.  \`object_getter\`: the wrapper's handle released, the raw side opening and"
    echo "  popping a pool around each call; \`string_getter\`: the wrapper's copy freed, raw = pool, getter,"
    echo "  UTF8String, strdup, free; \`new\`: a VZVirtioEntropyDeviceConfiguration made and released (the"
    echo "  wrapper opens an autorelease pool around alloc/init, as a C caller may have none, and the raw side"
    echo "  does not: on GNUstep a pool costs ~400 instructions, GSCurrentThread and the pool cache included);"
    echo "  \`available_*\`: \`cvz_api_available\` by name against \`objc_getClass\` (+ \`class_getInstanceMethod\`"
    echo "  with the selector resolved once); \`queue\`: \`-state\` of a VM, routed onto the VM's queue, against"
    echo "  \`dispatch_sync_f\` onto the raw VM's queue; \`error_out\`: the simulator's own \`-validateWithError:\`."
    echo "- \`gen_*\`: callgrind's total instructions of one whole process (start-up included on both sides) of"
    echo "  cvzgen generating everything (as \`make generate\` runs it) and of \`xmllint --noout --relaxng\` on the"
    echo "  same XML; \`gen_1x\` the real API, \`gen_$scale\` a synthetic API made of ${scale%x} renamed copies of it and"
    echo "  its overrides (bench/scale_api.sh); peak RSS from GNU time."
    echo "- \`build_*\`: the library built from generated/ with the Makefile's rules, one job, in a fresh folder;"
    echo "  \`build_generated_only_s\` recompiles generated/cvz-api.c alone and relinks; \`_per_item\` figures"
    echo "  divide by the $(value build_items) API items (cvz__item_count), so growth with the API shows."
    echo "- \`scale_*\`: resident memory from /proc/self/statm after malloc_trim(0); \`_delta\` is after − before"
    echo "  the first round (allocator and thread-stack high-water marks included), \`_repeat_delta\` what a"
    echo "  second identical round adds (what a leak would grow)."
    echo
    echo "## Where a scalar getter's instructions go"
    echo
    echo "Exclusive instructions per call of \`cvz_virtual_machine_configuration_cpu_count()\`, by function"
    echo "(libcvz.so.1 is the wrapper; libobjc, libc and the framework are the method itself):"
    echo
    echo '```'
    cat "$profile"
    echo '```'
} >"$out"
