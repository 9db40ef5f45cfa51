# cvz - C bindings for Apple's Virtualization.framework.
#
#   make deps demo    install the Debian packages, generate, build, run examples/linux-vm
#   make deps check   install the Debian packages, run every test suite
#
# Other targets: all, generate, validate, lib, sim, examples, check-gen,
# check-compile, check-lib, check-sim, check-valgrind, golden, clean.  See README.md.

.DEFAULT_GOAL := all

CC ?= gcc
BUILD := build
PKG_CONFIG ?= pkg-config

XML_CFLAGS := $(shell $(PKG_CONFIG) --cflags libxml-2.0)
XML_LIBS := $(shell $(PKG_CONFIG) --libs libxml-2.0)
CMOCKA_LIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS ?= -O2 -g

# ---- dependencies (Debian 12 packages only) ---------------------------------

DEBIAN_PACKAGES := gcc g++ make pkg-config gobjc libobjc-12-dev gnustep-make libgnustep-base-dev \
    libblocksruntime-dev libxml2-dev libxml2-utils libcmocka-dev valgrind python3 clang libclang-rt-14-dev time

.PHONY: deps
deps:
	@if dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then echo "Debian packages: all installed"; \
	else apt-get install -y $(DEBIAN_PACKAGES) || { apt-get update && apt-get install -y $(DEBIAN_PACKAGES); }; fi

# ---- generator -------------------------------------------------------------

