# SPDX-License-Identifier: Apache-2.0
# gen/scan/scan.mk - cvzscan, the header scanner (GNU make fragment).
#
# Included by the top-level Makefile (paths are relative to the repository
# root), or used alone:  make -f gen/scan/scan.mk check-scan
#
#   build/cvzscan   Objective-C framework headers -> API XML (api/cvz-api.rng)
#   check-scan      builds cvzscan and its cmocka suite (tests/scan/) and runs it:
#                   one header folder per construct compared with its golden XML
#                   and validated with xmllint, plus every kind of bad header
#                   (file:line: error:, nothing written)
#   scan-golden     rewrites tests/scan/expected/ from tests/scan/cases/ after an
#                   intended change of the scanner's output (review the diff)
#
# Everything else it defines is prefixed SCAN_ or lives under build/scan/.
# Links build/support/libsupport.a (support/support.mk, included here).
# Needs: a C11 compiler, pkg-config, libxml2 (libxml2-dev), cmocka (libcmocka-dev)
# and xmllint (libxml2-utils) for the tests.

.DELETE_ON_ERROR:

# Do not take over the including Makefile's default goal.
SCAN_SAVED_DEFAULT_GOAL := $(.DEFAULT_GOAL)
# Alone (make -f gen/scan/scan.mk), this is the only makefile read so far.
SCAN_ALONE := $(filter 1,$(words $(MAKEFILE_LIST)))

SCAN_CC ?= $(if $(filter default,$(origin CC)),gcc,$(CC))
SCAN_PKG_CONFIG ?= pkg-config
SCAN_BUILD := build/scan
SCAN_CFLAGS ?= -O2 -g
SCAN_WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# Asked for when a recipe first uses them, never while make reads this file (`make deps`
# installs pkg-config and libxml2 in the same run).
SCAN_PKG_FLAGS = $(eval $1 := $(or $(shell $(SCAN_PKG_CONFIG) $2 2>/dev/null),\
    $(error $(SCAN_PKG_CONFIG) $2 failed: is $3 installed? run `make deps`)))$($1)
SCAN_XML_CFLAGS = $(call SCAN_PKG_FLAGS,SCAN_XML_CFLAGS,--cflags libxml-2.0,libxml2-dev)
SCAN_XML_LIBS = $(call SCAN_PKG_FLAGS,SCAN_XML_LIBS,--libs libxml-2.0,libxml2-dev)
SCAN_CMOCKA_LIBS = $(call SCAN_PKG_FLAGS,SCAN_CMOCKA_LIBS,--libs cmocka,libcmocka-dev)
SCAN_SRCS := $(wildcard gen/scan/*.c)
# Allocation, strbuf and versions come from libsupport (support/support.mk).
include support/support.mk
SCAN_HDRS := $(wildcard gen/scan/*.h) gen/util.h gen/output.h $(SUPPORT_HDRS)
# gen/util.c (diagnostics) and gen/output.c (all-or-nothing writes) are shared with cvzgen,
# built here on their own.
SCAN_OBJS := $(SCAN_SRCS:gen/scan/%.c=$(SCAN_BUILD)/%.o) $(SCAN_BUILD)/util.o $(SCAN_BUILD)/output.o
SCAN_SDK_VERSION := 27.0

build/cvzscan: $(SCAN_OBJS) $(SUPPORT_LIB)
	$(SCAN_CC) $(SCAN_CFLAGS) $(SCAN_OBJS) $(SUPPORT_LIB) $(SCAN_XML_LIBS) -o $@

$(SCAN_BUILD)/%.o: gen/scan/%.c $(SCAN_HDRS) gen/scan/scan.mk
	@mkdir -p $(@D)
	$(SCAN_CC) -std=c11 -D_GNU_SOURCE $(SCAN_CFLAGS) $(SCAN_WARN) $(SUPPORT_CPPFLAGS) $(SCAN_XML_CFLAGS) -c $< -o $@

$(SCAN_BUILD)/util.o $(SCAN_BUILD)/output.o: $(SCAN_BUILD)/%.o: gen/%.c gen/%.h gen/util.h $(SUPPORT_HDRS) \
    gen/scan/scan.mk
	@mkdir -p $(@D)
	$(SCAN_CC) -std=c11 -D_GNU_SOURCE $(SCAN_CFLAGS) $(SCAN_WARN) $(SUPPORT_CPPFLAGS) -c $< -o $@

$(SCAN_BUILD)/test_scan: tests/scan/test_scan.c gen/scan/scan.mk
	@mkdir -p $(@D)
	$(SCAN_CC) -std=gnu11 -g -O0 $(SCAN_WARN) -Wno-missing-prototypes $< $(SCAN_CMOCKA_LIBS) -o $@

.PHONY: check-scan scan-golden
check-scan: build/cvzscan $(SCAN_BUILD)/test_scan
	$(SCAN_BUILD)/test_scan

scan-golden: build/cvzscan
	@set -e; for dir in tests/scan/cases/*/; do \
	    name=$$(basename $$dir); \
	    build/cvzscan --sdk-version $(SCAN_SDK_VERSION) --out tests/scan/expected/$$name.xml $$dir 2>/dev/null; \
	    echo "tests/scan/expected/$$name.xml"; \
	done

# Alone (make -f gen/scan/scan.mk), the default goal is build/cvzscan.
ifeq ($(SCAN_ALONE),1)
.DEFAULT_GOAL := build/cvzscan
else
.DEFAULT_GOAL := $(SCAN_SAVED_DEFAULT_GOAL)
endif
