# SPDX-License-Identifier: Apache-2.0
# sim/sim.mk - the simulated Virtualization.framework (GNU make fragment).
#
# Included by the top-level Makefile (paths are relative to the repository
# root), or used alone:  make -f sim/sim.mk check-sim
#
# Defines SIM_LIBS and the targets `sim` and `check-sim`; everything else is
# prefixed SIM_ or lives under build/sim/.
#
# Needs only Debian packages: gobjc, gnustep-make, libgnustep-base-dev,
# libblocksruntime-dev, libcmocka-dev (tests); valgrind for the leak checks
# (SIM_VALGRIND=auto: when installed; 1: required; 0: skipped).

.DELETE_ON_ERROR:

# Do not take over the including Makefile's default goal.
SIM_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

SIM_BUILD := build/sim
SIM_OBJ := $(SIM_BUILD)/obj

# The sim is Objective-C for GCC and the GNU runtime: always gcc, whatever CC is.
SIM_OBJCC ?= gcc
SIM_CC ?= gcc
SIM_GNUSTEP_CONFIG ?= gnustep-config
# Asked for when a recipe first uses them, never while make reads this file (`make deps`
# installs gnustep-config in the same run); a link without GNUstep Base would load but fail later.
SIM_GNUSTEP_FLAGS = $(eval $1 := $(or $(shell $(SIM_GNUSTEP_CONFIG) $2 2>/dev/null),\
    $(error $(SIM_GNUSTEP_CONFIG) $2 failed: is libgnustep-base-dev installed? run `make deps`)))$($1)
SIM_OBJCFLAGS = $(call SIM_GNUSTEP_FLAGS,SIM_OBJCFLAGS,--objc-flags)
SIM_OBJCLIBS = $(call SIM_GNUSTEP_FLAGS,SIM_OBJCLIBS,--base-libs)
SIM_WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-expansion-to-defined
SIM_CFLAGS := -std=gnu11 -O2 -g -fPIC -Wall -Wextra
# libBlocksRuntime stays a real dependency even though libgnustep-base also
# defines _Block_copy (see sim/core/block.h).
SIM_BLOCKSLIB := -Wl,--push-state,--no-as-needed -lBlocksRuntime -Wl,--pop-state

# The layers, lowest first: sim/<layer>/*.m is built into libVirtualization-<layer>.so.
# The first layer also carries sim/core/ (what every layer shares), the others link
# against the base layers below them (the classes they subclass).  The loader opens
# the layers <= the simulated version in this order, an -arm64 layer only on arm64.
SIM_LAYERS := 11.0 12.0 12.0-arm64 13.0 13.0-arm64 14.0 14.0-arm64 15.0 27.0
SIM_BASE_LAYERS := 11.0 12.0

SIM_LOADER := $(SIM_BUILD)/libVirtualization.so
SIM_SKELETON := $(SIM_BUILD)/libVirtualization-skeleton.so
SIM_LAYER_LIBS := $(SIM_LAYERS:%=$(SIM_BUILD)/libVirtualization-%.so)
SIM_LIBS := $(SIM_LOADER) $(SIM_LAYER_LIBS) $(SIM_SKELETON)

# The layers listed in $2 before $1.
sim_before = $(if $(filter $1,$(firstword $2)),,$(firstword $2) $(call sim_before,$1,$(wordlist 2,$(words $2),$2)))
# What layer $1 is built from: its folder's objects (and core's, for the first layer) ...
sim_layer_objs = $(patsubst sim/%.m,$(SIM_OBJ)/%.o,$(wildcard sim/$1/*.m \
    $(if $(filter $(firstword $(SIM_LAYERS)),$1),sim/core/*.m)))
# ... and the base layers below it that it links against.
sim_layer_bases = $(filter $(SIM_BASE_LAYERS),$(call sim_before,$1,$(SIM_LAYERS)))

# Simulated hosts (macOS version/architecture) the suites run on, here and in tests/*.mk:
# before the framework, every layer's version, both architectures at the ends.
SIM_HOSTS ?= 10.15/arm64 11.0/arm64 11.0/x86_64 12.0/x86_64 12.0/arm64 13.0/arm64 14.0/arm64 15.0/x86_64 \
    27.0/arm64 27.0/x86_64
# The slow suites' hosts (valgrind, ThreadSanitizer, long lifecycles): the oldest and the newest.
SIM_HOSTS_ENDS ?= 11.0/x86_64 27.0/arm64
# The versions among a list of hosts.
sim_versions = $(sort $(foreach host,$1,$(firstword $(subst /, ,$(host)))))

SIM_TEST_OBJC := $(SIM_BUILD)/test_sim
SIM_TEST_C := $(SIM_BUILD)/test_sim_c
SIM_TEST_RUNTIME := $(SIM_BUILD)/test_sim_runtime
SIM_TEST_RUNTIME_SRCS := tests/sim/test_sim_runtime.m tests/sim/test_sim_vsock.m tests/sim/test_sim_save.m \
    tests/sim/test_sim_macos.m tests/sim/test_sim_shares.m tests/sim/test_sim_usb.m \
    tests/sim/test_sim_efi.m tests/sim/test_sim_virtio.m \
    tests/sim/test_sim_console.m tests/sim/test_sim_state.m
# The tests include sim/'s headers too.
SIM_HEADERS := $(wildcard sim/*/*.h)
SIM_FAKE_LAYERS := $(SIM_BUILD)/fake/libVirtualization-12.0-arm64.so \
                   $(SIM_BUILD)/fake/libVirtualization-99.0.so
# auto: run the suites under valgrind too when valgrind is installed; 1: must; 0: never.
SIM_VALGRIND ?= auto
SIM_VALGRIND_CMD := valgrind --quiet --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite --suppressions=sim/valgrind.supp

.PHONY: sim check-sim

sim: $(SIM_LIBS)

# Every source includes its headers by their layer: "core/sim.h", "11.0/machine.h".
$(SIM_OBJ)/%.o: sim/%.m sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_OBJCC) -std=gnu11 $(SIM_OBJCFLAGS) $(SIM_WARN) -Isim -MMD -MP -c $< -o $@

