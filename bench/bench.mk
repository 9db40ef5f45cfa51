# SPDX-License-Identifier: Apache-2.0
# bench/bench.mk - benchmarks (included by the Makefile).
#
#   bench    runs every benchmark, prints one "name value unit" line per figure and
#            writes bench/RESULTS.md (the machine, the commit and the hash of the measured
#            sources, every figure, each target met or not)
#   check-bench-results  fails when bench/RESULTS.md was measured on other sources than
#            today's (bench/sources.sh; cheap, part of make check)
#
#   a. call overhead  bench/call_overhead.c under callgrind: generated wrappers against raw
#                     message sends, in instructions per call (bench/call_bench.sh)
#   b. generator      cvzgen against xmllint --relaxng on the same XML, in instructions and
#                     peak memory, on the real API and one BENCH_GEN_SCALE times its size
#                     (bench/gen_bench.sh, bench/scale_api.sh)
#   c. build          clean build of libcvz from generated/, size of libcvz.so.1, per API item
#                     (bench/build_bench.sh)
#   d. scale          10,000 configurations and 100 VMs alive at once, memory before and after
#                     (bench/scale.c)
#
# Every ratio is measured in one run, on one machine; nothing here is a timed unit test and
# nothing fails when a target is missed: RESULTS.md says "not met".  Knobs: BENCH_CALLS,
# BENCH_GEN_SCALE, BENCH_CONFIGS, BENCH_VMS.  Needs valgrind (callgrind_annotate), xmllint,
# GNU time (/usr/bin/time, Debian package `time`).

# Do not take over the including Makefile's default goal.
BENCH_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

BENCH_BUILD := $(BUILD)/bench
BENCH_CALLS ?= 10000
BENCH_GEN_SCALE ?= 10
BENCH_CONFIGS ?= 10000
BENCH_VMS ?= 100
BENCH_RESULTS := $(BENCH_BUILD)/results.txt
BENCH_PROFILE := $(BENCH_BUILD)/getter-profile.txt
BENCH_BINS := $(BENCH_BUILD)/call_overhead $(BENCH_BUILD)/scale
# The benchmarks are clients of the installed-style library, built with the project's flags.
BENCH_CFLAGS := -std=gnu11 -O2 -g $(WARN) -Iinclude -Igenerated/include

$(BENCH_BUILD)/call_overhead: bench/call_overhead.c $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $< $(CONSUMER_LIBS) -lobjc -ldl -o $@

$(BENCH_BUILD)/scale: bench/scale.c $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $< $(CONSUMER_LIBS) -o $@

.PHONY: bench
bench: $(BENCH_BINS) $(CVZGEN) sim
	@set -e; tmp=$$(mktemp -d /tmp/cvz-bench-XXXXXX); trap 'rm -rf "$$tmp"' EXIT; \
	: >$$tmp/vmlinuz; : >$(BENCH_RESULTS); \
	part() { "$$@" >$$tmp/part || { cat $$tmp/part; echo "bench: $$1 failed" >&2; exit 1; }; \
	    cat $$tmp/part >>$(BENCH_RESULTS); cat $$tmp/part; }; \
	echo "== a. call overhead (callgrind, $(BENCH_CALLS) calls per side)"; \
	part env CVZ_FRAMEWORK_PATH=$(SIM_PATH) bench/call_bench.sh $(BENCH_BUILD)/call_overhead $(BENCH_CALLS) \
	    $$tmp/vmlinuz $(BENCH_PROFILE); \
	echo "== b. generator (1x and $(BENCH_GEN_SCALE)x the API)"; \
	part bench/gen_bench.sh $(BENCH_GEN_SCALE) $(CVZGEN) $(API_SCHEMA) $(API_XML) $(API_OVERRIDES) templates; \
	echo "== c. build"; \
	part bench/build_bench.sh "$(MAKE)"; \
	echo "== d. scale ($(BENCH_CONFIGS) configurations, $(BENCH_VMS) VMs)"; \
	part env CVZ_FRAMEWORK_PATH=$(SIM_PATH) $(BENCH_BUILD)/scale $(BENCH_CONFIGS) $(BENCH_VMS) $$tmp/vmlinuz; \
	CC="$(CC)" bench/report.sh $(BENCH_RESULTS) $(BENCH_PROFILE) bench/RESULTS.md; \
	echo "== targets (bench/RESULTS.md)"; sed -n '/^## Targets/,/^## All/p' bench/RESULTS.md | grep '^| [a-z]'

.PHONY: check-bench-results
check-bench-results:
	@bench/sources.sh --check

.DEFAULT_GOAL := $(BENCH_SAVED_DEFAULT_GOAL)
