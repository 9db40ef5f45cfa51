# SPDX-License-Identifier: Apache-2.0
# fuzz/fuzz.mk - libFuzzer targets for the generator and the cvz tool (included by the Makefile).
#
#   fuzz                     builds the fuzzers and runs each for FUZZ_SECONDS (default 60)
#   fuzz-long                runs each tool fuzzer for FUZZ_LONG_SECONDS (default 900), two at a time
#   fuzz-build               builds the fuzzers only
#   check-fuzz-regressions   replays fuzz/corpus and fuzz/regressions through the fuzzers
#                            (no fuzzing: every saved input must run clean)
#   check-fuzz-smoke         runs each tool fuzzer for FUZZ_SMOKE_SECONDS (default 3), part of make check
#
# Targets (one fuzzer each, $(FUZZ_BUILD)/fuzz_<target>):
#   xml       load_api + resolve_model + check_model + emit_all (gen/load.c, resolve.c,
#             check.c, types.c, naming.c, emit.c, template.c) on arbitrary bytes as the API XML
#   overrides the overrides file (gen/overrides.c, api/cvz-overrides.rng) on arbitrary bytes,
#             applied to tests/gen/mini.xml, then resolve, check + emit_all (only when
#             gen/overrides.c exists)
#   template  the template engine (gen/template.c): the input is a template body
#             rendered with a fixed context
#   scan      the header scanner cvzscan (gen/scan/: lexer, parser, resolve, writer) on
#             arbitrary bytes as one header; what it writes must be well-formed XML
#             and match api/cvz-api.rng (only when gen/scan/ has its parser)
#   rest      the REST server's request parser and its rules (tool/restreq.c) and the JSON
#             reader (tool/json.c): the input is what a client sends
#   flags     `cvz run`'s command line (tool/flags.c) through the VM configuration and the
#             device strings (tool/device.c, bootloader.c, vmconfig.c): NUL-separated arguments
#   resturi   --restful-uri (tool/resturi.c)
#   duration  --stop-timeout's Go durations (tool/flags.c)
#
# The gen/*.c (and tool/*.c, support/*.c) sources are compiled straight into each fuzzer with clang and
# -fsanitize=fuzzer,address,undefined; UB aborts (no recovery).  Crashes land in
# $(FUZZ_BUILD)/artifacts/<target>/; minimise one with
#   $(FUZZ_BUILD)/fuzz_<target> -minimize_crash=1 -runs=100000 <crash-file>
# and save it as fuzz/regressions/<target>/<name> so check-fuzz-regressions keeps it fixed.
# Inputs found while fuzzing go to $(FUZZ_BUILD)/corpus/<target> (not committed);
# the committed seeds in fuzz/corpus/<target> are only read.
#
# Debian packages: clang, libclang-rt-14-dev (libFuzzer, ASan and UBSan runtimes).