# One rule a layer; it finds its base layers next to itself at run time (RUNPATH $ORIGIN).
define SIM_LAYER_RULE
$(SIM_BUILD)/libVirtualization-$1.so: $(call sim_layer_objs,$1) $(patsubst %,$(SIM_BUILD)/libVirtualization-%.so,$(call sim_layer_bases,$1))
	$$(SIM_OBJCC) -shared -o $$@ $$(filter %.o,$$^) -Wl,-soname,$$(@F) \
	    -L$(SIM_BUILD) $(foreach base,$(call sim_layer_bases,$1),-l:libVirtualization-$(base).so) -Wl,-rpath,'$$$$ORIGIN' \
	    $$(SIM_OBJCLIBS) $$(SIM_BLOCKSLIB) -ldl -lpthread
endef
$(foreach layer,$(SIM_LAYERS),$(eval $(call SIM_LAYER_RULE,$(layer))))

# Every class and selector of the API at its version (table generated by cvzgen).
$(SIM_SKELETON): sim/skeleton/skeleton.c sim/skeleton/skeleton.h generated/sim/skeleton-table.c
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -Isim/skeleton -shared sim/skeleton/skeleton.c generated/sim/skeleton-table.c -lobjc -o $@

# The loader is plain C; it links Foundation (GNUstep Base) so that
# Foundation is present at every simulated version, as on any macOS.
$(SIM_LOADER): sim/loader/loader.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -shared -o $@ $< -Wl,-soname,libVirtualization.so -ldl \
	    -Wl,--push-state,--no-as-needed $(SIM_OBJCLIBS) -Wl,--pop-state

# ---- tests ----------------------------------------------------------------

$(SIM_TEST_OBJC): tests/sim/test_sim.m $(SIM_HEADERS) sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_OBJCC) -std=gnu11 $(SIM_OBJCFLAGS) $(SIM_WARN) -Isim -o $@ $< \
	    $(SIM_OBJCLIBS) -lcmocka -lBlocksRuntime -ldl -lpthread

$(SIM_TEST_RUNTIME): $(SIM_TEST_RUNTIME_SRCS) tests/sim/runtime_test.h $(SIM_HEADERS) sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_OBJCC) -std=gnu11 $(SIM_OBJCFLAGS) $(SIM_WARN) -Isim -o $@ $(SIM_TEST_RUNTIME_SRCS) \
	    $(SIM_OBJCLIBS) -lcmocka -ldl -lpthread

$(SIM_TEST_C): tests/sim/test_sim_c.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -o $@ $< -lobjc -lcmocka -lBlocksRuntime -ldl -lpthread

$(SIM_BUILD)/fake/libVirtualization-12.0-arm64.so: tests/sim/fake_layer.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -shared -DFAKE_LAYER=arm64_12_0 -o $@ $< -lobjc

$(SIM_BUILD)/fake/libVirtualization-99.0.so: tests/sim/fake_layer.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -shared -DFAKE_LAYER=v99_0 -o $@ $< -lobjc

# Each simulated version of SIM_HOSTS runs in its own process, the runtime suite on
# each host.  Then, with valgrind, the three suites again at the versions of
# SIM_HOSTS_ENDS (leaks count as failures; sim/valgrind.supp only covers one-time
# allocations of libobjc and GNUstep).
check-sim: $(SIM_LIBS) $(SIM_TEST_OBJC) $(SIM_TEST_C) $(SIM_TEST_RUNTIME) $(SIM_FAKE_LAYERS)
	@set -e; for v in $(call sim_versions,$(SIM_HOSTS)); do \
	    echo "== test_sim, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_TEST_OBJC) $(SIM_LOADER); \
	done
	@set -e; for v in $(call sim_versions,$(SIM_HOSTS)); do \
	    echo "== test_sim_c (pure C client), CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_TEST_C) $(SIM_LOADER) $(SIM_BUILD)/fake; \
	done
	@set -e; for host in $(SIM_HOSTS); do \
	    echo "== test_sim_runtime, simulated macOS $$host"; \
	    CVZ_SIM_MACOS_VERSION=$${host%/*} CVZ_SIM_ARCH=$${host#*/} $(SIM_TEST_RUNTIME) $(SIM_LOADER); \
	done
	@set -e; run=$(SIM_VALGRIND); \
	if [ "$$run" = auto ]; then if command -v valgrind >/dev/null 2>&1; then run=1; else \
	    echo "== valgrind not installed: leak checks skipped"; run=0; fi; fi; \
	if [ "$$run" = 1 ]; then for v in $(call sim_versions,$(SIM_HOSTS_ENDS)); do \
	    echo "== valgrind test_sim, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_VALGRIND_CMD) $(SIM_TEST_OBJC) $(SIM_LOADER); \
	    echo "== valgrind test_sim_c, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_VALGRIND_CMD) $(SIM_TEST_C) $(SIM_LOADER) $(SIM_BUILD)/fake; \
	    echo "== valgrind test_sim_runtime, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_VALGRIND_CMD) $(SIM_TEST_RUNTIME) $(SIM_LOADER); \
	done; fi

-include $(wildcard $(SIM_OBJ)/*/*.d)

# Alone (make -f sim/sim.mk), the default goal is `sim`.
ifeq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := sim
else
.DEFAULT_GOAL := $(SIM_SAVED_DEFAULT_GOAL)
endif
