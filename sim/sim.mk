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

# Do not take over the including Makefile's default goal.
SIM_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)

SIM_BUILD := build/sim
SIM_OBJ := $(SIM_BUILD)/obj

# The sim is Objective-C for GCC and the GNU runtime: always gcc, whatever CC is.
SIM_OBJCC ?= gcc
SIM_CC ?= gcc
SIM_GNUSTEP_CONFIG ?= gnustep-config
SIM_OBJCFLAGS := $(shell $(SIM_GNUSTEP_CONFIG) --objc-flags 2>/dev/null)
SIM_OBJCLIBS := $(shell $(SIM_GNUSTEP_CONFIG) --base-libs 2>/dev/null)
SIM_WARN := -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-expansion-to-defined
SIM_CFLAGS := -std=gnu11 -O2 -g -fPIC -Wall -Wextra
# libBlocksRuntime stays a real dependency even though libgnustep-base also
# defines _Block_copy (see sim/sim_block.h).
SIM_BLOCKSLIB := -Wl,--push-state,--no-as-needed -lBlocksRuntime -Wl,--pop-state

SIM_LOADER := $(SIM_BUILD)/libVirtualization.so
SIM_LAYER_11 := $(SIM_BUILD)/libVirtualization-11.0.so
SIM_LAYER_12 := $(SIM_BUILD)/libVirtualization-12.0.so
SIM_LIBS := $(SIM_LOADER) $(SIM_LAYER_11) $(SIM_LAYER_12)

SIM_LAYER_11_OBJS := $(SIM_OBJ)/sim_support.o $(SIM_OBJ)/vz11_config.o $(SIM_OBJ)/vz11_vm.o
SIM_LAYER_12_OBJS := $(SIM_OBJ)/vz12.o
SIM_HEADERS := sim/sim_internal.h sim/sim_block.h

SIM_TEST_OBJC := $(SIM_BUILD)/test_sim
SIM_TEST_C := $(SIM_BUILD)/test_sim_c
SIM_FAKE_LAYERS := $(SIM_BUILD)/fake/libVirtualization-12.0-arm64.so \
                   $(SIM_BUILD)/fake/libVirtualization-99.0.so
SIM_VERSIONS ?= 10.15 11.0 12.0 27.0
# auto: run the suites under valgrind too when valgrind is installed; 1: must; 0: never.
SIM_VALGRIND ?= auto
SIM_VALGRIND_CMD := valgrind --quiet --error-exitcode=99 --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite --suppressions=sim/valgrind.supp

.PHONY: sim check-sim

sim: $(SIM_LIBS)

$(SIM_OBJ)/%.o: sim/%.m $(SIM_HEADERS) sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_OBJCC) -std=gnu11 $(SIM_OBJCFLAGS) $(SIM_WARN) -c $< -o $@

$(SIM_LAYER_11): $(SIM_LAYER_11_OBJS)
	@mkdir -p $(@D)
	$(SIM_OBJCC) -shared -o $@ $^ -Wl,-soname,libVirtualization-11.0.so \
	    $(SIM_OBJCLIBS) $(SIM_BLOCKSLIB) -ldl -lpthread

# The 12.0 layer needs the 11.0 classes: linked against that layer, found
# next to it at run time.
$(SIM_LAYER_12): $(SIM_LAYER_12_OBJS) $(SIM_LAYER_11)
	$(SIM_OBJCC) -shared -o $@ $(SIM_LAYER_12_OBJS) -Wl,-soname,libVirtualization-12.0.so \
	    -L$(SIM_BUILD) -l:libVirtualization-11.0.so -Wl,-rpath,'$$ORIGIN' \
	    $(SIM_OBJCLIBS) -lpthread

# The loader is plain C; it links Foundation (GNUstep Base) so that
# Foundation is present at every simulated version, as on any macOS.
$(SIM_LOADER): sim/loader.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -shared -o $@ $< -Wl,-soname,libVirtualization.so -ldl \
	    -Wl,--push-state,--no-as-needed $(SIM_OBJCLIBS) -Wl,--pop-state

# ---- tests ----------------------------------------------------------------

$(SIM_TEST_OBJC): tests/sim/test_sim.m $(SIM_HEADERS) sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_OBJCC) -std=gnu11 $(SIM_OBJCFLAGS) $(SIM_WARN) -Isim -o $@ $< \
	    $(SIM_OBJCLIBS) -lcmocka -lBlocksRuntime -ldl -lpthread

$(SIM_TEST_C): tests/sim/test_sim_c.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -o $@ $< -lobjc -lcmocka -lBlocksRuntime -ldl -lpthread

$(SIM_BUILD)/fake/libVirtualization-12.0-arm64.so: tests/sim/fake_layer.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -shared -DFAKE_LAYER=arm64_12_0 -o $@ $< -lobjc

$(SIM_BUILD)/fake/libVirtualization-99.0.so: tests/sim/fake_layer.c sim/sim.mk
	@mkdir -p $(@D)
	$(SIM_CC) $(SIM_CFLAGS) -shared -DFAKE_LAYER=v99_0 -o $@ $< -lobjc

# Each simulated version runs in its own process.  Then, with valgrind, both
# suites again at 11.0 and 27.0 (leaks count as failures; sim/valgrind.supp
# only covers one-time allocations of libobjc and GNUstep).
check-sim: $(SIM_LIBS) $(SIM_TEST_OBJC) $(SIM_TEST_C) $(SIM_FAKE_LAYERS)
	@set -e; for v in $(SIM_VERSIONS); do \
	    echo "== test_sim, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_TEST_OBJC) $(SIM_LOADER); \
	done
	@set -e; for v in $(SIM_VERSIONS); do \
	    echo "== test_sim_c (pure C client), CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_TEST_C) $(SIM_LOADER) $(SIM_BUILD)/fake; \
	done
	@set -e; run=$(SIM_VALGRIND); \
	if [ "$$run" = auto ]; then if command -v valgrind >/dev/null 2>&1; then run=1; else \
	    echo "== valgrind not installed: leak checks skipped"; run=0; fi; fi; \
	if [ "$$run" = 1 ]; then for v in 11.0 27.0; do \
	    echo "== valgrind test_sim, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_VALGRIND_CMD) $(SIM_TEST_OBJC) $(SIM_LOADER); \
	    echo "== valgrind test_sim_c, CVZ_SIM_MACOS_VERSION=$$v"; \
	    CVZ_SIM_MACOS_VERSION=$$v $(SIM_VALGRIND_CMD) $(SIM_TEST_C) $(SIM_LOADER) $(SIM_BUILD)/fake; \
	done; fi

-include $(wildcard $(SIM_OBJ)/*.d)

# Alone (make -f sim/sim.mk), the default goal is `sim`.
ifeq ($(words $(MAKEFILE_LIST)),1)
.DEFAULT_GOAL := sim
else
.DEFAULT_GOAL := $(SIM_SAVED_DEFAULT_GOAL)
endif
