# Tongban: `make run` serves the demo city, `make test` runs every check. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.stamp-$(shell sha1sum pyproject.toml | cut -c1-12)
ASSETS_STAMP := node_modules/.stamp-$(shell sha1sum package-lock.json | cut -c1-12)
VENDOR := src/tongban/core/static/vendor
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 2
# pytest-xdist processes: the suite runs in about a quarter of the time on 2 cores (each worker has its
# own test database; browser tests their own live server).
PYTEST_WORKERS ?= 2

.PHONY: run test check pytest setup assets messages system-deps pdf-font document-fonts migrate demo bench bench-quick bench-sqlite bench-explain bench-search bench-relevance clean

setup: $(VENV_STAMP) assets messages

$(VENV_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.stamp-* && touch $@

$(ASSETS_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -f node_modules/.stamp-* && touch $@

# The designer's Modeler: bpmn-js, its properties panel (no browser bundle of its own with the
# components our 通办属性 group needs) and that group, built into one static file by esbuild from
# workflow/assets/modeler.js. Generated here, never committed.
MODELER_BUILD = node_modules/.bin/esbuild src/tongban/workflow/assets/modeler.js --bundle --minify \
	--format=iife --target=es2019 --log-level=warning --outfile=$(VENDOR)/bpmn-js/tongban-modeler.js

# bpmn-font: every font file bpmn.css names (eot, svg, ttf, woff, woff2). The production static storage
# refuses a stylesheet whose url() points at a missing file: collectstatic fails, and every page is a 500.
assets: $(ASSETS_STAMP)
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe.min.js
	mkdir -p $(VENDOR)/bpmn-js/bpmn-font/css $(VENDOR)/bpmn-js/bpmn-font/font
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js/dist/assets/diagram-js.css node_modules/bpmn-js/dist/assets/bpmn-js.css $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js/dist/assets/bpmn-font/css/bpmn.css $(VENDOR)/bpmn-js/bpmn-font/css/
	cp node_modules/bpmn-js/dist/assets/bpmn-font/font/bpmn.* $(VENDOR)/bpmn-js/bpmn-font/font/
	cp node_modules/@bpmn-io/properties-panel/dist/assets/properties-panel.css $(VENDOR)/bpmn-js/
	mkdir -p $(VENDOR)/quill
	cp node_modules/quill/dist/quill.js node_modules/quill/dist/quill.js.map node_modules/quill/dist/quill.js.LICENSE.txt \
	  node_modules/quill/dist/quill.core.css node_modules/quill/dist/quill.core.css.map node_modules/quill/LICENSE $(VENDOR)/quill/
	$(MODELER_BUILD)

messages: $(VENV_STAMP)
	$(VENV)/bin/pybabel compile --statistics -d src/tongban/locale -D django

# Debian's chromium for the browser tests (never a downloaded browser build) and clamd for upload scanning.
system-deps:
	@command -v chromium >/dev/null && test -x /usr/sbin/clamd && command -v pdftoppm >/dev/null \
	  && test -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc && test -x /usr/sbin/nginx && command -v slowhttptest >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium clamav-daemon poppler-utils fonts-wqy-zenhei nginx-light slowhttptest >/dev/null; \
	  else echo "Please install Debian's chromium, clamav-daemon, poppler-utils, fonts-wqy-zenhei, nginx-light and slowhttptest: sudo apt-get install chromium clamav-daemon poppler-utils fonts-wqy-zenhei nginx-light slowhttptest"; exit 1; fi; }

# The Chinese TrueType font embedded in e-licenses and approval sheets: without it the start-up check
# core.E001 stops every manage.py command, so `make run` installs it too (as root; otherwise it says how).
PDF_FONT ?= $(or $(TONGBAN_PDF_FONT),/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc)
pdf-font: document-fonts
	@test -f "$(PDF_FONT)" || { 	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei >/dev/null; 	  else echo "Please install Debian's fonts-wqy-zenhei (sudo apt-get install fonts-wqy-zenhei) or set TONGBAN_PDF_FONT"; exit 1; fi; }

# The free faces of official documents (公文, GB/T 9704): AR PL UMing (标题 emboldened as 小标宋-style; 正文 as
# 仿宋-style), AR PL UKai (楷体), WenQuanYi Zen Hei (黑体, from pdf-font). TrueType only: ReportLab cannot embed
# the CFF outlines of Noto CJK. TONGBAN_DOCUMENT_FONT_* point at the official faces where licensed.
DOCUMENT_FONTS := /usr/share/fonts/truetype/arphic/uming.ttc /usr/share/fonts/truetype/arphic/ukai.ttc
document-fonts:
	@for font in $(DOCUMENT_FONTS); do test -f "$$font" || missing=1; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-arphic-uming fonts-arphic-ukai >/dev/null; \
	  else echo "Please install Debian's fonts-arphic-uming and fonts-arphic-ukai (sudo apt-get install fonts-arphic-uming fonts-arphic-ukai) or set TONGBAN_DOCUMENT_FONT_*"; exit 1; fi; fi

migrate: setup pdf-font
	$(PY) manage.py migrate --noinput

# E-license QR codes carry the address the platform is served on (TONGBAN_PUBLIC_BASE_URL, required in
# production): `make run PORT=8101` makes them point at port 8101, the demo's licenses included.
PUBLIC_BASE_URL := $(or $(TONGBAN_PUBLIC_BASE_URL),http://$(HOST):$(PORT))

demo: migrate
	TONGBAN_PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(PY) manage.py load_demo_city

# Periodic jobs (timers, deadline warnings …) run in a background process: Celery beat's schedule,
# in-process (manage.py run_periodic_jobs); it stops with the server (same process group).
# Uploads are scanned by a local clamd when it is installed (deploy/clamav/dev-scanning.sh starts the
# test clamd: loopback port 13310, the EICAR test signature only); the banner says plainly when not.
run: demo
	@eval "$$(deploy/clamav/dev-scanning.sh)"; \
	echo "云州市政务服务网: http://$(HOST):$(PORT)/  (staff: http://$(HOST):$(PORT)/staff/login/)"; \
	echo "Virus scanning: $$scanning"; \
	TONGBAN_PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(PY) manage.py run_periodic_jobs & \
	exec env TONGBAN_PUBLIC_BASE_URL=$(PUBLIC_BASE_URL) $(VENV)/bin/gunicorn tongban.wsgi --chdir src -w $(WORKERS) -b $(HOST):$(PORT) --access-logfile -

check: setup pdf-font
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py envdoc --check
	$(PY) manage.py threat_coverage --check
	$(PY) manage.py check

pytest: setup system-deps
	deploy/clamav/start-test-clamd.sh
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: check pytest

# The city benchmark (issue 18, bench/README.md): loads PostgreSQL (database bench_city_<size>, reused
# while its size matches) or SQLite (var/bench/), serves it with gunicorn and measures every hot path.
# `make bench` is the full city (1,000,000 applications); bench-quick finishes within 5 minutes.
BENCH_SECONDS ?= 15
bench: setup messages system-deps pdf-font
	$(PY) bench/city/run.py --size full --seconds $(BENCH_SECONDS) --explain

bench-quick: setup messages system-deps pdf-font
	$(PY) bench/city/run.py --size quick --seconds 5

bench-sqlite: setup messages system-deps pdf-font
	$(PY) bench/city/run.py --size sqlite --database sqlite --seconds 5

bench-explain: setup
	$(PY) bench/city/run.py --size full --only nothing --explain

bench-search: setup
	$(PY) bench/search_latency.py

# Search relevance (issue 19): hit@1, hit@5 and MRR of the labelled queries in bench/data/search_queries.json.
bench-relevance: setup
	$(PY) bench/search_relevance.py

# 12345 category classifier (issue 17): held-out accuracy on the demo corpus, training time, suggest() latency.
.PHONY: bench-hotline-classifier
bench-hotline-classifier: setup
	$(PY) bench/hotline_classifier.py

clean:
	rm -rf $(VENV) node_modules var tongban.sqlite3 tongban.sqlite3-wal tongban.sqlite3-shm $(VENDOR)
