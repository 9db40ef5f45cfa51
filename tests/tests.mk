# SPDX-License-Identifier: Apache-2.0
# tests/tests.mk - the test suites (included by the Makefile).
#
#   check-gen        generator: units, bad inputs, golden files, generated/ current, adding items is a local diff
#   check-docs       the HTML reference (make docs): well-formed, links resolve, prototypes and matrix right, all or none
#   check-compile    the public headers and generated code compile cleanly (C99 -pedantic, C11, C++17)
#   check-lib        libcvz against the simulated framework at several macOS versions and both architectures
#                    (test_lib; test_vm_runtime: vsock, balloon, save/restore, macOS installation;
#                    test_conversions: dictionaries, BOOL * out-parameters, protocol arrays, NSData;
#                    test_queue; test_vm_lifecycle: console both ways, every way a VM stops, fd leaks, 1000 cycles;
#                    test_observe: state observers;
#                    test_macos_version: the host's version under macOS's compatibility shims)
#   check-sim        the simulated framework on its own (sim/sim.mk)
#   check-valgrind   check-lib under valgrind: no leak, no invalid access
#   check-tsan       the library suites under ThreadSanitizer (tests/tsan.mk)
#   check-availability  every item's run-time answer against the XML, at every macOS level, both architectures
#   check-cutoff     a library built with an API cut-off: same symbols, newer items CVZ_E_NOT_BUILT_IN
#   check-guards     compile-time MIN/MAX guards fire where they must
#   check-abi        symbol versions per macOS level; abi-check against the baseline, and that it catches breaks
#   check-install    make install into a temporary prefix; consumers built with pkg-config alone
#   check-python     a ctypes consumer
#   check-go         the Go package: generated files current, go vet, go test (and -race), darwin builds (go/go.mk)
#   cross-macos      both Mac architectures built from Linux and checked (macos/cross.mk)
#   golden           refresh tests/gen/expected after an intended generator change

TEST_CFLAGS := -std=gnu11 -g -O0 $(WARN) -Wno-missing-prototypes

$(BUILD)/tests/test_gen: tests/gen/test_gen.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $< $(CMOCKA_LIBS) -o $@

$(BUILD)/tests/test_units: tests/gen/test_units.c $(filter-out $(BUILD)/gen/main.o,$(GEN_OBJS)) $(SUPPORT_LIB)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Igen $(SUPPORT_CPPFLAGS) $(XML_CFLAGS) $^ $(XML_LIBS) $(CMOCKA_LIBS) -o $@

.PHONY: check-gen golden
check-gen: $(BUILD)/tests/test_gen $(BUILD)/tests/test_units $(CVZGEN)
	$(BUILD)/tests/test_units
	$(BUILD)/tests/test_gen

golden: $(CVZGEN)
	rm -rf tests/gen/expected && mkdir -p tests/gen/expected/include/cvz tests/gen/expected/sim tests/gen/expected/tests
	$(CVZGEN) --overrides tests/gen/mini-overrides.xml --out tests/gen/expected tests/gen/mini.xml

# ---- the reference pages (make docs) ------------------------------------------

