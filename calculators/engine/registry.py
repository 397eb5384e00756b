"""The registry: the measures, found by listing `calculators.rules`.

The engine never imports a rule by name: adding a measure is adding its module to
`calculators/rules/` (the rules import the engine, not the other way round).
"""

from __future__ import annotations

import functools
import importlib
import os
import zipimport
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from .inputs import InputError
from .measure import Measure
from .params import clauses

RULES = "calculators.rules"  # the package of the measure modules


def _files() -> list[str]:
    """The file names in this package's directory: on disk, or in the zip archive the browser
    imports it from. Not importlib.resources (nor pkgutil.iter_modules, which imports inspect):
    they would bring zipfile, shutil, tempfile, inspect … into the browser's standard library
    (~0.1 MB with Brotli). For a zip, zipimport's own table of the archive, read as the standard
    library's pkgutil reads it (`_zip_directory_cache`)."""
    (directory,) = importlib.import_module(RULES).__path__
    if os.path.isdir(directory):
        return os.listdir(directory)
    importer = zipimport.zipimporter(directory)
    table = zipimport._zip_directory_cache[importer.archive]
    return [name[len(importer.prefix):] for name in table
            if name.startswith(importer.prefix) and "/" not in name[len(importer.prefix):]]


@functools.cache
def _discover() -> Mapping[str, Measure]:
    """The registry: every public module of `calculators.rules` (no leading underscore) that defines
    `MEASURE`, in the order of the policy (its clause's place in parameters.toml's [clauses]).

    Adding a measure is adding its module: nothing else lists it.
    """
    names = sorted({
        name.partition(".")[0]
        for name in _files()
        if name.endswith((".py", ".pyc")) and not name.startswith("_")
    })
    found: list[Measure] = []
    for name in names:
        measure = getattr(importlib.import_module(f"{RULES}.{name}"), "MEASURE", None)
        if isinstance(measure, Measure):
            if measure.id != name:
                raise ValueError(f"calculators/rules/{name}.py: MEASURE.id is {measure.id!r}")
            if measure.clause not in clauses():
                raise ValueError(f"calculators/rules/{name}.py: clause {measure.clause!r} is not "
                                 "in parameters.toml [clauses]")
            found.append(measure)
    order = list(clauses())
    found.sort(key=lambda m: order.index(m.clause))  # stable: same clause → by module name
    return MappingProxyType({m.id: m for m in found})


class _Registry(Mapping[str, Measure]):
    """`MEASURES`, read on first use: the measure modules import the engine, so they can only be
    imported once it has loaded."""

    def __getitem__(self, measure_id: str) -> Measure:
        return _discover()[measure_id]

    def __iter__(self) -> Iterator[str]:
        return iter(_discover())

    def __len__(self) -> int:
        return len(_discover())

    def __repr__(self) -> str:
        return f"MEASURES({', '.join(self)})"


#: The measures in the policy's order: id → Measure (its metadata, inputs and rules).
MEASURES: Mapping[str, Measure] = _Registry()


def lookup(measure_id: object) -> Measure:
    if isinstance(measure_id, str) and measure_id in MEASURES:
        return MEASURES[measure_id]
    shown = measure_id if isinstance(measure_id, str) else repr(measure_id)
    raise InputError({"measure": f"未知措施：{shown[:40]}（可选：{'、'.join(MEASURES)}）"})
