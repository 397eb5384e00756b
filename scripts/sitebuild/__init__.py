"""The site build: everything `mkdocs build` runs besides MkDocs itself (scripts/hooks.py is the
thin adapter that calls it).

* `markers`, `widgets`, `templates/` — `<!-- fs:… -->` markers expanded from the data (Jinja2);
* `pages` — the calculator pages, their nav entries and the open-data JSON, made from
  `calculators.MEASURES`;
* `sitedata` — the data files read for the pages; `casedata` — the worked cases (tests/cases),
  shown as 示例 and replayed by the compile step;
* `search_terms` — words the Chinese search keeps whole;
* `pyodide_runtime` + `pyodide_compile.mjs` — the compile step; `precompress` — `.gz` twins.

Plain Python (no MkDocs import), installed with the project (`pip install -e .`, pyproject's
`package-dir`), so the tests and `python -m sitebuild.…` import it without path edits.
"""
