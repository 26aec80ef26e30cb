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
# Language hosts built beside the engine besides Python's (`make pulumi LANGUAGES="nodejs go yaml"`).
LANGUAGES ?=

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
# $(call run_pulumi,ARGS[,ENV]): echo `ENV pulumi ARGS` as a user would type it, then run it with the engine
# built by `make pulumi`, the venv and the local credentials (which the echo leaves out).
run_pulumi = echo "$(strip $(2) pulumi $(1))" && \
	PATH="$$(cat $(STATE)/pulumi-bin-dir):$(BIN):$$PATH" $(LOCAL_AWS) $(2) pulumi $(1)

.PHONY: help install install-runtime pulumi lint typecheck check test bench up recover down preview emulator \
	emulator-start emulator-stop clean $(foreach lang,$(LANGUAGE_EXAMPLES),up-$(lang) preview-$(lang) down-$(lang))

help: ## List the targets
	@grep -E '^[a-z%-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 18

# The package alone (what `make up` runs), then its dev tools on top (what the checks and tests need).
$(VENV)/.runtime: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed: $(VENV)/.runtime
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# Pulumi resolves a relative `virtualenv` against the project root for the program, but against
# the program folder (`main:`) for dynamic providers: give every example a .venv link to ours.
EXAMPLE_VENVS := $(patsubst %/Pulumi.yaml,%/.venv,$(wildcard examples/*/Pulumi.yaml))
examples/%/.venv:
	ln -sfn ../../.venv $@

install: $(VENV)/.installed $(EXAMPLE_VENVS) ## Create .venv and install the package with its dev tools

install-runtime: $(VENV)/.runtime $(EXAMPLE_VENVS) ## Create .venv and install the package only (what `make up` needs)

pulumi: ## Build (once, cached in ~/.cache) or reuse the Pulumi engine and the Python language host
	@mkdir -p $(STATE)
	tools/build-pulumi.sh $(LANGUAGES) | tail -n 1 > $(STATE)/pulumi-bin-dir
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

check: install lint typecheck ## The fast loop (~40 s): lint, types and every test but the end-to-end ones
	$(BIN)/pytest -m "not e2e"

test: LANGUAGES = nodejs go yaml
test: install pulumi lint typecheck ## Everything (the CI gate): lint, types, unit, emulator, provider and end-to-end tests
	PULUMI_BIN_DIR="$$(cat $(STATE)/pulumi-bin-dir)" $(BIN)/pytest

bench: install pulumi ## Scale (docs/benchmarks.md, docs/levers.md), fault soaks (docs/soak*.md), crash recovery (docs/crash.md): ~2 h
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench]'
	export PULUMI_BIN_DIR="$$(cat $(STATE)/pulumi-bin-dir)"; \
	$(BIN)/python -m bench.scale && $(BIN)/python -m bench.levers --markdown docs/levers.md && \
	$(BIN)/python -m bench.soak --users 300 --refresh && \
	$(BIN)/python -m bench.soak --users 300 --retries-exhausted && $(BIN)/python -m bench.crash --users 300

emulator: install-runtime ## Run the emulator in the foreground on $(EMULATOR_PORT)
	$(BIN)/chime-identity-emulator --port $(EMULATOR_PORT) --state-file $(STATE)/emulator.sqlite

# Waits until the emulator listens; if it exits first (the port is taken), says so and leaves no pid file.
emulator-start: install-runtime
	@mkdir -p $(STATE)
	@if [ -f $(STATE)/emulator.pid ] && kill -0 "$$(cat $(STATE)/emulator.pid)" 2>/dev/null; then \
		echo "emulator already running at $(EMULATOR_URL)"; exit 0; fi; \
	echo "chime-identity-emulator --port $(EMULATOR_PORT) --state-file .state/emulator.sqlite (in the background)"; \
	nohup $(BIN)/chime-identity-emulator --port $(EMULATOR_PORT) --state-file $(STATE)/emulator.sqlite \
		> $(STATE)/emulator.log 2>&1 & pid=$$!; echo $$pid > $(STATE)/emulator.pid; \
	for _ in $$(seq 100); do \
		grep -q '^Listening on' $(STATE)/emulator.log && break; kill -0 $$pid 2>/dev/null || break; sleep 0.1; done; \
	if ! grep '^Listening on' $(STATE)/emulator.log; then \
		kill $$pid 2>/dev/null || true; rm -f $(STATE)/emulator.pid; cat $(STATE)/emulator.log >&2; \
		echo "The emulator did not start on port $(EMULATOR_PORT). If another program uses that port, pick a free one:" \
			"make $(or $(MAKECMDGOALS),up) EMULATOR_PORT=4581" >&2; \
		exit 1; fi

emulator-stop:
	@if [ -f $(STATE)/emulator.pid ]; then kill "$$(cat $(STATE)/emulator.pid)" 2>/dev/null || true; \
		rm -f $(STATE)/emulator.pid; echo "emulator stopped"; fi

up: install-runtime pulumi emulator-start ## Emulator in the background, then `pulumi up` of the root project
	@mkdir -p $(STATE)/backend
	@$(call run_pulumi,stack select --create $(STACK) --non-interactive)
	@$(call run_pulumi,up --yes --non-interactive --stack $(STACK))

recover: install-runtime pulumi emulator-start ## After a killed `make up`: the README's crash recovery, on the root project
	-@$(call run_pulumi,cancel --yes --non-interactive --stack $(STACK))
	@$(call run_pulumi,up --yes --non-interactive --stack $(STACK),CHIMESDKIDENTITY_ADOPT_EXISTING=true)
	@$(call run_pulumi,refresh --clear-pending-creates --yes --non-interactive --stack $(STACK))

preview: install-runtime pulumi emulator-start ## `pulumi preview --diff` of the root project
	@mkdir -p $(STATE)/backend
	@$(call run_pulumi,stack select --create $(STACK) --non-interactive)
	@$(call run_pulumi,preview --diff --non-interactive --stack $(STACK))

down: install-runtime pulumi emulator-start ## `pulumi destroy` of the root project, then stop the emulator
	@mkdir -p $(STATE)/backend
	@$(call run_pulumi,destroy --yes --non-interactive --stack $(STACK))
	@$(MAKE) --no-print-directory emulator-stop

# The quickstart's app from TypeScript, Go and YAML (examples/<language>), through the component provider.
LANGUAGE_EXAMPLES := typescript go yaml
host_of = $(if $(filter typescript,$(1)),nodejs,$(1))
# $(call in_example,LANG,ARGS[,ENV]): `pulumi ARGS` in examples/LANG, with the engine and that language's host.
in_example = cd examples/$(1) && $(call run_pulumi,$(2),$(3))

# Build the language's host, generate and link the SDK (`pulumi package add ../..`), select the stack and give it a
# demo device token (a secret) unless it has one.
example-%: install-runtime emulator-start
	@$(MAKE) --no-print-directory pulumi LANGUAGES="$(call host_of,$*)"
	@mkdir -p $(STATE)/backend
	@$(call in_example,$*,package add ../..)
	@$(call in_example,$*,stack select --create $(STACK) --non-interactive)
	@cd examples/$* && PATH="$$(cat $(STATE)/pulumi-bin-dir):$$PATH" pulumi config get aliceDeviceToken --stack $(STACK) \
		>/dev/null 2>&1 || $(call run_pulumi,config set --secret aliceDeviceToken demo-device-token --stack $(STACK))

up-%: example-% ## `pulumi up` of examples/<typescript|go|yaml> (up-typescript, up-go, up-yaml)
	@$(call in_example,$*,up --yes --non-interactive --stack $(STACK))

preview-%: example-% ## `pulumi preview --diff` of examples/<typescript|go|yaml>
	@$(call in_example,$*,preview --diff --non-interactive --stack $(STACK))

down-%: example-% ## `pulumi destroy` of examples/<typescript|go|yaml> (the emulator keeps running)
	@$(call in_example,$*,destroy --yes --non-interactive --stack $(STACK))

clean: emulator-stop ## Remove .venv and .state (stacks, emulator state); keeps the engine cache
	rm -rf $(VENV) $(STATE)
