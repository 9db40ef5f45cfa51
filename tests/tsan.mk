# SPDX-License-Identifier: Apache-2.0
# tests/tsan.mk - the library suites under ThreadSanitizer (included by the
# Makefile).
#
#   check-tsan   builds libcvz and the library suites with -fsanitize=thread
#                into build/tsan/ (the Makefile's own rules, through a
#                sub-make with BUILD=build/tsan) and runs them against the
#                simulated framework: test_queue has several threads calling
#                one VM while its completions run on the VM's queue;
#                test_vm_lifecycle has the console reader thread of each VM
#                handing lines to that queue; test_observe has state
#                callbacks on the VM's queue while other threads register,
#                remove and release.  Any
#                data race or lock-order inversion in libcvz fails the run;
#                tests/tsan.supp says what outside libcvz is suppressed.
#
# Then the tool's threaded parts: test_vsock runs a ThreadSanitizer cvz (the
# VM's queue hands vsock connections and completions to the run loop through
# pipes; a report on its stderr fails the test's exact comparison, and
# halt_on_error its exit status), and test_rest the REST server in process.
#
# As with check-asan, build/tsan/sim is a link to the simulated framework.

# Do not take over the including Makefile's default goal.
TSAN_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

TSAN_BUILD := build/tsan
TSAN_MAKE := $(MAKE) --no-print-directory BUILD=$(TSAN_BUILD) CC='gcc -fsanitize=thread' \
    CFLAGS='-O1 -g -fsanitize=thread' -o $(TSAN_BUILD)/generated.stamp
# test_vm_runtime stays out: the sim's restore-image loads run on GNUstep
# threads whose objects are freed after GNUstep's own (uninstrumented) atomic
# release, which TSan reports as races inside GNUstep; valgrind and ASan run it.
# test_conversions too, for the same reason: the sim's custom virtio device
# passes NSData between its queues (an intermittent free/memcpy report inside GNUstep).
TSAN_SUITES := test_lib test_queue test_vm_lifecycle test_observe
TSAN_TOOL_SUITES := test_vsock test_rest
# 100 VM cycles (not 1000): races show in the first few, and a thousand VMs'
# threads once exhausted TSan's shadow mappings (a failed allocation, not a race).
TSAN_ENV := TSAN_OPTIONS=halt_on_error=1:exitcode=66:suppressions=$(abspath tests/tsan.supp) CVZ_TEST_CYCLES=100

.PHONY: check-tsan
check-tsan: sim
	@mkdir -p $(TSAN_BUILD)
	@ln -sfn ../sim $(TSAN_BUILD)/sim
	$(TSAN_MAKE) $(TSAN_SUITES:%=$(TSAN_BUILD)/tests/%)
	@set -e; for host in $(SIM_HOSTS_ENDS); do \
	    $(SPLIT_HOST); echo "== libcvz under ThreadSanitizer on simulated macOS $$version $$arch"; \
	    for suite in $(TSAN_SUITES); do $(LIB_TEST_ENV) $(TSAN_ENV) $(TSAN_BUILD)/tests/$$suite; done; \
	done
	$(TSAN_MAKE) $(TSAN_BUILD)/cvz $(TSAN_TOOL_SUITES:%=$(TSAN_BUILD)/tests/tool/%)
	@echo "== cvz's vsock forwarding and REST server under ThreadSanitizer"
	@set -e; for suite in $(TSAN_TOOL_SUITES); do \
	    CVZ_TOOL=$(abspath $(TSAN_BUILD)/cvz) CVZ_FRAMEWORK_PATH=$(SIM_PATH) $(TSAN_ENV) $(TSAN_BUILD)/tests/tool/$$suite; \
	done
	@echo "ThreadSanitizer: the library and tool suites passed with no race."

.DEFAULT_GOAL := $(TSAN_SAVED_DEFAULT_GOAL)
