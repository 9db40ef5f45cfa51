# SPDX-License-Identifier: Apache-2.0
# tests/asan.mk - the generator, library and tool suites under AddressSanitizer
# and UndefinedBehaviorSanitizer (included by the Makefile).
#
#   check-asan   builds cvzgen, libcvz, the cvz tool and the test programs with
#                -fsanitize=address,undefined into build/asan/ (the Makefile's own
#                rules, through a sub-make with BUILD=build/asan), then runs
#                check-gen, check-lib and check-tool there: any invalid access,
#                leak or undefined behaviour fails the run.  The tool suites run
#                the sanitized cvz (whose stderr they compare, so a report fails
#                them) and test_rest has the REST server in process.
#
# cvz runs the tool suites without LeakSanitizer: at exit, while the
# simulated framework's threads still run, LSan's tracer intermittently
# crashes ("Tracer caught signal 11 ... LeakSanitizer has encountered a fatal
# error", exit 1), failing a run that has no leak.  Leaks in the tool's code
# are looked for where no VM runs: test_rest (the REST server, its parser
# and JSON reader in process) runs again with LSan, and the fuzzers check
# leaks in every parser.
#
# The sanitizers go into CC itself, so every compile and link line gets them —
# the shared-library link line takes no CFLAGS/LDFLAGS.  The test programs are
# sanitized executables, so libasan is loaded first without LD_PRELOAD; the
# simulated framework (build/sim, gcc/gobjc, GNUstep) is loaded into them
# unsanitized, as are libobjc and GNUstep Base: their one-time allocations are
# suppressed in tests/lsan.supp, nothing of cvz's is.
#
# sim/sim.mk builds into build/sim whatever BUILD is, while the library tests
# look for the framework under $(BUILD)/sim: build/asan/sim is a link to it.
# test_gen runs "build/cvzgen" relative to the current folder, so it runs in
# build/asan/root, a tree of links to the repository whose build/cvzgen is the
# sanitized one.

# Do not take over the including Makefile's default goal.
ASAN_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

ASAN_BUILD := build/asan
ASAN_SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
# -o: generated/ is taken as it is (never rewritten from here; check-gen tests that it is current).
ASAN_MAKE := $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC='gcc $(ASAN_SANITIZE)' \
    CFLAGS='-O1 -g $(ASAN_SANITIZE)' -o $(ASAN_BUILD)/generated.stamp
# detect_leaks: LeakSanitizer at exit (full stacks, see tests/lsan.supp); UBSan halts on any UB.
ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:strict_string_checks=1:detect_stack_use_after_return=1 \
    LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp):print_suppressions=0 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ASAN_ROOT := $(ASAN_BUILD)/root
ASAN_TOOL_ENV := $(subst detect_leaks=1,detect_leaks=0,$(ASAN_ENV))

.PHONY: check-asan
check-asan: sim
	@mkdir -p $(ASAN_BUILD) $(ASAN_ROOT)/build
	@ln -sfn ../sim $(ASAN_BUILD)/sim
	@for d in $(filter-out build,$(wildcard *)); do ln -sfn $(abspath .)/$$d $(ASAN_ROOT)/$$d; done
	@ln -sfn $(abspath $(ASAN_BUILD))/cvzgen $(ASAN_ROOT)/build/cvzgen
	$(ASAN_MAKE) $(ASAN_BUILD)/cvzgen $(ASAN_BUILD)/tests/test_units $(ASAN_BUILD)/tests/test_gen \
	    $(ASAN_BUILD)/tests/test_lib
	@echo "== check-gen under ASan/UBSan"
	$(ASAN_ENV) $(ASAN_BUILD)/tests/test_units
	cd $(ASAN_ROOT) && $(ASAN_ENV) CVZGEN=build/cvzgen $(abspath $(ASAN_BUILD))/tests/test_gen
	@echo "== check-lib under ASan/UBSan"
	$(ASAN_ENV) $(ASAN_MAKE) RUN_TEST='sh $(abspath tests/lsan-retry.sh)' check-lib
	@echo "== check-tool under ASan/UBSan (LeakSanitizer: test_rest below)"
	$(ASAN_TOOL_ENV) $(ASAN_MAKE) check-tool
	@echo "== test_rest under ASan/UBSan with LeakSanitizer"
	$(ASAN_ENV) $(ASAN_BUILD)/tests/tool/test_rest
	@echo "ASan/UBSan: check-gen, check-lib and check-tool passed."

.DEFAULT_GOAL := $(ASAN_SAVED_DEFAULT_GOAL)
