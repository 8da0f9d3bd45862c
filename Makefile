# brief: one YAML master -> Word report, PowerPoint deck, print-ready PDF.
# `make` sets everything up and builds; `make test` runs the tests. `make help` lists every target.

PYTHON  ?= python3
THEME   ?= default
VENV    := .venv
BIN     := $(VENV)/bin
BRIEF   := $(BIN)/brief
OUT     := out/$(THEME)

BRIEFS   := $(wildcard source/*.yaml)
NAMES    := $(notdir $(BRIEFS:.yaml=))
OUTPUTS  := $(foreach n,$(NAMES),$(OUT)/$(n).docx $(OUT)/$(n).pptx $(OUT)/$(n).pdf)
THEMES   := $(notdir $(basename $(wildcard themes/*.yaml)))
# Any builder or theme change rebuilds: a theme may extend any other, a builder module serves every brief.
DEPS     := $(wildcard builders/*.py builders/*/*.py themes/*.yaml themes/*/*)

VENV_OK      := $(VENV)/.installed
SYSDEPS_OK   := $(VENV)/.sysdeps-build
SYSDEPS_TEST := $(VENV)/.sysdeps-test
# Microsoft's Open XML SDK validator (npm), which the tests run on every docx and pptx; kept in tools/, not in git.
VALIDATOR    := tools/ooxml-validator/node_modules/.bin/ooxml-validator

.DEFAULT_GOAL := all
.PHONY: all help setup sysdeps check test test-latest themes dist preview verify watch bench test-long templates clean distclean schema

all: $(OUTPUTS) ## Build every brief in source/ with THEME (default: default) into out/THEME/

# One process writes a brief's three outputs (grouped pattern targets).
$(OUT)/%.docx $(OUT)/%.pptx $(OUT)/%.pdf: source/%.yaml $(DEPS) | $(VENV_OK) $(SYSDEPS_OK)
	@$(BRIEF) build $< --theme $(THEME) --out $(OUT)

themes: $(addprefix theme-,$(THEMES)) ## Build every brief in every theme into out/<theme>/

theme-%: | $(VENV_OK) $(SYSDEPS_OK)
	@$(MAKE) --no-print-directory THEME=$* all

dist: themes ## Collect every theme's documents (and previews, if made) as out/dist/<brief>-<theme>.<ext> with SHA256SUMS
	@rm -rf out/dist && mkdir -p out/dist
	@for t in $(THEMES); do for n in $(NAMES); do for e in docx pptx pdf; do \
		cp out/$$t/$$n.$$e out/dist/$$n-$$t.$$e; done; \
		for e in docx pptx pdf; do p=out/$$t/preview/$$n-$$e.png; \
		if [ -f $$p ]; then cp $$p out/dist/$$n-$$t-$$e-preview.png; fi; done; done; done
	@cd out/dist && sha256sum $$(ls | grep -v SHA256SUMS) > SHA256SUMS && echo "out/dist: $$(ls | wc -l) files" 

verify: all | $(SYSDEPS_TEST) ## Check the outputs of THEME carry the whole brief and look right
	@$(BRIEF) verify $(BRIEFS) --theme $(THEME)

preview: themes | $(SYSDEPS_TEST) ## Contact sheets of every theme's outputs in out/<theme>/preview/
	@for t in $(THEMES); do $(BRIEF) preview $(BRIEFS) --theme $$t || exit 1; done

watch: | $(VENV_OK) $(SYSDEPS_OK) ## Rebuild THEME's outputs whenever a brief or a theme is saved
	@$(BRIEF) watch $(BRIEFS) --theme $(THEME)

setup: $(VENV_OK) $(SYSDEPS_OK) ## Create the virtual environment and install system fonts

$(VENV_OK): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

$(SYSDEPS_OK): builders/sysdeps.py  # new build dependencies (the Fandol fonts) re-check an existing checkout
	@$(PYTHON) -m builders.sysdeps build
	@mkdir -p $(VENV) && touch $@

$(SYSDEPS_TEST): builders/sysdeps.py  # a new test dependency re-checks an existing checkout
	@$(PYTHON) -m builders.sysdeps test
	@mkdir -p $(VENV) && touch $@

sysdeps: ## Install the system packages the tests need (fonts, poppler, qpdf, LibreOffice, PDFBox)
	@$(PYTHON) -m builders.sysdeps test

check: | $(VENV_OK) ## Validate every brief in source/ (it says how many it checked)
	@$(BRIEF) check $(BRIEFS)

test: | $(VENV_OK) $(SYSDEPS_OK) $(SYSDEPS_TEST) $(VALIDATOR) ## Run the test suite
	@$(BIN)/python -m pytest -q

$(VALIDATOR): tools/ooxml-validator/package.json
	@npm install --prefix tools/ooxml-validator --no-package-lock --no-audit --no-fund --loglevel=error
	@touch $@

bench: | $(VENV_OK) $(SYSDEPS_OK) ## Benchmarks: build times and memory against pandoc and typst, the speed tricks, brief watch
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	@$(BIN)/python -m tests.bench

test-latest: | $(VENV_OK) $(SYSDEPS_OK) $(SYSDEPS_TEST) $(VALIDATOR) ## Run the tests with the newest release of every dependency (in .venv-latest) and report what breaks
	@$(BIN)/python -m tests.latest --env .venv-latest

test-long: | $(VENV_OK) $(SYSDEPS_OK) $(SYSDEPS_TEST) ## The property-based hostile-input tests with many more examples
	@HYPOTHESIS_PROFILE=long HYPOTHESIS_RAW_EXAMPLES=5000 $(BIN)/python -m pytest -q tests/test_hostile.py

templates: | $(VENV_OK) ## Regenerate the corporate theme's example .docx and .pptx templates
	@$(BIN)/python -m builders.templates themes/corporate

schema: | $(VENV_OK) ## Regenerate the JSON Schemas of briefs and themes
	@$(BRIEF) schema brief > source/brief.schema.json
	@$(BRIEF) schema theme > themes/theme.schema.json

clean: ## Remove the built documents (out/)
	rm -rf out

distclean: clean ## Remove out/, the virtual environments and caches
	rm -rf $(VENV) .venv-latest .pytest_cache *.egg-info tools/ooxml-validator/node_modules

help: ## List the targets
	@echo "Usage: make [TARGET] [THEME=name]"
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z-]+):.*## (.*)/  \1\t\2/' | expand -t 16
	@echo "Themes: $(THEMES)"