GEN_SRCS := $(wildcard gen/*.c)
GEN_OBJS := $(GEN_SRCS:gen/%.c=$(BUILD)/gen/%.o)
CVZGEN := $(BUILD)/cvzgen
API_XML := api/Virtualization.xml
API_SCHEMA := api/cvz-api.rng
API_OVERRIDES := api/overrides.xml
TEMPLATES := $(wildcard templates/*.tmpl)
GENERATED := generated/include/cvz/cvz-api.h generated/cvz-api.c generated/cvz.map generated/cvz.exports \
    generated/sim/skeleton-table.c generated/tests/bad-calls.c

$(BUILD)/gen/%.o: gen/%.c $(wildcard gen/*.h) Makefile
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(CFLAGS) $(WARN) $(XML_CFLAGS) -c $< -o $@

$(CVZGEN): $(GEN_OBJS)
	$(CC) $(CFLAGS) $^ $(XML_LIBS) -o $@

# One rule makes all generated files; the stamp keeps make from running it once per file.
$(BUILD)/generated.stamp: $(CVZGEN) $(API_XML) $(API_SCHEMA) $(API_OVERRIDES) api/cvz-overrides.rng $(TEMPLATES)
	@mkdir -p generated/include/cvz generated/sim generated/tests
	$(CVZGEN) --schema $(API_SCHEMA) --overrides $(API_OVERRIDES) --templates templates --out generated $(API_XML)
	@touch $@

$(GENERATED): $(BUILD)/generated.stamp

.PHONY: generate validate
generate: $(BUILD)/generated.stamp

validate:
	xmllint --noout --nonet --relaxng $(API_SCHEMA) $(API_XML)
	@$(MAKE) --no-print-directory $(CVZGEN)
	xmllint --noout --nonet --relaxng api/cvz-overrides.rng $(API_OVERRIDES)
	$(CVZGEN) --check --schema $(API_SCHEMA) --overrides $(API_OVERRIDES) $(API_XML)

# ---- the header scanner: SDK headers -> API XML ------------------------------

include gen/scan/scan.mk

# make api SDK=/path/to/MacOSX27.0.sdk [SDK_VERSION=27.0]: rescan the headers (they stay outside the
# repository), then review `git diff api/` and `make api-diff` before committing.  cvzscan refuses
# (one line, nothing written) a folder without the umbrella header Virtualization.h and a scan that
# would remove more than half of the API's items: a partial copy, not a new SDK.
SDK_VERSION ?= $(shell echo '$(SDK)' | sed -n 's/.*MacOSX\([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p')
.PHONY: api api-diff check-api-diff
api: build/cvzscan $(CVZGEN)
	@test -n "$(SDK)" || { echo "usage: make api SDK=/path/to/MacOSX.sdk [SDK_VERSION=27.0]"; exit 2; }
	@test -n "$(SDK_VERSION)" || { echo "make api: cannot tell the SDK version from $(SDK); set SDK_VERSION"; exit 2; }
	@mkdir -p $(BUILD)
	cp $(API_XML) $(BUILD)/Virtualization.previous.xml
	build/cvzscan --sdk-version $(SDK_VERSION) --schema $(API_SCHEMA) --replacing $(API_XML) --out $(API_XML) \
	    $(SDK)/System/Library/Frameworks/Virtualization.framework/Headers
	$(CVZGEN) --diff $(BUILD)/Virtualization.previous.xml $(API_XML)

# make api-diff: what the API description (edited by hand, or rescanned) changes against git HEAD,
# grouped by macOS version (cvzgen --diff).  API_DIFF_FILE: another file to compare with HEAD's.
API_DIFF_FILE ?= $(API_XML)
api-diff: $(CVZGEN)
	@mkdir -p $(BUILD)
	@git show HEAD:$(API_XML) >$(BUILD)/Virtualization.HEAD.xml
	@$(CVZGEN) --diff --schema $(API_SCHEMA) $(BUILD)/Virtualization.HEAD.xml $(API_DIFF_FILE)

# make api refuses incomplete header folders without touching api/; api-diff reports a hand edit.
check-api-diff: build/cvzscan $(CVZGEN)
	sh tests/scan/api-make.sh

# ---- simulated framework ---------------------------------------------------

include sim/sim.mk
SIM_PATH := $(abspath $(BUILD)/sim/libVirtualization.so)

# ---- library ---------------------------------------------------------------

SOVERSION := 1
LIB_SO := $(BUILD)/libcvz.so.$(SOVERSION)
LIB_A := $(BUILD)/libcvz.a
LIB_C_SRCS := $(wildcard src/*.c) generated/cvz-api.c
LIB_OBJS := $(patsubst %.c,$(BUILD)/lib/%.o,$(LIB_C_SRCS)) $(BUILD)/lib/src/barrier.o
LIB_CPPFLAGS := -Iinclude -Igenerated/include -Isrc -DCVZ_DEFAULT_FRAMEWORK_PATH='"$(SIM_PATH)"'
# API_CUTOFF=13.0 builds a library whose wrappers for newer API exist but fail with CVZ_E_NOT_BUILT_IN.
ifdef API_CUTOFF
LIB_CPPFLAGS += -DCVZ_BUILD_API_MAX=$(shell echo $(API_CUTOFF) | awk -F. '{print $$1 * 100 + $$2}')
endif
# -fexceptions: Objective-C exceptions unwind through these C frames to the barrier.
LIB_CFLAGS := -std=gnu11 -fPIC -fexceptions -fvisibility=default $(CFLAGS) $(WARN)
OBJC_FLAGS := -fobjc-exceptions -fexceptions -fPIC $(CFLAGS) -Wall -Wextra
LIB_LIBS := -lgnustep-base -lobjc -lBlocksRuntime -ldl -lpthread

$(BUILD)/lib/%.o: %.c $(wildcard src/*.h) include/cvz/cvz.h generated/include/cvz/cvz-api.h
	@mkdir -p $(@D)
	$(CC) $(LIB_CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/lib/src/barrier.o: src/barrier.m src/barrier.h src/runtime.h
	@mkdir -p $(@D)
	gcc -x objective-c $(LIB_CPPFLAGS) $(OBJC_FLAGS) -c $< -o $@

$(LIB_SO): $(LIB_OBJS) generated/cvz.map src/core.map
	$(CC) -shared -Wl,-soname,libcvz.so.$(SOVERSION) -Wl,--version-script=generated/cvz.map \
	    -Wl,--version-script=src/core.map -Wl,--no-undefined $(LIB_OBJS) $(LIB_LIBS) -o $@
	ln -sf libcvz.so.$(SOVERSION) $(BUILD)/libcvz.so

# The macOS exported-symbols list (ld -exported_symbols_list): the wrappers' from the
# generator, the core's from src/core.map; Mach-O has no symbol versions.
$(BUILD)/cvz-macos.exports: generated/cvz.exports src/core.map
	{ cat generated/cvz.exports; sed -n 's/^ *\(cvz_[a-z0-9_]*\);$$/_\1/p' src/core.map; } >$@

$(LIB_A): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

.PHONY: lib all
lib: $(LIB_SO) $(LIB_A) $(BUILD)/cvz-macos.exports
all: generate lib sim examples $(BUILD)/cvz build/cvzscan

# ---- install ----------------------------------------------------------------

PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
VERSION := $(shell sed -n 's/^\#define CVZ_VERSION_MAJOR //p;s/^\#define CVZ_VERSION_MINOR //p;s/^\#define CVZ_VERSION_MICRO //p' include/cvz/cvz.h | paste -sd.)

.PHONY: install
install: lib sim
	install -d $(DESTDIR)$(INCLUDEDIR)/cvz $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(LIBDIR)/cvz/sim
	install -m 644 include/cvz/cvz.h generated/include/cvz/cvz-api.h $(DESTDIR)$(INCLUDEDIR)/cvz/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libcvz.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libcvz.so
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SIM_LIBS) $(DESTDIR)$(LIBDIR)/cvz/sim/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@PRIVATE_LIBS@|$(LIB_LIBS)|' cvz.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/cvz.pc

# ---- examples and demo -----------------------------------------------------

EXAMPLES := $(BUILD)/examples/linux-vm $(BUILD)/examples/availability-report
CONSUMER_CFLAGS := -std=c11 $(CFLAGS) $(WARN) -Iinclude -Igenerated/include
CONSUMER_LIBS := -L$(BUILD) -lcvz -Wl,-rpath,$(abspath $(BUILD))

$(BUILD)/examples/%: examples/%.c $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(CONSUMER_CFLAGS) $< $(CONSUMER_LIBS) -o $@

.PHONY: examples demo
examples: $(EXAMPLES)

# The availability report on complete simulated hosts (27.0 arm64 and x86_64, 12.0) and on a
# framework older than its host: skipped on purpose, not for this host, and missing told apart.
.PHONY: check-report
check-report: $(BUILD)/examples/availability-report sim
	sh tests/examples/availability-report.sh $(BUILD)/examples/availability-report $(SIM_PATH) \
	    $(abspath $(BUILD)/sim/libVirtualization-11.0.so)

demo: $(EXAMPLES) sim
	@echo "== running examples/linux-vm against the simulated framework (macOS 27.0, arm64) =="
	CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=27.0 CVZ_SIM_ARCH=arm64 $(BUILD)/examples/linux-vm

# ---- the cvz command-line tool ------------------------------------------------

include tool/tool.mk

# ---- benchmarks, fuzzing, sanitizers ---------------------------------------------

include bench/bench.mk
include fuzz/fuzz.mk
include tests/asan.mk
include tests/tsan.mk

# ---- tests -----------------------------------------------------------------

include tests/tests.mk

.PHONY: clean
clean:
	rm -rf $(BUILD)