# Do not take over the including Makefile's default goal.
FUZZ_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SCAN_SRCS := $(filter-out gen/scan/main.c,$(wildcard gen/scan/*.c))
FUZZ_TOOL_TARGETS := rest flags resturi duration
FUZZ_TARGETS := xml $(if $(wildcard gen/overrides.c),overrides) template $(if $(wildcard gen/scan/parser.h),scan) \
    $(FUZZ_TOOL_TARGETS)
FUZZ_LONG_SECONDS ?= 900
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_SANITIZE := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# Recursive (=): XML_CFLAGS is asked of pkg-config only when a recipe uses it.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $(FUZZ_SANITIZE) -Igen $(SUPPORT_CPPFLAGS) \
    $(XML_CFLAGS) \
    -DFUZZ_SCHEMA='"$(abspath $(API_SCHEMA))"' -DFUZZ_TEMPLATES='"$(abspath templates)"' \
    -DFUZZ_OVERRIDES_SCHEMA='"$(abspath api/cvz-overrides.rng)"' -DFUZZ_API='"$(abspath tests/gen/mini.xml)"'
# Options for every run: a slow input (> 20 s) or one that takes > 2 GB is a finding too.
FUZZ_RUN_OPTS := -timeout=20 -rss_limit_mb=2048
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

FUZZ_GEN_SRCS := $(filter-out gen/main.c,$(GEN_SRCS))
FUZZ_TOOL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer $(FUZZ_SANITIZE) -Itool \
    $(SUPPORT_CPPFLAGS) -Iinclude -Igenerated/include
FUZZ_TOOL_SRCS_rest := tool/restreq.c tool/json.c tool/util.c tool/goconv.c tool/log.c
FUZZ_TOOL_SRCS_flags := tool/flags.c tool/split.c tool/util.c tool/goconv.c tool/paths.c tool/portable.c \
    tool/vmconfig.c tool/device.c tool/bootloader.c tool/cloudinit.c tool/mac.c tool/inspect.c tool/json.c \
    tool/userfile.c
FUZZ_TOOL_SRCS_resturi := tool/resturi.c tool/util.c tool/goconv.c
FUZZ_TOOL_SRCS_duration := tool/flags.c tool/split.c tool/util.c tool/goconv.c
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
# libsupport's sources (support/support.mk), compiled into every fuzzer with its flags.
FUZZ_SUPPORT := $(SUPPORT_SRCS) $(SUPPORT_HDRS)

$(FUZZ_BUILD)/fuzz_xml: fuzz/fuzz_xml.c $(FUZZ_GEN_SRCS) $(wildcard gen/*.h) $(FUZZ_SUPPORT) fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_xml.c $(FUZZ_GEN_SRCS) $(SUPPORT_SRCS) $(XML_LIBS) -o $@

$(FUZZ_BUILD)/fuzz_overrides: fuzz/fuzz_overrides.c $(FUZZ_GEN_SRCS) $(wildcard gen/*.h) $(FUZZ_SUPPORT) fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_overrides.c $(FUZZ_GEN_SRCS) $(SUPPORT_SRCS) $(XML_LIBS) -o $@

$(FUZZ_BUILD)/fuzz_template: fuzz/fuzz_template.c gen/template.c gen/util.c gen/template.h gen/util.h $(FUZZ_SUPPORT) \
    fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_template.c gen/template.c gen/util.c $(SUPPORT_SRCS) -o $@

$(FUZZ_BUILD)/fuzz_scan: fuzz/fuzz_scan.c $(FUZZ_SCAN_SRCS) gen/util.c $(wildcard gen/scan/*.h) gen/util.h \
    $(FUZZ_SUPPORT) fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/fuzz_scan.c $(FUZZ_SCAN_SRCS) gen/util.c $(SUPPORT_SRCS) $(XML_LIBS) -o $@

$(FUZZ_TOOL_TARGETS:%=$(FUZZ_BUILD)/fuzz_%): $(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(wildcard tool/*.c tool/*.h) \
    $(FUZZ_SUPPORT) fuzz/fuzz.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_TOOL_CFLAGS) $< $(FUZZ_TOOL_SRCS_$*) $(SUPPORT_SRCS) -o $@

.PHONY: fuzz fuzz-build fuzz-long check-fuzz-regressions check-fuzz-smoke
fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    echo "== fuzzing $$t for $(FUZZ_SECONDS) s"; \
	    mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
	    dict=; if [ -f fuzz/$$t.dict ]; then dict=-dict=fuzz/$$t.dict; fi; \
	    $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_RUN_OPTS) -max_total_time=$(FUZZ_SECONDS) $$dict \
	        -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ \
	        $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t; \
	done

# One tool fuzzer for $(1) seconds, its log in $(FUZZ_BUILD)/<target>.log (the last lines shown).
define FUZZ_RUN_TOOL
mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/artifacts/$$t; \
dict=; if [ -f fuzz/$$t.dict ]; then dict=-dict=fuzz/$$t.dict; fi; \
$(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_RUN_OPTS) -max_total_time=$(1) $$dict -print_final_stats=1 \
    -artifact_prefix=$(FUZZ_BUILD)/artifacts/$$t/ $(FUZZ_BUILD)/corpus/$$t fuzz/corpus/$$t \
    >$(FUZZ_BUILD)/$$t.log 2>&1 || { tail -n 60 $(FUZZ_BUILD)/$$t.log; exit 1; }
endef

check-fuzz-smoke: $(FUZZ_TOOL_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@set -e; for t in $(FUZZ_TOOL_TARGETS); do \
	    echo "== fuzzing $$t for $(FUZZ_SMOKE_SECONDS) s"; $(call FUZZ_RUN_TOOL,$(FUZZ_SMOKE_SECONDS)); \
	    grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_BUILD)/$$t.log || true; \
	done

# Two fuzzers at a time (the machine may be shared); each one's figures at the end.
fuzz-long: $(FUZZ_TOOL_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
	@echo "== fuzzing $(FUZZ_TOOL_TARGETS) for $(FUZZ_LONG_SECONDS) s each, two at a time"
	@printf '%s\n' $(FUZZ_TOOL_TARGETS) | xargs -P 2 -I{} sh -c 't={}; $(call FUZZ_RUN_TOOL,$(FUZZ_LONG_SECONDS))'
	@for t in $(FUZZ_TOOL_TARGETS); do \
	    echo "== $$t: $$(grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_BUILD)/$$t.log) $$(grep -E 'stat::number_of_executed_units' $(FUZZ_BUILD)/$$t.log)"; \
	done

# Given files (not folders), a libFuzzer binary runs each once and exits.
check-fuzz-regressions: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do \
	    files=$$(find fuzz/corpus/$$t fuzz/regressions/$$t -type f 2>/dev/null | sort); \
	    if [ -z "$$files" ]; then continue; fi; \
	    echo "== replaying $$(echo "$$files" | wc -l) saved inputs through fuzz_$$t"; \
	    $(FUZZ_ENV) $(FUZZ_BUILD)/fuzz_$$t $(FUZZ_RUN_OPTS) $$files 2>$(FUZZ_BUILD)/replay-$$t.log || \
	        { tail -n 60 $(FUZZ_BUILD)/replay-$$t.log; exit 1; }; \
	done
	@echo "Fuzz corpus and regressions: all clean."

.DEFAULT_GOAL := $(FUZZ_SAVED_DEFAULT_GOAL)
