# SPDX-License-Identifier: Apache-2.0
# macos/darwin.mk - building on macOS (included by the Makefile when uname -s is Darwin).
#
#   make            libcvz.1.dylib, libcvz.a, cvz and the examples, signed with macos/cvz.entitlements
#   make demo       the availability report; with KERNEL= INITRD= [DISK=] also boots that Linux guest
#   make install    the dylib, libcvz.a, the headers, a cvz.pc for macOS, and cvz
#   make check      what needs no simulator (the simulator suites are Linux-only)
#
# Needs only the Xcode command line tools: generated/ is committed, libxml2 comes
# with the SDK (for `make generate`), and the tests need cmocka (brew install cmocka).
# `make cross-macos` on Linux runs these same rules for the library, cvz and the
# examples with CC=macos/cross-cc and SIGN=macos/codesign.py (macos/cross.mk) on
# every CI run; install, demo and check run only on a Mac.

CODESIGN_IDENTITY ?= -
ENTITLEMENTS := macos/cvz.entitlements
# The command that signs cvz and the examples: vfkit's (codesign --entitlements F -s -).
SIGN ?= codesign --force --entitlements $(ENTITLEMENTS) -s $(CODESIGN_IDENTITY)
# Compilers and linkers take the oldest macOS to run on from the environment.
export MACOSX_DEPLOYMENT_TARGET := $(MACOS_MIN)

LIB_SO := $(BUILD)/libcvz.$(SOVERSION).dylib
# Hidden by default: only what the public headers mark CVZ_EXTERN is exported.
LIB_CFLAGS := -std=gnu11 -fexceptions -fvisibility=hidden $(CFLAGS) $(WARN)
OBJC_FLAGS := -fobjc-exceptions -fexceptions -fvisibility=hidden $(CFLAGS) -Wall -Wextra
# Virtualization.framework is not linked: src/host.c loads it at run time.
LIB_LIBS := -lobjc -framework Foundation
# A client built against 0.N needs 0.N's symbols: the compatibility version is the
# minor release, the current version the full one.
MACOS_DYLIB_VERSIONS = -compatibility_version $(basename $(VERSION)).0 -current_version $(VERSION)

$(BUILD)/lib/src/barrier.o: src/barrier.m src/barrier.h src/runtime.h
	@mkdir -p $(@D)
	$(CC) -x objective-c $(LIB_CPPFLAGS) $(OBJC_FLAGS) -c $< -o $@

$(LIB_SO): $(LIB_OBJS)
	$(CC) -dynamiclib -install_name @rpath/libcvz.$(SOVERSION).dylib $(MACOS_DYLIB_VERSIONS) \
	    $(LIB_OBJS) $(LIB_LIBS) -o $@
	ln -sf libcvz.$(SOVERSION).dylib $(BUILD)/libcvz.dylib

# Compiled, then linked: macos/cross-cc hands the two steps to different tools.
$(BUILD)/examples/%.o: examples/%.c $(PUBLIC_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CONSUMER_CFLAGS) -c $< -o $@

$(BUILD)/examples/%: $(BUILD)/examples/%.o $(LIB_SO)
	$(CC) $< $(CONSUMER_LIBS) -o $@
	$(SIGN) $@

.PHONY: lib all examples demo install
lib: $(LIB_SO) $(LIB_A) $(BUILD)/cvz-macos.exports
examples: $(EXAMPLES)
all: lib examples $(BUILD)/cvz

# ---- demo: the real framework --------------------------------------------------

demo: $(EXAMPLES)
	@echo "== what this Mac's Virtualization.framework offers"
	$(BUILD)/examples/availability-report
	@if [ -z "$(KERNEL)" ]; then \
	    echo "== to boot a Linux guest: make demo KERNEL=/path/to/vmlinuz INITRD=/path/to/initrd [DISK=/path/to/disk.img]"; \
	else \
	    test -n "$(INITRD)" || { echo "make demo: KERNEL= needs INITRD= too"; exit 2; }; \
	    disk="$(DISK)"; \
	    if [ -z "$$disk" ]; then disk=$(BUILD)/demo-disk.img; \
	        dd if=/dev/zero of=$$disk bs=1048576 count=0 seek=64 2>/dev/null; fi; \
	    echo "== booting $(KERNEL) with $(INITRD) and $$disk"; \
	    $(BUILD)/examples/linux-vm "$(KERNEL)" "$(INITRD)" "$$disk"; \
	fi

# ---- install --------------------------------------------------------------------

BINDIR ?= $(PREFIX)/bin
install: lib $(BUILD)/cvz
	install -d $(DESTDIR)$(INCLUDEDIR)/cvz $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(BINDIR)
	install -m 644 $(PUBLIC_HEADERS) $(DESTDIR)$(INCLUDEDIR)/cvz/
	install -m 755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf libcvz.$(SOVERSION).dylib $(DESTDIR)$(LIBDIR)/libcvz.dylib
	install -m 644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(BUILD)/cvz $(DESTDIR)$(BINDIR)/
	@# The install name is @rpath/libcvz.1.dylib: consumers get the rpath from pkg-config.
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' -e 's|@PRIVATE_LIBS@|$(LIB_LIBS)|' \
	    -e 's|^Libs: -L$${libdir}|& -Wl,-rpath,$${libdir}|' cvz.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/cvz.pc

# ---- check: everything that needs no simulator -----------------------------------------

.PHONY: check check-macos check-macos-smoke
# The products as make cross-macos checks them, with Apple's codesign verifying the signatures.
check-macos: all
	python3 macos/check-macho.py --arch $(shell uname -m) --exports $(BUILD)/cvz-macos.exports \
	    --version $(VERSION) --min $(MACOS_MIN) --codesign $(BUILD)

$(BUILD)/tests/test_macos_smoke.o: tests/macos/test_smoke.c $(PUBLIC_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Iinclude -Igenerated/include -c $< -o $@

$(BUILD)/tests/test_macos_smoke: $(BUILD)/tests/test_macos_smoke.o $(LIB_SO)
	$(CC) $< $(CONSUMER_LIBS) $(CMOCKA_LIBS) -o $@
	$(SIGN) $@

# Twice: the second time under the compatibility shim that makes macOS answer 10.16.
check-macos-smoke: $(BUILD)/tests/test_macos_smoke $(BUILD)/cvz
	CVZ_TOOL=$(abspath $(BUILD)/cvz) $(BUILD)/tests/test_macos_smoke
	SYSTEM_VERSION_COMPAT=1 CVZ_TOOL=$(abspath $(BUILD)/cvz) $(BUILD)/tests/test_macos_smoke

check: check-gen check-compile check-guards check-macos check-macos-smoke $(BUILD)/tests/test_macos_version
	@echo "== the macOS version under each compatibility shim, from the strings they answer"
	$(BUILD)/tests/test_macos_version
	@echo "All macOS checks passed.  The simulator suites (check-lib, check-sim, check-tool, check-valgrind,"
	@echo "check-asan, check-tsan, ...) run against a simulated framework built on GNUstep: they are Linux-only."
