# SPDX-License-Identifier: Apache-2.0
# go/go.mk - the Go package go/cvz (included by the Makefile on Linux).
#
#   go-generate     go/cvz/*_gen.go from api/ through templates/go (cvzgen --go-out); committed
#   check-go        the generated files current and gofmt-clean, go vet, go test on the simulator
#                   (and again under -race), the package and the example cross-built for
#                   darwin/arm64 and darwin/amd64 against the cross-built libcvz (cross-macos-*)
#   go-demo         examples/go (vfkit's Linux setup) on the simulated framework
#   go-bench        the Go call of a scalar getter against C's and cgo's floor (go/README.md)
#
# Self-contained: the Go caches live under $(BUILD); no module proxy (the module has no
# dependency); libcvz's headers and library come through CGO_CFLAGS and CGO_LDFLAGS.

GO ?= go
GO_GENERATED := $(addprefix go/cvz/,classes_gen.go enums_gen.go callbacks_gen.go not_wrapped_gen_test.go)
GO_TEMPLATES := $(wildcard templates/go/*.tmpl)
GO_CVZGEN_ARGS = --schema $(API_SCHEMA) --overrides $(API_OVERRIDES) --go-templates templates/go
GO_ENV = GOCACHE=$(abspath $(BUILD)/go/cache) GOPATH=$(abspath $(BUILD)/go/path) GOFLAGS=-mod=mod GOPROXY=off \
    GO111MODULE=on GOTOOLCHAIN=local CGO_ENABLED=1
GO_LINUX_ENV = $(GO_ENV) CGO_CFLAGS="-I$(abspath include) -I$(abspath generated/include)" \
    CGO_LDFLAGS="-L$(abspath $(BUILD)) -Wl,-rpath,$(abspath $(BUILD))"
GO_SIM_ENV = CVZ_FRAMEWORK_PATH=$(SIM_PATH) CVZ_SIM_MACOS_VERSION=27.0 CVZ_SIM_ARCH=arm64
GO_TEST = cd go && $(GO_LINUX_ENV) $(GO_SIM_ENV) $(GO) test -count=1 -timeout 300s

$(BUILD)/go-generated.stamp: $(CVZGEN) $(API_XML) $(API_SCHEMA) $(API_OVERRIDES) api/cvz-overrides.rng $(GO_TEMPLATES)
	$(CVZGEN) $(GO_CVZGEN_ARGS) --go-out go/cvz $(API_XML)
	@touch $@

.PHONY: go-generate check-go check-go-gen check-go-darwin go-demo go-bench
go-generate: $(BUILD)/go-generated.stamp

# What cvzgen writes now is what is committed, file for file, and gofmt has nothing to say.
check-go-gen: $(CVZGEN)
	@rm -rf $(BUILD)/go/gen-check && mkdir -p $(BUILD)/go/gen-check
	$(CVZGEN) $(GO_CVZGEN_ARGS) --go-out $(BUILD)/go/gen-check $(API_XML)
	@cd $(BUILD)/go/gen-check && ls | sort >../gen-check.list
	@ls go/cvz | grep '_gen' | sort | cmp -s - $(BUILD)/go/gen-check.list || \
	    { echo "go/cvz: its *_gen files are not the ones cvzgen writes: run make go-generate"; exit 1; }
	@for f in $(notdir $(GO_GENERATED)); do cmp -s go/cvz/$$f $(BUILD)/go/gen-check/$$f || \
	    { diff -u go/cvz/$$f $(BUILD)/go/gen-check/$$f | head -40; \
	      echo "go/cvz/$$f is stale: run make go-generate and commit the result"; exit 1; }; done
	@test -z "$$(gofmt -l go examples/go)" || { gofmt -l go examples/go; echo "not gofmt-clean"; exit 1; }
	@echo "go/cvz: the generated files are current and gofmt-clean"

check-go: check-go-gen $(LIB_SO) sim check-go-darwin
	cd go && $(GO_LINUX_ENV) $(GO) vet ./...
	cd examples/go && $(GO_LINUX_ENV) $(GO) vet ./...
	@mkdir -p $(BUILD)/go
	$(GO_TEST) -v ./... >$(abspath $(BUILD))/go/test.log 2>&1 || { cat $(abspath $(BUILD))/go/test.log; exit 1; }
	@grep -E '^(--- |ok|FAIL)|coverage_test|memory_test' $(BUILD)/go/test.log
	@echo "== go test -race (completion handlers, observers and calls from several goroutines)"
	$(GO_TEST) -race ./...

# The Mac build: the package and the example for both architectures, against the cross-built
# libcvz (macos/cross.mk).  The Go runtime links CoreFoundation and (on amd64) -lpthread, which
# the cross build's stub SDK lacks: a copy of that SDK gains an empty stub of the first and, as
# Apple's SDK has, libpthread.tbd as a link to libSystem.tbd.  No DWARF (-w): Go would run the
# host's strip on the Mach-O.
GO_DARWIN_SDK := $(BUILD)/go/sdk
$(GO_DARWIN_SDK)/.stamp: $(CROSS_SDK)/usr/lib/libSystem.tbd
	rm -rf $(GO_DARWIN_SDK) && cp -r $(CROSS_SDK) $(GO_DARWIN_SDK)
	mkdir -p $(GO_DARWIN_SDK)/System/Library/Frameworks/CoreFoundation.framework
	printf -- "--- !tapi-tbd\ntbd-version: 4\ntargets: [ x86_64-macos, arm64-macos ]\ninstall-name: '%s'\n...\n" \
	    /System/Library/Frameworks/CoreFoundation.framework/Versions/A/CoreFoundation \
	    >$(GO_DARWIN_SDK)/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation.tbd
	ln -s libSystem.tbd $(GO_DARWIN_SDK)/usr/lib/libpthread.tbd
	@touch $@

GO_DARWIN_ENV = $(GO_ENV) ZIG=$(ZIG) CVZ_MACOS_SDK=$(abspath $(GO_DARWIN_SDK)) MACOS_MIN=$(MACOS_MIN) GOOS=darwin \
    CGO_CFLAGS="-I$(abspath include) -I$(abspath generated/include)"
check-go-darwin: $(CROSS_ARCHES:%=cross-macos-%) $(GO_DARWIN_SDK)/.stamp
	@set -e; for arch in $(CROSS_ARCHES); do \
	    goarch=$$(echo $$arch | sed 's/x86_64/amd64/'); out=$(abspath $(BUILD))/go/darwin-$$goarch; \
	    echo "== go/cvz and examples/go for darwin/$$goarch"; \
	    (cd go && $(GO_DARWIN_ENV) GOARCH=$$goarch CC="$(abspath macos/cross-cc) $$arch" \
	        CGO_LDFLAGS="-L$(abspath $(CROSS_DIR))/$$arch" $(GO) vet ./...); \
	    (cd examples/go && $(GO_DARWIN_ENV) GOARCH=$$goarch CC="$(abspath macos/cross-cc) $$arch" \
	        CGO_LDFLAGS="-L$(abspath $(CROSS_DIR))/$$arch -Wl,-rpath,@executable_path" \
	        $(GO) build -ldflags=-w -o $$out/linux-vm .); \
	    $(CROSS_SIGN) $$out/linux-vm; \
	    file $$out/linux-vm | grep -q "Mach-O 64-bit $$arch executable" \
	        || { file $$out/linux-vm; echo "not a Mach-O for $$arch"; exit 1; }; \
	    llvm-objdump-14 --macho --dylibs-used $$out/linux-vm | grep -q '@rpath/libcvz.1.dylib' \
	        || { echo "$$out/linux-vm does not link libcvz"; exit 1; }; \
	done

$(BUILD)/go/linux-vm: $(wildcard examples/go/*.go examples/go/go.mod go/cvz/*.go) $(LIB_SO)
	cd examples/go && $(GO_LINUX_ENV) $(GO) build -o $(abspath $@) .

# The guest reads the two lines typed below from its console, then powers off.
go-demo: $(BUILD)/go/linux-vm sim
	@echo "== running examples/go against the simulated framework (macOS 27.0, arm64) =="
	printf 'hello from the host\npoweroff\n' | $(GO_SIM_ENV) $(BUILD)/go/linux-vm

go-bench: $(LIB_SO) sim
	$(GO_TEST) -run '^$$' -bench . -benchtime 2000000x -count 5 ./cvz
