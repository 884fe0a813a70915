# Two commands set up everything on a fresh machine:
#   make run   - create .venv if needed, install, launch the app
#   make test  - same set-up, then the whole suite offscreen
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean translations

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

# The interface's Chinese: lupdate collects every translate()/tr() literal of app/ into the .ts
# (keeping the translations it already holds; a new string arrives "unfinished": translate it in
# the .ts, with pyside6-linguist or an editor), lrelease compiles the .ts into the .qm the package
# ships (committed: no Qt tools needed to test). tests/test_translations.py names what is missing.
TS := resources/translations/rnnscope_zh_CN.ts
QM := app/translations/rnnscope_zh_CN.qm
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find app -name '*.py' | sort) -ts $(TS) -no-obsolete -locations none
	$(VENV)/bin/pyside6-lrelease $(TS) -qm $(QM)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