# The real API's pages (tests/docs/check-links.py, check-content.py), the mini API's (its skip
# reason's quotes escaped; test_units checks the contexts' keys against templates/docs/), and a
# broken template: cvzgen fails with its file:line and writes no page at all.
DOCS_CHECK := $(BUILD)/tests/docs
.PHONY: check-docs
check-docs: $(CVZGEN) $(GENERATED_HEADERS)
	rm -rf $(DOCS_CHECK) && mkdir -p $(DOCS_CHECK)/api $(DOCS_CHECK)/mini $(DOCS_CHECK)/broken $(DOCS_CHECK)/templates
	$(DOCS_GEN) --docs-out $(DOCS_CHECK)/api $(API_XML)
	python3 tests/docs/check-links.py $(DOCS_CHECK)/api
	python3 tests/docs/check-content.py $(DOCS_CHECK)/api generated/include/cvz
	$(CVZGEN) --overrides tests/gen/mini-overrides.xml --docs-out $(DOCS_CHECK)/mini tests/gen/mini.xml
	python3 tests/docs/check-links.py $(DOCS_CHECK)/mini
	grep -qF '(&quot;quoted&quot;, a \ backslash)</td>' $(DOCS_CHECK)/mini/index.html
	cp templates/docs/*.tmpl $(DOCS_CHECK)/templates/ && echo '{{no_such_key}}' >>$(DOCS_CHECK)/templates/style.tmpl
	! $(DOCS_GEN) --docs-templates $(DOCS_CHECK)/templates --docs-out $(DOCS_CHECK)/broken $(API_XML) \
	    2>$(DOCS_CHECK)/broken.log
	grep -q "templates/style.tmpl:[0-9]*: error: unknown tag 'no_such_key'" $(DOCS_CHECK)/broken.log
	test -z "$$(ls -A $(DOCS_CHECK)/broken)"
	@echo "the reference: well-formed, links resolve, content right; a broken template writes nothing"

# ---- compile checks ------------------------------------------------------

.PHONY: check-compile
check-compile: $(GENERATED)
	@mkdir -p $(BUILD)/tests
	printf '#include <cvz/cvz.h>\nint main(void) { return cvz_version() == 0; }\n' > $(BUILD)/tests/use_header.c
	$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -Igenerated/include -fsyntax-only $(BUILD)/tests/use_header.c
	$(CC) -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -Igenerated/include -fsyntax-only $(BUILD)/tests/use_header.c
	g++ -std=c++17 -pedantic -Wall -Wextra -Werror -Iinclude -Igenerated/include -fsyntax-only -x c++ $(BUILD)/tests/use_header.c
	$(CC) -std=c11 -pedantic -Wall -Wextra -Werror $(LIB_CPPFLAGS) -fsyntax-only generated/cvz-api.c
	$(CC) -std=gnu11 -Wall -Wextra -Werror -Iinclude -Itests/gen/expected/include -Isrc -fsyntax-only tests/gen/expected/cvz-api.c
	$(CC) -std=gnu11 -Wall -Wextra -Werror -Isim/skeleton -fsyntax-only generated/sim/skeleton-table.c tests/gen/expected/sim/skeleton-table.c

# ---- library against the simulated framework ------------------------------

# Library suites: each links the shared fixture (tests/lib/fixture.c).
LIB_SUITES := test_lib test_queue test_vm_runtime test_vm_lifecycle test_conversions test_observe \
    test_fast_path
$(LIB_SUITES:%=$(BUILD)/tests/%): $(BUILD)/tests/%: tests/lib/%.c tests/lib/fixture.c tests/lib/fixture.h $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Iinclude -Igenerated/include $(filter %.c,$^) $(CONSUMER_LIBS) $(CMOCKA_LIBS) -lpthread -o $@
# test_fast_path replaces methods and raises exceptions through the Objective-C runtime itself.
$(BUILD)/tests/test_fast_path: TEST_CFLAGS += -fexceptions
$(BUILD)/tests/test_fast_path: CMOCKA_LIBS += -lobjc

# The host's macOS version under every compatibility shim: a pure function of the sysctl strings.
$(BUILD)/tests/test_macos_version: tests/lib/test_macos_version.c src/macos_version.c src/macos_version.h
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Isrc $(filter %.c,$^) $(CMOCKA_LIBS) -o $@

# libcvz's internals on threads that have no autorelease pool, and BOOL encodings (linked from libcvz.a).
$(BUILD)/tests/test_objc_glue: tests/lib/test_objc_glue.c tests/lib/fixture.c tests/lib/fixture.h $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $(LIB_CPPFLAGS) $(filter %.c,$^) $(LIB_A) $(LIB_LIBS) $(CMOCKA_LIBS) -o $@

# The library suites run on SIM_HOSTS (sim/sim.mk), the slow ones on SIM_HOSTS_ENDS.
# In the loops below, $$version and $$arch are split from each host entry.
SPLIT_HOST = version=$$(echo $$host | cut -d/ -f1); arch=$$(echo $$host | cut -d/ -f2)
LIB_TEST_ENV = CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=$$version CVZ_SIM_ARCH=$$arch

# RUN_TEST: a command the library suites run through (tests/asan.mk's retry of a crashed LSan tracer).
RUN_TEST ?=

.PHONY: check-lib check-valgrind
check-lib: $(LIB_SUITES:%=$(BUILD)/tests/%) $(BUILD)/tests/test_macos_version $(BUILD)/tests/test_objc_glue sim
	@echo "== the true macOS version under each compatibility shim"
	$(BUILD)/tests/test_macos_version
	@echo "== autorelease pools on threads that have none, BOOL encodings"
	CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=27.0 CVZ_SIM_ARCH=arm64 $(BUILD)/tests/test_objc_glue
	@set -e; for host in $(SIM_HOSTS); do \
	    $(SPLIT_HOST); echo "== libcvz on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_lib; \
	    echo "== libcvz runtime devices on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_vm_runtime; \
	    echo "== libcvz conversions (dictionaries, BOOL *, protocol arrays, NSData) on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_conversions; \
	    echo "== libcvz state observers on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_observe; \
	    echo "== the wrappers' fast path keeps every guard, on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_fast_path; \
	done
	@set -e; for host in $(SIM_HOSTS_ENDS); do \
	    $(SPLIT_HOST); echo "== VM queues on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_queue; \
	    echo "== VM lifecycle (console, every way to stop, fds, 1000 cycles) on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(RUN_TEST) $(BUILD)/tests/test_vm_lifecycle; \
	done
	@echo "== libcvz with no framework at all"
	CVZ_FRAMEWORK_PATH=/nonexistent/Virtualization.so CVZ_TEST_EXPECT=no-framework $(BUILD)/tests/test_lib
	@echo "== libcvz with a framework older than the host (the 11.0 layer on a 12.0 host)"
	CVZ_FRAMEWORK_PATH=$(abspath $(BUILD)/sim/libVirtualization-11.0.so) CVZ_SIM_MACOS_VERSION=12.0 \
	    CVZ_TEST_EXPECT=old-framework $(BUILD)/tests/test_lib

VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --suppressions=sim/valgrind.supp

check-valgrind: $(LIB_SUITES:%=$(BUILD)/tests/%) $(BUILD)/tests/test_objc_glue sim
	@set -e; for host in $(SIM_HOSTS_ENDS); do \
	    $(SPLIT_HOST); echo "== libcvz under valgrind on simulated macOS $$version $$arch"; \
	    for suite in $(LIB_SUITES); do $(LIB_TEST_ENV) CVZ_TEST_SLOW=1 $(VALGRIND) $(BUILD)/tests/$$suite; done; \
	done
	CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=27.0 CVZ_SIM_ARCH=arm64 $(VALGRIND) $(BUILD)/tests/test_objc_glue

# ---- every wrapper called with bad input (generated from the XML) -----------

$(BUILD)/tests/bad-calls: generated/tests/bad-calls.c $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -g -O0 -Wall -Wextra -Wno-unused-function -Iinclude -Igenerated/include $< $(CONSUMER_LIBS) \
	    $(CMOCKA_LIBS) -o $@

.PHONY: check-bad-calls
check-bad-calls: $(BUILD)/tests/bad-calls sim
	@set -e; for host in $(SIM_HOSTS); do \
	    $(SPLIT_HOST); echo "== every wrapper with bad input on simulated macOS $$version $$arch"; \
	    CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=$$version CVZ_SIM_ARCH=$$arch \
	        $(BUILD)/tests/bad-calls >$(BUILD)/tests/bad-calls.log 2>&1 || { cat $(BUILD)/tests/bad-calls.log; exit 1; }; \
	    grep 'wrapper calls exercised' $(BUILD)/tests/bad-calls.log; \
	done

# ---- availability, every level, both architectures ---------------------------

$(BUILD)/tests/test_availability: tests/lib/test_availability.c $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Iinclude -Igenerated/include $(XML_CFLAGS) $< $(CONSUMER_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) -o $@

# Every level the API names, the one before the framework existed, and both architectures.
API_LEVELS = 10.15 $(shell awk '/define CVZ_MACOS_[0-9_]* [0-9]/ {printf "%d.%d ", int($$3 / 100), $$3 % 100}' generated/include/cvz/cvz-api.h)

.PHONY: check-availability
check-availability: $(BUILD)/tests/test_availability sim
	@set -e; for version in $(API_LEVELS); do for arch in arm64 x86_64; do \
	    CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=$$version CVZ_SIM_ARCH=$$arch \
	        $(BUILD)/tests/test_availability >$(BUILD)/tests/availability.log 2>&1 \
	        || { cat $(BUILD)/tests/availability.log; exit 1; }; \
	    grep '^checked' $(BUILD)/tests/availability.log; \
	done; done

# ---- a library built with an API cut-off ------------------------------------

CUTOFF_BUILD := $(BUILD)/cutoff
.PHONY: check-cutoff
check-cutoff: $(BUILD)/tests/test_availability sim
	$(MAKE) --no-print-directory BUILD=$(CUTOFF_BUILD) API_CUTOFF=11.0 $(CUTOFF_BUILD)/libcvz.so.1
	@readelf --dyn-syms --wide $(LIB_SO) | awk '$$7 != "UND" && $$5 == "GLOBAL" {print $$8}' | sort >$(BUILD)/tests/symbols.full
	@readelf --dyn-syms --wide $(CUTOFF_BUILD)/libcvz.so.1 | awk '$$7 != "UND" && $$5 == "GLOBAL" {print $$8}' | sort >$(BUILD)/tests/symbols.cutoff
	cmp $(BUILD)/tests/symbols.full $(BUILD)/tests/symbols.cutoff
	CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=27.0 CVZ_TEST_CUTOFF=1100 \
	    LD_LIBRARY_PATH=$(CUTOFF_BUILD) $(BUILD)/tests/test_availability

# ---- compile-time guards, ABI, install, other languages ----------------------

.PHONY: check-guards check-abi abi-check abi-baseline check-install check-python
check-guards: $(GENERATED)
	sh tests/compile/check-guards.sh $(CC) g++

ABI_HEADERS := $(PUBLIC_HEADERS)
abi-check: $(LIB_SO)
	sh tests/abi/abi-check.sh abi/cvz.abi $(LIB_SO) $(ABI_HEADERS)

abi-baseline: $(LIB_SO)
	sh tests/abi/abi-dump.sh $(LIB_SO) $(ABI_HEADERS) >abi/cvz.abi

check-abi: abi-check $(BUILD)/cvz-macos.exports
	sh tests/abi/check-symbol-versions.sh $(LIB_SO) generated/cvz.map src/core.map $(ABI_HEADERS)
	@# The macOS exported-symbols list names exactly what the ELF library exports.
	@sed 's/^_//' $(BUILD)/cvz-macos.exports | sort >$(BUILD)/tests/exports.macos
	@readelf --dyn-syms --wide $(LIB_SO) | awk '$$4 == "FUNC" && $$5 == "GLOBAL" && $$7 != "UND" {sub(/@.*/, "", $$8); print $$8}' | sort >$(BUILD)/tests/exports.elf
	cmp $(BUILD)/tests/exports.macos $(BUILD)/tests/exports.elf
	@# The check must catch a removed symbol and a changed value.
	@{ cat abi/cvz.abi; echo "function cvz_gone@@CVZ_11.0"; } | sort >$(BUILD)/tests/abi.removed
	@! sh tests/abi/abi-check.sh $(BUILD)/tests/abi.removed $(LIB_SO) $(ABI_HEADERS) >/dev/null
	@sed 's/^constant CVZ_E_TIMEOUT = .*/constant CVZ_E_TIMEOUT = -99/' abi/cvz.abi >$(BUILD)/tests/abi.changed
	@! sh tests/abi/abi-check.sh $(BUILD)/tests/abi.changed $(LIB_SO) $(ABI_HEADERS) >/dev/null
	@echo "abi-check rejects a removed symbol and a changed constant"

check-install: lib sim
	sh tests/install/check-install.sh "$(MAKE) --no-print-directory"

check-python: $(LIB_SO) sim
	CVZ_LIB=$(LIB_SO) CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=11.0 python3 tests/python/test_ctypes.py

# On macOS, macos/darwin.mk defines check: the simulator suites are Linux-only.
ifneq ($(UNAME_S),Darwin)
# check-suites is every suite; check adds that bench/RESULTS.md is current (tests/load/run.sh
# runs the suites alone, again and again, on a loaded machine).
.PHONY: check check-suites
check-suites: check-gen check-docs check-scan check-compile check-guards check-sim check-lib check-bad-calls check-availability \
       check-cutoff check-report check-api-diff check-abi check-install check-python check-tool check-valgrind \
       check-asan check-tsan check-fuzz-regressions cross-macos check-fuzz-smoke check-go
check: check-suites check-bench-results
	@echo "All test suites passed."
endif
