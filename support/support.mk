# SPDX-License-Identifier: Apache-2.0
# support/support.mk - libsupport.a, the helpers of the build-time tools (GNU make fragment).
#
#   $(SUPPORT_LIB)   $(BUILD)/support/libsupport.a: alloc.c (allocation that cannot fail),
#                    strbuf.c (growable strings), strv.c (string vectors), version.c (macOS
#                    versions), built with $(CC), $(CFLAGS) and $(AR) of the build it is part of
#
# Linked into cvzgen, cvzscan, cvz and their tests; never into libcvz.  Users compile with
# $(SUPPORT_CPPFLAGS).  Included by the Makefile and by gen/scan/scan.mk (once: the guard
# below); alone, BUILD is build.  Defines only SUPPORT_-prefixed variables.

ifndef SUPPORT_LIB

SUPPORT_BUILD := $(or $(BUILD),build)/support
SUPPORT_LIB := $(SUPPORT_BUILD)/libsupport.a
SUPPORT_SRCS := $(wildcard support/*.c)
SUPPORT_HDRS := $(wildcard support/*.h)
SUPPORT_OBJS := $(SUPPORT_SRCS:support/%.c=$(SUPPORT_BUILD)/%.o)
# -iquote: "version.h" and the others are found by #include "...", never in place of a system header.
SUPPORT_CPPFLAGS := -iquote support
SUPPORT_CFLAGS = -std=c11 -D_GNU_SOURCE $(or $(CFLAGS),-O2 -g) -Wall -Wextra -Wshadow -Wstrict-prototypes \
    -Wmissing-prototypes

$(SUPPORT_BUILD)/%.o: support/%.c $(SUPPORT_HDRS) support/support.mk
	@mkdir -p $(@D)
	$(CC) $(SUPPORT_CFLAGS) -c $< -o $@

$(SUPPORT_LIB): $(SUPPORT_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

endif
