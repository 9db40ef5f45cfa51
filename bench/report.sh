#!/bin/sh
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
    ok = (op == "<=") ? (v + 0 <= l + 0) : (v + 0 == l + 0); print ok ? "met" : "**not met**" }'; }

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
[ -n "$cpu" ] || cpu=$(uname -p)
threads_before=$(value scale_vms_threads_before)

{
    echo "# Benchmark results"
    echo
    echo "Written by \`make bench\` (bench/bench.mk); every ratio compares two things measured in the same run."
    echo
    echo "| machine | |"
    echo "|---|---|"
    echo "| date | $(date -u '+%Y-%m-%d %H:%M UTC') |"
    echo "| architecture | $(uname -m) |"
    echo "| CPU | $cpu |"
    echo "| cores | $(nproc) |"
    echo "| system | $(uname -sr) |"
    echo "| compiler | $(${CC:-cc} --version | head -n 1) |"
    echo
    echo "## Targets"
    echo
    echo "| figure | value | target | status |"
    echo "|---|---|---|---|"
    echo "| scalar getter, wrapper / raw send (instructions) | $(value call_getter_ratio) x | <= 1.5 x | $(status "$(value call_getter_ratio)" "<=" 1.5) |"
    echo "| scalar setter, wrapper / raw send (instructions) | $(value call_setter_ratio) x | <= 1.5 x | $(status "$(value call_setter_ratio)" "<=" 1.5) |"
    echo "| cvzgen / xmllint --relaxng (median wall time) | $(value gen_ratio) x | <= 3 x | $(status "$(value gen_ratio)" "<=" 3) |"
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
    echo "  generated wrapper with all its checks against the raw \`objc_msg_lookup\` + exact-cast IMP call a C"
    echo "  client would write, on equal objects of the simulated framework; \`_added\` is the difference. The"
    echo "  simulated getters take a \`@synchronized\` lock (~450 instructions), so the ratio is smaller than it"
    echo "  would be against a plain Apple property getter; \`_added\` is the figure that carries over."
    echo "  \`object_getter\` includes \`cvz_release\` of the returned handle (raw: the autorelease pool's share);"
    echo "  \`error_out\` is \`-validateWithError:\` on a valid configuration; \`constant\` is the class property"
    echo "  \`minimumAllowedCPUCount\` (a method that returns a constant, no lock): the wrapper against the"
    echo "  cheapest send there is — what a plain Apple accessor costs (no target, shown for scale)."
    echo "- \`gen_*\`: medians of $(value gen_runs) interleaved runs, each including process start-up; peak RSS from GNU time."
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
