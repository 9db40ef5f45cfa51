# tests/tests.mk - the test suites (included by the Makefile).
#
#   check-gen        generator: units, bad inputs, golden files, generated/ current
#   check-compile    the public headers and generated code compile cleanly (C99 -pedantic, C11, C++17)
#   check-lib        libcvz against the simulated framework at several macOS versions and both architectures
#   check-sim        the simulated framework on its own (sim/sim.mk)
#   check-valgrind   check-lib under valgrind: no leak, no invalid access
#   golden           refresh tests/gen/expected after an intended generator change

TEST_CFLAGS := -std=gnu11 -g -O0 $(WARN) -Wno-missing-prototypes

$(BUILD)/tests/test_gen: tests/gen/test_gen.c
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) $< $(CMOCKA_LIBS) -o $@

$(BUILD)/tests/test_units: tests/gen/test_units.c $(filter-out $(BUILD)/gen/main.o,$(GEN_OBJS))
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Igen $(XML_CFLAGS) $^ $(XML_LIBS) $(CMOCKA_LIBS) -o $@

.PHONY: check-gen golden
check-gen: $(BUILD)/tests/test_gen $(BUILD)/tests/test_units $(CVZGEN)
	$(BUILD)/tests/test_units
	$(BUILD)/tests/test_gen

golden: $(CVZGEN)
	rm -rf tests/gen/expected && mkdir -p tests/gen/expected/include/cvz
	$(CVZGEN) --out tests/gen/expected tests/gen/mini.xml

# ---- compile checks ------------------------------------------------------

.PHONY: check-compile
check-compile: $(GENERATED)
	@mkdir -p $(BUILD)/tests
	printf '#include <cvz/cvz.h>\nint main(void) { return cvz_version() == 0; }\n' > $(BUILD)/tests/use_header.c
	$(CC) -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -Igenerated/include -fsyntax-only $(BUILD)/tests/use_header.c
	$(CC) -std=c11 -pedantic -Wall -Wextra -Werror -Iinclude -Igenerated/include -fsyntax-only $(BUILD)/tests/use_header.c
	g++ -std=c++17 -pedantic -Wall -Wextra -Werror -Iinclude -Igenerated/include -fsyntax-only -x c++ $(BUILD)/tests/use_header.c
	$(CC) -std=gnu11 -Wall -Wextra -Werror $(LIB_CPPFLAGS) -fsyntax-only generated/cvz-api.c
	$(CC) -std=gnu11 -Wall -Wextra -Werror -Iinclude -Itests/gen/expected/include -Isrc -fsyntax-only tests/gen/expected/cvz-api.c

# ---- library against the simulated framework ------------------------------

$(BUILD)/tests/test_lib: tests/lib/test_lib.c $(LIB_SO)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -Iinclude -Igenerated/include $< $(CONSUMER_LIBS) $(CMOCKA_LIBS) -lpthread -o $@

# Simulated hosts: macOS version/architecture pairs the library suite runs on.
LIB_TEST_HOSTS := 10.15/arm64 11.0/arm64 11.0/x86_64 12.0/x86_64 14.0/arm64 27.0/arm64 27.0/x86_64
# In the loops below, $$version and $$arch are split from each host entry.
SPLIT_HOST = version=$$(echo $$host | cut -d/ -f1); arch=$$(echo $$host | cut -d/ -f2)
LIB_TEST_ENV = CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=$$version CVZ_SIM_ARCH=$$arch

.PHONY: check-lib check-valgrind
check-lib: $(BUILD)/tests/test_lib sim
	@set -e; for host in $(LIB_TEST_HOSTS); do \
	    $(SPLIT_HOST); echo "== libcvz on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) $(BUILD)/tests/test_lib; \
	done
	@echo "== libcvz with no framework at all"
	CVZ_FRAMEWORK_PATH=/nonexistent/Virtualization.so CVZ_TEST_EXPECT=no-framework $(BUILD)/tests/test_lib
	@echo "== libcvz with a framework older than the host (the 11.0 layer on a 12.0 host)"
	CVZ_FRAMEWORK_PATH=$(abspath $(BUILD)/sim/libVirtualization-11.0.so) CVZ_SIM_MACOS_VERSION=12.0 \
	    CVZ_TEST_EXPECT=old-framework $(BUILD)/tests/test_lib

VALGRIND := valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --suppressions=sim/valgrind.supp

check-valgrind: $(BUILD)/tests/test_lib sim
	@set -e; for host in 11.0/arm64 27.0/arm64; do \
	    $(SPLIT_HOST); echo "== libcvz under valgrind on simulated macOS $$version $$arch"; \
	    $(LIB_TEST_ENV) CVZ_TEST_SLOW=1 $(VALGRIND) $(BUILD)/tests/test_lib; \
	done

.PHONY: check
check: check-gen check-compile check-sim check-lib check-valgrind
	@echo "All test suites passed."
