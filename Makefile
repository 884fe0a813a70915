# Two commands set up everything on a fresh machine:
#   make run   - create .venv if needed, install, launch the app
#   make test  - same set-up, then the whole suite offscreen
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's metadata changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/rnnscope

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	$(PY) -m pip install --disable-pip-version-check -q -e '.[bench]'
	$(PY) bench/core_vs_torch.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
