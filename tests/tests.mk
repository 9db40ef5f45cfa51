# tests/tests.mk - the test suites (included by the Makefile).
.PHONY: check
check: check-sim
