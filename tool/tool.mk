# SPDX-License-Identifier: Apache-2.0
# tool/tool.mk - cvz, the vfkit-compatible command-line tool (included by the Makefile).
#
#   $(BUILD)/cvz   the tool, linked against libcvz
#   check-tool     its tests against the simulated framework (tests/tool/)
#
# Uses the top-level Makefile's BUILD, LIB_SO, CONSUMER_CFLAGS, CONSUMER_LIBS,
# SIM_PATH and CMOCKA_LIBS; defines only TOOL_-prefixed variables.  To try it
# on its own: make -f Makefile -f tool/tool.mk check-tool

TOOL_SRCS := $(wildcard tool/*.c)
TOOL_OBJS := $(TOOL_SRCS:tool/%.c=$(BUILD)/tool/%.o)
TOOL_HEADERS := $(wildcard tool/*.h)
TOOL_CFLAGS := $(CONSUMER_CFLAGS) -std=gnu11 -D_GNU_SOURCE $(SUPPORT_CPPFLAGS)
TOOL_BIN := $(BUILD)/cvz

$(BUILD)/tool/%.o: tool/%.c $(TOOL_HEADERS) $(SUPPORT_HDRS) $(PUBLIC_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(TOOL_CFLAGS) -c $< -o $@

# On macOS, SIGN (macos/darwin.mk) signs it with the virtualization entitlement.
$(TOOL_BIN): $(TOOL_OBJS) $(SUPPORT_LIB) $(LIB_SO)
	$(CC) $(TOOL_OBJS) $(SUPPORT_LIB) $(CONSUMER_LIBS) -o $@
	$(if $(SIGN),$(SIGN) $@)

# ---- tests ------------------------------------------------------------------

TOOL_TEST_CFLAGS := -std=gnu11 -D_GNU_SOURCE -g -O0 $(WARN) -Wno-missing-prototypes
TOOL_TEST_COMMON := tests/tool/harness.c
TOOL_TESTS := $(BUILD)/tests/tool/test_dryrun $(BUILD)/tests/tool/test_run $(BUILD)/tests/tool/test_devices \
              $(BUILD)/tests/tool/test_info $(BUILD)/tests/tool/test_build \
              $(BUILD)/tests/tool/test_vsock $(BUILD)/tests/tool/test_install $(BUILD)/tests/tool/test_rest

# test_build and test_rest link the tool's own objects (not main.o) and libsupport: the
# availability table, the REST server and its parsers, tested in process.
TOOL_UNIT_TESTS := $(BUILD)/tests/tool/test_build $(BUILD)/tests/tool/test_rest
$(TOOL_UNIT_TESTS): $(BUILD)/tests/tool/%: tests/tool/%.c $(TOOL_TEST_COMMON) tests/tool/harness.h \
    $(filter-out $(BUILD)/tool/main.o,$(TOOL_OBJS)) $(SUPPORT_LIB) $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(TOOL_TEST_CFLAGS) $(CONSUMER_CFLAGS) -std=gnu11 -Itool $(SUPPORT_CPPFLAGS) $< $(TOOL_TEST_COMMON) \
	    $(filter-out $(BUILD)/tool/main.o,$(TOOL_OBJS)) $(SUPPORT_LIB) $(CONSUMER_LIBS) $(CMOCKA_LIBS) -o $@

$(BUILD)/tests/tool/%: tests/tool/%.c $(TOOL_TEST_COMMON) tests/tool/harness.h
	@mkdir -p $(@D)
	$(CC) $(TOOL_TEST_CFLAGS) $< $(TOOL_TEST_COMMON) $(CMOCKA_LIBS) -o $@

TOOL_TEST_ENV := CVZ_TOOL=$(abspath $(TOOL_BIN)) CVZ_FRAMEWORK_PATH=$(SIM_PATH)

.PHONY: check-tool

check-tool: $(TOOL_BIN) $(TOOL_TESTS) sim
	@echo "== cvz run --dry-run: every flag, device and error"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_dryrun
	@echo "== cvz run end to end against the simulated framework"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_run
	@echo "== cvz run: every device kind, boot loader and refusal"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_devices
	@echo "== vsock forwarding (listen, connect), ignition and time sync over the simulated guest"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_vsock
	@echo "== cvz install-macos: progress, refusals, cancellation"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_install
	@echo "== the REST server, its request parser and JSON reader, in process"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_rest
	@echo "== every name in cvz's availability table is an API libcvz knows"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_build
	@echo "== cvz info at several simulated macOS versions"
	$(TOOL_TEST_ENV) $(BUILD)/tests/tool/test_info
