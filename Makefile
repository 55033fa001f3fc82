# terraform-provider-rocketmq: build, package into a local filesystem mirror, quick start, tests.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

VERSION        := 0.1.0
NAMESPACE      := tfrocketmq
# the RocketMQ version the quick start runs; rocketmq-runtime builds an archive for each of ROCKETMQ_VERSIONS
ROCKETMQ       := 5.3.3
ROCKETMQ_VERSIONS := 4.9.7 5.3.3 5.5.0
MIRROR         := $(CURDIR)/build/mirror
PKG_PATH       := $(NAMESPACE)/rocketmq/$(VERSION)/linux_amd64
PKG_DIR        := $(MIRROR)/registry.terraform.io/$(PKG_PATH)
# OpenTofu reads the source tfrocketmq/rocketmq as registry.opentofu.org/tfrocketmq/rocketmq
TOFU_PKG_DIR   := $(MIRROR)/registry.opentofu.org/$(PKG_PATH)
BINARY         := $(PKG_DIR)/terraform-provider-rocketmq_v$(VERSION)
RUNTIME_ZIP    := $(CURDIR)/rocketmq-runtime/target/rocketmq-all-$(ROCKETMQ)-bin-release.zip
CLI_CONFIG     := $(CURDIR)/build/terraformrc
TF             ?= $(shell command -v terraform 2>/dev/null || command -v tofu 2>/dev/null || echo terraform)
TOFU           ?= $(shell command -v tofu 2>/dev/null)
MVN            := mvn -B -q
QUICKSTART     := examples/quickstart

.PHONY: build runtime package quickstart quickstart-destroy test test-go test-java test-tofu bench docs fmt clean

build:
	@# copy-dependencies only adds: drop jars a changed dependency list no longer names
	rm -rf provider-server/target/lib
	$(MVN) install -DskipTests
	cd go-shim && go build -trimpath -o ../build/terraform-provider-rocketmq .

## runtime: only the RocketMQ release archives (rocketmq-runtime/target/rocketmq-all-<version>-bin-release.zip)
runtime:
	$(MVN) install -DskipTests -f rocketmq-runtime/pom.xml
	@ls -l $(foreach v,$(ROCKETMQ_VERSIONS),rocketmq-runtime/target/rocketmq-all-$(v)-bin-release.zip)

## package: the provider in the layout Terraform and OpenTofu expect of a filesystem mirror, and a CLI
## configuration (build/terraformrc) that both install it from
package: build
	rm -rf $(PKG_DIR) $(TOFU_PKG_DIR) && mkdir -p $(PKG_DIR)/lib
	cp build/terraform-provider-rocketmq $(BINARY)
	cp provider-server/target/lib/*.jar provider-server/target/provider-server-$(VERSION).jar $(PKG_DIR)/lib/
	@# what the launcher keys its warm backend on, and the schema it answers without waiting for Java
	cd $(PKG_DIR)/lib && for f in *.jar; do \
	  printf '%s %s %s\n' "$$(sha256sum < "$$f" | cut -d' ' -f1)" "$$(stat -c %s "$$f")" "$$f"; \
	done > build.manifest
	java -cp "$(PKG_DIR)/lib/*" dev.tfrocketmq.Main --write-schema $(PKG_DIR)/lib/provider-schema.pb
	@# OpenTofu does not follow a symlinked hostname directory: the same files again, hard-linked
	mkdir -p $(dir $(TOFU_PKG_DIR)) && cp -al $(PKG_DIR) $(TOFU_PKG_DIR)
	printf '%s\n' \
	  'provider_installation {' \
	  '  filesystem_mirror {' \
	  '    path    = "$(MIRROR)"' \
	  '    include = ["registry.terraform.io/$(NAMESPACE)/*", "registry.opentofu.org/$(NAMESPACE)/*"]' \
	  '  }' \
	  '  direct {' \
	  '    exclude = ["registry.terraform.io/$(NAMESPACE)/*", "registry.opentofu.org/$(NAMESPACE)/*"]' \
	  '  }' \
	  '}' > $(CLI_CONFIG)
	@echo "provider package: $(PKG_DIR) (and $(TOFU_PKG_DIR) for OpenTofu)"

## quickstart: one name server, one broker, one topic on this machine, then a message round trip
quickstart: package
	@# the provider is built locally, so its checksum changes with the sources: record the fresh one
	rm -f $(QUICKSTART)/.terraform.lock.hcl
	TF_CLI_CONFIG_FILE=$(CLI_CONFIG) $(TF) -chdir=$(QUICKSTART) init -input=false -no-color
	TF_CLI_CONFIG_FILE=$(CLI_CONFIG) $(TF) -chdir=$(QUICKSTART) apply -input=false -auto-approve -no-color \
	  -var "distribution=$(RUNTIME_ZIP)"
	java -cp "$(PKG_DIR)/lib/*" -Duser.home=$(CURDIR)/build/roundtrip-home \
	  -Drmq.logback.configurationFile=tfrocketmq.logback.xml \
	  $(QUICKSTART)/RoundTrip.java \
	  "$$($(TF) -chdir=$(QUICKSTART) output -raw name_server)" "$$($(TF) -chdir=$(QUICKSTART) output -raw topic)"
	@echo "--- running now (terraform output) ---"
	$(TF) -chdir=$(QUICKSTART) output -no-color
	@ps -o pid,rss,args -C java | grep -E 'NamesrvStartup|BrokerStartup' | cut -c1-160 || true

quickstart-destroy:
	$(TF) -chdir=$(QUICKSTART) destroy -auto-approve -input=false -no-color -var "distribution=$(RUNTIME_ZIP)"

## test: unit tests (Java, Go) and acceptance tests (real terraform, real RocketMQ), then the lifecycle suite again
## under OpenTofu
test: package test-go test-java test-tofu

test-go:
	cd go-shim && test -z "$$(gofmt -l .)" && go vet ./... && go test -count=1 ./...
	cd bench && test -z "$$(gofmt -l .)" && go vet ./...

test-java:
	mvn -B test -Dterraform.cli=$(TF)

## test-tofu: the OpenTofu lane: create, no-op plan, update, import and destroy (ClusterLifecycleTest's lifecycle
## steps) under `tofu`, installing from the same mirror
test-tofu:
	@test -n "$(TOFU)" || { echo "test-tofu: no tofu on PATH; set TOFU=/path/to/tofu (.ci/run builds OpenTofu)" >&2; exit 1; }
	mvn -B test -pl acceptance-tests -Dtest=ClusterLifecycleTest -Dgroups=lifecycle -DTF_ACC_TERRAFORM=$(TOFU)

## fmt: format Java (palantir-java-format through Spotless) and Go sources; `make test` fails on unformatted code
fmt:
	$(MVN) spotless:apply
	cd go-shim && gofmt -w .

## bench: the provider against a Go peer provider in one run (paired repetitions, medians, ratios); see bench/
bench: package
	cd bench && go run ./runner -root $(CURDIR) -terraform $(TF)

## docs: regenerate docs/ (registry format) from the schemas and examples
docs:
	$(MVN) install -DskipTests -pl proto,provider-server
	java -cp "provider-server/target/lib/*:provider-server/target/provider-server-$(VERSION).jar" \
	  dev.tfrocketmq.docs.RegistryDocs $(CURDIR)

clean:
	rm -rf build
	$(MVN) clean
