"""Check every data file before anything slow runs (the hook's on_config, first): the versions,
the parameters, the contact directories, the registry's reading of them, the worked cases.

Every fault is one line naming the file and the key (`DataFault`); the hook turns it into the
build's failure message, so a maintainer's slip never ends in a traceback. The calculators check
their own files as they read them (calculators.engine.datafiles.DataError); this module adds
what only the build can see: the Markdown texts (not shipped to the browser) and each measure
and worked case against the data.
"""

from __future__ import annotations

import calculators
from calculators.engine import contacts as _contacts
from calculators.engine import versions as _versions
from calculators.engine.datafiles import DataError, data_path
from calculators.engine.measure import COMMON_FIELDS

from . import sitedata
from .casedata import CaseError, check_cases


class DataFault(ValueError):
    """A data file the build cannot use: one line, the file, the key, what is expected."""


def _texts(v: _versions.Version) -> None:
    for page in _versions.PAGES:
        if not sitedata.text_path(v, page).is_file():
            raise DataFault(f"{v.source}: files.{page}: {data_path(v.files[page])} not found")


def _contacts_cover(v: _versions.Version) -> None:
    """Every measure's clause, and every clause a page lists contacts for, has a direction."""
    _contacts.directory(v.id)
    for m in calculators.MEASURES.values():
        if not _contacts.contacts_for(m.clause, as_of=v.start):
            raise DataFault(f"{data_path(v.files['directory'])}: departments: no direction "
                            f"covers clause {m.clause!r} of measure {m.id} (add "
                            f"{{ clause = \"{m.clause}\", text = … }} to a department)")


def _measures(v: _versions.Version) -> None:
    """Each measure's page data under each version: reads every parameter its summary, intro and
    cap name (a misspelt key in parameters.toml shows here)."""
    for m in calculators.MEASURES:
        calculators.describe(m, v.start)


def _cases() -> None:
    inputs = {m.id: {f.key for f in (*m.fields, *COMMON_FIELDS)}
              for m in calculators.MEASURES.values()}
    inputs["match"] = {f["key"] for f in calculators.describe_profile()["inputs"]}
    check_cases(inputs)
    from .casedata import load_cases

    for case in load_cases():  # a rule reading a parameter the file lacks fails here
        if "error_fields" in case.expected:
            continue
        try:
            if case.target == "match":
                calculators.match(case.inputs)
            else:
                calculators.evaluate(case.target, case.inputs)
        except calculators.InputError as e:
            raise DataFault(f"tests/cases/{case.target}.toml: {case.name}: refused input "
                            f"{', '.join(e.errors)} (expected error_fields to say so)") from None


def check() -> None:
    """Every data file, in the order a maintainer would fix them; raises DataFault."""
    try:
        for v in _versions.versions():
            _texts(v)
        calculators.parameters()
        for v in _versions.versions():
            _contacts_cover(v)
            _measures(v)
        _cases()
    except (DataError, CaseError) as e:
        raise DataFault(str(e)) from None
    except ValueError as e:  # the registry's own checks (a rule's clause, its id)
        raise DataFault(str(e)) from None
