# Everything the project needs, installed by the project: `make up`, `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := $(CURDIR)/.venv
STATE := $(CURDIR)/.state
BIN := $(VENV)/bin
STACK ?= dev
EMULATOR_PORT ?= 4580
EMULATOR_URL := http://127.0.0.1:$(EMULATOR_PORT)

# Offline, local Pulumi: file backend, fixed passphrase, no update checks or plugin downloads.
export PULUMI_BACKEND_URL := file://$(STATE)/backend
export PULUMI_HOME := $(STATE)/pulumi-home
export PULUMI_CONFIG_PASSPHRASE ?= chime-sdk-identity-local
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_SKIP_CONFIRMATIONS := true
# The main job talks to the local emulator with throw-away credentials; nothing reaches AWS.
LOCAL_AWS := AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1 \
	AWS_ENDPOINT_URL_CHIME_SDK_IDENTITY=$(EMULATOR_URL)
PULUMI = PATH="$$(cat $(STATE)/pulumi-bin-dir):$(BIN):$$PATH" $(LOCAL_AWS) pulumi

.PHONY: help install pulumi lint typecheck test bench up recover down preview emulator emulator-start emulator-stop clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# Pulumi resolves a relative `virtualenv` against the project root for the program, but against
# the program folder (`main:`) for dynamic providers: give every example a .venv link to ours.
EXAMPLE_VENVS := $(patsubst %/Pulumi.yaml,%/.venv,$(wildcard examples/*/Pulumi.yaml))
examples/%/.venv:
	ln -sfn ../../.venv $@

install: $(VENV)/.installed $(EXAMPLE_VENVS) ## Create .venv and install the package with its dev tools

pulumi: ## Build (once, cached in ~/.cache) or reuse the Pulumi engine
	@mkdir -p $(STATE)
	tools/build-pulumi.sh | tail -n 1 > $(STATE)/pulumi-bin-dir
	@echo "pulumi: $$(cat $(STATE)/pulumi-bin-dir)"

lint: install ## ruff (lint and format check)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install ## mypy --strict on the packages, through the import namespace
	@mkdir -p $(STATE)/typecheck/pulumi_chime_sdk_identity
	@for pkg in components dynamic_providers emulator; do \
		ln -sfn $(CURDIR)/$$pkg $(STATE)/typecheck/pulumi_chime_sdk_identity/$$pkg; done
	MYPYPATH=$(STATE)/typecheck $(BIN)/mypy -p pulumi_chime_sdk_identity.components \
		-p pulumi_chime_sdk_identity.dynamic_providers -p pulumi_chime_sdk_identity.emulator

test: install pulumi lint typecheck ## Everything: lint, types, unit, emulator, provider and end-to-end tests
	PULUMI_BIN_DIR="$$(cat $(STATE)/pulumi-bin-dir)" $(BIN)/pytest

bench: install pulumi ## Scale (docs/benchmarks.md), fault soak (docs/soak.md), crash recovery (docs/crash.md): ~1.5 h
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	export PULUMI_BIN_DIR="$$(cat $(STATE)/pulumi-bin-dir)"; \
	$(BIN)/python bench/scale.py && $(BIN)/python bench/soak.py --users 300 --refresh && \
	$(BIN)/python bench/crash.py --users 300

emulator: install ## Run the emulator in the foreground on $(EMULATOR_PORT)
	$(BIN)/chime-identity-emulator --port $(EMULATOR_PORT) --state-file $(STATE)/emulator.sqlite

emulator-start: install
	@mkdir -p $(STATE)
	@if [ -f $(STATE)/emulator.pid ] && kill -0 "$$(cat $(STATE)/emulator.pid)" 2>/dev/null; then \
		echo "emulator already running at $(EMULATOR_URL)"; exit 0; fi; \
	nohup $(BIN)/chime-identity-emulator --port $(EMULATOR_PORT) --state-file $(STATE)/emulator.sqlite \
		> $(STATE)/emulator.log 2>&1 & echo $$! > $(STATE)/emulator.pid; \
	for _ in $$(seq 100); do grep -q '^Listening on' $(STATE)/emulator.log && break; sleep 0.1; done; \
	grep '^Listening on' $(STATE)/emulator.log || { cat $(STATE)/emulator.log; exit 1; }

emulator-stop:
	@if [ -f $(STATE)/emulator.pid ]; then kill "$$(cat $(STATE)/emulator.pid)" 2>/dev/null || true; \
		rm -f $(STATE)/emulator.pid; echo "emulator stopped"; fi

up: install pulumi emulator-start ## Emulator in the background, then `pulumi up` of the root project
	@mkdir -p $(STATE)/backend
	$(PULUMI) stack select --create $(STACK) --non-interactive
	$(PULUMI) up --yes --non-interactive --stack $(STACK)

recover: install pulumi emulator-start ## After a killed `make up`: the README's crash recovery, on the root project
	-$(PULUMI) cancel --yes --non-interactive --stack $(STACK)
	CHIMESDKIDENTITY_ADOPT_EXISTING=true $(PULUMI) up --yes --non-interactive --stack $(STACK)
	$(PULUMI) refresh --clear-pending-creates --yes --non-interactive --stack $(STACK)

preview: install pulumi emulator-start ## `pulumi preview --diff` of the root project
	@mkdir -p $(STATE)/backend
	$(PULUMI) stack select --create $(STACK) --non-interactive
	$(PULUMI) preview --diff --non-interactive --stack $(STACK)

down: install pulumi emulator-start ## `pulumi destroy` of the root project, then stop the emulator
	@mkdir -p $(STATE)/backend
	$(PULUMI) destroy --yes --non-interactive --stack $(STACK)
	@$(MAKE) --no-print-directory emulator-stop

clean: emulator-stop ## Remove .venv and .state (stacks, emulator state); keeps the engine cache
	rm -rf $(VENV) $(STATE)
