# SPDX-License-Identifier: Apache-2.0
# macos/cross.mk - the Mac build, made and checked from Linux (included by the Makefile on Linux).
#
#   make cross-macos   build/macos/arm64/ and build/macos/x86_64/: libcvz.1.dylib, libcvz.a, cvz
#                      and the examples, built by the Darwin rules (macos/darwin.mk) with zig 0.11
#                      and ld64.lld, with -Werror, signed by macos/codesign.py, then checked by
#                      macos/check-macho.py
#   check-macos-tools  the signer and the checker reject what they must (tests/macos/test_tools.py)
#
# zig comes from `make deps` (macos/install-zig.sh, ZIG_DIR); the libraries are linked against
# zig's libSystem stub and the project's own stubs of libobjc and Foundation (macos/stubs/).

ZIG_DIR ?= /opt/cvz-zig-0.11.0
ZIG := $(ZIG_DIR)/zig
CROSS_DIR := $(BUILD)/macos
CROSS_SDK := $(CROSS_DIR)/sdk
CROSS_ARCHES := arm64 x86_64
# What macos/cross-cc needs to know.
CROSS_ENV = ZIG=$(ZIG) CVZ_MACOS_SDK=$(abspath $(CROSS_SDK)) MACOS_MIN=$(MACOS_MIN)
CROSS_SIGN := python3 $(abspath macos/codesign.py) sign --entitlements $(abspath macos/cvz.entitlements)

# A stub SDK: what the Mac linker finds in Xcode's, as text stubs (zig ships libSystem's
# for macOS 11, 12 and 13: the oldest, as the build targets macOS 11).
CROSS_STUBS := macos/stubs/libobjc.tbd macos/stubs/Foundation.framework/Foundation.tbd
$(CROSS_SDK)/usr/lib/libSystem.tbd: $(CROSS_STUBS)
	@test -x $(ZIG) || { echo "cross-macos: no zig in $(ZIG_DIR): run make deps (or set ZIG_DIR)"; exit 1; }
	@mkdir -p $(CROSS_SDK)/usr/lib $(CROSS_SDK)/System/Library/Frameworks/Foundation.framework
	cp macos/stubs/libobjc.tbd $(CROSS_SDK)/usr/lib/
	cp macos/stubs/Foundation.framework/Foundation.tbd $(CROSS_SDK)/System/Library/Frameworks/Foundation.framework/
	cp $(ZIG_DIR)/lib/libc/darwin/libSystem.11.tbd $@

# One Darwin build per architecture; with make -j2 both run at once.
.PHONY: cross-macos $(CROSS_ARCHES:%=cross-macos-%) check-macos-tools
$(CROSS_ARCHES:%=cross-macos-%): cross-macos-%: $(BUILD)/generated.stamp $(CROSS_SDK)/usr/lib/libSystem.tbd
	@echo "== macOS $*: the Darwin build (macos/darwin.mk) with zig cc and ld64.lld"
	+@$(CROSS_ENV) $(MAKE) --no-print-directory UNAME_S=Darwin BUILD=$(CROSS_DIR)/$* CC="$(abspath macos/cross-cc) $*" \
	    AR="$(ZIG) ar" SIGN="$(CROSS_SIGN)" CFLAGS="-O2 -g -Werror" all

cross-macos: $(CROSS_ARCHES:%=cross-macos-%) $(BUILD)/cvz-macos.exports check-macos-tools
	@set -e; for arch in $(CROSS_ARCHES); do \
	    python3 macos/check-macho.py --arch $$arch --exports $(BUILD)/cvz-macos.exports --version $(VERSION) \
	        --min $(MACOS_MIN) --sdk $(CROSS_SDK) $(CROSS_DIR)/$$arch; \
	done

check-macos-tools: $(CROSS_ARCHES:%=cross-macos-%) $(BUILD)/cvz-macos.exports
	$(CROSS_ENV) python3 tests/macos/test_tools.py $(CROSS_DIR) $(BUILD)/cvz-macos.exports $(VERSION) $(MACOS_MIN)

