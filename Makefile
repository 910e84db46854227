# The README's two commands: `make demo` (set up, then the main job) and `make test` (set up, then the tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STORE  ?= .migkg/store
OUT    ?= out
KGSCORE ?= ../shared/tools/kgscore.py

.PHONY: setup browser engines demo test lint clean score

$(BIN)/migkg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

setup: $(BIN)/migkg

demo: setup
	@echo "== build data/releases into $(STORE)"
	$(BIN)/migkg build data/releases --store $(STORE)
	@echo "== summary"
	$(BIN)/migkg stats --store $(STORE)
	$(BIN)/migkg validate --store $(STORE)
	@echo "== events"
	$(BIN)/migkg query events --store $(STORE)
	@echo "== funding"
	$(BIN)/migkg query funding --store $(STORE)
	@echo "== participants of the seed's meeting"
	$(BIN)/migkg query event-participants --store $(STORE) --format table
	@mkdir -p $(OUT)
	$(BIN)/migkg export --store $(STORE) --out $(OUT)/migkg.trig
	$(BIN)/migkg export --store $(STORE) --out $(OUT)/migkg.ttl
	$(BIN)/migkg export --store $(STORE) --out $(OUT)/migkg.nq
	$(BIN)/migkg export --store $(STORE) --out $(OUT)/migkg.jsonld
	$(BIN)/migkg graph co-participation --store $(STORE) --out $(OUT)/co-participation.html
	$(BIN)/migkg graph flows --store $(STORE) --out $(OUT)/flows.gexf
	$(BIN)/migkg graph stats --store $(STORE) --top 10
	$(BIN)/migkg export --store $(STORE) --compact --out $(OUT)/migkg.compact.jsonld
	$(BIN)/migkg frame --all --store $(STORE) --out $(OUT)/events.framed.jsonld
	$(BIN)/migkg describe --store $(STORE) --out $(OUT)/void.ttl
	$(BIN)/migkg hxl --store $(STORE) --out $(OUT)/3w.hxl.csv
	$(BIN)/migkg iati --store $(STORE) --out $(OUT)/iati.xml
	$(BIN)/migkg docs --out $(OUT)/docs
	@echo "== exports and actor graphs in $(OUT)/; serve the store with: $(BIN)/migkg serve --store $(STORE)"

browser:
	@bash tools/ensure-chromium.sh

engines:
	@bash tools/ensure-virtuoso.sh

test: setup browser engines
	$(BIN)/python -m pytest -q

score: setup
	@test -f $(KGSCORE) || { echo "error: make score needs the shared scorer $(KGSCORE), which is not part of this repository (it lives in ../shared beside the checkout); pass KGSCORE=/path/to/kgscore.py" >&2; exit 2; }
	$(BIN)/python $(KGSCORE) --migkg $(BIN)/migkg --text-dir data/releases tests/gold

lint: setup
	$(BIN)/ruff check src tests

clean:
	rm -rf $(VENV) .migkg $(OUT) .pytest_cache
