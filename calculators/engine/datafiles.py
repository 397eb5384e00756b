"""数据文件 — reading calculators/data/ and saying, in one line, what is wrong with it.

Every data file is read here (through the package's own loader, so from a directory, a wheel or
the browser's zip alike), and every fault of one is a `DataError` whose message is one line:
the file, the key or line, and what is expected. The build turns it into its failure message;
nothing a maintainer types into a data file ends in a traceback.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import tomllib
import zipimport
from pkgutil import get_data

__all__ = ["DataError", "data_path", "list_dir", "load_text", "load_toml", "require"]

PACKAGE = "calculators"


class DataError(ValueError):
    """A data file that cannot be read as the calculators expect: one line, naming the file."""


def data_path(name: str) -> str:
    """How a message names a data file: calculators/data/<name>."""
    return f"calculators/data/{name}"


def load_text(name: str) -> str:
    """The text of calculators/data/<name> (not importlib.resources, which would bring zipfile,
    shutil, tempfile, random and threading into the browser's standard library: ~0.1 MB Brotli)."""
    try:
        data = get_data(PACKAGE, f"data/{name}")
    except OSError:
        data = None
    if data is None:
        raise DataError(f"{data_path(name)}: file not found")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise DataError(f"{data_path(name)}: not UTF-8 text (byte {e.start})") from None


def load_toml(name: str) -> dict:
    """calculators/data/<name>.toml as a dict; a TOML slip names the file and its line."""
    path = name if name.endswith(".toml") else f"{name}.toml"
    try:
        return tomllib.loads(load_text(path))
    except tomllib.TOMLDecodeError as e:
        raise DataError(f"{data_path(path)}: TOML syntax: {e}") from None


def list_dir(name: str) -> list[str]:
    """The entries of calculators/data/<name>/: on disk, or in the zip archive the browser imports
    the package from (zipimport's own table, as the registry lists the rules)."""
    (directory,) = importlib.import_module(PACKAGE).__path__
    path = os.path.join(directory, "data", name)
    if os.path.isdir(directory):
        return sorted(os.listdir(path)) if os.path.isdir(path) else []
    importer = zipimport.zipimporter(directory)
    table = zipimport._zip_directory_cache[importer.archive]
    prefix = f"{importer.prefix}data/{name}/"
    return sorted({n[len(prefix):].split("/")[0] for n in table if n.startswith(prefix)} - {""})


_TYPES = {str: "text in quotes", int: "a whole number",
          dt.date: "a date such as 2025-04-28 (unquoted)", list: "a list [ … ]", dict: "a table"}


def require(table: dict, key: str, kind: type, where: str) -> object:
    """`table[key]`, which must be of `kind`; else a DataError naming `where`.key (or
    `where`: key when `where` is the file itself)."""
    where = f"{where}: {key}" if where.endswith(".toml") else f"{where}.{key}"
    if key not in table:
        raise DataError(f"{where}: missing (expected {_TYPES.get(kind, kind.__name__)})")
    value = table[key]
    wrong = isinstance(value, bool) or not isinstance(value, kind)
    if kind is dt.date and isinstance(value, dt.datetime):
        wrong = True
    if wrong:
        raise DataError(f"{where}: expected {_TYPES.get(kind, kind.__name__)}, got {value!r}")
    return value


def only_keys(table: dict, allowed: tuple[str, ...], where: str) -> None:
    """An unknown (misspelt) key is an error, never silently ignored."""
    for key in table:
        if key not in allowed:
            raise DataError(f"{where}: unknown key {key!r} (expected one of: "
                            f"{', '.join(allowed)})")
